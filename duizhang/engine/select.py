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
    accepted: list[pl.DataFrame] = []
    pool = candidates
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
        chosen = ranked.filter(unique).select(candidates.columns)
        if chosen.is_empty():
            break
        accepted.append(chosen)
        pool = pool.join(chosen.select("l"), on="l", how="anti").join(
            chosen.select("r"), on="r", how="anti"
        )
    ranked = _rank(pool)
    close = (pl.col("score") - pl.col("best_l") <= margin) | (
        pl.col("score") - pl.col("best_r") <= margin
    )
    ambiguous = ranked.filter(close).select(candidates.columns) if pool.height else pool
    done = pl.concat(accepted) if accepted else candidates.clear()
    return done, ambiguous


def _rank(pool: pl.DataFrame) -> pl.DataFrame:
    out = pool
    for side in ("l", "r"):
        best = pool.group_by(side).agg(
            pl.col("score").min().alias(f"best_{side}"),
            pl.col("score")
            .bottom_k(2)
            .sort()
            .get(1, null_on_oob=True)
            .fill_null(_INF)
            .alias(f"next_{side}"),
        )
        out = out.join(best, on=side, how="left")
    return out
