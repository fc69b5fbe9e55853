"""Entries for the engine's examples, written as a cashier reads them: day and amount as text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from duizhang.engine.records import DEFAULT_CURRENCY, Entry


def entry(
    id_: str,
    day: str,
    amount: str,
    reference: str = "",
    *,
    currency: str = DEFAULT_CURRENCY,
    counterparty: str = "",
    description: str = "",
    customer: str = "",
    account: str = "",
) -> Entry:
    return Entry(
        id=id_,
        date=date.fromisoformat(day),
        amount=Decimal(amount),
        currency=currency,
        reference=reference,
        counterparty=counterparty,
        description=description,
        customer=customer,
        account=account,
    )
