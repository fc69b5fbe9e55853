"""Canonical transaction CSV (shared/spec/canonical-csv.md): read, identify and write.

Beyond the spec's columns, `account` is read and written too, so that `duizhang parse` output of
a multi-account bank file reads back unchanged."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType
from typing import TextIO

from duizhang.engine.money import format_amount
from duizhang.engine.records import DEFAULT_CURRENCY, Entry, Side
from duizhang.ingest.base import Extraction, IngestError, SignView

REQUIRED = ("id", "date", "amount")
COLUMNS = (
    "id",
    "date",
    "amount",
    "currency",
    "reference",
    "counterparty",
    "description",
    "customer",
)
MAX_DECIMALS = 4


class CanonicalCsvImporter:
    name = "canonical"
    description = "Canonical transaction CSV (id, date, amount, …), already in the receivable view"
    default_side = Side.OURS

    def identify(self, path: Path) -> bool:
        if path.suffix.lower() not in (".csv", ".txt"):
            return False
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                header = next(csv.reader([handle.readline()]), [])
        except (UnicodeDecodeError, OSError):
            return False
        return set(REQUIRED) <= {column.strip() for column in header}

    def extract(self, path: Path) -> Extraction:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            entries = list(read_canonical(handle, file=path))
        return Extraction(entries=entries, view=SignView.RECEIVABLE)


def read_canonical(handle: TextIO, *, file: str | Path = "") -> Iterable[Entry]:
    reader = csv.DictReader(handle)
    header = [column.strip() for column in reader.fieldnames or []]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise IngestError(f"missing required column(s) {', '.join(missing)}", file=file, line=1)
    reader.fieldnames = header
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        if None in row:
            raise IngestError(
                "more fields than the header has", file=file, line=line, value=row[None]
            )
        values = {key: (value or "").strip() for key, value in row.items()}
        if not any(values.values()):
            continue
        entry_id = values["id"]
        if not entry_id:
            raise IngestError("empty id", file=file, line=line, column="id")
        if entry_id in seen:
            raise IngestError("duplicate id", file=file, line=line, column="id", value=entry_id)
        seen.add(entry_id)
        yield Entry(
            id=entry_id,
            date=_date(values["date"], file, line),
            amount=_amount(values["amount"], file, line),
            currency=(values.get("currency") or DEFAULT_CURRENCY).upper(),
            reference=values.get("reference", ""),
            counterparty=values.get("counterparty", ""),
            description=values.get("description", ""),
            customer=values.get("customer", ""),
            account=values.get("account", ""),
            source_file=Path(file).name,
            source_line=line,
            raw=MappingProxyType(values),
        )


def _date(text: str, file: str | Path, line: int) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise IngestError(
            "date must be YYYY-MM-DD", file=file, line=line, column="date", value=text
        ) from None


def _amount(text: str, file: str | Path, line: int) -> Decimal:
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or "," in text or "e" in text.lower():
        raise IngestError(
            "not a plain decimal amount", file=file, line=line, column="amount", value=text
        )
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMALS:
        raise IngestError(
            f"more than {MAX_DECIMALS} decimals", file=file, line=line, column="amount", value=text
        )
    return amount


def write_canonical(entries: Iterable[Entry], handle: TextIO, *, with_account: bool = False) -> int:
    """Write entries as canonical CSV; returns the number of rows written."""
    columns = (*COLUMNS, "account") if with_account else COLUMNS
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for entry in entries:
        row = [
            entry.id,
            entry.date.isoformat(),
            format_amount(entry.amount),
            entry.currency,
            entry.reference,
            entry.counterparty,
            entry.description,
            entry.customer,
        ]
        if with_account:
            row.append(entry.account)
        writer.writerow(row)
        count += 1
    return count


def canonical_text(entries: Iterable[Entry]) -> str:
    buffer = io.StringIO()
    write_canonical(entries, buffer)
    return buffer.getvalue()
