"""Bank statement layouts, checked against the sample files value by value (receivable view:
money into our bank account lowers the receivable, so it is negative after load())."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from duizhang.engine.records import Side
from duizhang.ingest.load import load
from duizhang.ingest.tables import preview


def amounts(path: Path) -> list[str]:
    return [str(entry.amount) for entry in load(path).entries]


@pytest.mark.parametrize(
    ("name", "layout"),
    [
        ("deg__icbc_debit-v1__example-icbc-debit-v1-records.csv", "icbc-debit"),
        ("deg__icbc_credit__example-icbc-credit-records.csv", "icbc-credit"),
        ("deg__ccb__交易明细_xxxx_2025xxxx_2025xxxx.xls", "ccb-debit"),
        ("deg__boc_debit__example-boc-records.csv", "boc-debit"),
        ("deg__cmb_debit__example-cmb-records.csv", "cmb-debit"),
        ("deg__abc_debit__example-abc_debit-records.csv", "abc-debit"),
        ("deg__bocom_debit__example-bocom_debit-records.csv", "bocom-debit"),
        ("icbc_corporate_historydetail.csv", "icbc-corporate"),
        ("boc_corporate_signed.csv", "boc-corporate"),
        ("cmbc_corporate_keyvalue.csv", "cmbc-corporate"),
        ("ccb_corporate.xlsx", "ccb-corporate"),
    ],
)
def test_each_bank_file_is_recognised_by_its_layout(samples: Path, name: str, layout: str) -> None:
    shown = preview(samples / "cn_bank" / name)

    assert shown.layout == layout
    assert shown.proposed is not None
    assert shown.proposed.default_side is Side.BANK


def test_icbc_debit_uses_booked_amounts_and_survives_the_balance_placeholder(
    samples: Path,
) -> None:
    loaded = load(samples / "cn_bank/deg__icbc_debit-v1__example-icbc-debit-v1-records.csv")

    assert loaded.side is Side.BANK
    assert len(loaded.entries) == 11
    first, last = loaded.entries[0], loaded.entries[-1]
    assert (str(first.date), first.amount, first.source_line) == ("2023-05-02", Decimal("13.40"), 8)
    assert (first.counterparty, first.account) == ("深圳市财付通支付科技有限公司", "1234****9876")
    assert first.description == "消费 | 广东三元麦当劳食品有"
    assert (str(last.date), last.amount, last.source_line) == ("2023-02-08", Decimal("-1.04"), 18)
    # in: 1234.56 + 1234.56 + 341.58 + 30.00 + 1.04; out: 13.40 + 3 × 1234.56 + 500.00 + 24.00
    assert sum(entry.amount for entry in loaded.entries) == Decimal("1399.34")
    assert [(s.line, s.reason) for s in loaded.skipped] == [(20, "footer (人民币合计)")]
    assert loaded.warnings == [
        "11 row(s) have a 余额 that is not an amount (first on line 8: 'xx,yyyy.zz'); "
        "running balances were ignored"
    ]


def test_icbc_credit_card_repayment_is_money_in(samples: Path) -> None:
    loaded = load(samples / "cn_bank/deg__icbc_credit__example-icbc-credit-records.csv")

    repayment = next(e for e in loaded.entries if e.description.startswith("人民币自动转帐还款"))
    assert repayment.amount == Decimal("-4621.01")
    assert sum(e.amount for e in loaded.entries) == Decimal("-4257.88")


def test_ccb_xls_floats_and_footer(samples: Path) -> None:
    loaded = load(samples / "cn_bank/deg__ccb__交易明细_xxxx_2025xxxx_2025xxxx.xls")

    assert amounts(samples / "cn_bank/deg__ccb__交易明细_xxxx_2025xxxx_2025xxxx.xls") == [
        "67.00", "16.78", "20.00", "515.02", "18.06", "66.40",
    ]  # fmt: skip
    assert {e.currency for e in loaded.entries} == {"CNY"}
    assert loaded.entries[0].account == "xxxxx*********xxxx"
    assert [s.line for s in loaded.skipped] == [13]
    # the anonymised file's balance jumps on row 10 (2140.13 - 515.02 is not 1579.11)
    assert loaded.warnings == [
        "the running balance (账户余额) does not follow the amounts on 1 of 6 lines, "
        "first on line 10"
    ]


def test_signed_amount_layouts(samples: Path) -> None:
    assert amounts(samples / "cn_bank/deg__cmb_debit__example-cmb-records.csv") == [
        "-1234.00", "1000.00", "3.00", "1000.00", "10.14",
    ]  # fmt: skip
    boc = load(samples / "cn_bank/deg__boc_debit__example-boc-records.csv")
    assert len(boc.entries) == 17
    assert sum(e.amount for e in boc.entries) == Decimal("-426.70")
    assert boc.entries[0].description == "无卡支付"  # 附言 "----------" is a placeholder
    assert boc.warnings == []  # newest first: every balance is the older one plus the amount


def test_bocom_direction_flag(samples: Path) -> None:
    assert amounts(samples / "cn_bank/deg__bocom_debit__example-bocom_debit-records.csv") == [
        "-1.23", "3.21", "-0.02", "-10.00", "10.00", "100.79",
    ]  # fmt: skip


def test_abc_serials_are_ids_unless_placeholder_and_zero_lines_are_skipped(
    samples: Path,
) -> None:
    loaded = load(samples / "cn_bank/deg__abc_debit__example-abc_debit-records.csv")

    assert [e.id for e in loaded.entries[:3]] == ["369396693", "369333999", "111222333"]
    assert len(loaded.entries[3].id) == 16  # 0000000000 is no serial: fingerprint
    assert loaded.entries[3].reference == ""
    assert [(s.line, s.reason) for s in loaded.skipped] == [(6, "amount is zero")]


def test_icbc_corporate_gbk_with_voucher_numbers(samples: Path) -> None:
    loaded = load(samples / "cn_bank/icbc_corporate_historydetail.csv")

    assert [e.id for e in loaded.entries] == [f"002310150000{n}" for n in range(1, 7)]
    assert [str(e.amount) for e in loaded.entries] == [
        "-150000.00", "3500.00", "12.00", "-56500.00", "-113000.00", "200000.00",
    ]  # fmt: skip
    assert loaded.entries[0].account == "1202021109900012345"
    assert loaded.entries[0].counterparty == "上海明远贸易有限公司"


def test_boc_corporate_counterparty_is_the_payer_or_the_payee(samples: Path) -> None:
    loaded = load(samples / "cn_bank/boc_corporate_signed.csv")

    assert [(str(e.amount), e.counterparty) for e in loaded.entries] == [
        ("-120000.00", "上海明远贸易有限公司"),
        ("35000.00", "苏州恒达材料有限公司"),
        ("15.00", ""),
        ("-56500.00", "宁波海川电子有限公司"),
    ]
    assert {e.account for e in loaded.entries} == {"456789012345"}
    assert str(loaded.entries[0].date) == "2026-10-09"


def test_ccb_corporate_xlsx_dates_with_time_currency_names_and_float_noise(
    samples: Path,
) -> None:
    loaded = load(samples / "cn_bank/ccb_corporate.xlsx")

    assert [(str(e.date), str(e.amount), e.currency) for e in loaded.entries] == [
        ("2026-04-10", "-30000.00", "CNY"),
        ("2026-04-11", "0.30", "CNY"),
        ("2026-04-15", "12345.67", "CNY"),
        ("2026-04-20", "-1234.50", "USD"),
    ]


def test_identical_lines_are_told_apart_by_their_running_balance(samples: Path) -> None:
    loaded = load(samples / "cn_bank/cmbc_corporate_keyvalue.csv")

    fees = loaded.entries[:2]
    assert [(str(e.date), str(e.amount), e.description) for e in fees] == [
        ("2026-10-05", "10.00", "短信服务费"),
        ("2026-10-05", "10.00", "短信服务费"),
    ]
    assert fees[0].id != fees[1].id
    assert "#" not in fees[1].id
    assert [e.id for e in loaded.entries[2:]] == ["CM2026101600031", "CM2026103000112"]
    assert [(s.line, s.reason) for s in loaded.skipped] == [(12, "footer (合计)")]


def test_spdb_key_value_cells_without_colons_and_two_space_times(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["账号", "6200000000001230", "账户类型", "借记卡", "日期范围", "20251201-20251231"]
    )
    sheet.append(["顺序号", "交易日期", "交易类型", "存入金额", "取出金额", "余额", "交易对手名称",
                  "交易对手账号", "附言"])  # fmt: skip
    sheet.append(
        ["1", "2025/12/01  10:11:12", "转账", "3.88", "", "103.88", "张三", "6222", "还钱"]
    )
    sheet.append(["2", "2025/12/02  08:00:00", "消费", "", "0.20", "103.68", "商户", "", ""])
    path = tmp_path / "spdb.xlsx"
    book.save(path)

    loaded = load(path)

    assert preview(path).layout == "spdb-debit"
    assert [(str(e.date), str(e.amount), e.account) for e in loaded.entries] == [
        ("2025-12-01", "-3.88", "6200000000001230"),
        ("2025-12-02", "0.20", "6200000000001230"),
    ]


def test_a_header_repeated_on_a_new_page_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "pages.csv"
    header = "交易日期,摘要,收入,支出,余额,对方户名\n"
    path.write_text(
        header
        + "2026-10-05,货款,100.00,,100.00,甲\n"
        + header
        + "2026-10-06,货款,1.00,,101.00,甲\n",
        encoding="utf-8",
    )

    loaded = load(path)

    assert [str(e.amount) for e in loaded.entries] == ["-100.00", "-1.00"]
    assert [(s.line, s.reason) for s in loaded.skipped] == [(3, "header repeated (new page)")]


def test_cmb_credit_card_dates_without_year_and_country_suffixes(tmp_path: Path) -> None:
    path = tmp_path / "cmb_credit.csv"
    path.write_text(
        "招商银行信用卡对账单（个人消费卡账户 2024年01月）（补）\n"
        "交易日,记账日,交易摘要,人民币金额,卡号末四位,交易地金额\n"
        "12/29,12/30,美团,23.50,1234,23.50(CN)\n"
        ',01/05,还款,"-8,000.00(CN)",1234,"-8,000.00(CN)"\n',
        encoding="utf-8",
    )

    loaded = load(path)

    assert preview(path).layout == "cmb-credit"
    assert [(str(e.date), str(e.amount), e.account) for e in loaded.entries] == [
        ("2023-12-30", "23.50", "1234"),  # spending: money out of the card account
        ("2024-01-05", "-8000.00", "1234"),  # repayment: money in
    ]
