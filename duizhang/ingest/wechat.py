"""WeChat Pay (微信支付) bills: the personal 账单明细 (CSV or XLSX) and the merchant 交易账单.

Which rows are booked is decided in `duizhang.ingest.paybills` (its docstring states the rule);
here are the WeChat specifics:

* Personal: 收/支 is 收入, 支出 or `/` (neutral). Amounts are `¥12.00`. A refund row (type
  `…-退款`) is booked `+`. A withdrawal (零钱提现) states the amount taken from 零钱 including
  the fee, and the fee in 备注 (`服务费¥0.10`): the transfer is booked as what reached the bank
  (`-(amount - fee)`) and the fee as its own entry (`-fee`).
* Merchant 交易账单 (27 columns, or the older 20-column bill without refund columns): every
  cell carries a leading backtick. SUCCESS is booked `+应结订单金额` under the 微信订单号,
  REFUND `-退款金额` under the 微信退款单号, anything else (REVOKED …) is skipped. 手续费 (positive
  when charged, negative when returned on a refund) is booked as its own entry `-手续费`. WeChat
  settles fees per order rounded to the fen, so the 5-decimal figure is rounded half up to 0.01;
  the exact figure stays in `raw`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from duizhang.engine.money import quantize
from duizhang.engine.records import DEFAULT_CURRENCY, Side
from duizhang.ingest.base import Extraction, IngestError
from duizhang.ingest.paybills import (
    Booker,
    Row,
    amount,
    describe,
    fee_in_note,
    head_text,
    is_refund,
    moved,
    neutral_sign,
    read_table,
    split_lines,
    trade_date,
)
from duizhang.ingest.values import read_text

PLATFORM = "微信支付"
_MARKER = "微信支付账单明细列表"
_NICKNAME = re.compile(r"微信昵称\s*[:：]\s*\[(?P<name>[^\]]*)\]")
_MERCHANT_HEADER = re.compile(r"^\ufeff?交易时间,公众账号ID,商户号,(?:特约|子)商户号,")
_MERCHANT_SUMMARY = re.compile(r"^总交易单数")
_PERSONAL_COLUMNS = ("交易时间", "交易类型", "收/支", "金额(元)", "当前状态", "交易单号")


def _sheet_records(path: Path) -> list[list[str]]:
    """The first sheet of an XLSX bill as text cells, row `i + 1` at index `i`."""
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return [[_sheet_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _sheet_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float):
        return str(Decimal(repr(value)))
    return str(value)


def _xlsx_has_marker(path: Path) -> bool:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # identify() must not raise on foreign or broken files
        return False
    try:
        for row in workbook.worksheets[0].iter_rows(max_row=30, max_col=1, values_only=True):
            if row and isinstance(row[0], str) and _MARKER in row[0]:
                return True
        return False
    finally:
        workbook.close()


class WechatImporter:
    name = "wechat"
    description = "WeChat Pay personal bill (微信支付账单明细, CSV or XLSX)"
    default_side = Side.BANK

    def identify(self, path: Path) -> bool:
        suffix = path.suffix.lower()
        if suffix == ".xlsx":
            return _xlsx_has_marker(path)
        if suffix not in (".csv", ".txt"):
            return False
        return _MARKER in head_text(path)

    def extract(self, path: Path) -> Extraction:
        if path.suffix.lower() == ".xlsx":
            records = _sheet_records(path)
        else:
            records = split_lines(read_text(path).splitlines())
        marker = next(
            (i for i, record in enumerate(records) if record and _MARKER in record[0]), None
        )
        if marker is None or marker + 1 >= len(records):
            raise IngestError(f"no {_MARKER} marker line", file=path)
        sheet = path.suffix.lower() == ".xlsx"
        header, rows = read_table(records, marker + 1, file=path, sheet=sheet)
        for column in _PERSONAL_COLUMNS:
            if column not in header:
                raise IngestError(f"header has no {column} column", file=path, line=marker + 2)
        booker = Booker(path, platform=PLATFORM, account=_nickname(records[:marker]))
        for row in rows:
            _book_personal(booker, row)
        return booker.extraction()


def _nickname(records: Sequence[Sequence[str]]) -> str:
    for record in records:
        match = _NICKNAME.search(record[0] if record else "")
        if match:
            return match["name"]
    return ""


def _book_personal(booker: Booker, row: Row) -> None:
    cells = row.cells
    status = cells["当前状态"]
    kind = cells["交易类型"]
    direction = cells["收/支"]
    goods = cells.get("商品", "")
    what = describe(goods, kind)
    if not moved(status):
        booker.skip(row, f"status {status}: no money moved")
        return
    fee = None
    if direction == "收入":
        sign = 1
    elif direction == "支出":
        sign = -1
    elif direction in ("", "不计收支", "其他"):  # `/` is read as ""
        if is_refund(kind):
            sign = 1
        else:
            sign, reason = neutral_sign(f"{kind} {goods}")
            if sign == 0:
                booker.skip(row, f"neutral (/) {what}: {reason}")
                return
            if "提现" in kind:
                fee = fee_in_note(
                    cells.get("备注", ""), file=booker.file, line=row.line, column="备注"
                )
    else:
        raise IngestError(
            "收/支 is neither 收入, 支出 nor /",
            file=booker.file,
            line=row.line,
            column="收/支",
            value=direction,
        )
    trade = cells["交易单号"]
    value = abs(amount(cells["金额(元)"], file=booker.file, line=row.line, column="金额(元)"))
    when = trade_date(cells["交易时间"], file=booker.file, line=row.line, column="交易时间")
    reference = cells.get("商户单号") or trade
    booker.book(
        row,
        trade=trade,
        when=when,
        amount=sign * (value - (fee or 0)),
        reference=reference,
        counterparty=cells.get("交易对方", ""),
        description=what,
    )
    if fee:
        booker.book_fee(row, trade=trade, when=when, fee=fee, reference=reference)


class WechatMerchantImporter:
    name = "wechat-merchant"
    description = "WeChat Pay merchant 交易账单 (downloadbill / tradebill), fee as its own entry"
    default_side = Side.BANK

    def identify(self, path: Path) -> bool:
        if path.suffix.lower() not in (".csv", ".txt"):
            return False
        first_line = head_text(path).split("\n", 1)[0]
        return bool(_MERCHANT_HEADER.match(first_line))

    def extract(self, path: Path) -> Extraction:
        records = split_lines(read_text(path).splitlines())
        header, rows = read_table(records, 0, file=path, stop=_MERCHANT_SUMMARY)
        settled = "应结订单金额" if "应结订单金额" in header else "总金额"
        for column in ("交易时间", "商户号", "微信订单号", "交易状态", settled, "手续费"):
            if column not in header:
                raise IngestError(f"header has no {column} column", file=path, line=1)
        booker = Booker(path, platform=PLATFORM)
        for row in rows:
            _book_merchant(booker, row, settled)
        return booker.extraction()


def _book_merchant(booker: Booker, row: Row, settled: str) -> None:
    cells = row.cells
    status = cells["交易状态"]
    file, line = booker.file, row.line
    if status == "SUCCESS":
        trade = cells["微信订单号"]
        value = amount(cells[settled], file=file, line=line, column=settled)
        kind = cells.get("交易类型", "")
    elif status == "REFUND":
        if "退款金额" not in cells:
            raise IngestError("REFUND row in a bill without refund columns", file=file, line=line)
        trade = cells.get("微信退款单号", "")
        value = -amount(cells["退款金额"], file=file, line=line, column="退款金额")
        kind = "退款"
    else:
        booker.skip(row, f"交易状态 {status}: not a payment or a refund")
        return
    sub_merchant = cells.get("特约商户号") or cells.get("子商户号") or ""
    account = sub_merchant if sub_merchant not in ("", "0") else cells["商户号"]
    when = trade_date(cells["交易时间"], file=file, line=line, column="交易时间")
    reference = cells.get("商户订单号") or trade
    currency = (cells.get("货币种类") or DEFAULT_CURRENCY).upper()
    booker.book(
        row,
        trade=trade,
        when=when,
        amount=value,
        reference=reference,
        counterparty=cells.get("用户标识", ""),
        description=describe(cells.get("商品名称", ""), kind),
        account=account,
        currency=currency,
    )
    fee = quantize(amount(cells["手续费"] or "0", file=file, line=line, column="手续费"), currency)
    if fee:
        booker.book_fee(
            row,
            trade=trade,
            when=when,
            fee=fee,
            reference=reference,
            account=account,
            currency=currency,
        )
