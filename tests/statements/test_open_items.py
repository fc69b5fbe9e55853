from datetime import date, timedelta
from decimal import Decimal

from duizhang.engine.records import Entry
from duizhang.statements.open_items import open_items
from tests.statements.conftest import entry

AS_OF = date(2026, 6, 30)
D = Decimal


def _aged(days: int, amount: str, reference: str) -> Entry:
    return entry(reference, (AS_OF - timedelta(days=days)).isoformat(), amount, reference)


def test_age_buckets_at_their_boundaries() -> None:
    ages = (0, 30, 31, 60, 61, 90, 91, 400)
    entries = [_aged(days, "1.00", f"A{days}") for days in ages]
    items = open_items(entries, as_of=AS_OF, terms_days=30)
    assert [(item.age_days, item.bucket) for item in items] == [
        (400, 3),
        (91, 3),
        (90, 2),
        (61, 2),
        (60, 1),
        (31, 1),
        (30, 0),
        (0, 0),
    ]


def test_reference_first_then_oldest_first_and_partial_payments() -> None:
    entries = [
        entry("i1", "2026-04-01", "100.00", "INV-1"),
        entry("i2", "2026-04-15", "200.00", "INV-2"),
        entry("i3", "2026-05-01", "300.00", "INV-3"),
        entry("p3", "2026-05-10", "-250.00", "INV-3"),  # partial, by reference
        entry("p0", "2026-05-20", "-150.00", ""),  # oldest first: INV-1 100, INV-2 50
        entry("late", "2026-07-01", "-999.00", ""),  # after the date: ignored
    ]
    items = open_items(entries, as_of=AS_OF, terms_days=30)
    assert [(i.reference, i.original, i.open, i.age_days, i.due_date) for i in items] == [
        ("INV-2", D("200.00"), D("150.00"), 76, date(2026, 5, 15)),
        ("INV-3", D("300.00"), D("50.00"), 60, date(2026, 5, 31)),
    ]


def test_a_credit_larger_than_the_debits_stays_open_as_a_credit() -> None:
    entries = [
        entry("i1", "2026-06-01", "100.00", "INV-1"),
        entry("p1", "2026-06-10", "-160.00", "PAY-1"),
    ]
    items = open_items(entries, as_of=AS_OF, terms_days=30)
    assert [(i.reference, i.original, i.open, i.age_days, i.due_date) for i in items] == [
        ("PAY-1", D("-160.00"), D("-60.00"), 20, date(2026, 6, 10)),
    ]
