"""Uniqueness: the rule that keeps the engine from guessing.

A candidate pair is linked only when it is the best candidate of its left entry and of its
right entry, and in both cases better than the runner-up by more than `margin` (lower scores
are better). Pairs that come within the margin of the best are ambiguous: they become
suggestions for the cashier, never links.
"""

from __future__ import annotations

import polars as pl

_INF = float("inf")


def select_unique(
    candidates: pl.DataFrame, *, margin: float = 0.0, rounds: int = 3
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split candidates (columns `l`, `r`, `score`, …) into accepted and ambiguous pairs.

    Several rounds: once a pair is accepted its two entries leave the pool, which can make the
    choice for their neighbours unique (elimination, not guessing).
    """
    # the rounds work on (position, l, r, score) only; the wide columns are picked at the end
    pool = candidates.select("l", "r", "score").with_row_index("_at")
    accepted: list[pl.DataFrame] = []
    for _ in range(rounds):
        if pool.is_empty():
            break
        ranked = _rank(pool)
        unique = (
            (pl.col("score") == pl.col("best_l"))
            & (pl.col("next_l") - pl.col("best_l") > margin)
            & (pl.col("score") == pl.col("best_r"))
            & (pl.col("next_r") - pl.col("best_r") > margin)
        )
        chosen = ranked.filter(unique)
        if chosen.is_empty():
            break
        accepted.append(chosen.select("_at"))
        pool = pool.filter(
            ~pl.col("l").is_in(chosen["l"].implode()) & ~pl.col("r").is_in(chosen["r"].implode())
        )
    close = (pl.col("score") - pl.col("best_l") <= margin) | (
        pl.col("score") - pl.col("best_r") <= margin
    )
    ambiguous = _rank(pool).filter(close).select("_at")
    done = pl.concat(accepted) if accepted else ambiguous.clear()
    return _rows_at(candidates, done), _rows_at(candidates, ambiguous)


def _rank(pool: pl.DataFrame) -> pl.DataFrame:
    """Each pair with the best and second-best score of its left and of its right entry (the
    second best equals the best when two share it; infinite when there is no other).

    Sorted by entry and score, an entry's best is its first row and the second best the next."""
    score = pl.col("score")
    for side in ("l", "r"):
        entry = pl.col(side)
        first = entry.shift(1).ne_missing(entry)
        second = pl.when(entry.shift(-1) == entry).then(score.shift(-1)).otherwise(_INF)
        pool = pool.sort(side, "score").with_columns(
            pl.when(first).then(score).forward_fill().alias(f"best_{side}"),
            pl.when(first).then(second).forward_fill().alias(f"next_{side}"),
        )
    return pool


def _rows_at(candidates: pl.DataFrame, positions: pl.DataFrame) -> pl.DataFrame:
    at = pl.int_range(pl.len(), dtype=pl.UInt32)
    return candidates.filter(at.is_in(positions["_at"].implode()))
