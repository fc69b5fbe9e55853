"""What the risk rules read and what they say: lines with their source, customer facts, findings.

A finding's reason is an English message with named `%(...)s` placeholders and the values to fill
them with, already written as text. The Django side translates the message (Chinese by default)
and fills it in, so the rules stay free of Django and of any language.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from duizhang.engine.records import Entry, Side


class Kind(StrEnum):
    LARGE_AMOUNT = "large_amount"
    DUPLICATE_REFERENCE = "duplicate_reference"
    REPEATED_AMOUNT = "repeated_amount"
    NAME_MISMATCH = "name_mismatch"
    ROUND_AMOUNT = "round_amount"
    OUT_OF_HOURS = "out_of_hours"
    OVER_CREDIT_LIMIT = "over_credit_limit"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True, slots=True)
class Line:
    """One entry as the rules see it. `key` identifies the entry to whoever stores the findings
    (stable across runs); `source` names the set of books it was imported into; `at` is the
    time of day the row carried, in Asia/Shanghai, if it carried one."""

    key: str
    source: str
    side: Side
    entry: Entry
    at: time | None = None

    @property
    def is_payment(self) -> bool:
        """Money received: in the receivable view a payment lowers what the customer owes."""
        return self.entry.amount < 0


@dataclass(frozen=True, slots=True)
class CustomerFacts:
    code: str
    name: str
    aliases: tuple[str, ...] = ()
    credit_limit: Decimal = Decimal(0)
    currency: str = "CNY"


@dataclass(frozen=True, slots=True)
class Reason:
    message: str
    params: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def text(self, message: str | None = None) -> str:
        """The reason in words: `message` is a translation of `self.message`, if there is one."""
        return (message or self.message) % dict(self.params)


@dataclass(frozen=True, slots=True)
class Finding:
    kind: Kind
    severity: Severity
    customer: str
    lines: tuple[str, ...]  # line keys, in date order
    reason: Reason

    @property
    def fingerprint(self) -> str:
        """The same kind, customer and lines always give the same fingerprint, so a second run
        of the rules recognises what it found before. A new line joining a group is news and
        gives a new fingerprint."""
        text = "\x1f".join((self.kind.value, self.customer, *sorted(self.lines)))
        return hashlib.sha256(text.encode()).hexdigest()
