"""From a located table (sheet, header row, mapping) to books-view entries.

Rows before the header are read as key/value lines (卡号:, 币种:, 科目:, 客户:) for the account,
currency, customer and year. Rows after it are entries, or skipped with a reason when they are
opening balances, totals or footers. A cell that should be a date or an amount and is not raises
`IngestError` with file, line (sheet), column header and value.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from duizhang.engine.money import minor_units
from duizhang.engine.records import Entry
from duizhang.ingest.base import Extraction, IngestError, SignView, Skipped, StatementBalance
from duizhang.ingest.ids import UniqueIds, fingerprint
from duizhang.ingest.tables.ledger import OPENING_LABELS, TOTAL_LABELS
from duizhang.ingest.tables.mapping import ColumnMapping, Meaning, normalize_header
from duizhang.ingest.tables.reading import Row, Sheet
from duizhang.ingest.values import parse_amount, parse_date

FOOTER_WORDS = (
    "合计", "总计", "小计", "共计", "笔数", "以上数据", "仅供参考", "打印日期", "打印时间", "制表人",
)  # fmt: skip
_ESSENTIAL = frozenset({"date", "month", "day", "amount", "debit", "credit"})
_PLACEHOLDER_CHARS = "-—－/"
_LABELS = OPENING_LABELS + TOTAL_LABELS
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:\s*(\d{1,2})\s*月)?")
_MONTH_DAY = re.compile(r"^(\d{1,2})[/-](\d{1,2})$")
_COUNTRY_SUFFIX = re.compile(r"\([A-Z]{2}\)$")
_ACCOUNT_KEYS = ("账号", "卡号", "帐号", "查询账号", "账户", "科目", "会计科目", "科目名称")
_CURRENCY_KEYS = ("币种", "币别", "货币")
_CUSTOMER_KEYS = ("客户", "客户名称", "往来单位", "核算项目")
_KEYS = frozenset(_ACCOUNT_KEYS + _CURRENCY_KEYS + _CUSTOMER_KEYS)
CURRENCY_NAMES = {
    "人民币": "CNY", "人民币元": "CNY", "rmb": "CNY", "元": "CNY", "美元": "USD", "美金": "USD",
    "港币": "HKD", "港元": "HKD", "欧元": "EUR", "日元": "JPY", "英镑": "GBP", "澳元": "AUD",
    "加元": "CAD", "新加坡元": "SGD", "瑞士法郎": "CHF",
}  # fmt: skip
_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(slots=True)
class Located:
    """Where the table is and how to read it."""

    sheet: Sheet
    header_index: int  # index of the header row in sheet.rows
    mapping: ColumnMapping
    layout: str  # the declared layout's name, or "auto"/"custom"
    strict: bool  # every mapped column must exist (user mappings); layouts tolerate absences

    @property
    def header(self) -> Row:
        return self.sheet.rows[self.header_index]


@dataclass(slots=True)
class _Context:
    path: Path
    located: Located
    columns: dict[str, int]
    headers: list[str]
    preamble: dict[str, str]
    year: int | None  # stated above the header (2026年 / 2024年01月)
    month: int | None  # the statement month, when the title states one
    bad_balances: list[tuple[int, str]] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)  # description roles, in order
    flags: dict[str, str | None] = field(default_factory=dict)
    dates: dict[str, date] = field(default_factory=dict)

    def error(self, message: str, row: Row, role: str | None, value: object = None) -> IngestError:
        column = self.headers[self.columns[role]] if role in self.columns else None
        return IngestError(
            self.located.sheet.where() + message,
            file=self.path,
            line=row.line,
            column=column,
            value=value,
        )


@dataclass(slots=True)
class _Line:
    row: Row
    date: date
    amount: Decimal
    currency: str
    balance: Decimal | None
    line_id: str
    values: dict[str, str]


def convert(path: Path, located: Located) -> Extraction:
    """Read every data row below the header of `located`."""
    context = _context(path, located)
    lines: list[_Line] = []
    skipped: list[Skipped] = []
    opening: Decimal | None = None
    closing: Decimal | None = None
    for row in located.sheet.rows[located.header_index + 1 :]:
        if row.is_blank():
            continue
        if row.cells == located.header.cells:
            skipped.append(Skipped(row.line, "header repeated (new page)", _row_text(row)))
            continue
        values = _values(context, row)
        label = _label(context, row, values)
        balance = _balance(context, row, values)
        if label is not None:
            kind, text = label
            skipped.append(Skipped(row.line, f"{kind} ({text})", _row_text(row)))
            if kind == "opening balance" and opening is None and not lines:
                opening = balance
            if balance is not None and kind != "footer":
                closing = balance
            continue
        when = _date(context, row, values)
        amount = _amount(context, row, values)
        if when is None or amount is None:
            what = "no date" if when is None else "no amount"
            skipped.append(Skipped(row.line, what, _row_text(row)))
            continue
        amount = _padded(amount, currency := _currency(context, row, values))
        if amount == 0:
            skipped.append(Skipped(row.line, "amount is zero", _row_text(row)))
            continue
        if balance is not None:
            closing = balance
        lines.append(_Line(row, when, amount, currency, balance, _line_id(values), values))
    entries = _entries(context, lines)
    extraction = Extraction(entries=entries, view=SignView.BOOKS, skipped=skipped)
    extraction.warnings.extend(_warnings(context))
    breaks = _balance_breaks(lines)
    if breaks:
        column = context.headers[context.columns["balance"]]
        extraction.warnings.append(
            f"the running balance ({column}) does not follow the amounts on {len(breaks)} of "
            f"{len(lines)} lines, first on line {breaks[0]}"
        )
    stated = _stated_balance(located.layout, entries, opening, closing)
    if stated is not None:
        extraction.balances.append(stated)
    return extraction


def _balance_breaks(lines: list[_Line]) -> list[int]:
    """Lines whose running balance is not the previous balance plus their amount, reading the
    file top-down or bottom-up (exports come in either order); [] when balances are absent."""
    if len(lines) < 2 or any(line.balance is None for line in lines):
        return []
    forward = [
        later.row.line
        for earlier, later in itertools.pairwise(lines)
        if earlier.balance is not None and earlier.balance + later.amount != later.balance
    ]
    backward = [
        earlier.row.line
        for earlier, later in itertools.pairwise(lines)
        if later.balance is not None and later.balance + earlier.amount != earlier.balance
    ]
    return min(forward, backward, key=len)


def _stated_balance(
    layout: str, entries: list[Entry], opening: Decimal | None, closing: Decimal | None
) -> StatementBalance | None:
    """The opening a table states (期初余额/承前页 row) and its last stated balance, for
    `load()` to check against the lines; None when either is missing or currencies mix."""
    currencies = {entry.currency for entry in entries}
    if opening is None or closing is None or len(currencies) != 1:
        return None
    currency = currencies.pop()
    return StatementBalance(
        account=entries[0].account,
        currency=currency,
        opening=_padded(opening, currency),
        closing=_padded(closing, currency),
        movement=sum((entry.amount for entry in entries), Decimal(0)),
        opening_date=min(entry.date for entry in entries),
        closing_date=max(entry.date for entry in entries),
        label=f"{layout} {entries[0].account}".strip(),
    )


def _context(path: Path, located: Located) -> _Context:
    header = located.header
    positions: dict[str, int] = {}
    for index, cell in enumerate(header.cells):
        positions.setdefault(normalize_header(cell), index)
    columns: dict[str, int] = {}
    for role, name in located.mapping.columns().items():
        found = positions.get(normalize_header(name))
        if found is not None:
            columns[role] = found
        elif role in _ESSENTIAL or located.strict:
            raise IngestError(
                located.sheet.where() + f"the mapped {role} column is not in the header row; "
                "map the columns again",
                file=path,
                line=header.line,
                value=name,
            )
    preamble = _preamble(located.sheet.rows[: located.header_index])
    year, month = _period(located.sheet.rows[: located.header_index])
    return _Context(
        path=path,
        located=located,
        columns=columns,
        headers=header.cells,
        preamble=preamble,
        year=year,
        month=month,
        descriptions=[role for role in columns if role.startswith("description")],
    )


def _values(context: _Context, row: Row) -> dict[str, str]:
    cells = row.cells
    values = {}
    for role, index in context.columns.items():
        cell = cells[index] if index < len(cells) else ""
        if cell and cell[0] in _PLACEHOLDER_CHARS and not cell.strip(_PLACEHOLDER_CHARS):
            cell = ""  # ICBC "-", BOC "----------", WeChat "/": nothing there
        values[role] = cell
    return values


def _label(context: _Context, row: Row, values: dict[str, str]) -> tuple[str, str] | None:
    """(kind, text) for an opening-balance, total or footer row; None for an entry.

    A dated row is an entry unless its 摘要 starts with a balance or total label (ledgers date
    their 期初余额 and 本月合计 rows); an undated row is labelled by any of its cells."""
    for role in context.descriptions:
        text = values[role]
        if text.startswith(_LABELS):
            kind = "opening balance" if text.startswith(OPENING_LABELS) else "total"
            return kind, text
    date_cell = values.get("date") or values.get("day", "")
    if date_cell and _looks_like_date(date_cell):
        return None
    for text in row.cells:
        if text.startswith(OPENING_LABELS):
            return "opening balance", text
        if text.startswith(TOTAL_LABELS):
            return "total", text
        if any(word in text for word in FOOTER_WORDS):
            return "footer", text
    return None


def _looks_like_date(text: str) -> bool:
    return text[:1].isdigit()


def _date(context: _Context, row: Row, values: dict[str, str]) -> date | None:
    mapping = context.located.mapping
    if mapping.date:
        text = values.get("date", "")
        if not text:
            return None
        head = text.split(maxsplit=1)[0]  # the time part never changes the date
        if head in context.dates:
            return context.dates[head]
        try:
            context.dates[head] = parse_date(head, day_first=mapping.day_first)
            return context.dates[head]
        except ValueError:
            guessed = _excel_serial(context, text) or _month_day(context, row, text)
            if guessed is not None:
                return guessed
            raise context.error("not a date", row, "date", text) from None
    month_text, day_text = values.get("month", ""), values.get("day", "")
    if not month_text and not day_text:
        return None
    year_text = values.get("year", "")
    try:
        year = int(year_text) if year_text else context.year
        if year is None:
            raise context.error(
                "no year: add a 年 column or a line like 2026年 above the header", row, "month"
            )
        return date(year, int(month_text), int(day_text))
    except ValueError:
        raise context.error(
            "not a date", row, "day", f"{year_text}-{month_text}-{day_text}"
        ) from None


def _month_day(context: _Context, row: Row, text: str) -> date | None:
    """`12/29` in a statement titled 2024年01月 is 2023-12-29: a month after the statement's
    belongs to the year before (CMB credit card bills)."""
    match = _MONTH_DAY.match(text)
    if match is None:
        return None
    if context.year is None:
        raise context.error("a date without a year and no year above the header", row, "date", text)
    month, day = int(match.group(1)), int(match.group(2))
    year = context.year - 1 if context.month and month > context.month else context.year
    try:
        return date(year, month, day)
    except ValueError:
        raise context.error("not a date", row, "date", text) from None


def _excel_serial(context: _Context, text: str) -> date | None:
    if context.located.sheet.name and text.isdigit() and 20000 <= int(text) <= 80000:
        return _EXCEL_EPOCH + timedelta(days=int(text))
    return None


def _amount(context: _Context, row: Row, values: dict[str, str]) -> Decimal | None:
    mapping = context.located.mapping
    if mapping.amount:
        amount = _parse(context, row, values, "amount")
        if amount is not None and mapping.negate:
            amount = -amount
        if amount is None or not mapping.direction:
            return amount
        flag = values.get("direction", "")
        side = context.flags.get(flag, "?")
        if side == "?":
            side = context.flags[flag] = _flag_side(flag, mapping)
        if side is None:
            raise context.error("not a debit/credit flag", row, "direction", flag)
        return _signed(abs(amount), side, mapping.meaning)
    debit = _parse(context, row, values, "debit")
    credit = _parse(context, row, values, "credit")
    if debit is None and credit is None:
        return None
    total = (debit or Decimal(0)) - (credit or Decimal(0))
    return total if mapping.meaning is Meaning.BOOKS else -total


def _padded(amount: Decimal, currency: str) -> Decimal:
    """Give `67` (an integral Excel number) the currency's decimals; never rounds."""
    exponent = amount.as_tuple().exponent
    places = minor_units(currency)
    if isinstance(exponent, int) and exponent > -places:
        return amount.quantize(Decimal(1).scaleb(-places))
    return amount


def _line_id(values: dict[str, str]) -> str:
    """The line's own number: its serial/voucher number, else its document number. All-zero
    placeholders (ABC writes 0000000000) count as none."""
    for role in ("serial", "reference"):
        text = values.get(role, "")
        if text.strip("0"):
            return text
    return ""


def _signed(amount: Decimal, side: str, meaning: Meaning) -> Decimal:
    positive = (side == "debit") == (meaning is Meaning.BOOKS)
    return amount if positive else -amount


def _flag_side(flag: str, mapping: ColumnMapping) -> str | None:
    text = flag.strip().lower()
    if not text:
        return None
    debit = any(text.startswith(prefix.lower()) for prefix in mapping.debit_flags)
    credit = any(text.startswith(prefix.lower()) for prefix in mapping.credit_flags)
    if debit == credit:
        return None
    return "debit" if debit else "credit"


def _parse(context: _Context, row: Row, values: dict[str, str], role: str) -> Decimal | None:
    text = values.get(role, "")
    if text.endswith(")") and _COUNTRY_SUFFIX.search(text):
        text = text[:-4]  # CMB credit card: 8,000.00(CN)
    try:
        return parse_amount(text)
    except ValueError:
        raise context.error("not an amount", row, role, text) from None


def _balance(context: _Context, row: Row, values: dict[str, str]) -> Decimal | None:
    text = values.get("balance", "")
    try:
        balance = parse_amount(text)
    except ValueError:
        context.bad_balances.append((row.line, text))
        return None
    if balance is None or "balance_direction" not in values:
        return balance
    flag = values["balance_direction"].strip()
    if flag.startswith("平"):
        return Decimal(0)
    side = _flag_side(flag, context.located.mapping)
    if side is None:
        return balance
    return _signed(abs(balance), side, Meaning.BOOKS)


def _currency(context: _Context, row: Row, values: dict[str, str]) -> str:
    text = values.get("currency", "") or _first(context.preamble, _CURRENCY_KEYS)
    if not text:
        return context.located.mapping.default_currency
    code = CURRENCY_NAMES.get(text.lower())
    if code:
        return code
    if len(text) == 3 and text.isascii() and text.isalpha():
        return text.upper()
    raise context.error("unknown currency", row, "currency", text)


def _entries(context: _Context, lines: list[_Line]) -> list[Entry]:
    line_ids = Counter(line.line_id for line in lines if line.line_id)
    unique = UniqueIds()
    account_default = _first(context.preamble, _ACCOUNT_KEYS)
    customer_default = _first(context.preamble, _CUSTOMER_KEYS)
    raw_keys = [cell or f"column {index + 1}" for index, cell in enumerate(context.headers)]
    entries = []
    for line in lines:
        values = line.values
        account = values.get("account") or account_default
        description = " | ".join([values[role] for role in context.descriptions if values[role]])
        counterparty = values.get("counterparty", "")
        if not counterparty and (values.get("payer") or values.get("payee")):
            counterparty = values.get("payer" if line.amount > 0 else "payee", "")
        if line.line_id and line_ids[line.line_id] == 1:
            entry_id = unique(line.line_id)
        else:
            entry_id = unique(
                fingerprint(
                    account, line.date.isoformat(), line.amount, line.currency, counterparty,
                    description, values.get("time", ""), values.get("balance", ""),
                )
            )  # fmt: skip
        cells = line.row.cells
        raw = dict(zip(raw_keys, cells, strict=False))
        if len(cells) < len(raw_keys):
            raw.update(dict.fromkeys(raw_keys[len(cells) :], ""))
        entries.append(
            Entry(
                id=entry_id,
                date=line.date,
                amount=line.amount,
                currency=line.currency,
                reference=values.get("reference") or _line_id(values),
                counterparty=counterparty,
                description=description,
                customer=values.get("customer") or customer_default,
                account=account,
                source_file=context.path.name,
                source_line=line.row.line,
                raw=MappingProxyType(raw),
            )
        )
    return entries


def _warnings(context: _Context) -> list[str]:
    warnings = []
    if context.bad_balances:
        line, text = context.bad_balances[0]
        column = context.headers[context.columns["balance"]]
        warnings.append(
            f"{len(context.bad_balances)} row(s) have a {column} that is not an amount "
            f"(first on line {line}: {text!r}); running balances were ignored"
        )
    mapping = context.located.mapping
    title = " ".join(context.preamble.get("", "").split())
    if mapping.meaning is Meaning.BOOKS and "应付账款" in title:
        warnings.append(
            "this is a payables ledger (应付账款): if it is the customer's, load it with "
            "--side customer"
        )
    return warnings


def _preamble(rows: list[Row]) -> dict[str, str]:
    """Key/value lines above the header (`卡号: 1234`, `币\u3000种：|人民币`); free text is kept
    under the key "" (titles such as 应收账款明细账)."""
    found: dict[str, str] = {}
    loose: list[str] = []
    for row in rows:
        cells = row.cells
        for index, cell in enumerate(cells):
            if not cell:
                continue
            split = re.split(r"[:：]", cell, maxsplit=1)
            if len(split) == 2:
                key, value = normalize_header(split[0]), split[1].strip()
                if not value and index + 1 < len(cells):
                    value = cells[index + 1]
                if key and value:
                    found.setdefault(key, value)
            elif normalize_header(cell) in _KEYS and index + 1 < len(cells) and cells[index + 1]:
                found.setdefault(normalize_header(cell), cells[index + 1])  # 账号 | 6200…
            else:
                loose.append(cell)
    found[""] = " ".join(loose)
    return found


def _period(rows: list[Row]) -> tuple[int | None, int | None]:
    """Year (and month) stated above the header: 2026年度, 招商银行信用卡对账单（2024年01月）."""
    for row in rows:
        for cell in row.cells:
            match = _YEAR.search(cell)
            if match:
                month = match.group(2)
                return int(match.group(1)), int(month) if month else None
    return None, None


def _first(preamble: dict[str, str], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = preamble.get(key)
        if value:
            return value
    return ""


def _row_text(row: Row) -> str:
    return ",".join(row.cells).rstrip(",")
