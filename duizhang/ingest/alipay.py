"""Alipay (支付宝) bills: the personal export (new app format and the old web 交易记录明细查询) and
the merchant 业务明细 download.

Which rows are booked is decided in `duizhang.ingest.paybills` (its docstring states the rule);
here are the Alipay specifics:

* Personal: amounts are unsigned, the direction is in 收/支 (收入 / 支出 / 不计收支, 其他 in
  2021-22 exports, whose columns come in another order and whose 导出信息 follows the rows). A refund
  (交易分类 退款, status 退款成功) is its own row and is booked `+`; when its original trade (the
  refund's number is `<original>_<suffix>`) is closed in the same file, the payment and the refund
  cancel out and neither is booked. The old web export states the fee in 服务费（元） (its own
  entry) and a later refund in 成功退款（元） (its own entry, dated 最近修改时间).
* Merchant 业务明细: every row is finished business. 交易 is booked `+商家实收`, 退款 `-商家实收`
  (the refund shares the trade number, so its id is `<trade>/<退款批次号>`). 服务费 is booked as
  its own entry: charged on a trade (`-`), returned on a refund (`+`), whatever sign the file
  writes, so matching sees gross amounts and the fee tolerance sees the fee.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from duizhang.engine.records import Side
from duizhang.ingest.base import Extraction, IngestError
from duizhang.ingest.paybills import (
    Booker,
    Row,
    amount,
    describe,
    head_text,
    is_refund,
    moved,
    neutral_sign,
    read_table,
    split_lines,
    trade_date,
)
from duizhang.ingest.values import read_text

PLATFORM = "支付宝"
_NEW_MARKER = "电子客户回单"
_OLD_TITLE = "支付宝交易记录明细查询"
_OLD_MARKER = "交易记录明细列表"
_MERCHANT_TITLE = "#支付宝业务明细查询"
_MERCHANT_MARKER = re.compile(r"^#-+业务明细列表-+")
_DASHES_ONLY = re.compile(r"^-{10,}[,\s]*$")
_COMMENT = re.compile(r"^#")
_ACCOUNT = re.compile(r"(?:支付宝账户|账号)\s*[:：]\s*\[?(?P<account>[^\]\s]+)\]?")


def _account(lines: list[str]) -> str:
    """The account named before the table or, in exports that put the 导出信息 last, after it."""
    for line in lines:
        match = _ACCOUNT.search(line)
        if match:
            return match["account"]
    return ""


class AlipayImporter:
    name = "alipay"
    description = "Alipay personal bill (支付宝账单: app export 电子客户回单, old web 交易记录明细)"
    default_side = Side.BANK

    def identify(self, path: Path) -> bool:
        if path.suffix.lower() not in (".csv", ".txt"):
            return False
        head = head_text(path)
        return (_NEW_MARKER in head and "支付宝" in head) or (
            _OLD_TITLE in head and _OLD_MARKER in head
        )

    def extract(self, path: Path) -> Extraction:
        lines = read_text(path).splitlines()
        marker = next(
            (i for i, line in enumerate(lines) if _NEW_MARKER in line or _OLD_MARKER in line),
            None,
        )
        if marker is None or marker + 1 >= len(lines):
            raise IngestError(f"no {_NEW_MARKER} / {_OLD_MARKER} marker line", file=path)
        header, rows = read_table(split_lines(lines), marker + 1, file=path, stop=_DASHES_ONLY)
        columns = _PersonalColumns.find(header, path, marker + 2)
        after_table = rows[-1].line if rows else marker + 2
        account = _account(lines[:marker] + lines[after_table:])
        booker = Booker(path, platform=PLATFORM, account=account)
        closed = {columns.trade_no(row): row.line for row in rows if not moved(columns.status(row))}
        for row in rows:
            _book_personal(booker, columns, row, closed)
        return booker.extraction()


class _PersonalColumns:
    """Column names differ between the app and the old web export; the roles do not."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names

    @classmethod
    def find(cls, header: list[str], path: Path, line: int) -> _PersonalColumns:
        roles = {
            "time": ("交易时间", "付款时间", "交易创建时间"),
            "direction": ("收/支",),
            "amount": ("金额", "金额（元）", "金额(元)"),
            "status": ("交易状态",),
            "trade": ("交易订单号", "交易号"),
        }
        names: dict[str, str] = {}
        for role, candidates in roles.items():
            found = next((name for name in candidates if name in header), None)
            if found is None:
                raise IngestError(
                    f"header has no {' / '.join(candidates)} column", file=path, line=line
                )
            names[role] = found
        return cls(names)

    def get(self, row: Row, role: str) -> str:
        return row.cells.get(self.names[role], "")

    def status(self, row: Row) -> str:
        return self.get(row, "status")

    def trade_no(self, row: Row) -> str:
        return self.get(row, "trade")

    def time_column(self, row: Row) -> str:
        # The old export leaves 付款时间 empty on unpaid trades; the creation time is then the date.
        if self.names["time"] == "付款时间" and not row.cells.get("付款时间"):
            return "交易创建时间"
        return self.names["time"]


def _book_personal(
    booker: Booker, columns: _PersonalColumns, row: Row, closed: dict[str, int]
) -> None:
    cells = row.cells
    status = columns.status(row)
    trade = columns.trade_no(row)
    direction = columns.get(row, "direction")
    category = cells.get("交易分类") or cells.get("类型", "")
    goods = cells.get("商品说明") or cells.get("商品名称", "")
    fund_state = cells.get("资金状态", "")
    if not moved(status):
        booker.skip(row, f"status {status}: no money moved")
        return
    if fund_state and fund_state not in ("已收入", "已支出", "资金转移"):
        booker.skip(row, f"资金状态 {fund_state}: no money moved")
        return
    what = describe(goods, category)
    if direction == "收入" or fund_state == "已收入":
        sign = 1
    elif direction == "支出" or fund_state == "已支出":
        sign = -1
    elif direction in ("不计收支", "其他", ""):  # 其他: the neutral of 2021-22 app exports
        if is_refund(category, goods, status):
            original = trade.split("_", 1)[0]
            if original != trade and original in closed:
                booker.skip(
                    row,
                    f"refund of trade {original}, closed on line {closed[original]}: "
                    "payment and refund cancel out, neither is booked",
                )
                return
            sign = 1
        else:
            sign, reason = neutral_sign(f"{category} {goods}")
            if sign == 0:
                booker.skip(row, f"不计收支 {what}: {reason}")
                return
    else:
        raise IngestError(
            "收/支 is neither 收入, 支出 nor 不计收支",
            file=booker.file,
            line=row.line,
            column="收/支",
            value=direction,
        )
    value = amount(cells[columns.names["amount"]], file=booker.file, line=row.line, column="金额")
    time_column = columns.time_column(row)
    when = trade_date(
        cells.get(time_column, ""), file=booker.file, line=row.line, column=time_column
    )
    reference = cells.get("商家订单号") or trade
    booker.book(
        row,
        trade=trade,
        when=when,
        amount=sign * abs(value),
        reference=reference,
        counterparty=cells.get("交易对方", ""),
        description=what,
    )
    _book_old_extras(booker, row, trade=trade, sign=sign, reference=reference, when=when)


def _book_old_extras(
    booker: Booker, row: Row, *, trade: str, sign: int, reference: str, when: date
) -> None:
    """The old web export states a fee and a later refund in their own columns."""
    cells = row.cells
    fee = _optional(row, "服务费（元）", booker.file)
    if fee:
        booker.book_fee(row, trade=trade, when=when, fee=abs(fee), reference=reference)
    refunded = _optional(row, "成功退款（元）", booker.file)
    if refunded:
        changed = cells.get("最近修改时间", "")
        refund_date = (
            trade_date(changed, file=booker.file, line=row.line, column="最近修改时间")
            if changed
            else when
        )
        booker.book(
            row,
            trade=f"{trade}/refund",
            when=refund_date,
            amount=-sign * abs(refunded),
            reference=reference,
            counterparty=cells.get("交易对方", ""),
            description=describe("退款", cells.get("商品名称", "")),
        )


def _optional(row: Row, column: str, file: Path) -> Decimal | None:
    text = row.cells.get(column, "")
    if not text:
        return None
    return amount(text, file=file, line=row.line, column=column)


class AlipayMerchantImporter:
    name = "alipay-merchant"
    description = "Alipay merchant 业务明细 (#支付宝业务明细查询), fee booked as its own entry"
    default_side = Side.BANK

    def identify(self, path: Path) -> bool:
        if path.suffix.lower() not in (".csv", ".txt"):
            return False
        head = head_text(path)
        return head.lstrip().startswith(_MERCHANT_TITLE) and "业务明细列表" in head

    def extract(self, path: Path) -> Extraction:
        lines = read_text(path).splitlines()
        marker = next((i for i, line in enumerate(lines) if _MERCHANT_MARKER.match(line)), None)
        if marker is None or marker + 1 >= len(lines):
            raise IngestError("no #---业务明细列表--- marker line", file=path)
        header, rows = read_table(split_lines(lines), marker + 1, file=path, stop=_COMMENT)
        for required in ("支付宝交易号", "业务类型", "完成时间", "商家实收（元）", "服务费（元）"):
            if required not in header:
                raise IngestError(f"header has no {required} column", file=path, line=marker + 2)
        booker = Booker(path, platform=PLATFORM, account=_account(lines[:marker]))
        for row in rows:
            _book_merchant(booker, row)
        return booker.extraction()


def _book_merchant(booker: Booker, row: Row) -> None:
    cells = row.cells
    kind = cells["业务类型"]
    if kind not in ("交易", "退款"):
        booker.skip(row, f"业务类型 {kind}: not a trade or a refund")
        return
    trade = cells["支付宝交易号"]
    received = amount(
        cells["商家实收（元）"], file=booker.file, line=row.line, column="商家实收（元）"
    )
    fee = amount(
        cells["服务费（元）"] or "0", file=booker.file, line=row.line, column="服务费（元）"
    )
    time_column = "完成时间" if cells["完成时间"] else "创建时间"  # money moves on completion
    when = trade_date(
        cells.get(time_column, ""), file=booker.file, line=row.line, column=time_column
    )
    reference = cells.get("商户订单号") or trade
    sign = 1 if kind == "交易" else -1
    entry_trade = (
        trade if kind == "交易" else f"{trade}/{cells.get('退款批次号/请求号') or 'refund'}"
    )
    booker.book(
        row,
        trade=entry_trade,
        when=when,
        amount=sign * abs(received),
        reference=reference,
        counterparty=cells.get("对方账户", ""),
        description=describe(cells.get("商品名称", ""), kind),
    )
    if fee:
        booker.book_fee(row, trade=entry_trade, when=when, fee=sign * abs(fee), reference=reference)
