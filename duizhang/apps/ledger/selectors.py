"""Reads from the ledger."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db.models import Q, QuerySet

from duizhang.apps.customers.models import Customer
from duizhang.apps.ledger.models import Entry, ImportBatch, Source
from duizhang.apps.ledger.reading import ReadFile, present_keys, read_for_source
from duizhang.apps.ledger.sums import exact_sum, from_units
from duizhang.engine import records
from duizhang.ingest.tables import ColumnMapping

Balances = list[tuple[str, Decimal]]  # (currency, amount), sorted by currency


def receivable_balances(customers: Iterable[Customer]) -> dict[int, Balances]:
    """What each customer owes us by our own receivables ledger, per currency, in one query."""
    ids = [customer.pk for customer in customers]
    rows = (
        Entry.objects.filter(customer_id__in=ids, source__kind=Source.Kind.OURS)
        .values("customer_id", "currency")
        .annotate(units=exact_sum("amount"))
        .order_by("customer_id", "currency")
    )
    balances: dict[int, Balances] = defaultdict(list)
    for row in rows:
        balances[row["customer_id"]].append((row["currency"], from_units(row["units"])))
    return balances


def recent_batches(limit: int = 10) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.select_related("source", "source__customer", "uploaded_by")[:limit]


def customer_sources(customer: Customer) -> QuerySet[Source]:
    """Sources kept for this customer, and shared sources that hold some of its entries."""
    holding = Entry.objects.filter(customer=customer).values("source_id")
    return Source.objects.filter(Q(customer=customer) | Q(pk__in=holding)).order_by("kind", "name")


def customer_entries(customer: Customer) -> QuerySet[Entry]:
    return (
        Entry.objects.filter(customer=customer)
        .select_related("source")
        .order_by("-date", "source_id", "-id")
    )


def source_records(source: Source, *, customer: Customer | None = None) -> list[records.Entry]:
    """A source's entries (one customer's, if given) as the engine's records, in file order."""
    entries = Entry.objects.filter(source=source).select_related("batch", "customer")
    if customer is not None:
        entries = entries.filter(customer=customer)
    return [entry.to_record() for entry in entries.order_by("date", "batch_id", "source_line")]


def importable_sources() -> QuerySet[Source]:
    return Source.objects.select_related("company", "customer").order_by("company", "kind", "name")


@dataclass(slots=True)
class ImportPreview:
    """What importing a file would do, computed without writing."""

    read: ReadFile
    earlier: ImportBatch | None  # this very file was imported before
    present: set[str]  # natural keys the source already holds

    @property
    def new_count(self) -> int:
        return 0 if self.earlier else len(self.read.entries) - len(self.present)


def import_preview(
    source: Source, path: Path, *, format: str = "auto", mapping: ColumnMapping | None = None
) -> ImportPreview:
    """Raises `IngestError` exactly as the import would."""
    read = read_for_source(source, path, format=format, mapping=mapping)
    return ImportPreview(
        read=read,
        earlier=ImportBatch.objects.filter(source=source, sha256=read.sha256).first(),
        present=present_keys(source, (entry.id for entry in read.entries)),
    )
