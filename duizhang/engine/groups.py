"""One payment for several invoices, several receipts for one payment, and fee tolerance.

Runs on the residual entries only, block by block, in plain Python: a bounded meet-in-the-middle
subset search over the few nearest candidates of each entry. A group is linked only when it is
the one solution for its entry and shares no entry with another solution; everything else
becomes a suggestion.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from heapq import nsmallest
from itertools import repeat
from operator import attrgetter
from typing import NamedTuple

import polars as pl

from duizhang.engine.money import UNITS_PER_ONE, WHOLE_HUNDREDS, WHOLE_TENS, to_units
from duizhang.engine.normalize import names_alike
from duizhang.engine.options import MatchOptions
from duizhang.engine.typos import amount_typo, fee_or_rounding, is_rate_fee, rounded_down, swapped

# In a block with more open entries than this on both sides (a payment platform, a customer
# that posts hundreds of lines a day) only the targets that name a document are searched, and
# mostly for groups of the entries they name (`_wholly_named`): every target there has thousands
# of candidates in reach, so a sum that fits is a coincidence as often as a payment, the rest
# of a named invoice's group too, and searching them all cost a minute and 7 GB at a million
# lines of such a ledger.
MAX_BLOCK_ENTRIES = 1_500
# Days a member of a group may lie outside the usual lag (booked over several days).
LAG_SLACK = 2
# Days a member may lie outside it where nothing nearer adds up (`_farther`).
_FAR_SLACK = 4
# Days further still that the companions of an invoice a receipt names may lie (booked over a
# week or more, paid together under the first one's number).
_NAMED_SLACK = 5
_NO_DOCS: frozenset[str] = frozenset()
# Days over which the members of a group that only a fee or rounding makes add up may have been
# booked, unless the target names them all or says how many it pays (`_spread_fee`).
_FEE_SPREAD = 5
# Entries searched for the rest of a payment that names one of its invoices (2^6 sums a half).
_NAMED_REST_POOL = 12
# The rows an entry shares a document number with, for the many that share none (never changed:
# one empty set rather than a new one per target).
_NO_ROWS: set[int] = set()
# An entry's day counts from 1970-01-01 (Polars' dates); a Python date's ordinal from year 1.
_EPOCH = date(1970, 1, 1).toordinal()
_MONTH_STARTS: dict[int, int] = {}


def bisect_left(values: list[int], x: int, lo: int = 0, hi: int = -1) -> int:
    """`bisect.bisect_left` on integers (`hi` -1: the end), compiled with the search: the
    standard library's, called from compiled code, costs a lookup and a generic call each time,
    and the search bisects a few hundred thousand times at 1M lines."""
    if hi < 0:
        hi = len(values)
    while lo < hi:
        middle = (lo + hi) // 2
        if values[middle] < x:
            lo = middle + 1
        else:
            hi = middle
    return lo


def bisect_right(values: list[int], x: int, lo: int = 0, hi: int = -1) -> int:
    """`bisect.bisect_right` on integers, as `bisect_left` is."""
    if hi < 0:
        hi = len(values)
    while lo < hi:
        middle = (lo + hi) // 2
        if x < values[middle]:
            hi = middle
        else:
            lo = middle + 1
    return lo


class Item(NamedTuple):
    """One residual entry (a tuple: a block holds tens of thousands, built in a tight loop)."""

    row: int
    day: int  # date as days since 1970-01-01
    amt: int  # 1/10000 units
    name: str  # normalised counterparty name, may be empty
    listing: bool = False  # its memo lists several documents
    docs: frozenset[str] = frozenset()  # the key forms of the documents it names
    stated: int = 0  # how many documents its memo says it pays (`等6张`); 0: unsaid


class Plausibility(NamedTuple):
    """What makes one subset that sums right likelier than another; compared in this order."""

    shared: int = 0  # members sharing a document number with the target
    one_day: int = 0  # 1 when all members were booked on one day
    lag_fit: int = 0  # minus the days members lie outside the usual lag


NO_EVIDENCE = Plausibility()
# below every real score: a solution that gives way to any rival for its entries
YIELDS = Plausibility(shared=-1)


# Solutions, sides (`_Side`) and searches (`_Search`) are made by the thousand, and are plain
# classes: compiled, a dataclass's `__init__` stays Python code (a frozen one's sets each field
# through object.__setattr__), and building a solution cost as much as scoring it.
class Solution:
    """A group found for one entry (`one`, on `one_side`): the rows of its members on the other
    side, its difference and date span, and the score it won (or lost) with."""

    def __init__(
        self,
        one_side: str,
        one: int,
        members: tuple[int, ...],
        difference: int,
        date_span: int,
        score: Plausibility = NO_EVIDENCE,
        typo_reading: bool = False,
    ) -> None:
        self.one_side = one_side  # "left" or "right": the side with the single entry
        self.one = one
        self.members = members
        self.difference = difference  # sum(left) - sum(right)
        self.date_span = date_span
        self.score = score
        # a suggestion whose target also reads as a mistyped amount of the member it names:
        # the typing-error rule must not settle that question either
        self.typo_reading = typo_reading


def _items(frame: pl.DataFrame) -> dict[int, list[Item]]:
    """Each block's entries in date order. Polars sorts and cuts the blocks, and the tuples are
    made in C (`tuple.__new__` over zipped columns) rather than by the named tuple's Python
    constructor, entry by entry."""
    ordered = frame.select(
        "blk", "date", "row", "amt", "cust", "name", "listing", "docs", "stated"
    ).sort("blk", "date", "row")
    columns = ordered.select(
        "row",
        pl.col("date").cast(pl.Int32),
        "amt",
        # names only tell entries apart where no customer code does
        pl.when(pl.col("cust") == "").then(pl.col("name")).otherwise(pl.lit("")),
        "listing",
    )
    docs = [frozenset(found) if found else _NO_DOCS for found in ordered["docs"].to_list()]
    items: list[Item] = list(
        map(
            tuple.__new__,
            repeat(Item),
            zip(*[c.to_list() for c in columns], docs, ordered["stated"].to_list(), strict=True),
        )
    )
    blocks: dict[int, list[Item]] = {}
    start = 0
    for blk, size in ordered.group_by("blk", maintain_order=True).len().iter_rows():
        blocks[blk] = items[start : start + size]
        start += size
    return blocks


class _Side:
    """One side of one block: entries in date order, their days (for bisect), and by row."""

    def __init__(self, items: list[Item]) -> None:
        self.items = items
        self.days = [item.day for item in items]
        self.by_row = {item.row: item for item in items}
        self.by_amount = _by_amount(items)
        # in amount order, for the entries within a fee of an amount
        self.by_size = sorted(items, key=attrgetter("amt", "row"))
        self.sizes = [item.amt for item in self.by_size]
        # running[i]: the total of items[:i], for the total of a run of days
        running = [0] * (len(items) + 1)
        for index, item in enumerate(items):
            running[index + 1] = running[index] + item.amt
        self.running = running
        self._serials: dict[int, int] | None = None
        self._batches: _Batches | None = None

    def serials(self) -> dict[int, int]:
        """By row, the document number an entry names as an integer, where it has one of
        `_SEQUENCE_DIGITS` digits or more (its longest form): for runs of invoice numbers
        (`_numbered_runs`). Read on first use: most blocks never need them."""
        if self._serials is None:
            serials: dict[int, int] = {}
            for item in self.items:
                numbers = [n for n in item.docs if len(n) >= _SEQUENCE_DIGITS and n.isdigit()]
                if numbers:
                    serials[item.row] = int(max(numbers, key=lambda n: (len(n), n)))
            self._serials = serials
        return self._serials

    def batches(self) -> _Batches:
        """The entries whose document numbers could be part of a run (`_Batches`), read on
        first use."""
        if self._batches is None:
            self._batches = _Batches.of(self.items, self.serials())
        return self._batches


class _Batches:
    """A side's entries numbered within `_SEQUENCE_GAP` of another of its entries: a run of
    invoice numbers (`_numbered_runs`, `_named_run`) only ever joins entries of one such
    batch, whatever the target rules out of it, and about half of the entries that bear a
    number stand alone, with nothing to look at.

    `batch[row]`: the rows of its batch; `items` and `days`: the entries of any batch, in date
    order."""

    def __init__(self, batch: dict[int, list[int]], items: list[Item]) -> None:
        self.batch = batch
        self.items = items
        self.days = [item.day for item in items]

    @classmethod
    def of(cls, items: list[Item], serials: dict[int, int]) -> _Batches:
        ordered = sorted((serial, row) for row, serial in serials.items())
        batch: dict[int, list[int]] = {}
        start = 0
        for end in range(1, len(ordered) + 1):
            if end == len(ordered) or ordered[end][0] - ordered[end - 1][0] > _SEQUENCE_GAP:
                if end - start >= 2:
                    rows = [row for _, row in ordered[start:end]]
                    for row in rows:
                        batch[row] = rows
                start = end
        return cls(batch, [item for item in items if item.row in batch])


def _by_amount(items: list[Item]) -> dict[int, list[Item]]:
    """The items of each amount, in their order. A plain dict: compiled, every lookup in a
    defaultdict is a generic call."""
    grouped: dict[int, list[Item]] = {}
    for item in items:
        same = grouped.get(item.amt)
        if same is None:
            grouped[item.amt] = [item]
        else:
            same.append(item)
    return grouped


@dataclass(frozen=True, slots=True)
class Numbers:
    """What document numbers say about pairs of entries.

    `shared[side][row]`: rows of the other side that share a document number with `row` (a
    receipt that lists its invoices, `付发票123、124款`, or receipts that each name the same
    invoice). `numbering`: both sides write one numbering, so that numbers can contradict each
    other (with each side its own, they say nothing either way).
    """

    shared: dict[str, dict[int, set[int]]]
    numbering: bool = False
    # the side whose entries pay documents (the bank), as opposed to the side that issues them
    # and numbers every entry (our ledger); None when it cannot be told
    paying: str | None = None
    # per side, the rows whose customer was read from the documents they name
    # (`numbers.fill_customers`): that they name one in this block is no evidence
    placed: dict[str, set[int]] = field(default_factory=lambda: {"left": set(), "right": set()})

    @classmethod
    def of(
        cls,
        keyed: set[tuple[int, int]],
        *,
        numbering: bool,
        paying: str | None = None,
        placed: dict[str, set[int]] | None = None,
    ) -> Numbers:
        return cls(_partners(keyed), numbering, paying, placed or {"left": set(), "right": set()})


NO_NUMBERS = Numbers({"left": {}, "right": {}})


@dataclass(frozen=True, slots=True)
class _Limits:
    """The options the search asks for every target, computed once: tolerances in units (the
    relative one as an exact fraction) and the usual lag, right date - left date."""

    options: MatchOptions
    tolerance_abs: int
    tolerance_rel: tuple[int, int]
    earliest: int
    latest: int

    @classmethod
    def of(cls, options: MatchOptions) -> _Limits:
        earliest, latest = options.round_lag or (-options.date_window, options.date_window)
        rel = options.tolerance_rel.as_integer_ratio()
        return cls(options, to_units(options.tolerance_abs), rel, earliest, latest)

    def tolerance(self, amount: int) -> int:
        numerator, denominator = self.tolerance_rel
        return min(self.tolerance_abs, abs(amount) * numerator // denominator)

    def rate_fee_tolerance(self, amount: int) -> int:
        """The wider limit for a fee at a usual rate (0.2% of 106,522.80 is 213.05): its exact
        shape is evidence enough, so only the relative limit bounds it."""
        numerator, denominator = self.tolerance_rel
        return abs(amount) * numerator // denominator


class _Search:
    """One target's search: the entry to explain, its side, the open entries of the other side
    of its block (`many`), the rows it shares a document number with (`shared`), whether
    document numbers can rule members out (`numbering`; `paying`: the members are on the side
    that pays documents, `target_pays`: the target is) and the limits. Made once per target and
    handed to every step.

    `tolerance` is the target's (`_Limits.tolerance`); `low` and `high` bound a member's
    amount: of the target's sign, and no larger than the target and its tolerance."""

    def __init__(
        self,
        target: Item,
        one_side: str,
        many: _Side,
        shared: set[int],
        limits: _Limits,
        *,
        numbering: bool = False,
        paying: bool = False,
        target_pays: bool = False,
        claimed: set[int] = _NO_ROWS,
        own: _Side | None = None,
        wholly_named: bool = False,
    ) -> None:
        self.target = target
        self.one_side = one_side
        self.many = many
        self.shared = shared
        self.limits = limits
        self.numbering = numbering
        self.paying = paying
        self.target_pays = target_pays
        # rows of `many` that share a document number with an open entry of the target's side
        # of their sign (`_claimed_rows`)
        self.claimed = claimed
        # the open entries of the target's own side, where the search may weigh them
        self.own = own
        # only groups of the entries it names, or reads as named, are sought (`_wholly_named`)
        self.wholly_named = wholly_named
        # the rows of a run of invoices numbered one after another that the target reads as
        # named, once found: the invoices after the one it names, as many as it says it pays
        # (`_stated_sequence`), the batch numbered on from those it names (`_named_run`), or
        # the one whole batch that makes up a target naming none (`_numbered_runs`)
        self.sequence: frozenset[int] = frozenset()
        # days outside the usual lag that its members, and those that could stand in for one,
        # may lie: wider once nothing nearer adds up (`_farther`)
        self.slack = LAG_SLACK
        self.tolerance = limits.tolerance(target.amt)
        self.low, self.high = _of_sign_up_to(target, abs(target.amt) + self.tolerance)

    def fits(self, item: Item) -> bool:
        """Whether an entry may be a member: of the target's sign and size, and, where both
        have a payer name, alike names."""
        target = self.target
        return self.low <= item.amt <= self.high and (
            not item.name
            or not target.name
            or names_alike(item.name, target.name, self.limits.options.name_threshold)
        )

    def reach(self, slack: int | None = None) -> tuple[int, int]:
        return _reach(
            self.target, self.one_side, self.limits, self.slack if slack is None else slack
        )

    def named_window(self) -> int:
        """Days an entry that shares a document number with the target may lie from it: the
        group window, twice that for a target that lists its documents (a monthly total that
        lists invoices booked early last month)."""
        window = self.limits.options.group_window
        return 2 * window if self.target.listing else window

    def named_reach(self) -> tuple[int, int]:
        """First and last day a companion of the invoices the target names may be dated: the
        usual lag and `_NAMED_SLACK` days more either side of its reach (a payment booked over a
        week, paid under the first invoice's number); for a target that lists its invoices, as
        far as the listed ones may lie (the group window): an invoice on the list posted
        without its number is no further from the receipt than one posted with it."""
        first, last = self.reach(slack=LAG_SLACK + _NAMED_SLACK)
        target = self.target
        if target.listing:
            window = self.limits.options.group_window
            return min(first, target.day - window), max(last, target.day + window)
        return first, last


def find_groups(
    left: pl.DataFrame,
    right: pl.DataFrame,
    options: MatchOptions,
    numbers: Numbers = NO_NUMBERS,
    *,
    rounds: int = 3,
    twinned: dict[str, set[int]] | None = None,
) -> tuple[list[Solution], list[Solution]]:
    """Accepted and ambiguous solutions over the residual entries of both sides.

    Block by block, in up to `rounds` rounds: what one round links leaves fewer candidates to
    its neighbours, which can make their choice unique (elimination, not guessing). A later
    round looks again only at targets that lost a candidate. Among several subsets that sum
    right, the likeliest wins (`Plausibility`); a tie stays a suggestion.
    """
    limits = _Limits.of(options)
    twins = twinned or {"left": set(), "right": set()}
    lblocks, rblocks = _items(left), _items(right)
    found: list[Solution] = []
    # a rival is found again in each round its target is searched: kept once (at a million
    # lines of the bank generator, 205k of 317k)
    ambiguous: dict[tuple[str, int, tuple[int, ...], bool, Plausibility], Solution] = {}
    for blk in sorted(lblocks.keys() & rblocks.keys()):
        size = min(len(lblocks[blk]), len(rblocks[blk]))
        crowded = size > MAX_BLOCK_ENTRIES
        sides = {"left": _Side(lblocks[blk]), "right": _Side(rblocks[blk])}
        taken: dict[str, list[int]] | None = None  # days of the entries the last round linked
        seen: dict[tuple[str, int], list[tuple[Item, ...]]] = {}
        for _ in range(rounds):
            accepted, rejected = _without_conflicts(
                *_round(sides, taken, limits, numbers, twins, seen, crowded=crowded)
            )
            found.extend(accepted)
            for s in rejected:
                ambiguous.setdefault((s.one_side, s.one, s.members, s.typo_reading, s.score), s)
            if not accepted:
                break
            sides, taken = _without_linked(sides, accepted)
    return found, list(ambiguous.values())


def _round(
    sides: dict[str, _Side],
    taken: dict[str, list[int]] | None,
    limits: _Limits,
    numbers: Numbers,
    twinned: dict[str, set[int]],
    seen: dict[tuple[str, int], list[tuple[Item, ...]]],
    *,
    crowded: bool = False,
) -> tuple[list[Solution], list[Solution]]:
    """One round over a block's targets; `crowded` (`MAX_BLOCK_ENTRIES`): only those that share
    a document number with an entry of the other side, for groups of those entries. `seen`: each
    target's solutions of the rounds before, kept as rivals while their members are open: the
    search stops at its first few sums, and a rival it misses this time is not eliminated."""
    found: list[Solution] = []
    ambiguous: list[Solution] = []
    for one_side, many_side in (("right", "left"), ("left", "right")):
        many = sides[many_side]
        claimed = (
            _claimed_rows(
                many, numbers.shared[many_side], sides[one_side].by_row, numbers.placed[one_side]
            )
            if numbers.numbering
            else _NO_ROWS
        )
        for target in sides[one_side].items:
            if crowded and target.row not in numbers.shared[one_side]:
                continue
            if taken is not None and not _lost_candidate(
                target, one_side, taken[many_side], limits
            ):
                continue
            search = _Search(
                target,
                one_side,
                many,
                numbers.shared[one_side].get(target.row, _NO_ROWS),
                limits,
                numbering=numbers.numbering,
                paying=numbers.paying == many_side,
                target_pays=numbers.paying == one_side,
                claimed=claimed,
                own=sides[one_side],
                wholly_named=crowded,
            )
            solutions = with_open_rivals(_solve(search), seen.get((one_side, target.row)), many)
            if not solutions:
                continue
            seen[(one_side, target.row)] = solutions
            # a subset whose document numbers rule it out is no rival to one they allow
            checked = [(m, _contradicted(search, m)) for m in solutions]
            scored = [(_score(search, m), m) for m, ruled_out in checked if not ruled_out]
            best = _best(scored)
            if (
                best is not None
                and _believable(search, best[1])
                and _believable_backwards(search, best[1], sides, numbers)
                and not _twinned_in_group(search, best[1], twinned)
            ):
                # a group read against a typing error of the invoice it names (booked on one
                # day, `_believable`) yields to any other group that wants one of its entries
                contested = YIELDS if _typo_reading(search, best[1]) else best[0]
                found.append(_solution(one_side, target, best[1], contested))
            else:
                ambiguous.extend(
                    _solution(
                        one_side,
                        target,
                        members,
                        typo_reading=bool(search.shared)
                        and _typo_reading(search, members)
                        and not ruled_out,
                    )
                    for members, ruled_out in checked
                )
    return found, ambiguous


def with_open_rivals(
    found: list[tuple[Item, ...]], earlier: list[tuple[Item, ...]] | None, many: _Side
) -> list[tuple[Item, ...]]:
    """A target's solutions this round, and those of the rounds before whose members are all
    still open: a rival goes only when another group takes one of its entries."""
    if not earlier:
        return found
    return _with_new(found, [m for m in earlier if all(item.row in many.by_row for item in m)])


def _claimed_rows(
    many: _Side, partners: dict[int, set[int]], open_rows: dict[int, Item], placed: set[int]
) -> set[int]:
    """The rows of `many` that share a document number with an open entry of the other side of
    their sign, one that could be their counterpart (`partners`: each row's rows there;
    `open_rows`: the other side's open entries). A payment that names an invoice claims our
    receipt of that invoice, not the invoice. An entry `placed` in this block by the numbers it
    names claims nothing: a mistyped number puts a bank line without customer code beside the
    invoice it names by mistake."""
    claimed: set[int] = set()
    for item in many.items:
        others = partners.get(item.row)
        if others is None:
            continue
        positive = item.amt > 0
        for row in others:
            other = open_rows.get(row)
            if other is not None and (other.amt > 0) == positive and row not in placed:
                claimed.add(item.row)
                break
    return claimed


def _believable_backwards(
    search: _Search, members: tuple[Item, ...], sides: dict[str, _Side], numbers: Numbers
) -> bool:
    """A pair (fee or rounding) is one solution seen from either entry: it must be believable
    from the other one too, whose equal-amount neighbours the first never looked at."""
    if len(members) != 1:
        return True
    (member,) = members
    many_side = "left" if search.one_side == "right" else "right"
    backwards = _Search(
        member,
        many_side,
        sides[search.one_side],
        numbers.shared[many_side].get(member.row, _NO_ROWS),
        search.limits,
        numbering=numbers.numbering,
        paying=numbers.paying == search.one_side,
        target_pays=numbers.paying == many_side,
    )
    return _believable(backwards, (search.target,))


def _twinned_in_group(
    search: _Search, members: tuple[Item, ...], twinned: dict[str, set[int]]
) -> bool:
    """Whether an entry of a group (the target, or a member it does not name, nor reads as
    named in a run of numbers) has a copy (same day, amount, reference and payer) sitting out
    the search: which of the two the payment settled is a coin toss. A pair links the original
    as a one-to-one link would, the copy left over."""
    if len(members) < 2:
        return False
    many_side = "left" if search.one_side == "right" else "right"
    return search.target.row in twinned[search.one_side] or any(
        item.row in twinned[many_side]
        and item.row not in search.shared
        and item.row not in search.sequence
        for item in members
    )


def _lost_candidate(target: Item, one_side: str, days: list[int], limits: _Limits) -> bool:
    """Whether an entry linked in the last round was dated within the target's reach."""
    first, last = _reach(target, one_side, limits)
    return bisect_left(days, first) < bisect_right(days, last)


def _without_linked(
    sides: dict[str, _Side], accepted: list[Solution]
) -> tuple[dict[str, _Side], dict[str, list[int]]]:
    """The block's sides without the entries just linked, and the days those were dated."""
    linked: dict[str, set[int]] = {"left": set(), "right": set()}
    for s in accepted:
        for side, row in _entries(s):
            linked[side].add(row)
    remaining = {
        side: _Side([item for item in sides[side].items if item.row not in linked[side]])
        for side in sides
    }
    taken = {side: sorted(sides[side].by_row[row].day for row in linked[side]) for side in sides}
    return remaining, taken


def _score(search: _Search, members: tuple[Item, ...]) -> Plausibility:
    target, limits, shared = search.target, search.limits, search.shared
    earliest, latest = (limits.earliest, limits.latest)
    right = search.one_side == "right"
    outside = 0
    for item in members:
        lag = target.day - item.day if right else item.day - target.day
        outside += _days_outside(lag, earliest, latest)
    # a run of invoices the target reads as named counts as named (`_Search.sequence`)
    sequence = search.sequence
    shared_count = sum(1 for item in members if item.row in shared or item.row in sequence)
    one_day = 1 if len({item.day for item in members}) == 1 else 0
    # in field order, made in C: the named tuple's own constructor is Python code
    return tuple.__new__(Plausibility, (shared_count, one_day, -outside))


def _of_sign_up_to(target: Item, size: int) -> tuple[int, int]:
    """The lowest and highest amount of the target's sign and at most `size` from nothing."""
    return (1, size) if target.amt > 0 else (-size, -1)


def _days_outside(lag: int, earliest: int, latest: int) -> int:
    """How many days a lag lies outside the usual range, 0 within it."""
    if lag < earliest:
        return earliest - lag
    return lag - latest if lag > latest else 0


def _reach(target: Item, one_side: str, limits: _Limits, slack: int = LAG_SLACK) -> tuple[int, int]:
    """First and last day a member of the target's group may be dated: the usual lag, and
    `slack` days either side of it."""
    earliest, latest = (limits.earliest, limits.latest)
    # member day = target day - lag (target on the right) or target day + lag (on the left)
    if one_side == "right":
        return target.day - latest - slack, target.day - earliest + slack
    return target.day + earliest - slack, target.day + latest + slack


def _partners(pairs: set[tuple[int, int]]) -> dict[str, dict[int, set[int]]]:
    """(left row, right row) pairs as each side's rows with their partners on the other."""
    found: dict[str, dict[int, set[int]]] = {"left": defaultdict(set), "right": defaultdict(set)}
    for lrow, rrow in pairs:
        found["left"][lrow].add(rrow)
        found["right"][rrow].add(lrow)
    return found


def _believable(search: _Search, members: tuple[Item, ...]) -> bool:
    """Whether the one subset that sums right can be taken as the truth, not only suggested.

    - Document numbers must not contradict it (`_contradicted`).
    - No member may belong with another open entry that names it, or that it names
      (`_claimed`). Such a subset still counts as a rival of the others: the claim may rest on
      a mistyped number, and the cashier decides.
    - A target that also reads as a mistyped amount of the one member it names is a question
      for the cashier (`_typo_reading`).
    - A target whose document is open on the other side belongs with it, not with a group
      that leaves it out.
    - A fee or rounding between members booked weeks apart is one fit among many
      (`_spread_fee`).
    - A member sharing a document number with the target settles it. Otherwise:
    - a difference in whole yuan between amounts in whole yuan says nothing: it is not a fee;
    - round amounts (whole hundreds) add up to each other by chance all the time: 5000 + 7000
      is 12000 whatever the payments were; a group of nothing but round amounts is not enough,
      nor one round but for a few cents of rounding on one member, nor two or more members in
      whole tens for a total in whole tens (3220 + 1180 is 4400 as easily), unless the
      members are all that was booked on one day (`_the_whole_day`), a whole batch of
      invoices numbered one after another (`_numbered_runs`) or parts that all name one
      document (`_one_document`);
    - a member that another open entry of the same amount could replace as plausibly (two
      ¥6,000 postings in reach, neither on the day of the others) makes it a coin toss.
    """
    target, shared = search.target, search.shared
    if _contradicted(search, members):
        return False
    if any(_claimed(search, item) for item in members):
        return False
    if shared and not any(item.row in shared for item in members):
        # the document the target names is open on the other side, and not in this group
        return False
    if _typo_reading(search, members) and not (
        _one_day(members) and not _transposed(search, members) and not _stand_in(search, members)
    ):
        return False
    if not _round_part_pinned(search, members):
        return False
    if _spread_fee(search, members):
        return False
    if any(item.row in shared for item in members):
        return True
    if _whole_yuan_fee(target, members):
        return False
    round_amounts = all(item.amt % WHOLE_HUNDREDS == 0 for item in (target, *members)) or (
        len(members) >= 2 and all(item.amt % WHOLE_TENS == 0 for item in (target, *members))
    )
    if round_amounts and not (
        _the_whole_day(search, members)
        or all(item.row in search.sequence for item in members)
        or _one_document(search, members)
    ):
        return False
    if _round_but_for_rounding(target, members):
        return False
    score = _score(search, members)
    for index, item in enumerate(members):
        for other in _stand_ins(search, item, members):
            swapped = (*members[:index], other, *members[index + 1 :])
            if _as_plausible(_score(search, swapped), score):
                return False
    return True


def _one_document(search: _Search, members: tuple[Item, ...]) -> bool:
    """Whether two or more members all name one and the same document, which the target does
    not contradict: the parts of a payment, each quoting the invoice it settles (`000003255595
    支付货款`), not round amounts that add up by chance. Unless another open entry of the
    target's side has its amount: which of the two the parts paid is a guess. Bank generator
    100k, seeds 1-3: +13, +17 and +20 links, none wrong."""
    if len(members) < 2 or _amount_recurs(search):
        return False
    common = set(members[0].docs)
    for item in members[1:]:
        common &= item.docs
    docs = search.target.docs
    return bool(common) and (not docs or not common.isdisjoint(docs))


def _amount_recurs(search: _Search) -> bool:
    """Whether another open entry of the target's side has its amount: a group that fits one
    fits the other, and which of the two it belongs to is then a guess."""
    own = search.own
    return own is not None and len(own.by_amount.get(search.target.amt, ())) > 1


def _the_whole_day(search: _Search, members: tuple[Item, ...]) -> bool:
    """Whether the members are every open entry of one day within the usual lag of the target,
    and none of them could be paid one to one instead: an open entry of its amount on the
    target's side, within its own reach. A customer's invoices of a day, paid together: round
    amounts then no longer add up by chance, since no other entry of the day is left out."""
    target, many, own = search.target, search.many, search.own
    if not _one_day(members) or own is None:
        return False
    day = members[0].day
    first, last = search.reach(slack=0)
    if not first <= day <= last:
        return False
    if bisect_right(many.days, day) - bisect_left(many.days, day) != len(members):
        return False
    many_side = "left" if search.one_side == "right" else "right"
    for item in members:
        first, last = _reach(item, many_side, search.limits)
        for other in own.by_amount.get(item.amt, ()):
            if other.row != target.row and first <= other.day <= last:
                return False
    return True


def _spread_fee(search: _Search, members: tuple[Item, ...]) -> bool:
    """Whether a group adds up only within tolerance and its members lie more than `_FEE_SPREAD`
    days apart, with the target neither naming all of them but one (at least two) nor saying
    how many it pays. A combined payment settles what was booked together; allowed a fee, the
    entries of a month offer a fit for almost any sum: the one invoice a cut-off memo names,
    plus two receipts of other weeks within ¥50 of the rest, is a fit, not the payment. A memo
    that lists every invoice but one whose number our ledger lost is the payment's own list."""
    target = search.target
    if len(members) < 2 or sum(item.amt for item in members) == target.amt:
        return False
    days = [item.day for item in members]
    if max(days) - min(days) <= _FEE_SPREAD or target.stated == len(members):
        return False
    named = sum(1 for item in members if item.row in search.shared)
    return named < max(2, len(members) - 1)


def _round_but_for_rounding(target: Item, members: tuple[Item, ...]) -> bool:
    """Whether a group's amounts are all round (whole hundreds) but for its difference, all of it
    on one member: 11,000.00 + 11,000.02 for 22,000.00 is round amounts meeting by chance, and
    two cents of rounding are no evidence that these belong together."""
    difference = sum(item.amt for item in members) - target.amt
    if len(members) < 2 or difference == 0 or target.amt % WHOLE_HUNDREDS:
        return False
    off = [item for item in members if item.amt % WHOLE_HUNDREDS]
    return len(off) == 1 and (off[0].amt - difference) % WHOLE_HUNDREDS == 0


def _contradicted(search: _Search, members: tuple[Item, ...]) -> bool:
    """Where both sides write one numbering: a target and members that name documents, none of
    them the target's (nor the same digits with two swapped), are different events, unless no
    open entry of the other side bears the target's document (the target shares no number
    with one) and a member has no number; a target that lists its documents pays those, never
    one numbered otherwise; receipts that together pay one invoice (`paying`: the members are
    on the paying side) name that one if any."""
    target = search.target
    if target.stated and len(members) >= 2 and len(members) != target.stated:
        return True  # it says how many documents it pays
    if not search.numbering or not target.docs:
        return False
    numbered = [item for item in members if item.docs]
    # where no open entry bears the document it names, a member posted without its number may
    # be that document, the numbered ones its companions
    may_be_unnumbered = not search.shared and len(numbered) < len(members)
    if (
        numbered
        and not may_be_unnumbered
        and not any(_same_document(target, item) for item in numbered)
    ):
        return True
    return any(_excluded(search, item) for item in numbered)


def _claimed(search: _Search, item: Item) -> bool:
    """Whether an entry shares a document number with an open entry of the target's side that
    could be its counterpart, but not with the target: the invoice a receipt names belongs with
    that receipt, and a receipt that names an open invoice pays that one, not a part of this
    target."""
    return item.row in search.claimed and item.row not in search.shared


def _in_reach(search: _Search, item: Item, first: int, last: int) -> bool:
    """Whether an entry could stand in for a member: dated within reach, or named by the target
    (those are candidates however far, as in the search)."""
    return first <= item.day <= last or item.row in search.shared


def _excluded(search: _Search, item: Item) -> bool:
    """Whether the target's document numbers rule an entry out as a member: one that names
    another document, where the target lists its documents or the members pay one
    (`_contradicted`, entry by entry)."""
    target = search.target
    if not search.numbering or not target.docs or not (target.listing or search.paying):
        return False
    if item.row in search.sequence:
        return False  # numbered next after the one it names, as many as it says it pays
    return bool(item.docs) and not _same_document(target, item)


def _transposed(search: _Search, members: tuple[Item, ...]) -> bool:
    """Whether the target reads as the member it names with two digits transposed (21589.25
    for 12589.25): the commonest slip of all, a stronger reading than a day's invoices that
    happen to make up the difference (a multiple of 9)."""
    return any(
        amount_typo(item.amt, search.target.amt) == "transposed digits"
        for item in members
        if item.row in search.shared
    )


def _stand_in(search: _Search, members: tuple[Item, ...]) -> bool:
    """Whether another open entry in reach has the amount of a member the target does not name
    (it could stand in for that member)."""
    return any(
        _stand_ins(search, item, members) for item in members if item.row not in search.shared
    )


def _stand_ins(search: _Search, member: Item, members: tuple[Item, ...]) -> list[Item]:
    """The open entries outside the group, of a member's amount, that could take its place:
    within the target's reach (or named by it) and not ruled out by its document numbers."""
    first, last = search.reach()
    return [
        other
        for other in search.many.by_amount.get(member.amt, ())
        if other not in members
        and not _excluded(search, other)
        and _in_reach(search, other, first, last)
    ]


def _one_day(members: tuple[Item, ...]) -> bool:
    """Whether two or more members were all booked on one day."""
    return len(members) > 1 and len({item.day for item in members}) == 1


def _typo_reading(search: _Search, members: tuple[Item, ...]) -> bool:
    """Whether the target also reads as a mistyped amount of the one member it names: 7514.98
    for 3514.98 is a digit wrong, and 4000.00 of round postings fills the difference by chance.
    Naming two members (`付发票1088、1146款`) settles it for the group."""
    named = [item for item in members if item.row in search.shared]
    return len(named) == 1 and amount_typo(named[0].amt, search.target.amt) is not None


def _round_part_pinned(search: _Search, members: tuple[Item, ...]) -> bool:
    """Whether no other choice of round open entries in reach (whole hundreds) adds up to what
    the group's round members add up to, as plausibly: 3100 is 1800 + 1300, 5000 + 7000 is
    12000, and which of them this payment settled is then a guess. Entries the target's
    document numbers rule out (`_excluded`) are no alternative."""
    target, shared, many = search.target, search.shared, search.many
    exchangeable = [
        item
        for item in members
        if item.amt % WHOLE_HUNDREDS == 0
        and item.row not in shared
        and item.row not in search.sequence
    ]
    if not exchangeable:
        return True
    kept = tuple(item for item in members if item not in exchangeable)
    total = sum(item.amt for item in exchangeable)
    first, last = search.reach()
    if shared and any(not first <= item.day <= last for item in exchangeable):
        # members from the wider reach of a named invoice (a week or more): alternatives may
        # come from as far
        first, last = search.reach(slack=LAG_SLACK + _NAMED_SLACK)
    rows = {item.row for item in members}
    days, items = many.days, many.items
    start, stop = bisect_left(days, first), bisect_right(days, last)
    named = [many.by_row[row] for row in shared if row in many.by_row]  # reach further
    others = sorted(
        (
            item
            for item in {*items[start:stop], *named}
            if item.row not in rows
            and item.amt % WHOLE_HUNDREDS == 0
            and 0 < item.amt * (1 if total > 0 else -1) <= abs(total)
            and not _excluded(search, item)
        ),
        key=lambda item: (abs(item.day - target.day), item.row),
    )
    pool = exchangeable + others[: max(0, 16 - len(exchangeable))]
    size = search.limits.options.max_group_size - len(kept)
    chosen = {item.row for item in exchangeable}
    score = _score(search, members)
    # an alternative that is no reading is no rival, unless the chosen one is none either
    readable = not _whole_yuan_fee(target, members)
    for alternative in _subsets(total, pool, 0, 1, size, limit=8):
        if {item.row for item in alternative} == chosen:
            continue
        if readable and _whole_yuan_fee(target, (*kept, *alternative)):
            continue  # a whole-yuan 'fee' between whole-yuan amounts: no reading at all
        if _as_plausible(_score(search, (*kept, *alternative)), score):
            return False
    return True


def _as_plausible(other: Plausibility, chosen: Plausibility) -> bool:
    """Whether another choice of members is as likely as the chosen one. Both lie within reach,
    where a day or two more or less of lag tells nothing."""
    return (other.shared, other.one_day) >= (chosen.shared, chosen.one_day)


def _whole_yuan_fee(target: Item, members: tuple[Item, ...]) -> bool:
    """A group's difference in whole yuan that only looks like a fee because every amount is in
    whole yuan (5000.00 against 3900.00 + 1085.00); one-to-one, a round fee on a round amount
    is common, and the pair stage has already ruled out a better partner."""
    difference = sum(item.amt for item in members) - target.amt
    return (
        len(members) > 1
        and difference != 0
        and all(item.amt % 10_000 == 0 for item in (target, *members))
        and fee_or_rounding(difference, target.amt) == "fee in whole yuan"
    )


def _same_document(a: Item, b: Item) -> bool:
    """Whether two entries name one document: a number in common, or one the other with two
    digits swapped (`000263` for `000623`)."""
    return bool(a.docs & b.docs) or any(swapped(x, y) for x in a.docs for y in b.docs)


def _best(
    scored: list[tuple[Plausibility, tuple[Item, ...]]],
) -> tuple[Plausibility, tuple[Item, ...]] | None:
    """The one solution, or the one likelier than every other; None on a tie."""
    if len(scored) == 1:
        return scored[0]
    if not scored:
        return None
    ranked = sorted(scored, key=lambda pair: pair[0], reverse=True)
    return ranked[0] if ranked[0][0] > ranked[1][0] else None


def _solve(search: _Search) -> list[tuple[Item, ...]]:
    """Subsets of the other side's entries for the target: exact sums of 2+ entries first, else
    sums within tolerance (a bank fee or rounding, 1+ entries) over fewer, nearer candidates.
    Entries that share a document number with the target (`shared` rows) come first in the
    pool."""
    target, many, shared, limits = search.target, search.many, search.shared, search.limits
    options, tolerance = limits.options, search.tolerance
    if shared and not any(
        (item := many.by_row.get(row)) is not None and search.fits(item) for row in shared
    ):
        # the documents it names are open on the other side, none of them can be a member,
        # and a group without them is never linked (`_believable`); nor worth suggesting: a
        # receipt naming one invoice for less (a part payment) or a combined payment's invoice
        # named by that payment. Searching them cost 5-7 % of a million-line run's CPU.
        return []
    keyed = (
        tuple(
            sorted(
                (
                    item
                    for row in shared
                    if (item := many.by_row.get(row)) is not None
                    and abs(item.day - target.day) <= search.named_window()
                    and search.fits(item)
                ),
                key=lambda item: (abs(item.day - target.day), item.row),
            )
        )
        if shared  # most targets share no number: nothing to sort
        else ()
    )
    sequence = _stated_sequence(search, keyed)
    if sequence:
        search.sequence = frozenset(item.row for item in sequence)
        return [sequence]
    if search.wholly_named:
        return _wholly_named(search, keyed)
    wanted = max(options.max_group_candidates, options.max_tolerance_candidates)
    # the entries booked with the invoices it names first, then the likeliest lags
    beside = _beside_named(search, keyed)
    taken = {item.row for item in beside}
    likeliest = beside + [item for item in _likeliest(search, wanted) if item.row not in taken]
    pool = [*keyed, *likeliest]
    if not pool:
        return []
    exact = _subsets(target.amt, pool[: options.max_group_candidates], 0, 2, options.max_group_size)
    exact = _with_new(exact, _completions(search, keyed))
    if len(keyed) >= 2 and sum(item.amt for item in keyed) == target.amt:
        # the invoices it names add up to it: a search stopped at its first few may miss them
        exact = _with_new(exact, [keyed])
    if keyed and not any(all(item in members for item in keyed) for members in exact):
        exact = _with_new(exact, _named_rest(search, keyed))
    exact = _with_new(exact, _the_month(search))
    exact = _with_new(exact, _stated_in_month(search))
    exact = _with_new(exact, _stated_near_named(search, keyed))
    exact = _with_new(exact, _named_days(search, keyed))
    if shared:
        batch = _named_run(search, keyed)
        if batch:
            exact = _with_new(exact, [batch])
            search.sequence = frozenset(item.row for item in batch)
    else:
        runs = _numbered_runs(search)
        exact = _with_new(exact, [run for run, _ in runs])
        batches = [run for run, whole in runs if whole and len(run) >= _WHOLE_BATCH]
        if len(batches) == 1:
            search.sequence = frozenset(item.row for item in batches[0])
    if exact or any(amount_typo(item.amt, target.amt) for item in keyed):
        return exact
    if tolerance == 0:
        return _farther(search)
    # a difference is only believable close by: members within the usual lag, or named by the
    # target (keyed members are within the group window already)
    first, last = search.reach(slack=0)
    close = [item for item in pool if first <= item.day <= last or item.row in shared]
    # the named members do not crowd out the nearest others
    wanted = len(keyed) + options.max_tolerance_candidates // 2
    groups = _sums_within_fee(search, close[: max(options.max_tolerance_candidates, wanted)])
    anchored = _named_within_fee(search, keyed)
    groups = _with_new(groups, anchored + _everything_in_reach(search))
    return _fee_pairs(search) + groups or _farther(search)


def _farther(search: _Search) -> list[tuple[Item, ...]]:
    """Exact sums with a member up to `_FAR_SLACK` days outside the usual lag, for a target
    that names nothing and that nothing nearer makes up, exactly or within a fee: a customer
    that paid invoices of a week or more in one transfer. The search then judges the group
    (stand-ins for a member, `_believable`) over that wider reach too. Only where the files
    show a usual lag (without one the search spans the whole date window already), and for an
    amount no other open entry of the target's side has: the group may be that one's."""
    if search.shared or search.limits.options.round_lag is None or _amount_recurs(search):
        return []
    first, last = search.reach()
    search.slack = _FAR_SLACK
    options = search.limits.options
    pool = _likeliest(search, options.max_group_candidates)
    if all(first <= item.day <= last for item in pool):
        found = []  # the pool of the nearer search: its sums are known
    else:
        found = [
            members
            for members in _subsets(search.target.amt, pool, 0, 2, options.max_group_size)
            if not all(first <= item.day <= last for item in members)
        ]
    if not found:
        search.slack = LAG_SLACK
    return found


def _wholly_named(search: _Search, keyed: tuple[Item, ...]) -> list[tuple[Item, ...]]:
    """In a crowded block (`MAX_BLOCK_ENTRIES`), where a sum of anything else fits by
    coincidence: subsets of the entries the target names (`keyed`) and the run of invoices
    numbered on from them (`_named_run`) that make it up exactly; else those it names and one
    more in cents (`_named_and_one_more`); else subsets of those it names but for a fee or
    rounding. A single named entry that differs is the typing-error and tolerance stage's."""
    target, options = search.target, search.limits.options
    pool = list(keyed[: options.max_group_candidates])
    found = _subsets(target.amt, pool, 0, 2, options.max_group_size)
    batch = _named_run(search, keyed)
    if batch:
        found = _with_new(found, [batch])
        search.sequence = frozenset(item.row for item in batch)
    if found:
        return found
    found = _named_and_one_more(search, keyed)
    if found or search.tolerance == 0:
        return found
    return _sums_within_fee(search, pool)


def _sums_within_fee(search: _Search, pool: list[Item]) -> list[tuple[Item, ...]]:
    """Subsets of two or more of `pool` whose sum differs from the target by what a fee or
    rounding leaves (`typos.fee_or_rounding`), within the target's tolerance."""
    target, options = search.target, search.limits.options
    return [
        members
        for members in _subsets(target.amt, pool, search.tolerance, 2, options.max_group_size)
        if fee_or_rounding(sum(item.amt for item in members) - target.amt, target.amt)
    ]


def _named_and_one_more(search: _Search, keyed: tuple[Item, ...]) -> list[tuple[Item, ...]]:
    """Every entry the target names and one more that makes up the rest to the cent, in cents
    (an amount in whole yuan recurs by chance), within the usual lag: a memo that names one of
    the two invoices it pays. Each such entry in reach is a rival of the others."""
    if not keyed:
        return []
    rest = search.target.amt - sum(item.amt for item in keyed)
    if rest % 10_000 == 0 or not search.low <= rest <= search.high:
        return []
    first, last = search.reach()
    many, named = search.many, {item.row for item in keyed}
    start, stop = bisect_left(many.sizes, rest), bisect_right(many.sizes, rest)
    return [
        (*keyed, item)
        for item in many.by_size[start:stop]
        if first <= item.day <= last and item.row not in named and search.fits(item)
    ]


def _with_new(
    found: list[tuple[Item, ...]], more: list[tuple[Item, ...]]
) -> list[tuple[Item, ...]]:
    """`found`, then the subsets of `more` that it does not hold yet (the same entries in any
    order are one subset)."""
    if not more:  # most of the time: nothing to compare
        return found
    seen = {frozenset(item.row for item in members) for members in found}
    added = list(found)
    for members in more:
        rows = frozenset(item.row for item in members)
        if rows not in seen:
            seen.add(rows)
            added.append(members)
    return added


def _named_within_fee(search: _Search, named: tuple[Item, ...]) -> list[tuple[Item, ...]]:
    """The invoices the target names, alone (two or more) or with one or two other entries in
    the wider reach, within a fee or rounding of it: the receipt's own list, or its first
    invoice, anchors the payment where the nearest few candidates of a busy customer, or the
    usual lag, leave its members out. The difference must have the shape of what a bank
    deducts (a fee in whole yuan that keeps the cents may pass the relative tolerance, as a
    pair's may), and not be a whole-yuan 'fee' between whole-yuan amounts."""
    if not named:
        return []
    target, many = search.target, search.many
    wide = max(search.tolerance, _kept_cents_limit(search))
    rest = target.amt - sum(item.amt for item in named)
    found = [named] if len(named) >= 2 and _fee_shaped(search, rest) else []
    room = search.limits.options.max_group_size - len(named)
    if room < 1:
        return found
    # the entries in reach of a size up to the rest and the fee, in amount order
    first, last = search.named_reach()
    skip = {item.row for item in named}
    low, high = (1, rest + wide) if target.amt > 0 else (rest - wide, -1)
    start, stop = bisect_left(many.sizes, low), bisect_right(many.sizes, high)
    around = [
        item
        for item in many.by_size[start:stop]
        if first <= item.day <= last and item.row not in skip and search.fits(item)
    ]
    sizes = [item.amt for item in around]

    def near(amount: int) -> list[Item]:
        return around[bisect_left(sizes, amount - wide) : bisect_right(sizes, amount + wide)]

    extras: list[tuple[Item, ...]] = [(item,) for item in near(rest)]
    if room >= 2:
        extras += [
            (item, other)
            for item in around
            for other in near(rest - item.amt)
            if other.row > item.row
        ]
    found.extend(
        (*named, *extra)
        for extra in extras
        if _fee_shaped(search, rest - sum(item.amt for item in extra))
        and not _whole_yuan_fee(target, (*named, *extra))
    )
    return found


def _everything_in_reach(search: _Search) -> list[tuple[Item, ...]]:
    """Every open entry in reach, or every one booked on one day in reach, when together they
    are within a fee or rounding of the target: the customer paid all it had open, or the
    invoices of one day (less what the bank took). For one day of a busier customer, not a
    whole-yuan 'fee' between whole-yuan amounts. Totals of runs of days come from the running
    totals: most runs are far off, and only the few close enough are looked at."""
    target, many = search.target, search.many
    first, last = search.reach()
    start, stop = bisect_left(many.days, first), bisect_right(many.days, last)
    wide = max(search.tolerance, _kept_cents_limit(search))
    size = search.limits.options.max_group_size

    def close(low: int, high: int) -> bool:
        total = many.running[high] - many.running[low]
        return 2 <= high - low <= size and abs(total - target.amt) <= wide

    found: list[tuple[Item, ...]] = []
    if close(start, stop):
        everything = tuple(many.items[start:stop])
        if _all_within_fee(search, everything):
            found.append(everything)
    low = start
    while low < stop:
        high = bisect_right(many.days, many.days[low], low, stop)
        if (low, high) != (start, stop) and close(low, high):
            one_day = tuple(many.items[low:high])
            if _all_within_fee(search, one_day) and not _whole_yuan_fee(target, one_day):
                found.append(one_day)
        low = high
    return found


def _the_month(search: _Search) -> list[tuple[Item, ...]]:
    """Every open entry of the target's month up to its day, when together they make it up
    exactly: a customer's monthly total of the month's invoices (9月发票汇总 共6张), booked
    over more days than the usual lag reaches."""
    target, many = search.target, search.many
    start = bisect_left(many.days, _month_start(target.day))
    stop = bisect_right(many.days, target.day)
    if stop - start < 2:
        return []
    size = search.limits.options.max_group_size
    members: list[Item] = []
    total = 0
    for item in many.items[start:stop]:
        if search.fits(item):
            if len(members) == size:  # a busy month: more open entries than a group holds
                return []
            members.append(item)
            total += item.amt
    return [tuple(members)] if len(members) >= 2 and total == target.amt else []


# A total that says how many invoices it sums is searched among at most this many open entries,
# of its month and the week before (an invoice booked late into the month's total).
_STATED_POOL = 24
_STATED_SLACK = 7


def _stated_in_month(search: _Search) -> list[tuple[Item, ...]]:
    """The sets of as many open entries as the target says it sums (`9月货款汇总 共3张`), dated
    in its month up to its day or the week before, that make it up exactly: a monthly total
    where the month holds other open entries too, which `_the_month` would add in."""
    target, many = search.target, search.many
    count = target.stated
    if not 2 <= count <= search.limits.options.max_group_size:
        return []
    start = bisect_left(many.days, _month_start(target.day) - _STATED_SLACK)
    stop = bisect_right(many.days, target.day)
    pool = [item for item in many.items[start:stop] if search.fits(item)]
    if len(pool) > _STATED_POOL:
        return []
    return _subsets(target.amt, pool, 0, count, count)


def _stated_near_named(search: _Search, named: tuple[Item, ...]) -> list[tuple[Item, ...]]:
    """A target that names some of its invoices and says how many it pays (`发票2023941等4张`,
    `0258 8872等9张`, more than a group holds): the sets of that many open entries, the named
    ones among them, booked from the named ones' days to the target's (one voucher's lines, or
    two), that make it up exactly. A busy customer's nearest few would leave them out, and
    the search stops at its first few sums, most of them of another size. Not when the others
    are all in whole tens: those add up to any round rest in several ways, and one of them an
    entry outside these days could stand in for."""
    target, many = search.target, search.many
    count = target.stated
    if not named or count <= len(named):
        return []
    days = [item.day for item in named]
    reach_first, reach_last = search.named_reach()
    first = max(min(*days, target.day), reach_first)
    last = min(max(*days, target.day), reach_last)
    skip = {item.row for item in named}
    pool = [
        item
        for item in many.items[bisect_left(many.days, first) : bisect_right(many.days, last)]
        if search.low <= item.amt <= search.high and item.row not in skip and search.fits(item)
    ]
    wanted = count - len(named)
    if not wanted <= len(pool) <= _STATED_POOL:
        return []
    rest = target.amt - sum(item.amt for item in named)
    return [
        (*named, *others)
        for others in _subsets(rest, pool, 0, wanted, wanted, limit=2)
        if any(item.amt % WHOLE_TENS for item in others)
    ]


# The most open entries of a run of days that `_named_days` takes as one payment's, and the
# most days such a run reaches beyond the invoices the target names.
_DAYS_POOL = 24
_NAMED_RUN_DAYS = 2


def _named_days(search: _Search, named: tuple[Item, ...]) -> list[tuple[Item, ...]]:
    """Every open entry of a run of days that holds an invoice the target names, when together
    they make it up exactly: a receipt for many invoices, which our ledger books as one voucher
    with a line per invoice (on one day, or two), more lines than a group holds and more than
    the bank's cut memo lists. Runs reach at most `_NAMED_RUN_DAYS` beyond the invoices named
    and hold at most `_DAYS_POOL` entries. Not when all of them are in whole tens: those add up
    to a round total in many ways."""
    if not named:
        return []
    target, many = search.target, search.many
    days, running = many.days, many.running
    earliest, latest = min(item.day for item in named), max(item.day for item in named)
    first, last = search.named_reach()
    first, last = max(first, earliest - _NAMED_RUN_DAYS), min(last, latest + _NAMED_RUN_DAYS)
    start, stop = bisect_left(days, first), bisect_right(days, last)
    begins = []  # where each day's entries begin in `many.items`
    index = start
    while index < stop:
        begins.append(index)
        index = bisect_right(days, days[index], index, stop)
    ends = [*begins[1:], stop]
    found: list[tuple[Item, ...]] = []
    for low, begin in enumerate(begins):
        if days[begin] > latest:
            break
        for high in range(low, len(begins)):
            end = ends[high]
            if end - begin > _DAYS_POOL:
                break
            if (
                days[end - 1] >= earliest
                and end - begin >= 2
                and running[end] - running[begin] == target.amt
            ):
                run = tuple(many.items[begin:end])
                if all(search.fits(item) for item in run) and any(
                    item.amt % WHOLE_TENS for item in run
                ):
                    found.append(run)
    return found


# The fewest digits of a document number whose successors `_stated_sequence` follows, and
# the widest mean gap between successive numbers of one customer's run of invoices.
_SEQUENCE_DIGITS = 7
_SEQUENCE_GAP = 10
# The fewest invoices of a whole batch that counts as named (`_numbered_runs`): two invoices
# a few numbers apart happen often enough at a busy customer of a shared numbering.
_WHOLE_BATCH = 3


def _by_number(
    search: _Search, first: int, last: int, *, batched: bool = False
) -> list[tuple[int, int, Item]]:
    """(number, row, entry) of the open entries dated from `first` to `last` that bear a
    document number (`_Side.serials`) and could be members (`_Search.fits`), in number order:
    where runs of invoices issued one after another are read; `batched`: only those of a batch
    (`_Batches`)."""
    serials = search.many.serials()
    entries: _Side | _Batches = search.many.batches() if batched else search.many
    days = entries.days
    return sorted(
        (serials[item.row], item.row, item)
        for item in entries.items[bisect_left(days, first) : bisect_right(days, last)]
        if item.row in serials and search.fits(item)
    )


def _stated_sequence(search: _Search, named: tuple[Item, ...]) -> tuple[Item, ...]:
    """For a target that names its first invoices and says how many it pays (`…3265526等9张`):
    those it names and the open invoices numbered next after them, as many as it says,
    when together they make it up, exactly or but for a bank fee or rounding, round amounts
    or not. Invoices issued one after another to one customer and paid together: the memo
    names the first, as far as the bank's field allows."""
    target, serials = search.target, search.many.serials()
    count = target.stated
    if not named or count <= len(named) or count > _STATED_POOL:
        return ()
    starts = [serials[item.row] for item in named if item.row in serials]
    if not starts:
        return ()
    start = max(starts)
    skip = {item.row for item in named}
    first, last = search.named_reach()
    days, items = search.many.days, search.many.items
    # the next few by number of those in reach (`_by_number`, without sorting them all)
    chosen = nsmallest(
        count - len(named),
        (
            (serials[item.row], item.row, item)
            for item in items[bisect_left(days, first) : bisect_right(days, last)]
            if serials.get(item.row, start) > start and item.row not in skip and search.fits(item)
        ),
    )
    members = (*named, *(entry[2] for entry in chosen))
    if len(members) != count or chosen[-1][0] - start > _SEQUENCE_GAP * count:
        return ()
    difference = sum(item.amt for item in members) - target.amt
    if difference == 0 or (
        abs(difference) <= search.tolerance and fee_or_rounding(difference, target.amt)
    ):
        return members
    return ()


def _numbered_runs(search: _Search) -> list[tuple[tuple[Item, ...], bool]]:
    """Open entries in reach whose document numbers follow one another, each within
    `_SEQUENCE_GAP` of the one before, when together they make up the target exactly:
    invoices issued to a customer in one batch (连号) and paid together, by a payment that
    names none of them. Each run comes with whether it is a whole batch (no open entry in
    reach numbered within the gap before or after it). A run is one more candidate among the
    sums the search finds, which wins only where it is likelier than every other (`_best`);
    the one whole batch of `_WHOLE_BATCH` or more invoices, round amounts or not, counts as
    named (`_Search.sequence`)."""
    target = search.target
    numbered = _by_number(search, *search.reach(), batched=True)
    size, count = search.limits.options.max_group_size, len(numbered)
    found: list[tuple[tuple[Item, ...], bool]] = []
    for start in range(count):
        total = numbered[start][2].amt
        for end in range(start + 1, min(count, start + size)):
            gap = numbered[end][0] - numbered[end - 1][0]
            if gap <= 0 or gap > _SEQUENCE_GAP:
                break
            total += numbered[end][2].amt
            if total == target.amt:
                whole = (
                    start == 0 or numbered[start][0] - numbered[start - 1][0] > _SEQUENCE_GAP
                ) and (end == count - 1 or numbered[end + 1][0] - numbered[end][0] > _SEQUENCE_GAP)
                found.append((tuple(entry[2] for entry in numbered[start : end + 1]), whole))
            if abs(total) > abs(target.amt):
                break
    return found


def _named_run(search: _Search, named: tuple[Item, ...]) -> tuple[Item, ...]:
    """For a target naming invoices of a batch numbered one after another, but not a complete
    list of what it pays: those and the open invoices numbered on from the first of them, each
    within `_SEQUENCE_GAP` of the one before (at most `_STATED_POOL`), as far as they make it up
    exactly, every named one among them: a memo that names the first invoice only, or that the
    bank cut after the first few numbers. One more candidate, whose members count as named,
    round amounts included (`_Search.sequence`, `_score`)."""
    target, serials = search.target, search.many.serials()
    if not named or target.listing or any(item.row not in serials for item in named):
        return ()
    named_rows = {item.row for item in named}
    start, first_named = min((serials[row], row) for row in named_rows)
    batch = search.many.batches().batch.get(first_named)
    if batch is None:
        return ()
    first, last = search.named_reach()
    by_row = search.many.by_row
    numbered = sorted(
        (serials[row], row, item)
        for row in batch
        if serials[row] >= start
        and first <= (item := by_row[row]).day <= last
        and (row in named_rows or search.fits(item))
    )
    members: list[Item] = []
    total, previous = 0, start
    for serial, _, item in numbered:
        if serial - previous > _SEQUENCE_GAP or len(members) == _STATED_POOL:
            break
        if members and serial == previous:
            return ()  # two entries of one number: which is paid is a guess
        members.append(item)
        total, previous = total + item.amt, serial
        if abs(total) > abs(target.amt):
            break
        if (
            total == target.amt
            and len(members) > len(named)
            and named_rows <= {member.row for member in members}
        ):
            return tuple(members)
    return ()


def _month_start(day: int) -> int:
    """The first day of `day`'s month (days since 1970-01-01), remembered: a date's arithmetic
    is a Python call, and every target asks."""
    first = _MONTH_STARTS.get(day)
    if first is None:
        first = date.fromordinal(_EPOCH + day).replace(day=1).toordinal() - _EPOCH
        _MONTH_STARTS[day] = first
    return first


def _all_within_fee(search: _Search, members: tuple[Item, ...]) -> bool:
    """Whether `members` (two up to the group size, all fitting) add up to the target within a
    fee or rounding: the shapes the tolerance search accepts, or a whole-yuan fee that keeps
    the cents."""
    if not 2 <= len(members) <= search.limits.options.max_group_size:
        return False
    if not all(search.fits(item) for item in members):
        return False
    return _fee_shaped(search, sum(item.amt for item in members) - search.target.amt)


def _beside_named(search: _Search, named: tuple[Item, ...]) -> list[Item]:
    """The entries booked on the day of an invoice the target names, first among its other
    candidates: a payment settles invoices booked together, and a busy customer's nearest
    postings would otherwise crowd them out. At most half the candidates, so that the nearest
    dates keep the other half."""
    if not named:
        return []
    target, many, shared = search.target, search.many, search.shared
    days = {item.day for item in named}
    first, last = search.named_reach()
    low, high = search.low, search.high
    found = [
        item
        for day in sorted(days, key=lambda day: abs(day - target.day))
        if first <= day <= last
        for item in many.items[bisect_left(many.days, day) : bisect_right(many.days, day)]
        if low <= item.amt <= high and item.row not in shared and search.fits(item)
    ]
    return found[: search.limits.options.max_group_candidates // 2]


def _completions(search: _Search, named: tuple[Item, ...]) -> list[tuple[Item, ...]]:
    """The members the target names with one or two others that make up the rest exactly, or
    two entries that add up to it where it names none, among every entry in reach: a busy
    customer's likeliest few may leave the others out."""
    target, many, options = search.target, search.many, search.limits.options
    # the invoices the target names anchor the payment: their companions may lie further out
    first, last = search.named_reach() if named else search.reach()
    start, stop = bisect_left(many.days, first), bisect_right(many.days, last)
    if not named and stop - start <= options.max_group_candidates:
        return []  # every entry in reach was a candidate of the search already
    skip = {item.row for item in named}
    rest = target.amt - sum(item.amt for item in named)
    # every other member lies between nothing and the rest; the entries in reach, or those of
    # a size up to the rest, whichever are fewer
    low, high = (1, rest) if target.amt > 0 else (rest, -1)
    smallest, largest = bisect_left(many.sizes, low), bisect_right(many.sizes, high)
    if largest - smallest < stop - start:
        around = [
            item
            for item in many.by_size[smallest:largest]
            if first <= item.day <= last and item.row not in skip and search.fits(item)
        ]
        around.sort(key=lambda item: (item.day, item.row))
    else:
        around = [
            item
            for item in many.items[start:stop]
            if low <= item.amt <= high and item.row not in skip and search.fits(item)
        ]
    by_amount = _by_amount(around)
    size = options.max_group_size
    found: list[tuple[Item, ...]] = []
    if named and len(named) < size:
        found.extend((*named, item) for item in by_amount.get(rest, ()))
    if len(named) + 2 <= size:
        for item in around:
            partners = by_amount.get(rest - item.amt)
            if partners:  # most entries have none
                found.extend((*named, item, other) for other in partners if other.row > item.row)
    return found


def _named_rest(search: _Search, named: tuple[Item, ...]) -> list[tuple[Item, ...]]:
    """The invoices the target names with three or more others that make up the rest exactly,
    among the entries of the wider reach booked nearest the named ones: the receipt's own
    number anchors a payment of many invoices booked over a week or more (`_completions`
    finds one or two others among every entry in reach)."""
    target, many = search.target, search.many
    room = search.limits.options.max_group_size - len(named)
    rest = target.amt - sum(item.amt for item in named)
    sign = 1 if target.amt > 0 else -1
    if room < 3 or rest * sign <= 0:
        return []
    first, last = search.named_reach()
    start, stop = bisect_left(many.days, first), bisect_right(many.days, last)
    skip = {item.row for item in named}
    days = [item.day for item in named]
    low, high = _of_sign_up_to(target, rest * sign)

    def wanted(item: Item) -> bool:
        return low <= item.amt <= high and item.row not in skip and search.fits(item)

    if len(named) == 1:
        # in date order outward from the named invoice's day: the nearest few, not all sorted
        pool: list[Item] = []
        items = many.items
        right = bisect_left(many.days, days[0], start, stop)
        left = right - 1
        while len(pool) < _NAMED_REST_POOL and (left >= start or right < stop):
            if right < stop and (
                left < start or items[right].day - days[0] <= days[0] - items[left].day
            ):
                item, right = items[right], right + 1
            else:
                item, left = items[left], left - 1
            if wanted(item):
                pool.append(item)
    else:
        pool = sorted(
            (item for item in many.items[start:stop] if wanted(item)),
            key=lambda item: (min(abs(item.day - day) for day in days), item.row),
        )[:_NAMED_REST_POOL]
    return [(*named, *others) for others in _subsets(rest, pool, 0, 3, room) if len(others) >= 3]


def _fee_pairs(search: _Search) -> list[tuple[Item, ...]]:
    """Single entries a fee or rounding away from the target, within the usual lag or named by
    it: every one in reach, however busy the customer (found by amount, not among the nearest
    few). A fee at a usual rate may pass the absolute tolerance, within the relative one (0.2%
    of 106,522.80 is 213.05): its exact shape is evidence enough where a round sum would not be.
    Likewise a fee in whole yuan may pass the relative tolerance, within the absolute one, where
    both amounts keep the same cents (¥25 off ¥1,044.19): the cents are the evidence; or where
    a whole-hundreds amount arrives short by it (`_short_of_hundreds`), the only entry in reach
    within the absolute tolerance of the target.
    An equal amount was the amount-and-date stage's to link; here it is out of reach."""
    target, many, limits = search.target, search.many, search.limits
    wide = max(search.tolerance, limits.rate_fee_tolerance(target.amt), limits.tolerance_abs)
    first, last = search.reach(slack=0)
    start = bisect_left(many.sizes, target.amt - wide)
    stop = bisect_right(many.sizes, target.amt + wide)
    found: list[tuple[Item, ...]] = []
    short_of_hundreds: list[tuple[Item, ...]] = []
    near = 0  # entries in reach within the absolute tolerance, an equal amount among them
    for item in many.by_size[start:stop]:
        difference = item.amt - target.amt
        in_reach = first <= item.day <= last or (
            item.row in search.shared and abs(item.day - target.day) <= limits.options.group_window
        )
        if not in_reach or not search.fits(item):
            continue
        near += abs(difference) <= limits.tolerance_abs
        if difference == 0:
            continue
        if difference % 10_000 == 0 and not _taken_on_the_way(search, item):
            continue
        if (
            is_rate_fee(difference, target.amt)
            or _fee_shaped(search, difference)
            or (abs(difference) <= search.tolerance and rounded_down(item.amt, target.amt))
        ):
            found.append((item,))
        elif _short_of_hundreds(item.amt, target.amt, limits.tolerance_abs):
            short_of_hundreds.append((item,))
    if near == 1:
        found.extend(short_of_hundreds)
    found.sort(key=lambda members: (abs(members[0].day - target.day), members[0].row))
    return found


def _short_of_hundreds(a: int, b: int, limit: int) -> bool:
    """Whether one amount is in whole hundreds and the other short of it by a fee in whole yuan
    within `limit` (¥2,000.00 received as ¥1,950.00): a bank's fixed fee on a round invoice,
    past the relative tolerance on a small one. Not where both are whole hundreds: ¥1,200.00
    received for ¥1,230.00 is as likely a round payment of its own."""
    larger, smaller = max(abs(a), abs(b)), min(abs(a), abs(b))
    return (
        (larger - smaller) % UNITS_PER_ONE == 0
        and larger - smaller <= limit
        and larger % WHOLE_HUNDREDS == 0
        and smaller % WHOLE_HUNDREDS != 0
    )


def _taken_on_the_way(search: _Search, member: Item) -> bool:
    """Whether, of a pair a whole-yuan fee apart, the side that pays (a bank statement) holds
    the smaller amount, as a fee taken on the way leaves it: ¥4,930.00 received for ¥4,890.00
    is no fee of ¥40. Where it cannot be told which side pays, either way."""
    if search.paying:
        return abs(member.amt) < abs(search.target.amt)
    if search.target_pays:
        return abs(search.target.amt) < abs(member.amt)
    return True


def _fee_shaped(search: _Search, difference: int) -> bool:
    """Whether a difference from the target (either sign) has the shape of what a bank takes or
    rounding leaves, within the tolerance; or is a fee in whole yuan that keeps the target's
    cents, within the absolute tolerance (¥25 off ¥1,044.19: the cents are the evidence)."""
    size = abs(difference)
    if size == 0:
        return False
    target = search.target
    if size <= search.tolerance and fee_or_rounding(difference, target.amt):
        return True
    return size % 10_000 == 0 and size <= _kept_cents_limit(search)


def _kept_cents_limit(search: _Search) -> int:
    """The largest fee in whole yuan that an amount with cents may lose and keep its cents
    (¥1,044.19 received as ¥1,019.19): the absolute tolerance; for a whole-yuan amount, none."""
    return search.limits.tolerance_abs if search.target.amt % 10_000 else 0


def _likeliest(search: _Search, wanted: int) -> list[Item]:
    """The `wanted` entries whose date lag to the target is likeliest, that fit (of its sign and
    size, alike names) and do not share a document number with it (those come first anyway).

    The lag is right date - left date; `lags` (learned from the exact links) says how late the
    bank usually books. Members of a combined payment sit inside that range, or a day or two
    outside it when they were booked over several days; nearest dates first within each."""
    target, many, skip = search.target, search.many, search.shared
    earliest, latest = (search.limits.earliest, search.limits.latest)
    first, last = search.reach()
    days, items = many.days, many.items
    start, stop = bisect_left(days, first), bisect_right(days, last)
    picked: list[tuple[int, int, int, Item]] = []
    low, high = search.low, search.high
    day, right, named = target.day, search.one_side == "right", bool(target.name)
    for item in items[start:stop]:
        # most entries fail on sign or size: test those first; past them, `fits` can only
        # say no on names, so it need not be called for a target without a name
        if low <= item.amt <= high and item.row not in skip and (not named or search.fits(item)):
            gap = item.day - day
            lag = -gap if right else gap
            picked.append((_days_outside(lag, earliest, latest), abs(gap), item.row, item))
    picked.sort()  # rows are unique: the comparison never reaches the items
    return [found[3] for found in picked[:wanted]]


def _subsets(
    target: int, pool: list[Item], tolerance: int, min_size: int, max_size: int, limit: int = 6
) -> list[tuple[Item, ...]]:
    """Meet in the middle: the sums of all subsets of each half (indexed by bit mask), then pairs
    of halves that hit the target within `tolerance`. Stops after `limit` solutions."""
    if len(pool) < min_size:  # a third of the exact searches: one candidate
        return []
    if sum([item.amt for item in pool]) * (1 if target > 0 else -1) < abs(target) - tolerance:
        return []
    half = len(pool) // 2
    first, second = pool[:half], pool[half:]
    sums_a, sums_b = _mask_sums(first), _mask_sums(second)
    found: list[tuple[int, int]] = []
    if tolerance == 0:
        # most targets have no exact sum at all: one set intersection (in C) tells
        hits = {target - total for total in sums_a}.intersection(sums_b)
        if not hits:
            return []
        index: dict[int, list[int]] = defaultdict(list)
        for mask in [mask for mask, total in enumerate(sums_b) if total in hits]:
            index[sums_b[mask]].append(mask)
        for mask_a in [mask for mask, total in enumerate(sums_a) if target - total in index]:
            for mask_b in index[target - sums_a[mask_a]]:
                if min_size <= mask_a.bit_count() + mask_b.bit_count() <= max_size:
                    found.append((mask_a, mask_b))
                    if len(found) >= limit:
                        return _members(found, first, second)
        return _members(found, first, second)
    ordered = sorted((total, mask) for mask, total in enumerate(sums_b))
    totals = [total for total, _ in ordered]
    for mask_a, total_a in enumerate(sums_a):
        start = bisect_left(totals, target - tolerance - total_a)
        stop = bisect_right(totals, target + tolerance - total_a)
        for _, mask_b in ordered[start:stop]:
            if min_size <= mask_a.bit_count() + mask_b.bit_count() <= max_size:
                found.append((mask_a, mask_b))
                if len(found) >= limit:
                    return _members(found, first, second)
    return _members(found, first, second)


def _mask_sums(items: list[Item]) -> list[int]:
    """sums[mask] = total amount of the items whose bits are set in mask."""
    sums = [0]
    for item in items:
        amt = item.amt
        sums += [total + amt for total in sums]
    return sums


def _members(
    found: list[tuple[int, int]], first: list[Item], second: list[Item]
) -> list[tuple[Item, ...]]:
    return [
        tuple(item for bit, item in enumerate(first) if mask_a >> bit & 1)
        + tuple(item for bit, item in enumerate(second) if mask_b >> bit & 1)
        for mask_a, mask_b in found
    ]


def _solution(
    one_side: str,
    target: Item,
    members: tuple[Item, ...],
    score: Plausibility = NO_EVIDENCE,
    *,
    typo_reading: bool = False,
) -> Solution:
    """A pair found from either side is written one way, so that it counts once."""
    if len(members) == 1 and one_side == "left":
        one_side, target, members = "right", members[0], (target,)
    total = sum(item.amt for item in members)
    difference = target.amt - total if one_side == "left" else total - target.amt
    span = max(abs(item.day - target.day) for item in members)
    rows = tuple(sorted(item.row for item in members))
    return Solution(one_side, target.row, rows, difference, span, score, typo_reading)


def _without_conflicts(
    found: list[Solution], ambiguous: list[Solution]
) -> tuple[list[Solution], list[Solution]]:
    """A solution that shares an entry with another found solution is kept only when its score
    beats every such rival; the same group found from both directions counts once."""
    unique = {(s.one_side, s.one, s.members): s for s in found}
    users: dict[tuple[str, int], list[Solution]] = {}
    for s in unique.values():
        for key in _entries(s):
            sharing = users.get(key)
            if sharing is None:
                users[key] = [s]
            else:
                sharing.append(s)
    accepted, rejected = [], list(ambiguous)
    for s in unique.values():
        rivals = [r for key in _entries(s) for r in users[key] if r is not s]
        if all(s.score > r.score for r in rivals):
            accepted.append(s)
        else:
            rejected.append(s)
    return accepted, rejected


def _entries(s: Solution) -> list[tuple[str, int]]:
    other = "left" if s.one_side == "right" else "right"
    return [(s.one_side, s.one), *[(other, row) for row in s.members]]
