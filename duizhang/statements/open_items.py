"""Open items at a date: credits (payments, credit notes) applied to debits (invoices).

A credit goes first to the debits with its reference, then to the oldest open debits; whatever
is left of a credit stays open as an unapplied credit. This is the statement's own small
clearing until the engine's 核销 (duizhang/engine/clearing.py) is there to replace it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from duizhang.engine.records import Entry
from duizhang.statements.model import OpenItem


@dataclass(slots=True)
class _Open:
    entry: Entry
    left: Decimal


def open_items(entries: Iterable[Entry], *, as_of: date, terms_days: int) -> list[OpenItem]:
    """Documents still open on `as_of` (entries after it are ignored), oldest first.

    Age is counted from the document date (账龄); an invoice is due `terms_days` after it, a
    credit at once.
    """
    booked = sorted((entry for entry in entries if entry.date <= as_of), key=lambda e: e.date)
    debits = [_Open(entry, entry.amount) for entry in booked if entry.amount > 0]
    credits = [_Open(entry, -entry.amount) for entry in booked if entry.amount < 0]
    for credit in credits:
        same_reference = [d for d in debits if credit.entry.reference == d.entry.reference != ""]
        _apply(credit, same_reference)
    for credit in credits:
        _apply(credit, debits)
    items = [
        _item(d.entry, d.left, as_of, timedelta(days=terms_days)) for d in debits if d.left
    ] + [_item(c.entry, -c.left, as_of, timedelta(0)) for c in credits if c.left]
    return sorted(items, key=lambda item: item.date)


def _apply(credit: _Open, debits: list[_Open]) -> None:
    for debit in debits:
        if not credit.left:
            return
        applied = min(credit.left, debit.left)
        debit.left -= applied
        credit.left -= applied


def _item(entry: Entry, left: Decimal, as_of: date, terms: timedelta) -> OpenItem:
    return OpenItem(
        reference=entry.reference,
        date=entry.date,
        due_date=entry.date + terms,
        original=entry.amount,
        open=left,
        age_days=(as_of - entry.date).days,
        description=entry.description,
    )
