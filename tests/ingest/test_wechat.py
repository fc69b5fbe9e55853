"""WeChat Pay bills: personal CSV/XLSX and the merchant 交易账单."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from duizhang.ingest.base import IngestError
from duizhang.ingest.wechat import WechatImporter, WechatMerchantImporter

SAMPLES = Path(__file__).parent / "samples" / "wechat"
CSV = SAMPLES / "deg__example-wechat-records.csv"
XLSX = SAMPLES / "synthetic__微信支付账单(20240401-20240430).xlsx"
MERCHANT = SAMPLES / "synthetic__wechatpay_tradebill_ALL_20240305.csv"
MERCHANT_20 = SAMPLES / "synthetic__wechatpay_tradebill_SUCCESS_20col_20210128.csv"
ALIPAY = Path(__file__).parent / "samples" / "alipay" / "deg__example-alipay-records.csv"

HEADER = "交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注"


def personal_csv(tmp_path: Path, rows: list[str], *, bom: bool = True) -> Path:
    lines = [
        "微信支付账单明细,,,,,,,,,,",
        "微信昵称：[出纳],,,,,,,,,,",
        "----------------------微信支付账单明细列表--------------------,,,,,,,,,,",
        HEADER,
        *rows,
    ]
    path = tmp_path / "微信支付账单.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + "\r\n".join(lines).encode() + b"\r\n")
    return path


def test_personal_csv_books_in_books_signs_and_splits_withdrawal_fees() -> None:
    extraction = WechatImporter().extract(CSV)
    by_id = {e.id: e for e in extraction.entries}
    assert len(extraction.entries) == 26
    assert by_id["3985734"].amount == Decimal("-28.16")
    assert by_id["3985734#2"].amount == Decimal("0.35")
    assert by_id["207210711100077147832088993175"].amount == Decimal("-1000.10")
    assert by_id["207210711100077147832088993175/fee"].amount == Decimal("-1.00")
    assert by_id["110190416100031243293946287587"].amount == Decimal("1300.00")  # 零钱充值
    assert by_id["18000070282007060048243102923587"].amount == Decimal("-5505.00")
    assert by_id["123456#2"].amount == Decimal("-50.00")  # `¥50.0` keeps cents
    assert [s.line for s in extraction.skipped] == [28, 29, 30, 31]
    assert sum((e.amount for e in extraction.entries), Decimal(0)) == Decimal(
        "-6740.92"
    )  # summed by hand from the file


def test_personal_csv_fields_come_cleaned() -> None:
    entry = WechatImporter().extract(CSV).entries[0]
    assert (entry.id, entry.reference, entry.counterparty, entry.account) == (
        "3985734",
        "129847129",
        "云膳过桥米线(传奇广场店)",
        "测试",
    )
    assert (entry.date.isoformat(), entry.source_line) == ("2019-09-26", 18)
    assert entry.raw["交易单号"] == "3985734"  # the `\t` after the quotes is gone
    assert entry.raw["备注"] == ""  # `/` is the null


def test_bom_crlf_download_reads_like_the_plain_copy(tmp_path: Path) -> None:
    path = personal_csv(
        tmp_path,
        [
            '2024-01-02 08:00:00,转账,"客户乙","/",收入,¥880.00,/,已收钱,"1000050001\t","/",/',
            "2024-01-03 08:00:00,商户消费,店,货,支出,¥5.00,零钱,已关闭,42000001,/,/",
        ],
    )
    assert WechatImporter().identify(path)
    extraction = WechatImporter().extract(path)
    assert [(e.id, e.amount, e.account) for e in extraction.entries] == [
        ("1000050001", Decimal("880.00"), "出纳")
    ]
    assert [(s.line, s.reason) for s in extraction.skipped] == [
        (6, "status 已关闭: no money moved")
    ]


def test_xlsx_bill_reads_from_row_18() -> None:
    extraction = WechatImporter().extract(XLSX)
    assert [(e.source_line, e.amount) for e in extraction.entries] == [
        (19, Decimal("1200.00")),
        (20, Decimal("4000.00")),
        (21, Decimal("-86.50")),
        (23, Decimal("-120.00")),
        (24, Decimal("20.00")),
        (25, Decimal("200.00")),
        (26, Decimal("-2000.00")),
        (26, Decimal("-2.00")),
    ]
    assert [s.line for s in extraction.skipped] == [22, 27]


def test_xlsx_time_cells_that_are_datetimes_are_read(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["微信昵称：[出纳]"])
    sheet.append(["----------------------微信支付账单明细列表--------------------"])
    sheet.append(HEADER.split(","))
    sheet.append(
        [datetime(2024, 2, 29, 23, 59, 59), "转账", "甲", "/", "收入", 12.5, "/", "已收钱", "T9"]
    )
    path = tmp_path / "bill.xlsx"
    workbook.save(path)
    assert WechatImporter().identify(path)
    (entry,) = WechatImporter().extract(path).entries
    assert (entry.date.isoformat(), entry.amount, entry.id) == (
        "2024-02-29",
        Decimal("12.50"),
        "T9",
    )


def test_merchant_bill_books_settled_amounts_refunds_and_rounded_fees() -> None:
    extraction = WechatMerchantImporter().extract(MERCHANT)
    assert [(e.id, e.amount) for e in extraction.entries] == [
        ("4200002101202403051234567890", Decimal("1580.00")),
        ("4200002101202403051234567890/fee", Decimal("-9.48")),
        ("4200002101202403055555555555", Decimal("0.01")),  # fee 0.00006 rounds to nothing
        ("50300000012024030512345678901", Decimal("-300.00")),
        ("50300000012024030512345678901/fee", Decimal("1.80")),
    ]
    assert extraction.entries[3].reference == "PO202403050001"
    assert extraction.entries[2].raw["手续费"] == "0.00006"
    assert {e.account for e in extraction.entries} == {"1900000109"}
    assert [(s.line, s.reason) for s in extraction.skipped] == [
        (5, "交易状态 REVOKED: not a payment or a refund")
    ]


def test_older_20_column_bill_books_settled_amounts() -> None:
    entries = WechatMerchantImporter().extract(MERCHANT_20).entries
    assert [(e.id, e.amount) for e in entries] == [
        ("4200000912202101281234567890", Decimal("260.00")),
        ("4200000912202101281234567890/fee", Decimal("-1.56")),
        ("4200000912202101289876543210", Decimal("35.00")),
        ("4200000912202101289876543210/fee", Decimal("-0.21")),
    ]


def test_identify_claims_only_its_own_layout() -> None:
    personal, merchant = WechatImporter(), WechatMerchantImporter()
    files = (CSV, XLSX, MERCHANT, MERCHANT_20, ALIPAY)
    assert [personal.identify(p) for p in files] == [True, True, False, False, False]
    assert [merchant.identify(p) for p in files] == [False, False, True, True, False]


def test_a_bad_amount_stops_the_import_naming_line_column_and_value(tmp_path: Path) -> None:
    path = personal_csv(
        tmp_path,
        [
            "2024-01-02 08:00:00,转账,甲,/,收入,¥8.00,/,已收钱,T1,/,/",
            "2024-01-02 09:00:00,转账,乙,/,收入,¥八元,/,已收钱,T2,/,/",
        ],
    )
    with pytest.raises(IngestError) as caught:
        WechatImporter().extract(path)
    assert (caught.value.line, caught.value.column, caught.value.value) == (6, "金额(元)", "¥八元")


def test_a_row_cut_short_is_an_error_not_a_shifted_row(tmp_path: Path) -> None:
    path = personal_csv(tmp_path, ["2024-01-02 08:00:00,转账,甲,/,收入,¥8.00,/,已收钱"])
    with pytest.raises(IngestError, match="8 cells but the header has 11") as caught:
        WechatImporter().extract(path)
    assert caught.value.line == 5


def test_a_refund_row_in_a_bill_without_refund_columns_is_an_error(tmp_path: Path) -> None:
    text = MERCHANT_20.read_text(encoding="utf-8").replace("`SUCCESS", "`REFUND", 1)
    path = tmp_path / "bill.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IngestError, match="REFUND row in a bill without refund columns") as caught:
        WechatMerchantImporter().extract(path)
    assert caught.value.line == 2


def test_a_bill_resaved_as_gbk_is_recognised_and_read(tmp_path: Path) -> None:
    utf8 = personal_csv(tmp_path, ["2024-01-02 08:00:00,转账,甲,/,收入,¥8.00,/,已收钱,T1,/,/"])
    path = tmp_path / "gbk.csv"
    path.write_bytes(utf8.read_bytes().decode("utf-8-sig").encode("gb18030"))
    assert WechatImporter().identify(path)
    assert [(e.id, e.counterparty) for e in WechatImporter().extract(path).entries] == [
        ("T1", "甲")
    ]
