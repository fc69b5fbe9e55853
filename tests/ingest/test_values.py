from datetime import date
from decimal import Decimal

import pytest

from duizhang.ingest.values import parse_amount, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.50", Decimal("1234.50")),
        ("¥1,234.50", Decimal("1234.50")),
        ("￥88.00元", Decimal("88.00")),
        ("(12.30)", Decimal("-12.30")),
        ("12.30-", Decimal("-12.30")),
        ("+7", Decimal("7")),
        ("`0.01", Decimal("0.01")),
        ("  -0.20 ", Decimal("-0.20")),
        ("1,234,567.89", Decimal("1234567.89")),
        ("-1，000.00", Decimal("-1000.00")),
    ],
)
def test_parse_amount_reads_what_chinese_exports_write(text: str, expected: Decimal) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["", "  ", "--", "/"])
def test_parse_amount_empty_cells_are_none(text: str) -> None:
    assert parse_amount(text) is None


@pytest.mark.parametrize("text", ["12.3x", "abc", "1.2.3", "NaN", "Infinity", "12,50", "1,2345.00"])
def test_parse_amount_rejects_garbage(text: str) -> None:
    with pytest.raises(ValueError, match="not an amount"):
        parse_amount(text)


@pytest.mark.parametrize(
    "text",
    [
        "2026-10-05",
        "2026/10/5",
        "2026.10.05",
        "20261005",
        "2026年10月5日",
        "2026-10-05 17:07:09",
        "10/5/2026",
    ],
)
def test_parse_date_formats(text: str) -> None:
    assert parse_date(text) == date(2026, 10, 5)


@pytest.mark.parametrize("text", ["2026-13-01", "yesterday", "2026-02-30"])
def test_parse_date_rejects_invalid(text: str) -> None:
    with pytest.raises(ValueError, match="not a date"):
        parse_date(text)
