from __future__ import annotations

from decimal import Decimal

import pytest

from duizhang.ingest.statement_lines import first_reference, money


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        ("11.8", "EUR", "11.80"),
        ("300000", "EUR", "300000.00"),
        ("8.850", "EUR", "8.85"),
        ("0.00125", "EUR", "0.00125"),  # a real digit is never rounded away
        ("2700", "JPY", "2700"),
        ("-1.5", "KWD", "-1.500"),
    ],
)
def test_money_shows_the_minor_unit_without_rounding(
    amount: str, currency: str, shown: str
) -> None:
    assert str(money(Decimal(amount), currency)) == shown


def test_first_reference_skips_placeholders() -> None:
    assert (
        first_reference(["", " NOTPROVIDED ", "NONREF", None, "INV  2024-001", "x"])
        == "INV 2024-001"
    )
    assert first_reference(["NONREF"]) == ""
