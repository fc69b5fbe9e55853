"""Rows of text cells from CSV, XLSX or XLS, each with the line number a spreadsheet shows.

The format is sniffed from the content, not the extension: some bank downloads named `.csv` are
OLE `.xls` files. Every cell comes back as cleaned text (padding, tabs and backticks stripped);
Excel numbers go through `repr` and `Decimal` (never float arithmetic) and Excel dates become ISO
text, so the converter parses one kind of value whatever the file type.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Literal

from duizhang.ingest.values import clean_text, read_text

Kind = Literal["xls", "xlsx", "text"]
TABLE_SUFFIXES = frozenset({".csv", ".txt", ".tsv", ".xls", ".xlsx", ".xlsm"})
SNIFF_BYTES = 64 * 1024
_DELIMITERS = (",", "\t", ";", "|")
_CENT = Decimal("0.01")
_PADDING = " \t\r\n`\u3000\u00a0"  # what clean_text strips, in one pass


@dataclass(frozen=True, slots=True)
class Row:
    line: int  # 1-based, as a text editor or spreadsheet shows it
    cells: list[str]

    def is_blank(self) -> bool:
        return not any(self.cells)


@dataclass(slots=True)
class Sheet:
    name: str  # the worksheet's name; "" for a text file
    rows: list[Row]

    def where(self) -> str:
        return f"sheet {self.name!r}: " if self.name else ""


def sniff(path: Path) -> Kind:
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if magic.startswith(b"PK\x03\x04"):
        return "xlsx"
    return "text"


def read_sheets(path: Path, *, limit: int | None = None) -> list[Sheet]:
    """All sheets of `path` (one for a text file), at most `limit` rows each."""
    kind = sniff(path)
    if kind == "xls":
        return list(_xls_sheets(path, limit))
    if kind == "xlsx":
        return list(_xlsx_sheets(path, limit))
    return [Sheet("", _text_rows(_decoded(path, limit), limit))]


def _decoded(path: Path, limit: int | None) -> str:
    with path.open("rb") as handle:
        head = handle.read(2)
    if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        # BOC 网银 downloads are UTF-16 (tab separated); UTF-16 needs its BOM to be told apart.
        text = path.read_text(encoding="utf-16")
        return text if limit is None else text[:SNIFF_BYTES]
    if limit is None:
        return read_text(path)
    with path.open("rb") as handle:
        data = handle.read(SNIFF_BYTES)
    if len(data) == SNIFF_BYTES and b"\n" in data:
        # A newline byte never occurs inside a UTF-8 or GB18030 character: cut there.
        data = data[: data.rindex(b"\n") + 1]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return ""


def _text_rows(text: str, limit: int | None) -> list[Row]:
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows: list[Row] = []
    start = 1
    for fields in reader:
        rows.append(Row(start, [cell.strip(_PADDING) for cell in fields]))
        start = reader.line_num + 1
        if limit is not None and len(rows) >= limit:
            break
    return rows


def _delimiter(text: str) -> str:
    """The delimiter that splits the most of the first lines into two or more filled cells."""
    sample = text[:SNIFF_BYTES]
    best, best_score = ",", -1
    for delimiter in _DELIMITERS:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, strict=False)
        score = 0
        for count, fields in enumerate(reader):
            if count >= 60:
                break
            score += sum(1 for cell in fields if cell.strip()) >= 2
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _xls_sheets(path: Path, limit: int | None) -> Iterator[Sheet]:
    import xlrd

    book = xlrd.open_workbook(str(path), on_demand=True)
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            count = sheet.nrows if limit is None else min(sheet.nrows, limit)
            rows = []
            for row_index in range(count):
                cells = [
                    _xls_cell(cell.ctype, cell.value, book.datemode)
                    for cell in sheet.row(row_index)
                ]
                rows.append(Row(row_index + 1, cells))
            yield Sheet(sheet.name, rows)
            book.unload_sheet(index)
    finally:
        book.release_resources()


def _xls_cell(ctype: int, value: object, datemode: int) -> str:
    import xlrd

    if ctype == xlrd.XL_CELL_DATE and isinstance(value, float):
        return _excel_value(xlrd.xldate_as_datetime(value, datemode))
    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if value else "FALSE"
    return _excel_value(value)


def _xlsx_sheets(path: Path, limit: int | None) -> Iterator[Sheet]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for worksheet in book.worksheets:
            rows = []
            values: Iterable[tuple[object, ...]] = worksheet.iter_rows(values_only=True)
            for line, row in enumerate(values, start=1):
                rows.append(Row(line, [_excel_value(value) for value in row]))
                if limit is not None and line >= limit:
                    break
            yield Sheet(worksheet.title, rows)
    finally:
        book.close()


def _excel_value(value: object) -> str:
    """Excel cell → text. Floats via repr → Decimal, rounded to 2 decimals (the cell's cents)."""
    if value is None:
        return ""
    if type(value) is str:  # the common case first
        return value.strip(_PADDING)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        number = Decimal(repr(value))
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2:
            number = number.quantize(_CENT, rounding=ROUND_HALF_UP)
        return format(number, "f")
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    return clean_text(value)
