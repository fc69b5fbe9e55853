"""Clearing (核销) as a cashier does it: named invoices first, then the oldest, partial allowed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from duizhang.engine.clearing import Application, aging, bucket, clear
from tests.engine.entries import entry

D = Decimal


LEDGER = [
    entry("I1", "2026-07-01", "1000.00", "INV-1", customer="C1"),
    entry("I2", "2026-08-01", "500.00", "INV-2", customer="C1"),
    entry("I3", "2026-09-01", "300.00", "INV-3", customer="C1"),
    entry("P1", "2026-09-05", "-300.00", description="付发票003款", customer="C1"),
    entry("P2", "2026-09-10", "-1200.00", customer="C1"),
    entry("CN", "2026-09-12", "-50.00", "INV-2", customer="C1", description="折让"),
    entry("X1", "2026-09-20", "80.00", "A-77", customer="C2"),
]


def test_a_payment_naming_its_invoice_settles_that_one_and_the_rest_goes_oldest_first() -> None:
    result = clear(LEDGER, as_of=date(2026, 9, 30))
    assert result.applications == [
        Application("P1", "I3", D("300.00"), "reference"),
        Application("CN", "I2", D("50.00"), "reference"),
        Application("P2", "I1", D("1000.00"), "oldest_first"),
        Application("P2", "I2", D("200.00"), "oldest_first"),
    ]
    assert [(o.customer, o.id, o.open_amount, o.age_days, o.bucket) for o in result.open_items] == [
        ("C1", "I2", D("250.00"), 60, "31-60"),
        ("C2", "X1", D("80.00"), 10, "0-30"),
    ]


def test_an_overpayment_stays_open_as_a_credit() -> None:
    ledger = [
        entry("I1", "2026-09-01", "100.00", customer="C1"),
        entry("P1", "2026-09-02", "-150.00", customer="C1"),
    ]
    result = clear(ledger)
    assert [(o.id, o.amount, o.open_amount, o.age_days) for o in result.open_items] == [
        ("P1", D("-150.00"), D("-50.00"), 0)
    ]


def test_aging_totals_open_amounts_per_customer_and_bucket() -> None:
    assert aging(clear(LEDGER, as_of=date(2026, 12, 31))) == [
        {
            "customer": "C1",
            "0-30": "0",
            "31-60": "0",
            "61-90": "0",
            "91-180": "250.00",
            "180+": "0",
            "total": "250.00",
        },
        {
            "customer": "C2",
            "0-30": "0",
            "31-60": "0",
            "61-90": "0",
            "91-180": "80.00",
            "180+": "0",
            "total": "80.00",
        },
    ]
    assert [bucket(days) for days in (0, 30, 31, 90, 180, 181)] == [
        "0-30",
        "0-30",
        "31-60",
        "61-90",
        "91-180",
        "180+",
    ]
