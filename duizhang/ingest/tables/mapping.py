"""`ColumnMapping`: which column of a table holds what, and how its amounts are signed.

A mapping names columns by their header text as the file writes it (compared after
`normalize_header`), so a mapping the user built on the column mapping screen can be saved as
JSON and applied to the next export from the same source.

Sign meaning: a bank statement's 贷方/收入/转入 is money coming in and its 借方/支出/转出 money
going out, while in an ERP ledger 借方 is a debit and 贷方 a credit. `debit` and `credit` name the
columns with the file's own words; `meaning` says which reading applies. Either way the importer
returns amounts in `SignView.BOOKS` (debit - credit in the file owner's books; money in is + for a
bank account).
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from typing import Any

from duizhang.engine.records import DEFAULT_CURRENCY, Side

# Values of a 借贷标志 / 收支 column, compared as prefixes of the cleaned cell ("贷 Cr" is 贷).
DEBIT_FLAGS = ("借", "支", "付", "往账", "转出", "取出", "出", "d", "-")
CREDIT_FLAGS = ("贷", "收", "来账", "转入", "存入", "入", "c", "+")


class Meaning(StrEnum):
    """How the file's debit/credit words read."""

    BANK = "bank"  # the bank's view: 贷方/收入 is money in (+), 借方/支出 money out (-)
    BOOKS = "books"  # a ledger: 借方 is a debit (+), 贷方 a credit (-)


def normalize_header(text: str) -> str:
    """Header text for comparison: NFKC (full-width brackets → ASCII), no whitespace, lower case."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(folded.split()).lower().rstrip(":")


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Columns of one table layout. Empty strings mean "not in this file".

    Dates come from `date`, or from `month` + `day` (+ `year`, else the year stated above the
    header). Amounts come from one `amount` column — signed, or unsigned with a `direction` flag
    column — or from separate `debit` and `credit` columns. `balance` with an optional
    `balance_direction` (方向 借/贷/平) is the running balance. `negate` is for a signed amount
    column that counts the other way (credit card exports: + is spending). `serial` is the line's own number
    (bank serial, voucher no.), used as the entry id where it is unique in the file.
    """

    meaning: Meaning
    name: str = "custom"
    date: str = ""
    year: str = ""
    month: str = ""
    day: str = ""
    time: str = ""
    amount: str = ""
    direction: str = ""
    debit: str = ""
    credit: str = ""
    debit_flags: tuple[str, ...] = DEBIT_FLAGS
    credit_flags: tuple[str, ...] = CREDIT_FLAGS
    balance: str = ""
    balance_direction: str = ""
    description: tuple[str, ...] = ()
    counterparty: str = ""
    payer: str = ""
    payee: str = ""
    counterparty_account: str = ""
    serial: str = ""
    reference: str = ""
    currency: str = ""
    customer: str = ""
    account: str = ""
    negate: bool = False  # the single amount column is signed the other way (credit cards)
    default_currency: str = DEFAULT_CURRENCY
    day_first: bool = False
    side: Side | None = None

    def __post_init__(self) -> None:
        if not (self.date or (self.month and self.day)):
            raise ValueError("a mapping needs a date column (or month and day columns)")
        if not (self.amount or self.debit or self.credit):
            raise ValueError("a mapping needs an amount column or debit/credit columns")
        if self.amount and (self.debit or self.credit):
            raise ValueError("map either one amount column or debit/credit columns, not both")

    @property
    def default_side(self) -> Side:
        if self.side is not None:
            return self.side
        return Side.BANK if self.meaning is Meaning.BANK else Side.OURS

    def columns(self) -> dict[str, str]:
        """Every mapped column: role → header text (description columns as description[i])."""
        named = {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name in _COLUMN_FIELDS and getattr(self, f.name)
        }
        for index, column in enumerate(self.description):
            named[f"description[{index}]"] = column
        return named

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (enums as their values, tuples as lists)."""
        data = asdict(self)
        data["meaning"] = self.meaning.value
        data["side"] = self.side.value if self.side else None
        for key, value in data.items():
            if isinstance(value, tuple):
                data[key] = list(value)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnMapping:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown mapping field(s): {', '.join(unknown)}")
        values = dict(data)
        values["meaning"] = Meaning(values["meaning"])
        if values.get("side"):
            values["side"] = Side(values["side"])
        for name in ("debit_flags", "credit_flags", "description"):
            if name in values:
                values[name] = tuple(values[name])
        return cls(**values)


_COLUMN_FIELDS = frozenset(
    {
        "date",
        "year",
        "month",
        "day",
        "time",
        "amount",
        "direction",
        "debit",
        "credit",
        "balance",
        "balance_direction",
        "counterparty",
        "payer",
        "payee",
        "counterparty_account",
        "serial",
        "reference",
        "currency",
        "customer",
        "account",
    }
)


@dataclass(frozen=True, slots=True)
class Layout:
    """A declared table layout: the header cells that identify it and the mapping it implies."""

    name: str
    description: str
    signature: frozenset[str]  # normalized header cells that must all be present
    mapping: ColumnMapping

    def matches(self, header_names: set[str]) -> bool:
        return self.signature <= header_names


def layout(name: str, title: str, signature: tuple[str, ...], **mapping: Any) -> Layout:
    """Declare a layout; `signature` in the file's own spelling, `mapping` as ColumnMapping."""
    return Layout(
        name=name,
        description=title,
        signature=frozenset(normalize_header(cell) for cell in signature),
        mapping=ColumnMapping(name=name, **mapping),
    )
