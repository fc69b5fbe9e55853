"""The risk rules' knobs, with defaults a cashier can live with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal

from duizhang.engine.records import Side


@dataclass(frozen=True, slots=True)
class RiskOptions:
    """`payment_sides`: whose books the payment rules (large, repeated, round, out-of-hours) read;
    the customer's own books only mirror ours. Each payment is judged against the customer's
    earlier payments in the same books and currency, at most `history_window` of them.

    Large: robust z-score of log10(amount) against the history's median, scaled by the median
    absolute deviation (MAD, never below `large_mad_floor`, so a customer who always pays the
    same amount still has a scale); flagged above `large_z` (Iglewicz and Hoaglin's 3.5) once
    there are `large_min_history` earlier payments.
    Round and out-of-hours: flagged only when at most `unusual_share` of at least
    `unusual_min_history` earlier payments were the same — a habit is not a warning sign.
    """

    payment_sides: frozenset[Side] = field(
        default_factory=lambda: frozenset({Side.OURS, Side.BANK})
    )
    history_window: int = 250
    large_min_history: int = 10
    large_z: Decimal = Decimal("3.5")
    large_mad_floor: Decimal = Decimal("0.05")
    repeat_days: int = 7
    name_threshold: float = 85.0
    round_unit: Decimal = Decimal(10000)
    business_start: time = time(8, 0)
    business_end: time = time(20, 0)
    unusual_min_history: int = 5
    unusual_share: Decimal = Decimal("0.2")
