"""The canonical entry every importer produces and the engine consumes.

Amounts are always seen from the receivable (see shared/spec/canonical-csv.md): `+` raises what
the customer owes us, `-` lowers it. Importers convert into this view in `duizhang.ingest.load`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

DEFAULT_CURRENCY = "CNY"


class Side(StrEnum):
    """Whose books a file comes from; decides how its signs map onto the receivable."""

    OURS = "ours"  # our receivables ledger: debit - credit is already the receivable
    CUSTOMER = "customer"  # the customer's payables ledger: signs flip
    BANK = "bank"  # our bank or payment account: money in is a payment received, signs flip


@dataclass(frozen=True, slots=True)
class Entry:
    """One booked line, in the receivable view.

    `source_file` and `source_line` say where it came from, so that any error or report can
    point the user back at the row; `raw` keeps the row as it was read.
    """

    id: str
    date: date
    amount: Decimal
    currency: str = DEFAULT_CURRENCY
    reference: str = ""
    counterparty: str = ""
    description: str = ""
    customer: str = ""
    account: str = ""
    source_file: str = ""
    source_line: int = 0
    raw: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError(f"amount must be a Decimal, not {type(self.amount).__name__}")
        if not self.amount.is_finite():
            raise ValueError(f"amount must be finite, got {self.amount}")
