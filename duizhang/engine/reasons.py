"""What is left over, and why: a `duplicate` (booked twice), a `timing` difference (its
counterpart belongs to the next period: near the period end, within the files' usual lag or
its block's own) or `missing`. Plain functions over the frames that `pipeline.run_partition`
leaves open."""

from __future__ import annotations

import polars as pl

from duizhang.engine.options import MatchOptions

# The most days before the period end that the files' usual lag makes a leftover a timing
# difference.
TIMING_LAG_CAP = 7
# The most days that a block's own lag does (`block_lateness`): a counterpart booked later still
# is not in transit but overdue.
BLOCK_TIMING_CAP = 14
# One-to-one links of a block and direction it takes to learn its lag from, and the share of
# them booked within it.
_LATENESS_LINKS = 10
_LATENESS_SHARE = 0.95


def blocks_near_the_end(
    rest_l: pl.DataFrame, rest_r: pl.DataFrame, options: MatchOptions
) -> pl.Series:
    """`blk`: the blocks with open entries that their own lag (`block_lateness`) could make timing
    differences: booked up to `BLOCK_TIMING_CAP` days before the period end, but before the
    files' window (`_timing_window`)."""
    assert options.period_end is not None
    days = (pl.lit(options.period_end) - pl.col("date")).dt.total_days()
    near = days.is_between(_timing_window(options), BLOCK_TIMING_CAP - 1)
    return pl.concat([rest_l.filter(near)["blk"], rest_r.filter(near)["blk"]]).unique()


def block_lateness(
    groups: pl.DataFrame, left: pl.DataFrame, right: pl.DataFrame, blocks: pl.Series
) -> pl.DataFrame:
    """`blk`, `debit`, `left`, `right`: per block of `blocks` and direction (debits, such as
    invoices, or credits, such as payments), how many days after an entry of each side the
    other side books its counterpart, as `_LATENESS_SHARE` of its one-to-one links show, where
    it has `_LATENESS_LINKS` or more. A customer that books our invoices up to two weeks late,
    and its payments before we see them: the lag of each side is a habit of each customer and
    of each kind of entry, not of both files."""
    in_blocks = pl.col("blk").is_in(blocks.implode())
    single = (pl.col("left").list.len() == 1) & (pl.col("right").list.len() == 1)
    pairs = (
        groups.filter(single)
        .select(l=pl.col("left").list.first(), r=pl.col("right").list.first())
        .join(
            left.filter(in_blocks).select(
                l="row", blk="blk", debit=pl.col("amt") > 0, date_l="date"
            ),
            on="l",
        )
        .join(right.filter(in_blocks).select(r="row", date_r="date"), on="r")
    )
    lag = (pl.col("date_r") - pl.col("date_l")).dt.total_days()
    return (
        pairs.group_by("blk", "debit")
        .agg(
            n=pl.len(),
            left=lag.quantile(_LATENESS_SHARE, "higher"),
            right=(-lag).quantile(_LATENESS_SHARE, "higher"),
        )
        .filter(pl.col("n") >= _LATENESS_LINKS)
        .drop("n")
    )


def _timing_window(options: MatchOptions) -> int:
    """The days before the period end within which any leftover is a timing difference: within
    `timing_days`, or within the usual lag when the two sides lag more than that, up to a week:
    one booked later still is not in transit but overdue (a customer who books everything at
    month end would otherwise make every leftover of the month a timing one)."""
    earliest, latest = options.round_lag or (0, 0)
    return max(options.timing_days, min(max(latest, -earliest), TIMING_LAG_CAP))


def leftover_reasons(
    rest: pl.DataFrame,
    doubled: pl.Series,
    side: str,
    options: MatchOptions,
    lateness: pl.DataFrame,
) -> pl.DataFrame:
    """`side`, `row`, `reason` of each open entry of `side` (`rest`): a `duplicate` where it is
    among the lines `doubled`, else `timing` or `missing` by its date (`lateness`: the blocks'
    own lags, `block_lateness`)."""
    assert options.period_end is not None
    # a counterpart belongs to the next period when it would be booked later than the period
    # end: within the files' window, or within the lag of its own block and direction, up to
    # `BLOCK_TIMING_CAP` days
    window = _timing_window(options)
    late = rest.select("blk", debit=pl.col("amt") > 0).join(
        lateness.select("blk", "debit", late=side),
        on=["blk", "debit"],
        how="left",
        maintain_order="left",
    )["late"]
    days = pl.max_horizontal(pl.lit(window), late.clip(upper_bound=BLOCK_TIMING_CAP))
    timing_from = pl.lit(options.period_end) - pl.duration(days=days)
    return rest.select(
        side=pl.lit(side),
        row="row",
        reason=pl.when(pl.col("row").is_in(doubled.implode()))
        .then(pl.lit("duplicate"))
        .when(pl.col("date") > timing_from)
        .then(pl.lit("timing"))
        .otherwise(pl.lit("missing")),
    )


# A kind of line that the other side never books: at least this many lines of one memo (its
# numbers aside) dated before the last `BLOCK_TIMING_CAP` days of the period, at most this share
# of those linked, in a file that links most of its lines.
ONE_SIDED_LINES = 10
_ONE_SIDED_LINKED = 0.05
_LINKED_MOSTLY = 0.5


def one_sided_kinds_missing(
    reasons: pl.DataFrame, left: pl.DataFrame, right: pl.DataFrame, options: MatchOptions
) -> pl.DataFrame:
    """`reasons` (`side`, `row`, `reason` of every partition's leftovers) with the timing
    differences of a one-sided kind of line made `missing`: our freight advanced for a customer
    (`代垫运费`), or its deductions for faulty goods (`来料不良扣款`), which the other side never
    books, all period long. Near the period end such a line is no more in transit than in the
    weeks before; its counterpart is not late but never coming. A kind booked only at the
    period end (a quarter's rebates) says nothing of the kind: the weeks before must show it."""
    one_sided = pl.concat(
        [
            _one_sided_rows(reasons, side, frame, options)
            for side, frame in (("left", left), ("right", right))
        ]
    )
    if one_sided.is_empty():
        return reasons
    flagged = reasons.join(one_sided, on=["side", "row"], how="left").with_columns(
        pl.col("one_sided").fill_null(False)
    )
    return flagged.select(
        "side",
        "row",
        reason=pl.when(pl.col("one_sided") & (pl.col("reason") == "timing"))
        .then(pl.lit("missing"))
        .otherwise(pl.col("reason")),
    )


def _one_sided_rows(
    reasons: pl.DataFrame, side: str, frame: pl.DataFrame, options: MatchOptions
) -> pl.DataFrame:
    """`side`, `row`, `one_sided` of the lines of `frame` of a kind it never links."""
    assert options.period_end is not None
    none = pl.DataFrame(schema={"side": pl.String, "row": pl.Int64, "one_sided": pl.Boolean})
    open_rows = reasons.filter(pl.col("side") == side)["row"].implode()
    lines = frame.select(
        "row",
        kind=pl.col("desc").fill_null("").str.replace_all(r"[\d\s]+", "#"),
        linked=~pl.col("row").is_in(open_rows),
        earlier=(pl.lit(options.period_end) - pl.col("date")).dt.total_days() >= BLOCK_TIMING_CAP,
    )
    if frame.height == 0 or lines["linked"].mean() < _LINKED_MOSTLY:  # type: ignore[operator]
        return none
    kinds = (
        lines.filter(pl.col("earlier") & pl.col("kind").str.contains(r"[^#]"))
        .group_by("kind")
        .agg(n=pl.len(), linked=pl.col("linked").sum())
        .filter(
            (pl.col("n") >= ONE_SIDED_LINES) & (pl.col("linked") <= _ONE_SIDED_LINKED * pl.col("n"))
        )
    )
    return lines.join(kinds.select("kind"), on="kind", how="semi").select(
        side=pl.lit(side), row="row", one_sided=pl.lit(True)
    )
