"""Why a leftover is left: a kind of line the other side never books is missing, not timing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from duizhang.engine.match import match
from duizhang.engine.options import MatchOptions
from duizhang.engine.records import Entry
from tests.engine.entries import entry

OCTOBER = MatchOptions(period_end=date(2026, 10, 31))


def _invoices_paid(count: int) -> tuple[list[Entry], list[Entry]]:
    """Our invoices of October, each booked by the customer two days later: most lines link."""
    ledger, theirs = [], []
    for n in range(count):
        day = date(2026, 10, 1) + timedelta(days=n % 20)
        amount = f"{1000 + 37 * n}.{n % 100:02d}"
        ledger.append(entry(f"L{n}", day.isoformat(), amount, f"INV-2026-{n:06d}", customer="C1"))
        later = (day + timedelta(days=2)).isoformat()
        theirs.append(entry(f"T{n}", later, amount, f"INV-2026-{n:06d}", customer="C1"))
    return ledger, theirs


@pytest.mark.parametrize(
    ("all_month", "reason"),
    [
        # freight we advance for the customer all month long: it never books one
        (True, "missing"),
        # a quarter's rebates, all booked on its last days: the customer books them next month
        (False, "timing"),
    ],
)
def test_a_kind_of_line_the_other_side_never_books_is_missing_near_the_end_too(
    all_month: bool, reason: str
) -> None:
    ledger, theirs = _invoices_paid(40)
    days = [1 + 29 * n // 19 if all_month else 28 + n % 4 for n in range(20)]
    charges = [
        entry(
            f"F{n}",
            f"2026-10-{day:02d}",
            f"{200 + 11 * n}.{n:02d}",
            f"记-202610-{n:04d}",
            description=f"代垫运费 {n + 1}",
            customer="C1",
        )
        for n, day in enumerate(days)
    ]

    result = match([*ledger, *charges], theirs, OCTOBER)
    near_the_end = {u.id: u.reason for u in result.unmatched if u.date >= date(2026, 10, 28)}
    assert len(near_the_end) >= 2
    assert set(near_the_end.values()) == {reason}
