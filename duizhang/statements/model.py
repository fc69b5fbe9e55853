"""The statement as plain data: what the PDF and the workbook render, and what Django will store."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

# Age buckets of the open items, in days as of the period end: (first day, last day or None).
AGING_BUCKETS: tuple[tuple[int, int | None], ...] = ((0, 30), (31, 60), (61, 90), (91, None))
LANGUAGES = ("zh-Hans", "en")


class StatementError(ValueError):
    """The entries or options cannot make one statement (mixed currencies, wrong customer …)."""


class Style(StrEnum):
    BALANCE_FORWARD = "balance-forward"  # opening balance, every line of the period, closing
    OPEN_ITEM = "open-item"  # only the documents still open at the period end


@dataclass(frozen=True, slots=True)
class Company:
    """Our side of the statement: the header and where the customer pays."""

    name: str
    address: str = ""
    phone: str = ""
    tax_id: str = ""  # 纳税人识别号 / 统一社会信用代码
    bank_name: str = ""
    bank_account: str = ""


@dataclass(frozen=True, slots=True)
class Customer:
    code: str
    name: str
    uscc: str = ""
    address: str = ""


@dataclass(frozen=True, slots=True)
class Line:
    """One entry of the period, with the balance after it (debit raises what the customer owes)."""

    date: dt.date
    reference: str
    description: str
    debit: Decimal
    credit: Decimal
    balance: Decimal
    entry_id: str


@dataclass(frozen=True, slots=True)
class OpenItem:
    """A document not fully settled at the period end; a negative one is an unapplied credit."""

    reference: str
    date: dt.date
    due_date: dt.date
    original: Decimal
    open: Decimal
    age_days: int
    description: str = ""

    @property
    def bucket(self) -> int:
        """Index into AGING_BUCKETS."""
        for index, (_first, last) in enumerate(AGING_BUCKETS):
            if last is None or self.age_days <= last:
                return index
        raise AssertionError("the last bucket is open-ended")


@dataclass(frozen=True, slots=True)
class Statement:
    company: Company
    customer: Customer
    number: str
    version: int
    issued: dt.date
    period_start: dt.date
    period_end: dt.date
    currency: str
    style: Style
    language: str
    opening: Decimal
    lines: tuple[Line, ...]
    closing: Decimal
    open_items: tuple[OpenItem, ...]
    hidden_reversed: int = 0  # entries left out as reversed pairs (they sum to zero)
    hidden_other_accounts: int = 0  # entries left out as not receivables (options)

    @property
    def total_debit(self) -> Decimal:
        return sum((line.debit for line in self.lines), Decimal(0))

    @property
    def total_credit(self) -> Decimal:
        return sum((line.credit for line in self.lines), Decimal(0))

    @property
    def aging(self) -> tuple[Decimal, ...]:
        """Open amounts per AGING_BUCKETS; they add up to the closing balance."""
        totals = [Decimal(0)] * len(AGING_BUCKETS)
        for item in self.open_items:
            totals[item.bucket] += item.open
        return tuple(totals)
