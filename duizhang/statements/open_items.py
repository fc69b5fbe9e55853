"""Open items at the period end, from the engine's clearing (核销, `duizhang.engine.clearing`).

The engine applies each credit to the invoices its reference or memo names, then to the oldest;
here its open items get what a statement shows besides: the due date and the description. The
engine clears per party, so the entries — all of one customer — are given that customer's code
first, whatever counterparty names they carry.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date, timedelta

from duizhang.engine.clearing import clear
from duizhang.engine.records import Entry
from duizhang.statements.model import OpenItem

_ONE_PARTY = "statement"


def open_items(entries: Iterable[Entry], *, as_of: date, terms_days: int) -> list[OpenItem]:
    """Documents still open on `as_of` (entries after it are left out), oldest first.

    Age is counted from the document date (账龄); an invoice is due `terms_days` after it, a
    credit at once.
    """
    booked = [
        dataclasses.replace(entry, customer=_ONE_PARTY) for entry in entries if entry.date <= as_of
    ]
    if not booked:
        return []
    by_id = {entry.id: entry for entry in booked}
    items = []
    for item in clear(booked, as_of=as_of).open_items:
        entry = by_id[item.id]
        terms = timedelta(days=terms_days if entry.amount > 0 else 0)
        items.append(
            OpenItem(
                reference=item.reference,
                date=item.date,
                due_date=item.date + terms,
                original=entry.amount,
                open=item.open_amount,
                age_days=item.age_days,
                description=entry.description,
            )
        )
    return sorted(items, key=lambda item: item.date)
