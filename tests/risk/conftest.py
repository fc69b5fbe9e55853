from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from decimal import Decimal

import pytest

from duizhang.engine.records import Entry, Side
from duizhang.risk import CustomerFacts, Line

MakeLine = Callable[..., Line]


@pytest.fixture
def mingyuan() -> CustomerFacts:
    return CustomerFacts(
        code="C001",
        name="上海明远贸易有限公司",
        aliases=("明远贸易",),
        credit_limit=Decimal("300000"),
        currency="CNY",
    )


@pytest.fixture
def line() -> MakeLine:
    """`line("B1", "2026-07-01", "-100.00")`: a bank line unless `side=`; its key is source/id."""
    counter = iter(range(2, 10_000))

    def make(
        id: str,
        day: str,
        amount: str,
        *,
        side: Side = Side.BANK,
        source: str = "",
        reference: str = "",
        payer: str = "上海明远贸易有限公司",
        at: time | None = None,
        currency: str = "CNY",
    ) -> Line:
        source = source or side.value
        entry = Entry(
            id=id,
            date=date.fromisoformat(day),
            amount=Decimal(amount),
            currency=currency,
            reference=reference,
            counterparty=payer,
            customer="C001",
            source_line=next(counter),
        )
        return Line(key=f"{source}/{id}", source=source, side=side, entry=entry, at=at)

    return make
