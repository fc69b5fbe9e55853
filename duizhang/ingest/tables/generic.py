"""The table importers: declared layouts first, then the automatic mapping, or the user's own.

Three importers are registered, split by whose books the table is (their `default_side`):
`cn-bank` (bank statements: declared bank layouts, or an automatic mapping that reads as a bank
statement), `erp-ledger` (declared ledger layouts) and `table` (an automatic mapping that reads as
a ledger or an invoice list, such as an AR export). `GenericTableImporter(mapping)` applies a
mapping the user made on the column mapping screen; `preview()` gives that screen its rows.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from duizhang.engine.records import Side
from duizhang.ingest.base import Extraction, IngestError
from duizhang.ingest.tables.banks import BANK_LAYOUTS
from duizhang.ingest.tables.columns import PAYMENT_BILL_WORDS, header_score, propose_mapping
from duizhang.ingest.tables.convert import Located, convert
from duizhang.ingest.tables.ledger import LEDGER_LAYOUTS
from duizhang.ingest.tables.mapping import ColumnMapping, Layout, Meaning, normalize_header
from duizhang.ingest.tables.reading import TABLE_SUFFIXES, Row, Sheet, read_sheets

HEADER_SEARCH_ROWS = 80  # the header row is looked for among this many rows of each sheet
LAYOUTS: tuple[Layout, ...] = BANK_LAYOUTS + LEDGER_LAYOUTS
_CANONICAL = frozenset({"id", "date", "amount"})
MAP_THE_COLUMNS = (
    "the columns of this table were not recognised: map them on the column mapping screen "
    "(or read the file with a saved ColumnMapping)"
)


def locate(sheets: Sequence[Sheet]) -> Located | None:
    """The table in these sheets: a declared layout's header row, else the best header row with
    a confident automatic mapping. None when neither is found."""
    for sheet in sheets:
        best: tuple[int, int] | None = None
        for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            names = {normalize_header(cell) for cell in row.cells if cell}
            if names & PAYMENT_BILL_WORDS or names >= _CANONICAL:
                return None
            matching = [item for item in LAYOUTS if item.matches(names)]
            if matching:
                chosen = max(matching, key=lambda item: len(item.signature))
                return Located(sheet, index, chosen.mapping, chosen.name, strict=False)
            score = header_score(row.cells)
            if score and (best is None or score > best[1]):
                best = (index, score)
        if best is not None:
            mapping = propose_mapping(sheet.rows[best[0]].cells)
            if mapping is not None:
                return Located(sheet, best[0], mapping, "auto", strict=False)
    return None


def locate_with(sheets: Sequence[Sheet], mapping: ColumnMapping) -> Located | None:
    """The first header row (of the first sheet that has one) holding the mapping's columns."""
    wanted = {normalize_header(name) for name in mapping.columns().values()}
    for sheet in sheets:
        for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            if wanted <= {normalize_header(cell) for cell in row.cells if cell}:
                return Located(sheet, index, mapping, mapping.name, strict=True)
    return None


@functools.lru_cache(maxsize=8)
def _sniffed(path: str, mtime_ns: int, size: int) -> Located | None:
    """The table in the first rows of a file, read once for all the table importers'
    identify() calls (an XLSX workbook costs seconds to open); keyed by file version."""
    del mtime_ns, size  # part of the cache key only
    return locate(read_sheets(Path(path), limit=HEADER_SEARCH_ROWS))


def _readable(path: Path) -> bool:
    return path.suffix.lower() in TABLE_SUFFIXES and path.is_file()


class TableImporter:
    """Claims tables whose header matches one of `layouts`, or whose automatic mapping has
    `auto_meaning`."""

    def __init__(
        self,
        name: str,
        description: str,
        default_side: Side,
        layouts: Sequence[Layout],
        auto_meaning: Meaning | None,
    ) -> None:
        self.name = name
        self.description = description
        self.default_side = default_side
        self._layouts = frozenset(item.name for item in layouts)
        self._auto_meaning = auto_meaning

    def _claims(self, located: Located | None) -> bool:
        if located is None:
            return False
        if located.layout == "auto":
            return located.mapping.meaning is self._auto_meaning
        return located.layout in self._layouts

    def identify(self, path: Path) -> bool:
        if not _readable(path):
            return False
        try:
            stat = path.stat()
            return self._claims(_sniffed(str(path.resolve()), stat.st_mtime_ns, stat.st_size))
        except Exception:  # identify must never raise on a foreign file
            return False

    def extract(self, path: Path) -> Extraction:
        sheets = _read(path)
        located = locate(sheets)
        if not self._claims(located):
            raise IngestError(f"format {self.name}: {MAP_THE_COLUMNS}", file=path)
        assert located is not None
        return convert(path, located)


class GenericTableImporter:
    """Reads any CSV/XLSX/XLS table with a given mapping (from the column mapping screen)."""

    def __init__(self, mapping: ColumnMapping) -> None:
        self.mapping = mapping
        self.name = f"table:{mapping.name}"
        self.description = f"table read with the column mapping {mapping.name!r}"
        self.default_side = mapping.default_side

    def identify(self, path: Path) -> bool:
        if not _readable(path):
            return False
        try:
            return (
                locate_with(read_sheets(path, limit=HEADER_SEARCH_ROWS), self.mapping) is not None
            )
        except Exception:  # identify must never raise on a foreign file
            return False

    def extract(self, path: Path) -> Extraction:
        return extract_with_mapping(path, self.mapping)


def extract_with_mapping(path: Path, mapping: ColumnMapping) -> Extraction:
    located = locate_with(_read(path), mapping)
    if located is None:
        columns = ", ".join(mapping.columns().values())
        raise IngestError(
            f"no header row with the mapped columns ({columns}) in the first "
            f"{HEADER_SEARCH_ROWS} rows; map the columns again",
            file=path,
        )
    return convert(path, located)


@dataclass(frozen=True, slots=True)
class Preview:
    """What the column mapping screen shows: the header found, rows around it, a proposal."""

    sheet: str
    header_line: int | None  # 1-based line of the header row; None if none was recognised
    header: list[str]
    rows: list[Row]  # the first rows of the sheet, header and preamble included
    layout: str | None  # the declared layout that matched, "auto", or None
    proposed: ColumnMapping | None


def preview(path: Path, *, rows: int = 30) -> Preview:
    """The first rows of `path` and the mapping duizhang would use, if any."""
    sheets = read_sheets(path, limit=max(rows, HEADER_SEARCH_ROWS))
    located = locate(sheets)
    if located is None:
        first = sheets[0] if sheets else Sheet("", [])
        guess = _likeliest_header(first)
        return Preview(
            sheet=first.name,
            header_line=guess.line if guess else None,
            header=guess.cells if guess else [],
            rows=first.rows[:rows],
            layout=None,
            proposed=None,
        )
    header = located.header
    return Preview(
        sheet=located.sheet.name,
        header_line=header.line,
        header=header.cells,
        rows=located.sheet.rows[:rows],
        layout=located.layout,
        proposed=located.mapping,
    )


def _likeliest_header(sheet: Sheet) -> Row | None:
    """The row that most looks like a header, for the user to confirm; None if none does."""
    scored = [(header_score(row.cells), row) for row in sheet.rows[:HEADER_SEARCH_ROWS]]
    best = max(scored, key=lambda item: item[0], default=(0, None))
    return best[1] if best[0] else None


def _read(path: Path) -> list[Sheet]:
    import zipfile

    import xlrd
    from openpyxl.utils.exceptions import InvalidFileException

    unreadable = (OSError, ValueError, KeyError, zipfile.BadZipFile, xlrd.XLRDError)
    try:
        return read_sheets(path)
    except (*unreadable, InvalidFileException) as error:
        raise IngestError(f"cannot read the table: {error}", file=path) from error


BANK_IMPORTER = TableImporter(
    "cn-bank",
    "Bank statement table (CSV/XLS/XLSX): Chinese bank layouts, personal and 企业网银",
    Side.BANK,
    BANK_LAYOUTS,
    Meaning.BANK,
)
LEDGER_IMPORTER = TableImporter(
    "erp-ledger",
    "ERP 明细账 export (应收/应付账款, Kingdee/Yonyou style), opening and totals checked",
    Side.OURS,
    LEDGER_LAYOUTS,
    None,
)
BOOKS_TABLE_IMPORTER = TableImporter(
    "table",
    "Ledger or invoice list table with recognised columns (Date, Invoice No, Amount, 借方/贷方…)",
    Side.OURS,
    (),
    Meaning.BOOKS,
)
