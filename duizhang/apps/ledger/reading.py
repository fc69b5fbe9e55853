"""Reading a file for a source: parse it with `load()`, check it against the database's rules and
resolve customers — everything an import needs before it writes, shared by preview and import."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from duizhang.apps.customers.models import Customer
from duizhang.apps.ledger.models import Entry, Source
from duizhang.engine.records import Entry as Record
from duizhang.engine.records import Side
from duizhang.ingest.base import IngestError, UnknownFormat
from duizhang.ingest.load import Loaded, load
from duizhang.ingest.tables import ColumnMapping, GenericTableImporter

_CURRENCY = re.compile(r"[A-Z]{3}")
_MAX_INTEGER_DIGITS = 16  # DecimalField(max_digits=20, decimal_places=4)
_MAX_DECIMALS = 4
_CHUNK = 500  # keys per IN (...) query, well under SQLite's variable limit


@dataclass(slots=True)
class ReadFile:
    """A parsed file with each entry's customer resolved; nothing written yet."""

    loaded: Loaded
    sha256: str
    customers: list[Customer | None]
    mapping: ColumnMapping | None  # the column mapping the file was read with, if any

    @property
    def entries(self) -> list[Record]:
        return self.loaded.entries

    def totals(self) -> dict[str, Decimal]:
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for entry in self.entries:
            sums[entry.currency] += entry.amount
        return dict(sorted(sums.items()))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def read_for_source(
    source: Source,
    path: Path,
    *,
    format: str = "auto",
    side: Side | None = None,
    mapping: ColumnMapping | None = None,
) -> ReadFile:
    """Parse `path` as `source` would store it. Raises `IngestError` naming file, line, column.

    With a `mapping`, the file is read as a table with those columns. Without one, the format
    is detected; a file no importer recognises is read with the source's saved column mapping,
    if it has one (`UnknownFormat` otherwise: the user maps the columns)."""
    if not path.is_file():
        raise IngestError("no such file", file=path)
    side = side or source.side
    if mapping is None:
        try:
            loaded = load(path, format=format, side=side)
        except UnknownFormat:
            if format != "auto" or not source.mapping_preset:
                raise
            mapping = ColumnMapping.from_dict(source.mapping_preset)
    if mapping is not None:
        loaded = load(path, side=side, importer=GenericTableImporter(mapping))
    for entry in loaded.entries:
        _check_storable(entry, path)
    return ReadFile(
        loaded=loaded,
        sha256=file_sha256(path),
        customers=_customers(source, loaded.entries, path),
        mapping=mapping,
    )


def present_keys(source: Source, keys: Iterable[str]) -> set[str]:
    """Which of `keys` the source already holds."""
    wanted = list(keys)
    found: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        found.update(
            Entry.objects.filter(source=source, natural_key__in=chunk).values_list(
                "natural_key", flat=True
            )
        )
    return found


def _check_storable(entry: Record, path: Path) -> None:
    """The database's limits, reported against the row rather than as an IntegrityError."""
    line = entry.source_line or None
    if not _CURRENCY.fullmatch(entry.currency):
        raise IngestError(
            "currency must be three capital letters",
            file=path,
            line=line,
            column="currency",
            value=entry.currency,
        )
    digits = entry.amount.as_tuple()
    exponent = digits.exponent if isinstance(digits.exponent, int) else 0
    if exponent < -_MAX_DECIMALS or entry.amount.adjusted() >= _MAX_INTEGER_DIGITS:
        raise IngestError(
            f"amount must have at most {_MAX_INTEGER_DIGITS} digits before and "
            f"{_MAX_DECIMALS} after the point",
            file=path,
            line=line,
            column="amount",
            value=str(entry.amount),
        )


def _customers(source: Source, entries: list[Record], path: Path) -> list[Customer | None]:
    """The source's customer for every line, or the customer a line names by code."""
    codes = {entry.customer for entry in entries if entry.customer}
    known = {
        customer.code: customer
        for customer in Customer.objects.filter(company_id=source.company_id, code__in=codes)
    }
    return list(_resolve(source, entries, known, path))


def _resolve(
    source: Source, entries: list[Record], known: dict[str, Customer], path: Path
) -> Iterator[Customer | None]:
    for entry in entries:
        if not entry.customer:
            yield source.customer
            continue
        customer = known.get(entry.customer)
        if customer is None:
            message = "no customer with this code"
        elif source.customer is not None and customer != source.customer:
            message = f"this source holds only customer {source.customer.code}"
        else:
            yield customer
            continue
        raise IngestError(
            message,
            file=path,
            line=entry.source_line or None,
            column="customer",
            value=entry.customer,
        )
