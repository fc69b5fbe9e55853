"""What Alipay and WeChat Pay bills have in common: reading the table after a marker line, and
deciding which rows moved money in or out of the account.

The rule a cashier applies (the account is the platform account: 支付宝余额 / 微信零钱, with the
owner's 余额宝 / 零钱通 / 理财 pockets counted as inside it):

* A trade whose status says no money moved (交易关闭, 等待确认收货, 等待付款, 失败, 已撤销 …) is
  not booked.
* 收入 is booked `+`, 支出 is booked `-` (books view, money in is `+`), whatever paid for it:
  the bill is the record of the trades made through the account, and a trade paid by a linked
  bank card is still the account holder's trade.
* Neutral rows (Alipay 不计收支, WeChat `/`) are booked only when money crossed the account's
  edge: a refund comes back in (`+`), a withdrawal to a bank card (提现, 转出-到<bank>) goes out
  (`-`), a top-up from a bank card (充值, 转入-来自<bank>) comes in (`+`), a credit-card repayment
  (信用卡还款) goes out (`-`), earnings on the owner's funds (余额宝收益发放) come in (`+`).
  Moves between the owner's own pockets (余额宝, 零钱通, 理财通, 基金 sales into 余额宝 …) and
  repaying the platform's own credit (花呗, whose purchases are already in the bill as 支出) are
  skipped, with the reason.
* A fee stated in 备注 (`服务费¥0.10`, WeChat withdrawals) is its own entry, so the transfer
  itself carries what reached the bank.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from duizhang.engine.money import quantize
from duizhang.engine.records import DEFAULT_CURRENCY, Entry
from duizhang.ingest.base import Extraction, IngestError, SignView, Skipped
from duizhang.ingest.ids import UniqueIds
from duizhang.ingest.values import clean_text, parse_amount, parse_date

NULL = "/"

# Statuses that say the money did not (yet) move; anything else on a bill row did move.
_NOT_MOVED = re.compile(
    r"关闭|等待|待付款|待收货|未付款|未支付|失败|撤销|处理中|已过期|CLOSED|REVOKED"
)
_REFUND = re.compile(r"退款")
_OWN_POCKETS = ("零钱通", "零钱", "余额宝", "余额", "理财通", "小荷包", "基金", "理财")
_OUT_TO = re.compile(r"转出-?到(?P<target>[^,，]+)")
_IN_FROM = re.compile(r"转入.*?来自(?P<source>[^,，]+)")
_FEE_IN_NOTE = re.compile(r"服务费\s*[¥￥]?\s*(?P<fee>\d+(?:\.\d+)?)")


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its 1-based line in the file and its cells by (cleaned) header name."""

    line: int
    cells: dict[str, str]
    text: str


_HEAD_BYTES = 65536


def head_text(path: Path) -> str:
    """The start of a text export, decoded like `read_text` (UTF-8, else GB18030), for identify():
    never raises, a cut multi-byte character at the end is replaced."""
    try:
        with path.open("rb") as handle:
            data = handle.read(_HEAD_BYTES)
    except OSError:
        return ""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("gb18030", errors="replace")


def cell(value: object) -> str:
    """A cell as the bills write it, without padding, Excel tabs, backticks or the `/` null."""
    text = clean_text(value)
    return "" if text == NULL else text


def split_lines(lines: Sequence[str]) -> list[list[str]]:
    """Each text line as CSV cells (bill cells never span lines)."""
    return [next(csv.reader([line]), []) for line in lines]


def read_table(
    records: Sequence[Sequence[str]],
    header_index: int,
    *,
    file: Path,
    stop: re.Pattern[str] | None = None,
    sheet: bool = False,
) -> tuple[list[str], list[Row]]:
    """The table whose header is `records[header_index]`, up to a `stop` row (or the end).

    `records[i]` is line (or sheet row) `i + 1`. Cells are cleaned. A CSV row must have a cell for
    every header column, plus at most one empty cell for the trailing comma Alipay writes (on the
    header, the rows, or both): a row cut short or with a cell too many is an error naming its
    line, never shifted into the wrong columns. Sheet rows are padded to the header's width.
    """
    header = [cell(name) for name in records[header_index]]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    rows: list[Row] = []
    for index in range(header_index + 1, len(records)):
        values = [str(value) for value in records[index]]
        text = ",".join(values).strip()
        if stop is not None and stop.search(text):
            break
        if not text.strip(", \t"):
            continue
        if sheet:
            while len(values) > width and not values[-1].strip():
                values.pop()
            values += [""] * (width - len(values))
        elif len(values) == width + 1 and not values[-1].strip():
            values.pop()
        if len(values) != width:
            raise IngestError(
                f"{len(values)} cells but the header has {width} columns",
                file=file,
                line=index + 1,
                value=text,
            )
        cells = {name: cell(value) for name, value in zip(header, values, strict=False) if name}
        rows.append(Row(line=index + 1, cells=cells, text=text))
    return header, rows


def moved(status: str) -> bool:
    return not _NOT_MOVED.search(status)


def is_refund(*texts: str) -> bool:
    return any(_REFUND.search(text) for text in texts)


def neutral_sign(text: str) -> tuple[int, str]:
    """For a neutral (不计收支 / `/`) row: +1 or -1 with what happened, or 0 with why it is skipped.
    `text` is the row's type, category and goods joined."""
    if "提现" in text:
        return -1, "withdrawal to a bank card"
    if "信用卡还款" in text:
        return -1, "credit-card repayment"
    out_to = _OUT_TO.search(text)
    if out_to and not _own_pocket(out_to["target"]):
        return -1, "transfer out to a bank card"
    in_from = _IN_FROM.search(text)
    if in_from and not _own_pocket(in_from["source"]):
        return 1, "transfer in from a bank card"
    if "充值" in text and not in_from:
        return 1, "top-up from a bank card"
    if "收益" in text:
        return 1, "earnings paid into the account (余额宝/零钱通 收益)"
    return (
        0,
        "moves between the owner's own balances, funds and platform credit (余额宝/零钱通/理财/花呗)",
    )


def _own_pocket(name: str) -> bool:
    return name.strip().startswith(_OWN_POCKETS)


def fee_in_note(note: str, *, file: Path, line: int, column: str) -> Decimal | None:
    match = _FEE_IN_NOTE.search(note)
    if not match:
        return None
    return amount(match["fee"], file=file, line=line, column=column)


def amount(text: str, *, file: Path, line: int, column: str) -> Decimal:
    try:
        value = parse_amount(text)
    except ValueError:
        value = None
    if value is None:
        raise IngestError("not an amount", file=file, line=line, column=column, value=text)
    return value


def trade_date(text: str, *, file: Path, line: int, column: str) -> date:
    """The bills write trade times in UTC+8 (China time); the booking date is that local date."""
    try:
        return parse_date(text)
    except ValueError:
        raise IngestError("not a date", file=file, line=line, column=column, value=text) from None


class Booker:
    """Collects the entries, skipped rows and warnings of one bill.

    Trade numbers are the natural ids. They are unique in a real bill; a repeat (anonymised
    samples) is booked as `id#2` and reported, never dropped.
    """

    def __init__(self, file: Path, *, platform: str, account: str = "") -> None:
        self.file = file
        self.platform = platform
        self.account = account
        self.entries: list[Entry] = []
        self.skipped: list[Skipped] = []
        self.warnings: list[str] = []
        self._ids = UniqueIds()
        self._first_line: dict[str, int] = {}

    def skip(self, row: Row, reason: str) -> None:
        self.skipped.append(Skipped(line=row.line, reason=reason, text=row.text))

    def book(
        self,
        row: Row,
        *,
        trade: str,
        when: date,
        amount: Decimal,
        reference: str,
        counterparty: str,
        description: str,
        account: str = "",
        currency: str = DEFAULT_CURRENCY,
    ) -> None:
        if not trade:
            raise IngestError("no trade number on a booked row", file=self.file, line=row.line)
        exact = quantize(amount, currency)
        if exact != amount:
            raise IngestError(
                f"amount has more decimals than {currency} has",
                file=self.file,
                line=row.line,
                value=str(amount),
            )
        entry_id = self._ids(trade)
        if entry_id != trade:
            self.warnings.append(
                f"line {row.line}: trade number {trade} already on line "
                f"{self._first_line[trade]}; booked as {entry_id}"
            )
        self._first_line.setdefault(trade, row.line)
        self.entries.append(
            Entry(
                id=entry_id,
                date=when,
                amount=exact,
                currency=currency,
                reference=reference,
                counterparty=counterparty,
                description=description,
                account=account or self.account,
                source_file=self.file.name,
                source_line=row.line,
                raw=MappingProxyType(dict(row.cells)),
            )
        )

    def book_fee(
        self,
        row: Row,
        *,
        trade: str,
        when: date,
        fee: Decimal,
        reference: str,
        account: str = "",
        currency: str = DEFAULT_CURRENCY,
    ) -> None:
        """A fee the platform kept: `-fee` (a returned fee, negative in the file, comes back `+`)."""
        self.book(
            row,
            trade=f"{trade}/fee",
            when=when,
            amount=-fee,
            reference=reference,
            counterparty=self.platform,
            description=f"{self.platform} 服务费/手续费",
            account=account,
            currency=currency,
        )

    def extraction(self) -> Extraction:
        return Extraction(
            entries=self.entries,
            view=SignView.BOOKS,
            skipped=self.skipped,
            warnings=self.warnings,
        )


def describe(*parts: str) -> str:
    """Goods and trade type as one description, without empty or repeated parts."""
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return " | ".join(seen)
