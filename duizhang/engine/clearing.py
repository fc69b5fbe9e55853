"""Clearing (核销): apply payments and credit notes to open invoices within one ledger.

Per customer (the customer code, else the counterparty): first a payment goes to the invoice
its reference or memo names, then what is left of it to the oldest open invoices (FIFO);
partial applications are allowed. What stays open, with its age on the as-of date, is the
basis of statements, aging and overdue reminders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import polars as pl

from duizhang.engine.frames import frame_from_entries
from duizhang.engine.money import from_units
from duizhang.engine.normalize import document_keys
from duizhang.engine.records import Entry

AGING_BUCKETS = ((30, "0-30"), (60, "31-60"), (90, "61-90"), (180, "91-180"), (None, "180+"))


@dataclass(frozen=True, slots=True)
class Application:
    payment_id: str
    invoice_id: str
    amount: Decimal  # positive: how much of the invoice the payment settles
    method: str  # "reference" or "oldest_first"


@dataclass(frozen=True, slots=True)
class OpenItem:
    customer: str
    id: str
    date: date
    reference: str
    amount: Decimal  # the original amount (negative for an unapplied payment or credit)
    open_amount: Decimal
    age_days: int
    bucket: str


@dataclass(frozen=True, slots=True)
class Clearing:
    applications: list[Application]
    open_items: list[OpenItem]
    as_of: date


@dataclass(slots=True)
class _Open:
    row: int
    id: str
    day: date
    reference: str
    amount: int
    open: int
    keys: frozenset[str]


def clear(entries: Sequence[Entry], *, as_of: date | None = None) -> Clearing:
    return clear_frame(frame_from_entries(entries), as_of=as_of)


def clear_frame(frame: pl.DataFrame, *, as_of: date | None = None) -> Clearing:
    """Clear a frame in `frames.SCHEMA` columns; `as_of` defaults to the latest date."""
    if as_of is None:
        latest = frame["date"].max()
        as_of = latest if isinstance(latest, date) else date.today()
    keyed = frame.with_columns(
        party=pl.when(pl.col("cust") != "").then(pl.col("cust")).otherwise(pl.col("cp")),
        keys=document_keys(pl.col("ref"), pl.col("desc")),
    ).sort("party", "cur", "date", "row")
    applications: list[Application] = []
    open_items: list[OpenItem] = []
    parties: dict[tuple[str, str], list[_Open]] = defaultdict(list)
    for row in keyed.iter_rows(named=True):
        parties[row["party"], row["cur"]].append(
            _Open(
                row["row"],
                row["id"],
                row["date"],
                row["ref"],
                row["amt"],
                row["amt"],
                frozenset(k for k in row["keys"] if k),
            )
        )
    for (party, _currency), items in parties.items():
        invoices = [item for item in items if item.amount > 0]
        payments = [item for item in items if item.amount < 0]
        for payment in payments:
            named = [inv for inv in invoices if inv.keys & payment.keys and inv.open > 0]
            _apply(payment, named, "reference", applications)
        for payment in payments:
            _apply(payment, [inv for inv in invoices if inv.open > 0], "oldest_first", applications)
        for item in items:
            if item.open != 0:
                age = (as_of - item.day).days
                open_items.append(
                    OpenItem(
                        customer=party,
                        id=item.id,
                        date=item.day,
                        reference=item.reference,
                        amount=from_units(item.amount),
                        open_amount=from_units(item.open),
                        age_days=age,
                        bucket=bucket(age),
                    )
                )
    return Clearing(applications, open_items, as_of)


def _apply(payment: _Open, invoices: list[_Open], method: str, out: list[Application]) -> None:
    """Settle the invoices in the order given (oldest first) with what is left of the payment."""
    for invoice in invoices:
        if payment.open >= 0:
            return
        settled = min(invoice.open, -payment.open)
        if settled <= 0:
            continue
        invoice.open -= settled
        payment.open += settled
        out.append(Application(payment.id, invoice.id, from_units(settled), method))


def bucket(age_days: int) -> str:
    for limit, label in AGING_BUCKETS:
        if limit is None or age_days <= limit:
            return label
    return AGING_BUCKETS[-1][1]


def aging(clearing: Clearing) -> list[dict[str, str]]:
    """Open amounts per customer and age bucket, with a total; amounts as decimal text."""
    labels = [label for _, label in AGING_BUCKETS]
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(labels, Decimal(0)))
    for item in clearing.open_items:
        totals[item.customer][item.bucket] += item.open_amount
    rows = []
    for customer in sorted(totals):
        buckets = totals[customer]
        total = sum(buckets.values(), Decimal(0))
        rows.append(
            {
                "customer": customer,
                **{k: _text(v) for k, v in buckets.items()},
                "total": _text(total),
            }
        )
    return rows


def _text(value: Decimal) -> str:
    return "0" if value == 0 else format(value, "f")
