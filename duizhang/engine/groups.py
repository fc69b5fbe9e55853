"""One payment for several invoices, several receipts for one payment, and fee tolerance.

Runs on the residual entries only, block by block, in plain Python: a bounded meet-in-the-middle
subset search over the few nearest candidates of each entry. A group is linked only when it is
the one solution for its entry and shares no entry with another solution; everything else
becomes a suggestion.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from dataclasses import dataclass

import polars as pl

from duizhang.engine.normalize import names_alike
from duizhang.engine.options import MatchOptions


@dataclass(frozen=True, slots=True)
class Item:
    row: int
    day: int  # date as an ordinal
    amt: int  # 1/10000 units
    name: str  # normalised counterparty name, may be empty


@dataclass(frozen=True, slots=True)
class Solution:
    one_side: str  # "left" or "right": the side with the single entry
    one: int
    members: tuple[int, ...]
    difference: int  # sum(left) - sum(right)
    date_span: int


def _items(frame: pl.DataFrame) -> dict[str, list[Item]]:
    blocks: dict[str, list[Item]] = defaultdict(list)
    days = frame["date"].cast(pl.Int32).to_list()
    columns = (frame["row"], frame["blk"], days, frame["amt"], frame["name"])
    for row, blk, day, amt, name in zip(*(list(c) for c in columns), strict=True):
        blocks[blk].append(Item(row, day, amt, name))
    for items in blocks.values():
        items.sort(key=lambda item: (item.day, item.row))
    return blocks


def find_groups(
    left: pl.DataFrame, right: pl.DataFrame, options: MatchOptions
) -> tuple[list[Solution], list[Solution]]:
    """Accepted and ambiguous solutions over the residual entries of both sides."""
    lblocks, rblocks = _items(left), _items(right)
    found: list[Solution] = []
    ambiguous: list[Solution] = []
    for blk in lblocks.keys() & rblocks.keys():
        for one_side, ones, many in (
            ("right", rblocks[blk], lblocks[blk]),
            ("left", lblocks[blk], rblocks[blk]),
        ):
            days = [item.day for item in many]
            for target in ones:
                solutions = _solve(target, many, days, options)
                if len(solutions) == 1:
                    found.append(_solution(one_side, target, solutions[0]))
                else:
                    ambiguous.extend(_solution(one_side, target, members) for members in solutions)
    return _without_conflicts(found, ambiguous)


def _solve(
    target: Item, many: list[Item], days: list[int], options: MatchOptions
) -> list[tuple[Item, ...]]:
    """Up to two subsets of `many` for `target`: exact sums of 2+ entries first, else sums
    within tolerance (a bank fee or rounding, 1+ entries) over fewer, nearer candidates."""
    lo = bisect.bisect_left(days, target.day - options.group_window)
    hi = bisect.bisect_right(days, target.day + options.group_window)
    tolerance = min(
        int(options.tolerance_abs * 10_000), int(abs(target.amt) * options.tolerance_rel)
    )
    sign = 1 if target.amt > 0 else -1
    pool = [
        item
        for item in many[lo:hi]
        if item.amt * sign > 0
        and abs(item.amt) <= abs(target.amt) + tolerance
        and names_alike(item.name, target.name, options.name_threshold)
    ]
    if not pool:
        return []
    pool.sort(key=lambda item: (abs(item.day - target.day), item.row))
    exact = _subsets(target.amt, pool[: options.max_group_candidates], 0, 2, options.max_group_size)
    if exact:
        return exact
    if tolerance == 0:
        return []
    return _subsets(
        target.amt, pool[: options.max_tolerance_candidates], tolerance, 1, options.max_group_size
    )


def _subsets(
    target: int, pool: list[Item], tolerance: int, min_size: int, max_size: int
) -> list[tuple[Item, ...]]:
    """Meet in the middle: subsets of each half by sum, then pairs of halves that hit the target
    within `tolerance`. Stops at the second solution: two are already ambiguous."""
    if sum(item.amt for item in pool) * (1 if target > 0 else -1) < abs(target) - tolerance:
        return []
    half = len(pool) // 2
    first, second = _by_sum(pool[:half], max_size), _by_sum(pool[half:], max_size)
    sums = sorted(second)
    solutions: list[tuple[Item, ...]] = []
    for total_a, subsets_a in first.items():
        start = bisect.bisect_left(sums, target - tolerance - total_a)
        stop = bisect.bisect_right(sums, target + tolerance - total_a)
        for total_b in sums[start:stop]:
            for a, b in itertools.product(subsets_a, second[total_b]):
                if min_size <= len(a) + len(b) <= max_size:
                    solutions.append(a + b)
                    if len(solutions) > 1:
                        return solutions
    return solutions


def _by_sum(items: list[Item], max_size: int) -> dict[int, list[tuple[Item, ...]]]:
    table: dict[int, list[tuple[Item, ...]]] = defaultdict(list)
    for size in range(min(len(items), max_size) + 1):
        for combo in itertools.combinations(items, size):
            table[sum(item.amt for item in combo)].append(combo)
    return table


def _solution(one_side: str, target: Item, members: tuple[Item, ...]) -> Solution:
    """A pair found from either side is written one way, so that it counts once."""
    if len(members) == 1 and one_side == "left":
        one_side, target, members = "right", members[0], (target,)
    total = sum(item.amt for item in members)
    difference = target.amt - total if one_side == "left" else total - target.amt
    span = max(abs(item.day - target.day) for item in members)
    return Solution(
        one_side, target.row, tuple(sorted(item.row for item in members)), difference, span
    )


def _without_conflicts(
    found: list[Solution], ambiguous: list[Solution]
) -> tuple[list[Solution], list[Solution]]:
    """Keep solutions whose entries appear in no other solution (found or ambiguous); the same
    group found from both directions counts once."""
    unique = {(s.one_side, s.one, s.members): s for s in found}
    usage: dict[tuple[str, int], int] = defaultdict(int)
    for s in (*unique.values(), *ambiguous):
        for key in _entries(s):
            usage[key] += 1
    accepted, rejected = [], list(ambiguous)
    for s in unique.values():
        if all(usage[key] == 1 for key in _entries(s)):
            accepted.append(s)
        else:
            rejected.append(s)
    return accepted, rejected


def _entries(s: Solution) -> list[tuple[str, int]]:
    other = "left" if s.one_side == "right" else "right"
    return [(s.one_side, s.one), *((other, row) for row in s.members)]
