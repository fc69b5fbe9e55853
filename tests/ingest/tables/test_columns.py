from __future__ import annotations

import json

import pytest

from duizhang.engine.records import Side
from duizhang.ingest.tables.banks import BANK_LAYOUTS
from duizhang.ingest.tables.columns import header_score, propose_mapping
from duizhang.ingest.tables.mapping import ColumnMapping, Meaning, normalize_header

IBM_AR = [
    "countryCode",
    "customerID",
    "PaperlessDate",
    "invoiceNumber",
    "InvoiceDate",
    "DueDate",
    "InvoiceAmount",
    "Disputed",
    "SettledDate",
    "PaperlessBill",
    "DaysToSettle",
    "DaysLate",
]


def test_bank_export_with_a_flag_column() -> None:
    mapping = propose_mapping(["交易时间", "收/支", "金额", "余额", "对方户名", "摘要", "流水号"])

    assert mapping is not None
    assert mapping.meaning is Meaning.BANK
    assert mapping.default_side is Side.BANK
    assert (mapping.date, mapping.amount, mapping.direction) == ("交易时间", "金额", "收/支")
    assert (mapping.balance, mapping.counterparty, mapping.serial) == ("余额", "对方户名", "流水号")
    assert mapping.description == ("摘要",)
    assert mapping.time == ""  # 交易时间 is already the date column


def test_income_and_expense_columns_read_as_a_bank_statement() -> None:
    mapping = propose_mapping(["记账日期", "收入金额", "支出金额", "余额", "用途", "附言"])

    assert mapping is not None
    assert mapping.meaning is Meaning.BANK
    assert (mapping.credit, mapping.debit) == ("收入金额", "支出金额")
    assert mapping.description == ("用途", "附言")


def test_english_money_in_and_out() -> None:
    mapping = propose_mapping(["Date", "Description", "Money In", "Money Out", "Balance"])

    assert mapping is not None
    assert mapping.meaning is Meaning.BANK
    assert (mapping.credit, mapping.debit, mapping.balance) == ("Money In", "Money Out", "Balance")


def test_ibm_receivables_header_reads_as_an_invoice_list() -> None:
    mapping = propose_mapping(IBM_AR)

    assert mapping is not None
    assert mapping.meaning is Meaning.BOOKS
    assert mapping.default_side is Side.OURS
    assert mapping.date == "InvoiceDate"
    assert (mapping.reference, mapping.customer, mapping.amount) == (
        "invoiceNumber",
        "customerID",
        "InvoiceAmount",
    )


@pytest.mark.parametrize(
    "header",
    [
        [
            "日期",
            "摘要",
            "借方",
            "贷方",
            "余额",
        ],  # bank 借方 = out, ledger 借方 = debit: unknowable
        ["Date", "Description", "Debit", "Credit", "Balance"],
        ["日期", "摘要", "对方户名"],  # no amount
        ["金额", "摘要", "对方户名"],  # no date
        ["交易时间", "交易分类", "交易对方", "收/支", "金额", "交易状态", "交易订单号"],  # Alipay
        ["id", "date", "amount"],  # no sign meaning (canonical CSV has its own importer)
    ],
)
def test_not_confident_means_no_mapping(header: list[str]) -> None:
    assert propose_mapping(header) is None


def test_header_score_needs_a_date_and_an_amount() -> None:
    assert header_score(["交易日期", "摘要", "交易金额", "余额"]) == 4
    assert header_score(["卡号: 1234****9876", "卡别名: 这是卡别名"]) == 0
    assert header_score(["交易日期", "摘要"]) == 0


def test_headers_compare_without_padding_or_full_width_brackets() -> None:
    assert normalize_header(" 借方发生额（支取） \t") == "借方发生额(支取)"
    assert normalize_header("账\u3000\u3000号：") == "账号"
    assert normalize_header("Invoice No") == "invoiceno"


def test_mapping_round_trips_through_json() -> None:
    for declared in BANK_LAYOUTS:
        text = json.dumps(declared.mapping.to_dict(), ensure_ascii=False)
        assert ColumnMapping.from_dict(json.loads(text)) == declared.mapping
    custom = ColumnMapping(meaning=Meaning.BOOKS, date="日期", amount="金额", side=Side.CUSTOMER)
    restored = ColumnMapping.from_dict(json.loads(json.dumps(custom.to_dict())))
    assert restored == custom
    assert restored.default_side is Side.CUSTOMER


def test_mapping_rejects_incomplete_or_contradictory_columns() -> None:
    with pytest.raises(ValueError, match="date"):
        ColumnMapping(meaning=Meaning.BANK, amount="金额")
    with pytest.raises(ValueError, match="amount"):
        ColumnMapping(meaning=Meaning.BANK, date="日期")
    with pytest.raises(ValueError, match="not both"):
        ColumnMapping(meaning=Meaning.BANK, date="日期", amount="金额", debit="借方")
    with pytest.raises(ValueError, match="unknown mapping field"):
        ColumnMapping.from_dict({"meaning": "bank", "date": "日期", "amount": "金额", "x": 1})


def test_icbc_corporate_transfer_variant_without_a_flag() -> None:
    header = [
        "对方账号",
        "交易时间",
        "对方单位",
        "用途",
        "摘要",
        "转出金额",
        "转入金额",
        "余额",
        "币种",
    ]

    mapping = propose_mapping(header)

    assert mapping is not None
    assert mapping.meaning is Meaning.BANK
    assert (mapping.debit, mapping.credit, mapping.currency) == ("转出金额", "转入金额", "币种")
    assert mapping.counterparty == "对方单位"


def test_issued_invoice_list_from_the_tax_bureau_books_the_gross_amount() -> None:
    header = ["序号", "发票代码", "发票号码", "数电发票号码", "销方识别号", "销方名称", "购方识别号",
              "购买方名称", "开票日期", "金额", "税额", "价税合计", "发票状态"]  # fmt: skip

    mapping = propose_mapping(header)

    assert mapping is not None
    assert mapping.meaning is Meaning.BOOKS
    assert (mapping.date, mapping.amount) == ("开票日期", "价税合计")
    assert (mapping.reference, mapping.customer) == ("发票号码", "购买方名称")
