"""Spreadsheet importers: bank statements, ERP ledgers and any CSV/XLSX/XLS with a column mapping.

reading (rows with line numbers) → generic.locate (declared layout, else automatic mapping from
columns) → convert (rows to books-view entries). Layouts are data: banks.py, ledger.py.
"""

from duizhang.ingest.tables.columns import propose_mapping
from duizhang.ingest.tables.generic import (
    BANK_IMPORTER,
    BOOKS_TABLE_IMPORTER,
    LEDGER_IMPORTER,
    GenericTableImporter,
    Preview,
    extract_with_mapping,
    preview,
)
from duizhang.ingest.tables.mapping import ColumnMapping, Meaning

__all__ = [
    "BANK_IMPORTER",
    "BOOKS_TABLE_IMPORTER",
    "LEDGER_IMPORTER",
    "ColumnMapping",
    "GenericTableImporter",
    "Meaning",
    "Preview",
    "extract_with_mapping",
    "preview",
    "propose_mapping",
]
