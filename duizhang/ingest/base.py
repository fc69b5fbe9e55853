"""The importer contract and the values every importer returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from duizhang.engine.records import Entry, Side


class SignView(StrEnum):
    """How an importer's amounts are signed before `load()` maps them onto the receivable."""

    BOOKS = "books"  # debit - credit in the file owner's books; for bank and payment files money in is +
    RECEIVABLE = "receivable"  # already the receivable view (canonical CSV)


class IngestError(Exception):
    """Bad input. Names the file, line, column and offending value, so the user can fix the row."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path = "",
        line: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        self.message = message
        self.file = str(file)
        self.line = line
        self.column = column
        self.value = value
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [Path(self.file).name] if self.file else []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}")
        what = self.message if self.value is None else f"{self.message}: {self.value!r}"
        return f"{', '.join(where)}: {what}" if where else what


class UnknownFormat(IngestError):
    """No importer recognises the file."""


class AmbiguousFormat(IngestError):
    """More than one importer claims the file; the user must name the format."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A row that was read but deliberately not booked (closed trade, subtotal, opening balance)."""

    line: int
    reason: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class StatementBalance:
    """Opening and closing balance a statement states, and the sum of the lines the importer read
    for it (books view), so `load()` can check one against the other."""

    account: str
    currency: str
    opening: Decimal | None
    closing: Decimal | None
    movement: Decimal
    opening_date: date | None = None
    closing_date: date | None = None
    label: str = ""


@dataclass(slots=True)
class Extraction:
    """What one file yielded: entries in `view` signs, rows skipped on purpose, stated balances."""

    entries: list[Entry]
    view: SignView = SignView.BOOKS
    skipped: list[Skipped] = field(default_factory=list)
    balances: list[StatementBalance] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Importer(Protocol):
    """One file format. `identify` must be cheap and must not raise on foreign files."""

    name: str
    description: str
    default_side: Side

    def identify(self, path: Path) -> bool: ...

    def extract(self, path: Path) -> Extraction: ...
