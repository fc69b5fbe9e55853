"""Header synonyms, and the automatic column mapping for tables of unknown layout.

`propose_mapping` returns a mapping only when it is confident: a date, an amount (one column,
or debit and credit columns) and a clear sign meaning (bank statement or ledger). Anything less
returns None, so the file counts as unknown and the user maps the columns by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from duizhang.ingest.tables.mapping import ColumnMapping, Meaning, normalize_header


def _names(names: str) -> tuple[str, ...]:
    """`"记账日期|交易日期"` → normalized header texts, in order."""
    return tuple(normalize_header(name) for name in names.split("|"))


# Role → header texts, best first. A header cell is given to the first role that wants it.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": _names(
        "记账日期|记账日|交易日期|日期|交易日|入账日期|业务日期|单据日期|开票日期|发票日期|交易时间|date|booking date|"
        "posting date|transaction date|trans date|invoice date|document date|"
        "doc date"
    ),
    "time": _names("交易时间|记账时间|time|transaction time"),
    "year": _names("年"),
    "month": _names("月"),
    "day": _names("日"),
    "debit": _names(
        "借方发生额|借方金额|借方|借方发生额(支取)|支出金额|支出|转出金额|取出金额|付款金额|记账金额(支出)|交易金额(支出)|debit|"
        "debit amount|debits|money out|paid out|withdrawal|withdrawals|payments"
    ),
    "credit": _names(
        "贷方发生额|贷方金额|贷方|贷方发生额(收入)|收入金额|收入|转入金额|存入金额|存入|收款金额|记账金额(收入)|交易金额(收入)|"
        "credit|credit amount|credits|money in|paid in|deposit|deposits|"
        "receipts"
    ),
    "amount": _names(
        "价税合计|交易金额|金额|发生额|金额(元)|人民币金额|本币金额|记账金额|amount|transaction amount|"
        "invoice amount|invoiceamount|value"
    ),
    "direction": _names(
        "借贷标志|借/贷|借贷|收/支|收支|收支类型|借贷方向|交易方向|dr/cr|cr/dr|debit/credit|d/c"
    ),
    "balance_direction": _names("方向|余额方向"),
    "balance": _names(
        "余额|账户余额|联机余额|本次余额|交易后余额|当前余额|balance|running balance"
    ),
    "serial": _names(
        "交易流水号|流水号|银行流水号|凭证号|凭证字号|传票号|日志号|交易参考号|单据编号|单据号|transaction id|"
        "transaction no|serial|voucher|voucher no"
    ),
    "reference": _names(
        "发票号码|数电发票号码|发票号|invoice no|invoice number|invoicenumber|invoice|reference|ref|"
        "reference no|document no"
    ),
    "currency": _names("记账币种|币种|币别|货币|交易货币|currency|ccy"),
    "customer": _names(
        "客户|客户名称|客户编码|客户代码|购买方名称|购方名称|customer|customer id|customerid|"
        "customer name|customer code"
    ),
    "counterparty_account": _names("对方账号|对方账户|对方卡号/账号|对方卡号|counterparty account"),
    "counterparty": _names(
        "对方户名|对方单位名称|对方单位|对方账户名|对方名称|对方账号名称|对手信息|交易对方|往来单位|counterparty|payee|payer|name"
    ),
    "payer": _names("付款人名称|付款方名称|付款人户名"),
    "payee": _names("收款人名称|收款方名称|收款人户名"),
    "account": _names("本方账号|账号|查询账号|account|account no|account number"),
    "description": _names(
        "摘要|交易摘要|用途|附言|交易附言|客户附言|备注|交易名称|说明|description|memo|narrative|details|"
        "particulars|remarks"
    ),
}

# Header words that say whose view a table has.
_BANK_WORDS = frozenset(
    _names(
        "支出|收入|支出金额|收入金额|转出金额|转入金额|存入|存入金额|取出金额|借方发生额(支取)|贷方发生额(收入)|记账金额(收入)|"
        "记账金额(支出)|交易金额(收入)|交易金额(支出)|收/支|收支|money in|money out|paid in|paid out|"
        "deposits|withdrawals|deposit|withdrawal"
    )
)
_BANK_HINTS = frozenset(
    _names(
        "对方户名|对方账号|对方账户|对方单位名称|对方单位|对方账户名|对手信息|对方开户行|对方行号|本方账号|交易流水号|账户余额|联机余额|"
        "本次余额|交易后余额|付款人名称|收款人名称"
    )
)
_BOOKS_HINTS = frozenset(
    _names(
        "凭证字号|凭证号|方向|余额方向|科目|科目名称|发票号码|数电发票号码|发票号|客户|客户名称|客户编码|购买方名称|"
        "invoice no|"
        "invoice number|invoicenumber|customer|customer id|customerid|voucher|"
        "voucher no"
    )
)
# Columns that mark a file as an Alipay/WeChat bill: other importers read those.
PAYMENT_BILL_WORDS = frozenset(
    _names("交易状态|当前状态|交易订单号|商户单号|商户订单号|微信订单号|交易单号")
)

_ROLE_ORDER = (
    "date", "time", "year", "month", "day", "debit", "credit", "amount", "direction",
    "balance_direction", "balance", "serial", "reference", "currency", "customer",
    "counterparty_account", "counterparty", "payer", "payee", "account", "description",
)  # fmt: skip
_KNOWN = frozenset(word for words in SYNONYMS.values() for word in words)
_DATE_WORDS = frozenset(SYNONYMS["date"])
_MONEY_WORDS = frozenset(SYNONYMS["amount"] + SYNONYMS["debit"] + SYNONYMS["credit"])


def header_score(cells: Sequence[str]) -> int:
    """How much a row looks like a table header: its known column names, 0 unless it has a
    date and an amount column."""
    names = {normalize_header(cell) for cell in cells if cell}
    if not (names & _DATE_WORDS or {"月", "日"} <= names) or not names & _MONEY_WORDS:
        return 0
    return len(names & _KNOWN)


def propose_mapping(header_cells: Sequence[str]) -> ColumnMapping | None:
    """A mapping for this header row, or None when the layout is not clear enough to trust."""
    cells = [cell for cell in header_cells if cell]
    normalized = {normalize_header(cell): cell for cell in reversed(cells)}
    if set(normalized) & PAYMENT_BILL_WORDS:
        return None
    roles: dict[str, str] = {}
    descriptions: list[str] = []
    taken: set[str] = set()
    for role in _ROLE_ORDER:
        for synonym in SYNONYMS[role]:
            if synonym in normalized and synonym not in taken:
                if role == "description":
                    descriptions.append(normalized[synonym])
                    taken.add(synonym)
                    continue
                roles[role] = normalized[synonym]
                taken.add(synonym)
                break
    meaning = _meaning(set(normalized), roles)
    if meaning is None or not _complete(roles):
        return None
    if "debit" in roles or "credit" in roles:
        roles.pop("amount", None)
    if "date" in roles:
        roles.pop("year", None)
        roles.pop("month", None)
        roles.pop("day", None)
    if meaning is Meaning.BOOKS:
        roles.pop("payer", None)
        roles.pop("payee", None)
    columns: dict[str, Any] = roles
    return ColumnMapping(meaning=meaning, name="auto", description=tuple(descriptions), **columns)


def _complete(roles: dict[str, str]) -> bool:
    has_date = "date" in roles or {"month", "day"} <= set(roles)
    has_amount = "amount" in roles or {"debit", "credit"} <= set(roles)
    return has_date and has_amount


def _meaning(names: set[str], roles: dict[str, str]) -> Meaning | None:
    bank_words = bool(names & _BANK_WORDS)
    bank = bank_words or bool(names & _BANK_HINTS)
    books = bool(names & _BOOKS_HINTS)
    if bank_words and "balance_direction" not in roles:
        return Meaning.BANK
    if bank == books:
        return None
    return Meaning.BANK if bank else Meaning.BOOKS
