"""A worked example: one customer, one quarter's history, one month's statement."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from duizhang.engine.records import Entry
from duizhang.statements.build import build_statement
from duizhang.statements.model import Company, Customer, Statement

COMPANY = Company(
    name="杭州云帆科技有限公司",
    address="浙江省杭州市西湖区文三路 90 号 7 楼",
    phone="0571-8888 6666",
    tax_id="91330106MA2B1C3D4E",
    bank_name="招商银行杭州分行营业部",
    bank_account="5719 0123 4567 890",
)
CUSTOMER = Customer(code="C001", name="上海明远贸易有限公司", uscc="91310115MA1K4XYZ9Q")


def entry(
    entry_id: str, day: str, amount: str, reference: str = "", description: str = "", **more: Any
) -> Entry:
    return Entry(
        id=entry_id,
        date=date.fromisoformat(day),
        amount=Decimal(amount),
        reference=reference,
        description=description,
        **more,
    )


# Before March: opening 10,000.00 + 5,000.00 − 6,000.00 = 9,000.00.
# March: 9,000.00 + 2,345.67 + 1,000.00 − 1,000.00 − 4,500.00 + 800.00 = 7,645.67.
LEDGER = (
    entry("e1", "2025-12-05", "10000.00", "INV-1201", "销售货款 12 月"),
    entry("e2", "2026-01-20", "5000.00", "INV-0120", "销售货款 1 月"),
    entry("e3", "2026-02-10", "-6000.00", "INV-1201", "收款 部分"),
    entry("e4", "2026-03-02", "2345.67", "INV-0302", "销售货款 3 月"),
    entry("e5", "2026-03-05", "1000.00", "INV-0305", "销售货款 误开"),
    entry("e6", "2026-03-06", "-1000.00", "INV-0305", "冲销 INV-0305"),
    entry("e7", "2026-03-15", "-4500.00", "", "银行收款"),
    entry("e8", "2026-03-31", "800.00", "INV-0331", "销售货款 月末"),
    entry("e9", "2026-04-02", "999.00", "INV-0402", "四月，不在本期"),
)


def build(ledger: Iterable[Entry], **options: Any) -> Statement:
    """The statement of CUSTOMER for March 2026 unless `options` say otherwise."""
    arguments: dict[str, Any] = {
        "company": COMPANY,
        "customer": CUSTOMER,
        "issued": date(2026, 4, 3),
        "period_start": date(2026, 3, 1),
        "period_end": date(2026, 3, 31),
    }
    return build_statement(ledger, **{**arguments, **options})


def march(**options: Any) -> Statement:
    return build(LEDGER, number="DZ-C001-202603", **options)


@pytest.fixture
def statement() -> Statement:
    return march()
