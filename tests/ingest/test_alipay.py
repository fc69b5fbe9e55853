"""Alipay bills: which rows are booked, with which sign and id, and why the others are not."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from duizhang.ingest.alipay import AlipayImporter, AlipayMerchantImporter
from duizhang.ingest.base import IngestError

SAMPLES = Path(__file__).parent / "samples"
APP = SAMPLES / "alipay" / "deg__example-alipay-records.csv"
OLD = SAMPLES / "alipay" / "synthetic__alipay-old-web-export.csv"
MERCHANT = SAMPLES / "alipay" / "synthetic__20881234567890120156_20240301_业务明细.csv"
WECHAT = SAMPLES / "wechat" / "deg__example-wechat-records.csv"

HEADER = (
    "交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,"
    "交易订单号,商家订单号,备注,"
)
PREAMBLE = [
    "------------------------------------------------------------------------------------",
    "导出信息：",
    "支付宝账户：cashier@example.cn",
    "------------------------支付宝支付科技有限公司  电子客户回单------------------------",
    HEADER,
]


def write_bill(tmp_path: Path, rows: list[str], encoding: str = "gb18030") -> Path:
    path = tmp_path / "支付宝交易明细.csv"
    path.write_bytes("\n".join([*PREAMBLE, *rows]).encode(encoding) + b"\n")
    return path


def test_app_export_books_money_that_moved_in_books_signs() -> None:
    extraction = AlipayImporter().extract(APP)
    booked = [(e.id, e.date.isoformat(), e.amount, e.source_line) for e in extraction.entries]
    assert booked == [
        ("202302xxxxxx0011000103xxxxxx", "2023-02-12", Decimal("-49.74"), 26),
        ("2xxxxxxxxxxxxxxxx8", "2023-02-04", Decimal("16.03"), 28),
        ("2xxxxxxxxxxxxxxxxxxxxxxxxx9", "2023-01-18", Decimal("222228.50"), 30),
        ("xxxx", "2023-07-10", Decimal("-9.90"), 34),
        ("xxxx#2", "2023-07-10", Decimal("-82.00"), 35),
    ]
    assert [s.line for s in extraction.skipped] == [27, 29, 31, 32, 33]
    assert extraction.skipped[0].reason == "status 等待确认收货: no money moved"
    assert extraction.skipped[3].reason.startswith("refund of trade 2023xxxxx88, closed on line 33")
    assert extraction.warnings == [
        "line 35: trade number xxxx already on line 34; booked as xxxx#2"
    ]


def test_app_export_fills_every_field_from_cleaned_cells() -> None:
    first = AlipayImporter().extract(APP).entries[0]
    assert first.reference == "20230xxxxxxx014741014xxxxxx"
    assert first.counterparty == "xxxxxxxxxxxx"
    assert first.description == "亲情卡 | 亲友代付"
    assert first.account == "xx@gmail.com"
    assert first.currency == "CNY"
    assert first.source_file == APP.name
    assert first.raw["交易订单号"] == "202302xxxxxx0011000103xxxxxx"
    assert first.raw["收/付款方式"] == "交通银行信用卡(7449)"
    assert first.raw["对方账号"] == ""  # `/` is the null
    assert "" not in first.raw  # the empty column after the trailing comma is gone


def test_old_web_export_books_fee_and_later_refund_as_their_own_entries() -> None:
    entries = {e.id: e for e in AlipayImporter().extract(OLD).entries}
    assert entries["2020092522001499990555556666"].amount == Decimal("5000.00")
    assert entries["2020092522001499990555556666/fee"].amount == Decimal("-30.00")
    assert entries["2020092522001499990555556666/fee"].counterparty == "支付宝"
    refund = entries["2020092022001477770533334444/refund"]
    assert (refund.amount, refund.date.isoformat()) == (Decimal("400.00"), "2020-09-28")
    assert entries["20200929200040011100880012345678"].amount == Decimal("-3000.00")  # 提现
    assert len(entries) == 7


def test_merchant_bill_books_gross_receipts_refunds_and_fees() -> None:
    extraction = AlipayMerchantImporter().extract(MERCHANT)
    assert [(e.id, e.amount) for e in extraction.entries] == [
        ("2024030122001412340500001111", Decimal("998.00")),
        ("2024030122001412340500001111/fee", Decimal("-0.60")),
        ("2024030122001412340500002222", Decimal("12800.00")),
        ("2024030122001412340500002222/fee", Decimal("-76.80")),
        ("2024030122001412340500001111/RF20240301170544001", Decimal("-498.00")),
        ("2024030122001412340500001111/RF20240301170544001/fee", Decimal("0.30")),
        ("2024030122001412340500003333", Decimal("45.50")),
    ]
    assert {e.account for e in extraction.entries} == {"20881234567890120156"}
    assert extraction.entries[-1].date.isoformat() == "2024-03-02"  # 完成时间, not 创建时间
    assert extraction.skipped == []


def test_identify_claims_only_its_own_layout() -> None:
    personal, merchant = AlipayImporter(), AlipayMerchantImporter()
    assert [personal.identify(p) for p in (APP, OLD, MERCHANT, WECHAT)] == [
        True,
        True,
        False,
        False,
    ]
    assert [merchant.identify(p) for p in (APP, OLD, MERCHANT, WECHAT)] == [
        False,
        False,
        True,
        False,
    ]


def test_utf8_export_with_the_newer_marker_is_read(tmp_path: Path) -> None:
    row = (
        "2024-05-06 10:00:00 ,转账收款,某某公司,a***@b.cn,货款,收入,1500.00,余额,交易成功,"
        "2024050622001\t,SO-9\t,,"
    )
    path = write_bill(tmp_path, [row], encoding="utf-8-sig")
    assert AlipayImporter().identify(path)
    (entry,) = AlipayImporter().extract(path).entries
    assert (entry.id, entry.amount, entry.reference, entry.account) == (
        "2024050622001",
        Decimal("1500.00"),
        "SO-9",
        "cashier@example.cn",
    )


def test_withdrawal_and_yuebao_moves_are_judged_by_what_left_the_account(tmp_path: Path) -> None:
    rows = [
        "2024-05-07 09:00:00,提现,中国银行,/,余额提现,不计收支,800.00,余额,交易成功,T1\t,\t,,",
        "2024-05-07 09:05:00,投资理财,余额宝,/,余额宝-自动转入,不计收支,55.00,余额,交易成功,T2\t,\t,,",
    ]
    extraction = AlipayImporter().extract(write_bill(tmp_path, rows))
    assert [(e.id, e.amount) for e in extraction.entries] == [("T1", Decimal("-800.00"))]
    assert [(s.line, s.reason) for s in extraction.skipped] == [
        (
            7,
            "不计收支 余额宝-自动转入 | 投资理财: moves between the owner's own balances, funds and "
            "platform credit (余额宝/零钱通/理财/花呗)",
        )
    ]


@pytest.mark.parametrize(
    ("row", "line", "column", "value"),
    [
        (
            "2024-05-06 10:00:00,转账,甲,/,货款,收入,1,500.00,余额,交易成功,T1\t,\t,,",
            6,
            None,
            None,
        ),
        ("2024-05-06 10:00:00,转账,甲,/,货款,收入,abc,余额,交易成功,T1\t,\t,,", 6, "金额", "abc"),
        (
            "2024-13-06 10:00:00,转账,甲,/,货款,收入,5.00,余额,交易成功,T1\t,\t,,",
            6,
            "交易时间",
            None,
        ),
        (
            "2024-05-06 10:00:00,转账,甲,/,货款,进账,5.00,余额,交易成功,T1\t,\t,,",
            6,
            "收/支",
            "进账",
        ),
        ("2024-05-06 10:00:00,转账,甲,/,货款,收入,5.001,余额,交易成功,T1\t,\t,,", 6, None, "5.001"),
    ],
)
def test_a_bad_row_stops_the_import_naming_line_column_and_value(
    tmp_path: Path, row: str, line: int, column: str | None, value: str | None
) -> None:
    good = "2024-05-05 10:00:00,转账,乙,/,货款,收入,9.00,余额,交易成功,T0\t,\t,,"
    path = write_bill(tmp_path, [good, row])
    with pytest.raises(IngestError) as caught:
        AlipayImporter().extract(path)
    error = caught.value
    assert (error.file, error.line, error.column) == (str(path), line + 1, column)
    if value is not None:
        assert error.value == value
    assert "支付宝交易明细.csv, line 7" in str(error)


def test_a_file_cut_before_its_header_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_bytes("\n".join(PREAMBLE[:3]).encode("gb18030"))
    with pytest.raises(IngestError, match="no 电子客户回单"):
        AlipayImporter().extract(path)


def test_a_merchant_header_without_the_fee_column_is_an_error(tmp_path: Path) -> None:
    text = MERCHANT.read_bytes().decode("gb18030").replace(",服务费（元）", ",手续费")
    path = tmp_path / "业务明细.csv"
    path.write_bytes(text.encode("gb18030"))
    with pytest.raises(IngestError) as caught:
        AlipayMerchantImporter().extract(path)
    assert (caught.value.line, caught.value.message) == (5, "header has no 服务费（元） column")


def test_2021_export_with_reordered_columns_and_info_after_the_rows(tmp_path: Path) -> None:
    lines = [
        "------------------------支付宝（中国）网络技术有限公司  电子客户回单------------------------",
        "收/支,交易对方,对方账号,商品说明,收/付款方式,金额,交易状态,交易分类,交易订单号,"
        "商家订单号,交易时间,",
        "收入,某某公司,a***@b.cn,货款,,300.00,交易成功,转账红包,2021100122001\t,\t,"
        "2021-10-01 08:00:00,",
        "其他,余额宝,/,余额宝-2021.10.01-收益发放,,0.05,交易成功,投资理财,2021100122002\t,\t,"
        "2021-10-01 09:00:00,",
        "其他,余额宝,/,余额宝-自动转入,,300.00,交易成功,投资理财,2021100122003\t,\t,"
        "2021-10-01 10:00:00,",
        "------------------------------------------------------------------------------------",
        "导出信息：",
        "支付宝账户：finance@example.cn",
    ]
    path = tmp_path / "alipay_record_20211002.csv"
    path.write_bytes("\n".join(lines).encode("gb18030"))
    extraction = AlipayImporter().extract(path)
    assert [(e.id, e.amount, e.account) for e in extraction.entries] == [
        ("2021100122001", Decimal("300.00"), "finance@example.cn"),
        ("2021100122002", Decimal("0.05"), "finance@example.cn"),
    ]
    assert [s.line for s in extraction.skipped] == [5]


def test_a_booked_row_without_a_trade_number_is_an_error(tmp_path: Path) -> None:
    row = "2024-05-06 10:00:00,转账,甲,/,货款,收入,5.00,余额,交易成功,\t,\t,,"
    with pytest.raises(IngestError, match="no trade number") as caught:
        AlipayImporter().extract(write_bill(tmp_path, [row]))
    assert caught.value.line == 6


def test_rows_may_end_with_a_comma_the_header_lacks(tmp_path: Path) -> None:
    lines = [
        "------------------------支付宝支付科技有限公司  电子客户回单------------------------",
        HEADER.rstrip(","),
        "2026-06-15 17:20:33,充值缴费,中国联通,ah-***@x.cn,交费,支出,14.95,招商银行储蓄卡(8705),"
        "交易成功,2026061522001414871443694067,CP0232671781515214344949,",
        "2026-06-15 10:22:14,信用借还,花呗,/,花呗主动还款-2026年07月账单,不计收支,123.00,"
        "招商银行储蓄卡(8705),还款成功,2026061529020999870179346714,,",
    ]
    path = tmp_path / "bill.csv"
    path.write_bytes("\n".join(lines).encode("gb18030"))
    extraction = AlipayImporter().extract(path)
    assert [(e.id, e.amount) for e in extraction.entries] == [
        ("2026061522001414871443694067", Decimal("-14.95"))
    ]
    assert [s.line for s in extraction.skipped] == [4]  # 花呗 repaid: its purchases are in the bill
