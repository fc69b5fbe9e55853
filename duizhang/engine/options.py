"""The knobs of the matching engine, with defaults a cashier can live with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class MatchOptions:
    """How far the engine may stretch before it stops linking and starts suggesting.

    `tolerance_abs` and `tolerance_rel` bound an accepted amount difference (bank fees,
    rounding): a difference is tolerated when it is within both limits.
    `date_window` is the largest date gap (days) for links made without a reference;
    `group_window` the same for one-to-many groups. `timing_days` decides which leftovers near
    `period_end` (default: the latest date in the inputs) are timing differences.
    """

    tolerance_abs: Decimal = Decimal("50")
    tolerance_rel: Decimal = Decimal("0.01")
    date_window: int = 10
    group_window: int = 31
    max_group_size: int = 8
    max_group_candidates: int = 16
    max_tolerance_candidates: int = 8
    timing_days: int = 5
    period_end: date | None = None
    name_threshold: float = 80.0
    reference_threshold: float = 85.0
    jobs: int = 0  # processes; 0: one per 250k lines, at most one per CPU
    # (earliest, latest) of right date - left date for round amounts linked on amount and date
    # alone; None: within `date_window`. `match_frames` learns it from the exact links.
    round_lag: tuple[int, int] | None = None
    # whether both sides write one document numbering (`numbers.shared_numbering`), so that two
    # different numbers tell two events apart; None: each partition tells from its own entries.
    # `match_frames` learns it once from both files, so that a later pass over the leftovers
    # (whose numbers mostly found nothing) does not conclude otherwise.
    numbering: bool | None = None
