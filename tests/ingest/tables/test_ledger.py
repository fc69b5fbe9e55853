"""ERP ledgers: 借方 is a debit (+), 贷方 a credit (-); balance and total rows are checked, not
booked."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from duizhang.engine.records import Side
from duizhang.ingest.base import IngestError
from duizhang.ingest.load import load

HEADER = "日期,凭证字号,摘要,借方,贷方,方向,余额"


def test_our_receivables_ledger(samples: Path) -> None:
    loaded = load(samples / "erp_ledger/ar_ledger_kingdee.csv")

    assert (loaded.format, loaded.side) == ("erp-ledger", Side.OURS)
    assert [(e.id, str(e.date), str(e.amount)) for e in loaded.entries] == [
        ("记-0012", "2026-09-05", "113000.00"),
        ("收-0007", "2026-09-18", "-85000.00"),
        ("记-0031", "2026-10-08", "56500.00"),
        ("记-0040", "2026-10-15", "-1500.00"),  # red-ink debit (销售折让)
        ("收-0015", "2026-10-20", "-113000.00"),
    ]
    assert {(e.customer, e.account, e.currency) for e in loaded.entries} == {
        ("上海明远贸易有限公司", "1122 应收账款", "CNY")
    }
    assert [(s.line, s.reason) for s in loaded.skipped] == [
        (7, "opening balance (期初余额)"),
        (10, "total (本期合计)"),
        (11, "total (本年累计)"),
        (15, "total (本期合计)"),
        (16, "total (本年累计)"),
    ]
    (balance,) = loaded.balances
    assert (balance.opening, balance.closing, balance.movement) == (
        Decimal("85000.00"),
        Decimal("55000.00"),
        Decimal("-30000.00"),
    )
    assert loaded.warnings == []


def test_customers_payables_ledger_flips_into_the_receivable_view(samples: Path) -> None:
    path = samples / "erp_ledger/ap_ledger_customer_yonyou.csv"

    books = load(path)
    receivable = load(path, side=Side.CUSTOMER)

    assert [str(e.amount) for e in books.entries] == [
        "-113000.00", "85000.00", "-56500.00", "113000.00",
    ]  # fmt: skip
    assert [str(e.amount) for e in receivable.entries] == [
        "113000.00", "-85000.00", "56500.00", "-113000.00",
    ]  # fmt: skip
    (balance,) = receivable.balances
    assert (balance.opening, balance.closing) == (Decimal("-85000.00"), Decimal("-56500.00"))
    assert receivable.warnings == [
        "this is a payables ledger (应付账款): if it is the customer's, load it with "
        "--side customer"
    ]


def test_year_above_the_header_and_page_carry_rows(samples: Path) -> None:
    loaded = load(samples / "erp_ledger/ar_ledger_pages.xlsx")

    assert [(str(e.date), str(e.amount), e.source_line) for e in loaded.entries] == [
        ("2026-10-12", "56500.00", 6),
        ("2026-10-28", "-120000.00", 7),
        ("2026-11-03", "-56500.00", 9),
    ]
    assert [s.reason for s in loaded.skipped] == [
        "opening balance (承前页)",
        "total (过次页)",
        "total (本月合计)",
    ]
    (balance,) = loaded.balances
    assert (balance.opening, balance.closing) == (Decimal("120000.00"), Decimal("0.00"))
    assert loaded.warnings == []


def test_a_closing_balance_that_does_not_add_up_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "应收账款明细账.csv"
    path.write_text(
        f"{HEADER}\n"
        "2026-09-01,,期初余额,,,借,1000.00\n"
        "2026-09-05,记-1,销售,500.00,,借,1500.00\n"
        "2026-09-30,,本月合计,500.00,,借,1600.00\n",
        encoding="utf-8",
    )

    loaded = load(path)

    assert loaded.warnings == [
        "statement ledger-dated: opening 1000.00 + lines 500.00 differs from stated "
        "closing 1600.00 by 100.00"
    ]


def test_month_and_day_columns_without_a_year_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    path.write_text(
        "月,日,凭证号,摘要,借方,贷方,方向,余额\n10,5,记-1,销售,500.00,,借,500.00\n",
        encoding="utf-8",
    )

    with pytest.raises(IngestError) as error:
        load(path)

    assert error.value.line == 2
    assert "no year" in error.value.message


def test_a_month_that_is_not_a_number_names_the_cell(tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    path.write_text(
        "年,月,日,凭证号,摘要,借方,贷方,方向,余额\n"
        "2026,10,5,记-1,销售,500.00,,借,500.00\n"
        "2026,十,6,记-2,销售,500.00,,借,1000.00\n",
        encoding="utf-8",
    )

    with pytest.raises(IngestError) as error:
        load(path)

    assert (error.value.line, error.value.column, error.value.value) == (3, "日", "2026-十-6")
