"""Realistic synthetic ledger pairs with ground truth, for measuring the matching engine.

Left is our receivables ledger's receipt postings (one line per invoice settled), right is the
bank statement flipped into the receivable view, so the same receipt is negative on both sides.
Every generated line belongs to exactly one true group or is a leftover with an expected reason.
The noise model and the default mix are described in docs.md and `profile.py`.

Every random number comes from the seed in a fixed order (see `Draws`) and rows are shaped with
Polars expressions, so a seed always gives the same files and 1M lines take a few seconds.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

import polars as pl

from duizhang.bench import names
from duizhang.bench.profile import DEFAULT, PROFILES, TYPO_KINDS, Profile, with_settings

YEAR_PREFIX = "INV-2026-"
LEFT_DESCRIPTIONS = ("收货款", "收到货款", "销售回款", "收款", "货款收回", "回款核销")
BANK_DESCRIPTIONS = ("货款", "付款", "转账", "往来款", "汇款", "", "PAYMENT", "支付货款")
STYLE_LOST = 6
STYLE_LISTING = 7  # a combined receipt listing its invoices in the description


@dataclass(frozen=True)
class Truth:
    """What a perfect engine would output.

    `groups`: group_id, kind, side (left/right), id, difference (sum left - sum right of the
    group, exact decimal text); one row per member. `leftovers`: side, id, reason, duplicate_of
    (the original a duplicate repeats, else empty).
    """

    groups: pl.DataFrame
    leftovers: pl.DataFrame
    period_start: date
    period_end: date
    seed: int
    profile: Profile
    lines: int


_MASK = (1 << 64) - 1


def _splitmix64(x: pl.Expr) -> pl.Expr:
    """SplitMix64 on UInt64 (wrapping arithmetic): a counter in, an even random word out."""
    z = x + pl.lit(0x9E3779B97F4A7C15, pl.UInt64)
    z = (z ^ (z // (1 << 30))) * pl.lit(0xBF58476D1CE4E5B9, pl.UInt64)
    z = (z ^ (z // (1 << 27))) * pl.lit(0x94D049BB133111EB, pl.UInt64)
    return z ^ (z // (1 << 31))


class Draws:
    """Vectors of random numbers from one seeded stream.

    Uniforms are SplitMix64 of a running counter, computed by Polars in integer arithmetic, so
    they do not depend on the machine and need no Python loop per number; samples without
    replacement come from `random.Random(seed)`.
    """

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)
        self._counter = (seed * 0x9E3779B97F4A7C15 << 20) & _MASK

    def uniform(self, n: int) -> pl.Series:
        start = self._counter
        self._counter = (self._counter + n) & _MASK
        counter = pl.int_range(0, n, dtype=pl.UInt64) + pl.lit(start, pl.UInt64)
        words = _splitmix64(counter)
        return pl.select((words // 2048).cast(pl.Float64) * 2.0**-53).to_series()

    def integers(self, low: int, high: int, n: int) -> pl.Series:
        """Uniform integers in [low, high]."""
        return (self.uniform(n) * (high - low + 1)).floor().cast(pl.Int64) + low

    def choice(self, probabilities: Sequence[float], n: int) -> pl.Series:
        total = sum(probabilities)
        bounds = [value / total for value in accumulate(probabilities)]
        picked = pl.Series(bounds).search_sorted(self.uniform(n), side="right")
        return picked.cast(pl.Int64).clip(0, len(bounds) - 1)

    def chance(self, probability: float, n: int) -> pl.Series:
        return self.uniform(n) < probability

    def normal(self, n: int) -> pl.Series:
        first = 1.0 - self.uniform(n)
        second = self.uniform(n)
        return (-2.0 * first.log()).sqrt() * (2.0 * math.pi * second).cos()

    def sample(self, population: int, k: int) -> list[int]:
        return self._random.sample(range(population), k)


class _World:
    """Customers and counters shared by the event builders."""

    def __init__(self, draws: Draws, profile: Profile, n_lines: int) -> None:
        self.draws = draws
        self.profile = profile
        self.last_day = (profile.period_end - profile.period_start).days
        count = max(10, round(n_lines / profile.lines_per_customer))
        count = min(count, names.combination_count())
        self.customers = (
            pl.DataFrame(
                {
                    "company": draws.sample(names.combination_count(), count),
                    "scale": (math.log(8000.0) + draws.normal(count))
                    .exp()
                    .clip(200.0, 2_000_000.0),
                }
            )
            .with_row_index("cust")
            .with_columns(pl.col("cust").cast(pl.Int64))
        )
        self._weights = (1.2 * draws.normal(count)).exp().to_list()
        if profile.big_customers > 0:
            self._make_big(n_lines)
        self._next_slot = 0
        self._next_group = 0

    def _make_big(self, n_lines: int) -> None:
        """The first few customers take `big_customers` of all events between them."""
        share = self.profile.big_customers
        wanted = round(n_lines * share / self.profile.big_customer_lines)
        big = min(len(self._weights) - 1, max(2, wanted))
        rest = sum(self._weights[big:])
        each = share / (1 - share) * rest / big
        self._weights[:big] = [each] * big

    def pick_customers(self, n: int) -> pl.Series:
        return self.draws.choice(self._weights, n).alias("cust")

    def slots(self, n: int) -> pl.Series:
        start, self._next_slot = self._next_slot, self._next_slot + n
        return pl.int_range(start, start + n, eager=True).alias("slot")

    def groups(self, n: int) -> pl.Series:
        start, self._next_group = self._next_group, self._next_group + n
        return pl.int_range(start, start + n, eager=True).alias("group")

    def amounts(self, cust: pl.Series, round_rate: float) -> pl.Series:
        """Positive invoice amounts in cents: round hundreds/thousands or with cents."""
        n = len(cust)
        frame = pl.DataFrame(
            {
                "scale": self.customers["scale"].gather(cust),
                "factor": (0.6 * self.draws.normal(n)).exp(),
                "round": self.draws.chance(round_rate, n),
            }
        )
        yuan = pl.col("scale") * pl.col("factor")
        unit = pl.when(yuan >= 5000).then(1000).otherwise(100)
        rounded = ((yuan / unit).round(0).clip(1, None) * unit * 100).cast(pl.Int64)
        exact = (yuan * 100).round(0).clip(100, None).cast(pl.Int64)
        return frame.select(
            pl.when(pl.col("round")).then(rounded).otherwise(exact).alias("cents")
        ).to_series()

    def days(self, n: int, high: int) -> pl.Series:
        return self.draws.integers(0, high, n).alias("day")

    @property
    def settled_by(self) -> int:
        """Last ledger day for events whose bank side must stay inside the period."""
        return self.last_day - self.profile.timing_days


def _rows(**columns: pl.Series | pl.Expr | object) -> pl.DataFrame:
    frame = pl.DataFrame(
        {key: value for key, value in columns.items() if isinstance(value, pl.Series)}
    )
    extra = [
        (value if isinstance(value, pl.Expr) else pl.lit(value)).alias(key)
        for key, value in columns.items()
        if not isinstance(value, pl.Series)
    ]
    frame = frame.with_columns(extra) if extra else frame
    return frame.select(
        pl.col("day").cast(pl.Int64),
        pl.col("cents").cast(pl.Int64),
        pl.col("cust").cast(pl.Int64),
        pl.col("slot").cast(pl.Int64),
        pl.col("style").cast(pl.Int64),
        pl.col("group").cast(pl.Int64),
        pl.col("kind").cast(pl.Utf8),
        pl.col("reason").cast(pl.Utf8),
    )


def _pairs(world: _World, events: pl.DataFrame, kind: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """1:1 events (columns cust, day, cents, slot): a ledger line and a bank line days later.

    The bank amount is adjusted per kind (fee, rounding); a bank line that would fall after
    the period end is dropped and its ledger line becomes a `timing` leftover.
    """
    draws, profile = world.draws, world.profile
    n = events.height
    shift = draws.choice(profile.shift, n) + profile.shift_from
    left_cents = events["cents"]
    if kind == "fee":
        fixed = draws.chance(profile.fee_fixed, n)
        fixed_fee = draws.choice(profile.fee_fixed_weights, n).replace_strict(
            list(range(len(profile.fee_fixed_yuan))),
            [round(yuan * 100) for yuan in profile.fee_fixed_yuan],
        )
        rates = profile.fee_rates_bp
        rate = (
            draws.integers(0, len(rates) - 1, n).replace_strict(list(range(len(rates))), rates)
            if len(rates) > 1
            else rates[0]
        )
        rate_fee = (left_cents.abs() * rate / 10_000).round(0).cast(pl.Int64).clip(1, None)
        fee = pl.select(pl.when(fixed).then(fixed_fee).otherwise(rate_fee)).to_series()
        right_cents = left_cents + fee
    elif kind == "rounding":
        size = draws.integers(1, profile.rounding_cents, n)
        sign = pl.select(pl.when(draws.chance(0.5, n)).then(1).otherwise(-1)).to_series()
        right_cents = left_cents + size * sign
    else:
        right_cents = left_cents
    styles, lost_rate = profile.reference_styles, profile.left_reference_lost
    if kind == "typo":  # the reference stays recognisable, or nobody could tell it is a typo
        styles, lost_rate = (*styles[:STYLE_LOST], 0.0), 0.0
    frame = events.with_columns(
        right_day=(events["day"] + shift).clip(0, None),
        right_cents=right_cents,
        group=world.groups(n),
        left_style=pl.select(
            pl.when(draws.chance(lost_rate, n)).then(STYLE_LOST).otherwise(0)
        ).to_series(),
        right_style=draws.choice(styles, n),
    )
    overflow = pl.col("right_day") > world.last_day
    inside = frame.filter(~overflow)
    late = frame.filter(overflow)
    left = pl.concat(
        [
            _rows(
                day=inside["day"],
                cents=inside["cents"],
                cust=inside["cust"],
                slot=inside["slot"],
                style=inside["left_style"],
                group=inside["group"],
                kind=kind,
                reason=None,
            ),
            _rows(
                day=late["day"],
                cents=late["cents"],
                cust=late["cust"],
                slot=late["slot"],
                style=late["left_style"],
                group=-1,
                kind=None,
                reason="timing",
            ),
        ]
    )
    right = _rows(
        day=inside["right_day"],
        cents=inside["right_cents"],
        cust=inside["cust"],
        slot=inside["slot"],
        style=inside["right_style"],
        group=inside["group"],
        kind=kind,
        reason=None,
    )
    return left, right


def _one_to_one(world: _World, n: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    draws = world.draws
    cust = world.pick_customers(n)
    cents = world.amounts(cust, world.profile.round_amount)
    refund = draws.chance(world.profile.refund, n)
    signed = pl.select(pl.when(refund).then(cents).otherwise(-cents)).to_series()
    events = pl.DataFrame(
        [cust, world.days(n, world.last_day), signed.alias("cents"), world.slots(n)]
    )
    return _pairs(world, events, "one_to_one")


def _adjusted(world: _World, n: int, kind: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """fee, rounding and typo events: receipts with a difference between the two sides."""
    cust = world.pick_customers(n)
    round_rate = 0.0 if kind == "typo" else world.profile.round_amount
    cents = -world.amounts(cust, round_rate)
    events = pl.DataFrame(
        [cust, world.days(n, world.settled_by), cents.alias("cents"), world.slots(n)]
    )
    return _pairs(world, events, kind)


def _recurring(world: _World, n: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Monthly fees: per contract one equal amount each month around a fixed day."""
    draws, profile = world.draws, world.profile
    starts = []
    month = profile.period_start.replace(day=1)
    while month <= profile.period_end:
        starts.append((month - profile.period_start).days)
        month = (month + timedelta(days=32)).replace(day=1)
    contracts = max(1, math.ceil(n / len(starts)))
    cust = world.pick_customers(contracts)
    scale = world.customers["scale"].gather(cust) * (0.4 * draws.normal(contracts)).exp()
    unit = pl.select(pl.when(scale >= 5000).then(1000).otherwise(100)).to_series()
    amount = ((scale / unit).round(0).clip(1, None) * unit * 100).cast(pl.Int64)
    if profile.recurring_equal > 0:  # another contract of the customer at the same fee
        same = draws.chance(profile.recurring_equal, contracts)
        amount = (
            pl.DataFrame({"cust": cust, "amount": amount, "same": same})
            .select(pl.when("same").then(pl.col("amount").first().over("cust")).otherwise("amount"))
            .to_series()
        )
    table = pl.DataFrame(
        {"cust": cust, "cents": -amount, "dom": draws.integers(0, 27, contracts)}
    ).join(pl.DataFrame({"month": starts}), how="cross")
    table = table.head(n)
    jitter = draws.integers(0, 2, table.height)
    events = table.select(
        "cust",
        (pl.col("month") + pl.col("dom") + jitter).clip(0, world.last_day).alias("day"),
        "cents",
    ).with_columns(world.slots(table.height))
    return _pairs(world, events, "recurring")


def _parts(draws: Draws, totals: pl.DataFrame, sizes: pl.Series) -> pl.DataFrame:
    """Split each total (columns event, cents) into `sizes` parts of the same sign summing to it.

    Parts of totals from ¥1,000 up are whole yuan, as people pay instalments.
    """
    exploded = (
        totals.with_columns(size=sizes, part=pl.int_ranges(0, sizes))
        .explode("part")
        .with_columns(weight=0.5 + draws.uniform(int(sizes.sum())))
    )
    share = pl.col("cents") * pl.col("weight") / pl.col("weight").sum().over("event")
    piece = (
        pl.when(pl.col("cents").abs() >= 100_000)
        .then((share / 100).round(0) * 100)
        .otherwise(share.round(0))
        .cast(pl.Int64)
    )
    last = pl.col("part") == pl.col("size") - 1
    exploded = exploded.with_columns(piece=pl.when(last).then(0).otherwise(piece))
    rest = pl.col("cents") - pl.col("piece").sum().over("event")
    return exploded.with_columns(cents=pl.when(last).then(rest).otherwise(pl.col("piece")))


def _partial(world: _World, n: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """An invoice paid in 2-3 instalments; each instalment is its own 1:1 group."""
    draws = world.draws
    cust = world.pick_customers(n)
    totals = pl.DataFrame(
        {
            "event": pl.int_range(0, n, eager=True),
            "cust": cust,
            "cents": -world.amounts(cust, world.profile.round_amount),
            "slot": world.slots(n),
            "first": world.days(n, max(0, world.settled_by - 60)),
        }
    )
    sizes = draws.choice((0.7, 0.3), n) + 2
    parts = _parts(draws, totals, sizes)
    gaps = draws.integers(10, 30, parts.height)
    events = parts.with_columns(gap=gaps).select(
        "cust",
        (pl.col("first") + (pl.col("gap") * pl.col("part"))).clip(0, world.settled_by).alias("day"),
        "cents",
        "slot",
    )
    return _pairs(world, events, "partial")


def _one_to_many(world: _World, n: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One ledger line settled by 2-4 bank receipts."""
    draws, profile = world.draws, world.profile
    cust = world.pick_customers(n)
    groups = world.groups(n)
    totals = pl.DataFrame(
        {
            "event": pl.int_range(0, n, eager=True),
            "cust": cust,
            "cents": -world.amounts(cust, profile.round_amount),
            "slot": world.slots(n),
            "day": world.days(n, world.settled_by),
            "group": groups,
            "left_style": pl.select(
                pl.when(draws.chance(profile.left_reference_lost, n)).then(STYLE_LOST).otherwise(0)
            ).to_series(),
        }
    )
    parts = _parts(draws, totals, draws.choice(profile.split_sizes, n) + 2)
    left = _rows(
        day=totals["day"],
        cents=totals["cents"],
        cust=totals["cust"],
        slot=totals["slot"],
        style=totals["left_style"],
        group=totals["group"],
        kind="one_to_many",
        reason=None,
    )
    shift = draws.choice(profile.shift, parts.height) + profile.shift_from
    right = _rows(
        day=(parts["day"] + shift).clip(0, world.last_day),
        cents=parts["cents"],
        cust=parts["cust"],
        slot=parts["slot"],
        style=draws.choice(profile.reference_styles, parts.height),
        group=parts["group"],
        kind="one_to_many",
        reason=None,
    )
    return left, right


def _many_to_one(world: _World, n: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One bank receipt paying 2-8 invoices, each booked as its own ledger line."""
    draws, profile = world.draws, world.profile
    sizes = draws.choice(profile.combined_sizes, n) + 2
    events = pl.DataFrame(
        {
            "cust": world.pick_customers(n),
            "day": world.days(n, world.settled_by),
            "group": world.groups(n),
            "size": sizes,
            "same_day": draws.chance(profile.combined_same_day, n),
            "shift": draws.choice(profile.shift, n) + profile.shift_from,
            "fee": draws.chance(profile.combined_fee, n),
        }
    )
    members = events.with_columns(member=pl.int_ranges(0, pl.col("size"))).explode("member")
    m = members.height
    back = draws.integers(0, profile.combined_spread, m)
    members = members.with_columns(
        cents=-world.amounts(members["cust"], profile.round_amount),
        slot=world.slots(m),
        left_day=pl.when(pl.col("same_day"))
        .then(pl.col("day"))
        .otherwise((pl.col("day") - back).clip(0, None)),
        left_style=pl.when(draws.chance(profile.left_reference_lost, m))
        .then(STYLE_LOST)
        .otherwise(0),
    )
    rest_left, rest_right = _rows_none(), _rows_none()
    if profile.combined_partial > 0:
        members, rest_left, rest_right = _part_paid(world, events, members)
    left = _rows(
        day=members["left_day"],
        cents=members["cents"],
        cust=members["cust"],
        slot=members["slot"],
        style=members["left_style"],
        group=members["group"],
        kind="many_to_one",
        reason=None,
    )
    sums = members.group_by("group", maintain_order=True).agg(
        pl.col("cents").sum(), pl.col("slot").first()
    )
    events = events.join(sums, on="group", how="left", maintain_order="left")
    fixed_fee = draws.integers(1, 10, n) * 500
    # a combined receipt names its first invoice, lists them all, or says nothing
    style = draws.choice((0.25, 0.05, 0.05, 0.05, 0.05, 0.0, 0.2, 0.35), n)
    # many invoices, or invoices booked far apart, come with a remittance advice listing them
    span = members.group_by("group", maintain_order=True).agg(
        span=pl.col("left_day").max() - pl.col("left_day").min()
    )
    listed = events.join(span, on="group", how="left", maintain_order="left").select(
        (pl.col("size") >= profile.combined_listed_from)
        | (pl.col("span") > profile.combined_listed_span)
    )
    style = pl.select(pl.when(listed.to_series()).then(STYLE_LISTING).otherwise(style)).to_series()
    right = _rows(
        day=(events["day"] + events["shift"]).clip(0, world.last_day),
        cents=pl.select(
            pl.when(events["fee"]).then(events["cents"] + fixed_fee).otherwise(events["cents"])
        ).to_series(),
        cust=events["cust"],
        slot=events["slot"],
        style=style,
        group=events["group"],
        kind="many_to_one",
        reason=None,
    )
    return pl.concat([left, rest_left]), pl.concat([right, rest_right])


def _part_paid(
    world: _World, events: pl.DataFrame, members: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """In `combined_partial` of the combined payments the last invoice is paid only in part.

    Our ledger books the part received as that invoice's line; the rest arrives 10-30 days
    later as its own 1:1 `partial` group with the same invoice number.
    """
    draws, profile = world.draws, world.profile
    partly = events.select("group", partly=draws.chance(profile.combined_partial, events.height))
    m = members.height
    share = 0.3 + 0.4 * draws.uniform(m)
    gap = draws.integers(10, 30, m)
    whole = pl.col("full").abs() >= 100_000
    paid = (
        pl.when(whole)
        .then((pl.col("full") * pl.col("share") / 100).round(0) * 100)
        .otherwise((pl.col("full") * pl.col("share")).round(0))
        .cast(pl.Int64)
    )
    members = (
        members.join(partly, on="group", how="left", maintain_order="left")
        .with_columns(
            full=pl.col("cents"),
            share=share,
            gap=gap,
            partly=pl.col("partly") & (pl.col("member") == pl.col("size") - 1),
        )
        .with_columns(cents=pl.when("partly").then(paid).otherwise(pl.col("full")))
    )
    rest = members.filter("partly").select(
        "cust",
        (pl.col("left_day") + pl.col("gap")).clip(None, world.settled_by).alias("day"),
        (pl.col("full") - pl.col("cents")).alias("cents"),
        "slot",
    )
    rest_left, rest_right = _pairs(world, rest, "partial")
    return members.drop("full", "share", "gap", "partly"), rest_left, rest_right


def _rows_none() -> pl.DataFrame:
    return _rows(
        day=pl.Series([], dtype=pl.Int64),
        cents=pl.Series([], dtype=pl.Int64),
        cust=pl.Series([], dtype=pl.Int64),
        slot=pl.Series([], dtype=pl.Int64),
        style=pl.Series([], dtype=pl.Int64),
        group=pl.Series([], dtype=pl.Int64),
        kind=pl.Series([], dtype=pl.Utf8),
        reason=pl.Series([], dtype=pl.Utf8),
    )


def _singles(world: _World, n: int, reason: str, high: int, low: int = 0) -> pl.DataFrame:
    """Lines present on one side only: `timing` near the period end or `missing` anywhere else."""
    draws = world.draws
    cust = world.pick_customers(n)
    round_rate = world.profile.round_amount if reason == "timing" else 0.0
    style = (
        draws.choice(world.profile.reference_styles, n)
        if reason == "timing"
        else draws.choice((0.3, 0.0, 0.0, 0.0, 0.0, 0.2, 0.5), n)
    )
    return _rows(
        day=draws.integers(low, high, n),
        cents=-world.amounts(cust, round_rate),
        cust=cust,
        slot=world.slots(n),
        style=style,
        group=-1,
        kind=None,
        reason=reason,
    )


def _event_counts(profile: Profile, n_lines: int) -> dict[str, int]:
    combined = sum((size + 3) * p for size, p in enumerate(profile.combined_sizes)) / sum(
        profile.combined_sizes
    )
    split = sum((size + 3) * p for size, p in enumerate(profile.split_sizes)) / sum(
        profile.split_sizes
    )
    lines_per_event = {
        "one_to_one": 2.0,
        "recurring": 2.0,
        "partial": 4.6,
        "one_to_many": split,
        "many_to_one": combined,
        "fee": 2.0,
        "rounding": 2.0,
        "typo": 2.0,
        "timing_right": 1.0,
        "missing_left": 1.0,
        "missing_right": 1.0,
        "duplicate": 1.0,
    }
    shares = {name: float(getattr(profile, name)) for name in lines_per_event}
    per_event = sum(shares[name] * lines for name, lines in lines_per_event.items())
    events = n_lines / per_event
    return {name: round(events * share) for name, share in shares.items()}


def _typo_amounts(
    draws: Draws, profile: Profile, left: pl.DataFrame, right: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Mistype one side's amount in every `typo` group (`Profile.typo_kinds`; by default two
    adjacent differing digits swapped)."""
    is_typo = pl.col("kind") == "typo"
    groups = left.filter(is_typo)["group"].to_list()
    on_left = set(
        g for g, flip in zip(groups, draws.chance(0.5, len(groups)).to_list(), strict=True) if flip
    )
    positions = draws.uniform(len(groups)).to_list()
    if len(profile.typo_kinds) > 1:
        kinds = draws.choice(profile.typo_kinds, len(groups)).to_list()
        digits = draws.uniform(len(groups)).to_list()
        how = {g: (TYPO_KINDS[k], d) for g, k, d in zip(groups, kinds, digits, strict=True)}
    else:
        how = {g: ("swap", 0.0) for g in groups}
    where = dict(zip(groups, positions, strict=True))

    def swapped(frame: pl.DataFrame, side_left: bool) -> pl.DataFrame:
        rows = frame.with_row_index("row").filter(is_typo)
        chosen = [
            (row, cents, group)
            for row, cents, group in zip(rows["row"], rows["cents"], rows["group"], strict=True)
            if (group in on_left) == side_left
        ]
        if not chosen:
            return frame
        new = frame["cents"].to_list()
        for row, cents, group in chosen:
            kind, digit = how[group]
            new[row] = _mistype_cents(cents, kind, where[group], digit)
        return frame.with_columns(cents=pl.Series(new, dtype=pl.Int64))

    return swapped(left, True), swapped(right, False)


def _mistype_cents(cents: int, kind: str, u: float, v: float) -> int:
    """`cents` as typed with one mistake of `kind` (TYPO_KINDS); `u` picks the place, `v` the
    wrong digit. The result always differs and keeps the sign."""
    if kind == "swap":
        return _transpose_cents(cents, u)
    sign = 1 if cents > 0 else -1
    digits = str(abs(cents))
    if kind == "unit":
        return cents * 10
    i = int(u * len(digits))
    if kind == "dropped_digit" and len(digits) > 1:
        typed = digits[:i] + digits[i + 1 :]
        if int(typed) == 0 or typed[0] == "0":  # dropping a leading digit before a zero
            typed = digits[:-1]
        return sign * int(typed)
    # one digit wrong (also a dropped digit of a one-digit amount)
    low = 1 if i == 0 else 0
    choices = [d for d in "0123456789"[low:] if d != digits[i]]
    typed = digits[:i] + choices[int(v * len(choices))] + digits[i + 1 :]
    return sign * int(typed)


def _transpose_cents(cents: int, u: float) -> int:
    digits = str(abs(cents))
    places = [
        i
        for i in range(len(digits) - 1)
        if digits[i] != digits[i + 1] and not (i == 0 and digits[1] == "0")
    ]
    if not places:
        return cents + (900 if cents > 0 else -900)
    i = places[int(u * len(places))]
    typed = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
    return int(typed) if cents > 0 else -int(typed)


def _transpose_number(number: int, u: float) -> int:
    digits = str(number)
    places = [
        i
        for i in range(len(digits) - 1)
        if digits[i] != digits[i + 1] and not (i == 0 and digits[1] == "0")
    ]
    if not places:
        return number
    i = places[int(u * len(places))]
    return int(digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :])


def _duplicates(
    world: _World, left: pl.DataFrame, right: pl.DataFrame, n: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Repeat `n` rendered lines of 1:1 groups on their own side, exactly but for the id.

    Double postings and overlapping statement downloads look like this.
    """
    draws = world.draws
    on_left = sum(draws.chance(0.5, n).to_list())

    def repeat(frame: pl.DataFrame, k: int) -> pl.DataFrame:
        eligible = frame.filter(pl.col("kind") == "one_to_one")
        k = min(k, eligible.height)
        picked = eligible[draws.sample(eligible.height, k)]
        copies = picked.with_columns(
            dup_of=pl.col("key"),
            key=pl.int_range(frame.height, frame.height + k, dtype=pl.Int64),
            group=pl.lit(-1, pl.Int64),
            kind=pl.lit(None, pl.Utf8),
            reason=pl.lit("duplicate"),
        )
        return pl.concat([frame, copies])

    return repeat(left, on_left), repeat(right, n - on_left)


def _decidable(draws: Draws, profile: Profile, right: pl.DataFrame) -> pl.DataFrame:
    """Give a reference back to bank lines nobody could tell apart.

    Two bank lines of one customer with the same amount, days apart, neither naming an invoice,
    would make the truth a coin toss. In every such cluster only the first keeps no reference;
    the others get one of the reference styles, so elimination can still decide.
    """
    gap = 2 * len(profile.shift) - 1
    anonymous = (
        right.with_row_index("row")
        .filter(pl.col("style") == STYLE_LOST)
        .sort("cust", "cents", "day")
        .with_columns(before=pl.col("day").shift(1).over(["cust", "cents"]))
        .filter(pl.col("day") - pl.col("before") <= gap)
    )
    if anonymous.height == 0:
        return right
    restyled = anonymous.select(
        "row", new_style=draws.choice(profile.reference_styles[:5], anonymous.height)
    )
    return (
        right.with_row_index("row")
        .join(restyled, on="row", how="left")
        .with_columns(style=pl.coalesce("new_style", "style"))
        .drop("row", "new_style")
    )


def _invoice_numbers(draws: Draws, left: pl.DataFrame, right: pl.DataFrame) -> pl.DataFrame:
    """Invoice number per slot, increasing with the first date the invoice is seen."""
    seen = (
        pl.concat([left.select("slot", "day"), right.select("slot", "day")])
        .group_by("slot")
        .agg(pl.col("day").min())
        .sort("slot")
    )
    seen = seen.with_columns(noise=draws.uniform(seen.height)).sort("day", "noise")
    return seen.select("slot", number=pl.int_range(1, seen.height + 1, dtype=pl.Int64))


def _amount_text(cents: pl.Expr) -> pl.Expr:
    magnitude = cents.abs()
    sign = pl.when(cents < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return pl.concat_str(
        sign,
        (magnitude // 100).cast(pl.Utf8),
        pl.lit("."),
        (magnitude % 100).cast(pl.Utf8).str.zfill(2),
    )


def _date_text(profile: Profile, day: pl.Expr) -> pl.Expr:
    return (pl.lit(profile.period_start) + pl.duration(days=day)).dt.strftime("%Y-%m-%d")


def _pick(index: pl.Expr, options: Sequence[str]) -> pl.Expr:
    expr = pl.lit(options[-1])
    for position in range(len(options) - 2, -1, -1):
        expr = pl.when(index == position).then(pl.lit(options[position])).otherwise(expr)
    return expr


def _render_left(
    world: _World, rows: pl.DataFrame, numbers: pl.DataFrame, canon: pl.DataFrame
) -> pl.DataFrame:
    n = rows.height
    frame = rows.join(numbers, on="slot", how="left").join(canon, on="cust", how="left")
    frame = frame.with_columns(pick=world.draws.integers(0, len(LEFT_DESCRIPTIONS) - 1, n))
    num6 = pl.col("number").cast(pl.Utf8).str.zfill(6)
    description = (
        pl.when(pl.col("cents") > 0)
        .then(pl.lit("退款"))
        .when(pl.col("kind") == "partial")
        .then(pl.lit("部分收款"))
        .otherwise(_pick(pl.col("pick"), LEFT_DESCRIPTIONS))
    )
    return frame.select(
        "key",
        "day",
        pl.col("group"),
        pl.col("kind"),
        pl.col("reason"),
        pl.col("dup_of"),
        pl.col("cents"),
        reference=pl.when(pl.col("style") == STYLE_LOST)
        .then(pl.lit(""))
        .otherwise(pl.lit(YEAR_PREFIX) + num6),
        counterparty=pl.col("name"),
        description=description,
        customer=pl.col("code"),
    )


def _render_right(
    world: _World,
    rows: pl.DataFrame,
    numbers: pl.DataFrame,
    variants: pl.DataFrame,
    listings: pl.DataFrame,
) -> pl.DataFrame:
    draws, profile = world.draws, world.profile
    n = rows.height
    typo_u = draws.uniform(n)
    frame = rows.join(numbers, on="slot", how="left").with_columns(
        variant=draws.choice(profile.counterparty_variants, n),
        has_code=draws.chance(profile.right_customer, n),
        serial=draws.chance(profile.bank_serial, n),
        serial_number=(draws.uniform(n) * 1e12).floor().cast(pl.Int64),
        typo=draws.chance(profile.reference_typo, n) & (pl.col("style") < STYLE_LOST),
        template=draws.integers(0, 3, n),
        generic=draws.integers(0, len(BANK_DESCRIPTIONS) - 1, n),
        typo_u=typo_u,
    )
    typos = frame.filter("typo").select("key", "number", "typo_u")
    if typos.height:
        typed = [
            _transpose_number(number, u)
            for number, u in zip(typos["number"], typos["typo_u"], strict=True)
        ]
        frame = frame.join(
            typos.select("key", typed=pl.Series(typed, dtype=pl.Int64)), on="key", how="left"
        ).with_columns(number=pl.coalesce("typed", "number"))
    frame = (
        frame.join(variants, on=["cust", "variant"], how="left")
        .join(listings, on="group", how="left")
        .with_columns(
            num6=pl.col("number").cast(pl.Utf8).str.zfill(6),
            plain=pl.col("number").cast(pl.Utf8),
        )
    )
    style = pl.col("style")
    serial = pl.when(pl.col("serial")).then(
        pl.lit("2026") + pl.col("serial_number").cast(pl.Utf8).str.zfill(12)
    )
    reference = (
        pl.when(style == 0)
        .then(pl.lit(YEAR_PREFIX) + pl.col("num6"))
        .when(style == 1)
        .then(pl.lit("INV2026") + pl.col("num6"))
        .when(style == 2)
        .then(pl.col("num6"))
        .when(style == 3)
        .then(pl.col("plain"))
        .when(style == 4)
        .then(pl.lit("FP") + pl.col("plain"))
        .otherwise(serial.otherwise(pl.lit("")))
    )
    in_text = (
        pl.when(pl.col("template") == 0)
        .then(pl.lit("付发票") + pl.col("plain") + pl.lit("款"))
        .when(pl.col("template") == 1)
        .then(pl.lit("发票号") + pl.col("num6") + pl.lit("货款"))
        .when(pl.col("template") == 2)
        .then(pl.lit(YEAR_PREFIX) + pl.col("num6") + pl.lit(" 货款"))
        .otherwise(pl.lit("PAYMENT INV ") + pl.col("plain"))
    )
    description = (
        pl.when(pl.col("cents") > 0)
        .then(pl.lit("退款"))
        .when(style == 5)
        .then(in_text)
        .when(style == STYLE_LISTING)
        .then(pl.col("listing"))
        .otherwise(_pick(pl.col("generic"), BANK_DESCRIPTIONS))
    )
    has_code = pl.col("has_code")
    if profile.reference_forms:
        reference, description = _other_forms(
            world, frame, reference, description, serial.otherwise(pl.lit(""))
        )
    if profile.nameless_keeps_code > 0:
        keeps = draws.chance(profile.nameless_keeps_code, n)
        nameless = pl.col("variant").is_in(names.NAMELESS_VARIANTS)
        has_code = has_code | (nameless & (style == STYLE_LOST) & pl.lit(keeps))
    return frame.select(
        "key",
        "day",
        "group",
        "kind",
        "reason",
        "dup_of",
        "cents",
        reference=reference,
        counterparty=pl.col("name").fill_null(""),
        description=description,
        customer=pl.when(has_code).then(pl.col("code")).otherwise(pl.lit("")),
    )


def _other_forms(
    world: _World,
    frame: pl.DataFrame,
    reference: pl.Expr,
    description: pl.Expr,
    no_invoice: pl.Expr,
) -> tuple[pl.Expr, pl.Expr]:
    """Reference and description with `Profile.reference_forms` applied (REFERENCE_FORMS).

    Only lines that name their invoice (styles before `lost`) change form; a form written in
    the description leaves the reference as `no_invoice` (empty or a bank serial), and a refund
    keeps its 退款.
    """
    forms = world.profile.reference_forms
    drawn = world.draws.choice((max(0.0, 1.0 - sum(forms)), *forms), frame.height)
    form = pl.when(pl.col("style") < STYLE_LOST).then(pl.lit(drawn)).otherwise(0)
    plain, num6 = pl.col("plain"), pl.col("num6")
    full_width = plain
    for digit in range(10):
        full_width = full_width.str.replace_all(str(digit), chr(0xFF10 + digit), literal=True)
    in_reference = (
        pl.when(form == 1)
        .then(pl.lit("No.") + num6)
        .when(form == 2)
        .then(pl.lit("FP-2026-") + plain)
        .when(form == 3)
        .then(pl.lit("INV/2026/") + num6)
    )
    in_text = (
        pl.when(form == 4)
        .then(pl.lit("发票号码:") + plain)
        .when(form == 5)
        .then(pl.lit("付发票") + full_width + pl.lit("款"))
        .when(form == 6)
        .then(pl.lit("单号") + plain)
        .when(form == 7)
        .then(pl.lit("INVOICE ") + plain + pl.lit(" PAYMENT"))
    )
    refund = pl.col("cents") > 0
    new_reference = (
        pl.when(form == 0).then(reference).when(form <= 3).then(in_reference).otherwise(no_invoice)
    )
    new_description = (
        pl.when(form <= 3)
        .then(description)
        .when(refund)
        .then(pl.lit("退款 ") + in_text)
        .otherwise(in_text)
    )
    return new_reference, new_description


def _listings(left: pl.DataFrame, right: pl.DataFrame, numbers: pl.DataFrame) -> pl.DataFrame:
    """付发票123、124、125款 for combined receipts that list their invoices."""
    wanted = right.filter(pl.col("style") == STYLE_LISTING).select("group")
    members = (
        left.join(wanted, on="group", how="semi")
        .join(numbers, on="slot", how="left")
        .sort("number")
        .group_by("group")
        .agg(pl.col("number").cast(pl.Utf8).str.join("、"))
    )
    return members.select("group", listing=pl.lit("付发票") + pl.col("number") + pl.lit("款"))


def _with_ids(frame: pl.DataFrame, prefix: str, draws: Draws) -> pl.DataFrame:
    ordered = frame.with_columns(noise=draws.uniform(frame.height)).sort("day", "noise")
    return ordered.with_columns(position=pl.int_range(1, ordered.height + 1)).with_columns(
        id=pl.lit(prefix) + pl.col("position").cast(pl.Utf8).str.zfill(7)
    )


def generate(
    n_lines: int, seed: int, profile: Profile = DEFAULT
) -> tuple[pl.DataFrame, pl.DataFrame, Truth]:
    """About `n_lines` lines in all (both sides), as canonical-CSV frames, and the truth."""
    draws = Draws(seed)
    world = _World(draws, profile, n_lines)
    counts = _event_counts(profile, n_lines)
    built = [
        _one_to_one(world, counts["one_to_one"]),
        _recurring(world, counts["recurring"]),
        _partial(world, counts["partial"]),
        _one_to_many(world, counts["one_to_many"]),
        _many_to_one(world, counts["many_to_one"]),
        _adjusted(world, counts["fee"], "fee"),
        _adjusted(world, counts["rounding"], "rounding"),
        _adjusted(world, counts["typo"], "typo"),
    ]
    last = world.last_day
    left = pl.concat(
        [pair[0] for pair in built]
        + [_singles(world, counts["missing_left"], "missing", last - profile.missing_gap)]
    )
    right = pl.concat(
        [pair[1] for pair in built]
        + [
            _singles(world, counts["missing_right"], "missing", last - profile.missing_gap),
            _singles(world, counts["timing_right"], "timing", last, last - profile.timing_days + 1),
        ]
    )
    left, right = (
        frame.with_row_index("key").with_columns(
            pl.col("key").cast(pl.Int64), dup_of=pl.lit(None, pl.Int64)
        )
        for frame in _typo_amounts(draws, profile, left, _decidable(draws, profile, right))
    )
    numbers = _invoice_numbers(draws, left, right)
    companies = world.customers.select("cust", "company").to_dicts()
    variants = pl.DataFrame(
        [
            {"cust": row["cust"], "variant": index, "name": name}
            for row in companies
            for index, name in enumerate(names.company_variants(row["company"]))
        ],
        schema={"cust": pl.Int64, "variant": pl.Int64, "name": pl.Utf8},
    )
    codes = pl.DataFrame(
        {
            "cust": [row["cust"] for row in companies],
            "code": [f"C{row['cust'] + 1:05d}" for row in companies],
        },
        schema={"cust": pl.Int64, "code": pl.Utf8},
    )
    canon = variants.filter(pl.col("variant") == 0).drop("variant").join(codes, on="cust")
    listings = _listings(left, right, numbers)
    left_rendered, right_rendered = _duplicates(
        world,
        _render_left(world, left, numbers, canon),
        _render_right(world, right.join(codes, on="cust", how="left"), numbers, variants, listings),
        counts["duplicate"],
    )
    left_rendered = _with_ids(left_rendered, "L", draws)
    right_rendered = _with_ids(right_rendered, "R", draws)
    truth = _truth(left_rendered, right_rendered, profile, seed)
    return _canonical(left_rendered, profile), _canonical(right_rendered, profile), truth


def _canonical(frame: pl.DataFrame, profile: Profile) -> pl.DataFrame:
    return frame.select(
        "id",
        date=_date_text(profile, pl.col("day")),
        amount=_amount_text(pl.col("cents")),
        currency=pl.lit("CNY"),
        reference="reference",
        counterparty="counterparty",
        description="description",
        customer="customer",
    )


_TRUTH_COLUMNS = ("id", "position", "key", "group", "kind", "reason", "dup_of", "cents")


def _truth(left: pl.DataFrame, right: pl.DataFrame, profile: Profile, seed: int) -> Truth:
    sides = pl.concat(
        [
            left.lazy().select(*_TRUTH_COLUMNS, side=pl.lit("left")),
            right.lazy().select(*_TRUTH_COLUMNS, side=pl.lit("right")),
        ]
    )
    is_left = pl.col("side") == "left"
    # groups numbered in the order of their first left line, so the number says nothing of the kind
    groups = (
        sides.filter(pl.col("group") >= 0)
        .with_columns(
            first=pl.col("position").filter(is_left).min().over("group"),
            difference_cents=pl.when(is_left)
            .then(pl.col("cents"))
            .otherwise(-pl.col("cents"))
            .sum()
            .over("group"),
        )
        .sort("first", "side", "position")
        .select(
            pl.format("G{}", pl.col("first").rank("dense").cast(pl.Utf8).str.zfill(7)).alias(
                "group_id"
            ),
            "kind",
            "side",
            "id",
            difference=pl.when(pl.col("difference_cents") == 0)
            .then(pl.lit("0"))
            .otherwise(_amount_text(pl.col("difference_cents"))),
        )
    )
    originals = sides.select("side", dup_of="key", duplicate_of="id")
    leftovers = (
        sides.filter(pl.col("reason").is_not_null())
        .join(originals, on=["side", "dup_of"], how="left")
        .sort("side", "position")
        .select("side", "id", "reason", pl.col("duplicate_of").fill_null(""))
    )
    collected_groups, collected_leftovers = pl.collect_all([groups, leftovers])
    return Truth(
        groups=collected_groups,
        leftovers=collected_leftovers,
        period_start=profile.period_start,
        period_end=profile.period_end,
        seed=seed,
        profile=profile,
        lines=left.height + right.height,
    )


def write_case(directory: Path, left: pl.DataFrame, right: pl.DataFrame, truth: Truth) -> None:
    """left.csv, right.csv, truth_groups.csv, truth_leftovers.csv and truth.json (the meta)."""
    directory.mkdir(parents=True, exist_ok=True)
    left.write_csv(directory / "left.csv")
    right.write_csv(directory / "right.csv")
    truth.groups.write_csv(directory / "truth_groups.csv")
    truth.leftovers.write_csv(directory / "truth_leftovers.csv")
    kinds = truth.groups.unique(["group_id"]).group_by("kind").len().sort("kind")
    reasons = truth.leftovers.group_by("reason").len().sort("reason")
    meta = {
        "period_start": truth.period_start.isoformat(),
        "period_end": truth.period_end.isoformat(),
        "seed": truth.seed,
        "lines": truth.lines,
        "left_lines": left.height,
        "right_lines": right.height,
        "groups_by_kind": dict(zip(kinds["kind"], kinds["len"], strict=True)),
        "leftovers_by_reason": dict(zip(reasons["reason"], reasons["len"], strict=True)),
        "profile": asdict(truth.profile),
    }
    (directory / "truth.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--lines", type=int, required=True, help="about this many lines, both sides"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", choices=sorted(PROFILES), default=DEFAULT.name)
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="change one profile field, e.g. --set shift=0.2,0.3,0.5 --set fee=0.05 (repeatable)",
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        profile = with_settings(PROFILES[args.profile], args.set)
    except ValueError as error:
        parser.error(str(error))
    left, right, truth = generate(args.lines, args.seed, profile)
    write_case(args.out, left, right, truth)
    print(f"{truth.lines} lines ({left.height} left, {right.height} right) in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
