"""The stages in order, over prepared frames, for one partition of blocks.

`run_partition` returns row numbers only (which left and right rows form each group, which
pairs are suggested, why each leftover is left); `assemble` in `match.py` turns them into ids,
amounts and files. Partitions are independent, so they can run in separate processes.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, permutations
from operator import attrgetter

import polars as pl

from duizhang.engine import duplicates, numbers, reasons, stages
from duizhang.engine.frames import amount_text, per_distinct
from duizhang.engine.groups import Numbers, Solution, find_groups
from duizhang.engine.money import WHOLE_TENS
from duizhang.engine.normalize import declared_count
from duizhang.engine.options import MatchOptions
from duizhang.engine.stages import PAIR_COLUMNS

GROUP_SCHEMA: dict[str, pl.DataType] = {
    "stage": pl.Int64(),
    "left": pl.List(pl.Int64),
    "right": pl.List(pl.Int64),
    "rule": pl.String(),
    "evidence": pl.String(),
    "method": pl.String(),
}


@dataclass(slots=True)
class Partition:
    groups: pl.DataFrame  # GROUP_SCHEMA
    suggestions: pl.DataFrame  # GROUP_SCHEMA (stage = order found)
    reasons: pl.DataFrame  # side, row, reason: one row per unmatched entry


@dataclass(slots=True)
class _Found:
    """What the stages of one partition have linked and suggested so far (GROUP_SCHEMA frames),
    and the (left rows, right rows) of suggested groups that also read as a typing error: the
    typing-error rule leaves those alone while all their entries are open."""

    groups: list[pl.DataFrame] = field(default_factory=list)
    suggestions: list[pl.DataFrame] = field(default_factory=list)
    contested: list[tuple[list[int], list[int]]] = field(default_factory=list)


@contextmanager
def _without_cycle_collector() -> Iterator[None]:
    """The stages make millions of small tuples and keep hundreds of thousands alive, none of
    them in a reference cycle: the cycle collector would walk the live ones over and over for
    nothing (a tenth of the group search at 1M lines). It runs again afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_without_cycle_collector()
def run_partition(
    left: pl.DataFrame,
    right: pl.DataFrame,
    options: MatchOptions,
    *,
    across_customers: bool = False,
) -> Partition:
    """All stages over one partition of prepared frames (see `frames.prepare`).

    Copies within a side (same block, date, amount, reference and counterparty; the memo may
    differ, unless the lines of one voucher cite different documents) and re-postings (a line
    booked again days later, or under a new voucher number, naming the same document:
    `_reposted`) sit out the first pass, so that they cannot make their original ambiguous; a
    second pass gives them a chance to meet a second counterpart one to one. A copy that finds
    none is a `duplicate`.

    `across_customers`: the pass over the entries without a customer code against every
    customer's leftovers (`match._across_customers`). One-to-one stages only; and a candidate
    that document numbers rule out still counts as a rival on amount and date: with neither a
    customer code nor, often, a payer name, ruling out the numbered candidates would single out
    whichever leftover happens to have no number.
    """
    repeated_l, repeated_r = duplicates.repeated_amounts(left), duplicates.repeated_amounts(right)
    (copy_l, twinned_l), (copy_r, twinned_r) = (
        duplicates.copies(left, right, repeated_l),
        duplicates.copies(right, left, repeated_r),
    )
    found = _Found()
    rest_l, rest_r = _without(left, copy_l["row"]), _without(right, copy_r["row"])
    numbering = (
        numbers.shared_numbering(rest_l, rest_r) if options.numbering is None else options.numbering
    )
    twinned = {"left": twinned_l, "right": twinned_r}
    rest_l, rest_r = _stages(
        rest_l,
        rest_r,
        options,
        found,
        first_stage=0,
        groups=not across_customers,
        numbering=numbering,
        twinned=twinned,
        across_customers=across_customers,
    )
    rest_l = pl.concat([rest_l, _only(left, copy_l["row"])])
    rest_r = pl.concat([rest_r, _only(right, copy_r["row"])])
    rest_l, rest_r = _stages(
        rest_l,
        rest_r,
        options,
        found,
        first_stage=10,
        groups=False,
        numbering=numbering,
        keep=duplicates.not_both_copies(copy_l, copy_r),
        across_customers=across_customers,
    )
    suggestions = (
        pl.concat(found.suggestions) if found.suggestions else pl.DataFrame(schema=GROUP_SCHEMA)
    )
    suggestions = still_open(suggestions, rest_l, rest_r)
    paired = _one_way_to_pair(suggestions, rest_l, rest_r, numbering)
    if not paired.is_empty():
        found.groups.append(_pairs_as_groups(paired, _ELIMINATION_STAGE))
        rest_l, rest_r = _without(rest_l, paired["l"]), _without(rest_r, paired["r"])
        suggestions = still_open(suggestions, rest_l, rest_r)
    alike_l, alike_r = (
        duplicates.alike(left, repeated_l, right),
        duplicates.alike(right, repeated_r, left),
    )
    first = _first_of_alike(suggestions, alike_l, alike_r, rest_l, rest_r, numbering)
    if not first.is_empty():
        found.groups.append(_pairs_as_groups(first, _ALIKE_STAGE))
        rest_l, rest_r = _without(rest_l, first["l"]), _without(rest_r, first["r"])
        suggestions = still_open(suggestions, rest_l, rest_r)
    group_frame = pl.concat(found.groups) if found.groups else pl.DataFrame(schema=GROUP_SCHEMA)
    doubled_l = pl.concat(
        [copy_l["row"], duplicates.booked_twice(alike_l, rest_l, group_frame, "left")]
    )
    doubled_r = pl.concat(
        [copy_r["row"], duplicates.booked_twice(alike_r, rest_r, group_frame, "right")]
    )
    # entries without a customer have no customer's habit to go by
    near = reasons.blocks_near_the_end(rest_l, rest_r, options)
    lateness = reasons.block_lateness(
        group_frame, left, right, near.clear() if across_customers else near
    )
    leftovers = pl.concat(
        [
            reasons.leftover_reasons(rest_l, doubled_l, "left", options, lateness),
            reasons.leftover_reasons(rest_r, doubled_r, "right", options, lateness),
        ]
    )
    return Partition(group_frame, suggestions, leftovers)


# The pass over every partition's leftovers on document numbers (`across_references`).
_ACROSS_REFERENCE_STAGE = 30


def across_references(left: pl.DataFrame, right: pl.DataFrame, options: MatchOptions) -> Partition:
    """Links and suggestions of `stages.reference_across` over the leftovers of every
    partition, blocked by currency. No reasons: the entries it leaves keep those their
    partitions gave them."""
    links = stages.reference_across(left, right, options)
    return Partition(
        _pairs_as_groups(links.pairs, _ACROSS_REFERENCE_STAGE),
        _pairs_as_groups(links.ambiguous, _ACROSS_REFERENCE_STAGE),
        pl.DataFrame(schema={"side": pl.String, "row": pl.Int64, "reason": pl.String}),
    )


# The pass across customers: a line of no customer paid as one customer's few open entries.
_ACROSS_SUM_STAGE = 31


def with_sums_across(
    left: pl.DataFrame,
    right: pl.DataFrame,
    found: Partition,
    lone_side: str,
    options: MatchOptions,
) -> Partition:
    """`found` (a pass across customers over `left` and `right`) with the lines of no customer
    that it left open and that one customer's open entries add up to (`stages.one_customers_sum`)
    linked as groups."""
    open_rows = {
        side: found.reasons.filter(pl.col("side") == side)["row"].implode()
        for side in ("left", "right")
    }
    lone, others = (right, left) if lone_side == "right" else (left, right)
    many_side = "left" if lone_side == "right" else "right"
    sums = stages.one_customers_sum(
        lone.filter(pl.col("row").is_in(open_rows[lone_side]) & (pl.col("cust") == "")),
        others.filter(pl.col("row").is_in(open_rows[many_side])),
        lone_side,
        options,
    )
    if sums.is_empty():
        return found
    size = pl.col("members").list.len()
    groups = sums.select(
        stage=pl.lit(_ACROSS_SUM_STAGE, dtype=pl.Int64),
        **{lone_side: pl.concat_list("one"), many_side: pl.col("members")},
        rule=pl.lit("many_to_one" if lone_side == "right" else "one_to_many"),
        evidence=pl.struct(
            agreed=pl.lit(["sum"]),
            group_size=size,
            date_span="span",
            customer="cust",
            only_sum_across_customers=pl.lit(True),
        ).struct.json_encode(),
        method=pl.format(
            "{} {} entries of customer {} sum to one {} entry of no customer, the only such sum; "
            "within {} days",
            size,
            pl.lit(many_side),
            "cust",
            pl.lit(lone_side),
            "span",
        ),
    ).select(GROUP_SCHEMA.keys())
    linked = pl.concat(
        [
            sums.select(side=pl.lit(lone_side), row="one"),
            sums.select(side=pl.lit(many_side), row=pl.col("members")).explode("row"),
        ]
    )
    return Partition(
        pl.concat([found.groups, groups]),
        found.suggestions,
        found.reasons.join(linked, on=["side", "row"], how="anti"),
    )


# After both passes; the largest set of equal amounts paired by elimination.
_ELIMINATION_STAGE = 20
_MOST_TO_PAIR = 4


def _one_way_to_pair(
    suggestions: pl.DataFrame, left: pl.DataFrame, right: pl.DataFrame, numbering: bool
) -> pl.DataFrame:
    """Pairs (PAIR_COLUMNS) of equal amounts that the amount-and-date stage could only
    suggest, where they pair up in exactly one way: two invoices of 5,000.00 booked on the 1st
    and the 5th, and two receipts of 5,000.00 on the 3rd and the 6th; the receipt of the 3rd
    can only pay the invoice of the 1st (the bank books after us), and then the receipt of the
    6th pays the other. Every entry of such a set has a counterpart, and no other reading
    (no other suggestion) touches any of them; two to `_MOST_TO_PAIR` on each side. Document
    numbers must not rule out a chosen pair, nor other open entries claim it."""
    single = (pl.col("left").list.len() == 1) & (pl.col("right").list.len() == 1)
    dated = suggestions.filter(single & (pl.col("rule") == "amount_date"))
    if dated.is_empty():
        return stages.empty_pairs()
    others = suggestions.filter(~single | (pl.col("rule") != "amount_date"))
    touched_l = {row for rows in others["left"].to_list() for row in rows}
    touched_r = {row for rows in others["right"].to_list() for row in rows}
    edges = {
        (rows_l[0], rows_r[0]): (rule, evidence, method)
        for rows_l, rows_r, rule, evidence, method in dated.select(
            "left", "right", "rule", "evidence", "method"
        ).iter_rows()
    }
    chosen = [
        (number, lrow, rrow, *edges[(lrow, rrow)])
        for number, component in enumerate(_components(edges))
        for lrow, rrow in _only_pairing(component, edges, touched_l, touched_r)
    ]
    pairs = pl.DataFrame(
        chosen,
        schema={
            "set": pl.Int64,
            "l": pl.Int64,
            "r": pl.Int64,
            "rule": pl.String,
            "evidence": pl.String,
            "method": pl.String,
        },
        orient="row",
    ).with_columns(method=pl.col("method") + "; the only way these equal amounts pair up")
    # a set with a pair the screens refuse is left as it was
    refused = pairs.join(_refused(pairs, left, right, numbering), on=["l", "r"], how="semi")
    return pairs.join(refused.select("set"), on="set", how="anti").select(PAIR_COLUMNS)


def _refused(
    pairs: pl.DataFrame, left: pl.DataFrame, right: pl.DataFrame, numbering: bool
) -> pl.DataFrame:
    """`l`, `r` of the `pairs` that the screens of the amount-and-date stage refuse, run once
    more on pairs chosen from its suggestions."""
    links = stages.Links(pairs.select(PAIR_COLUMNS), pairs.select(PAIR_COLUMNS).clear())
    screened = _unclaimed(
        numbers.agree(links, left, right, numbering), stages.key_pairs(left, right), left, right
    )
    return screened.ambiguous.select("l", "r")


def _components(edges: Collection[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """The edges (left row, right row) in connected sets."""
    by_l: dict[int, list[tuple[int, int]]] = defaultdict(list)
    by_r: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for edge in edges:
        by_l[edge[0]].append(edge)
        by_r[edge[1]].append(edge)
    seen: set[tuple[int, int]] = set()
    found: list[list[tuple[int, int]]] = []
    for start in edges:
        if start in seen:
            continue
        component, todo = [], [start]
        seen.add(start)
        while todo:
            edge = todo.pop()
            component.append(edge)
            for near in (*by_l[edge[0]], *by_r[edge[1]]):
                if near not in seen:
                    seen.add(near)
                    todo.append(near)
        found.append(component)
    return found


def _only_pairing(
    component: list[tuple[int, int]],
    edges: Collection[tuple[int, int]],
    touched_l: set[int],
    touched_r: set[int],
) -> list[tuple[int, int]]:
    """The one way to pair every entry of a set with a counterpart among its suggested ones,
    or nothing: sets of one pair, of unequal sides, too large, with an entry that another
    suggestion reads otherwise, or that pair up in more ways than one."""
    lefts = sorted({lrow for lrow, _ in component})
    rights = sorted({rrow for _, rrow in component})
    if not 2 <= len(lefts) == len(rights) <= _MOST_TO_PAIR:
        return []
    if touched_l.intersection(lefts) or touched_r.intersection(rights):
        return []
    ways = [
        order
        for order in permutations(rights)
        if all((lrow, rrow) in edges for lrow, rrow in zip(lefts, order, strict=True))
    ]
    return list(zip(lefts, ways[0], strict=True)) if len(ways) == 1 else []


# After the elimination; a suggested pair whose rival is the same line booked twice.
_ALIKE_STAGE = 21


def _first_of_alike(
    suggestions: pl.DataFrame,
    alike_l: pl.DataFrame,
    alike_r: pl.DataFrame,
    left: pl.DataFrame,
    right: pl.DataFrame,
    numbering: bool,
) -> pl.DataFrame:
    """Pairs (PAIR_COLUMNS) of an entry and the one counterpart it was only suggested with,
    where that counterpart's one rival is the line alike it booked after it (`duplicates.alike`):
    our receipt of 100,203.78 from 万邦 on the 20th and again on the 22nd, and the customer's one
    payment of it. The first booked is the one paid; the other is booked twice
    (`duplicates.booked_twice`). Each of the three has no other suggestion, and the screens of
    the amount-and-date stage pass."""
    single = (pl.col("left").list.len() == 1) & (pl.col("right").list.len() == 1)
    ones = suggestions.filter(single).select(
        *PAIR_COLUMNS[2:], l=pl.col("left").list.first(), r=pl.col("right").list.first()
    )
    if ones.is_empty() or (alike_l.is_empty() and alike_r.is_empty()):
        return stages.empty_pairs()
    counts = {
        side: suggestions.select(pl.col(column).explode().alias(side)).group_by(side).len()
        for side, column in (("l", "left"), ("r", "right"))
    }
    chosen = []
    for alike, own, other in ((alike_l, "l", "r"), (alike_r, "r", "l")):
        # an entry with one suggestion, whose counterpart has two: to it and to the line alike
        candidates = (
            ones.join(counts[own], on=own)
            .filter(pl.col("len") == 1)
            .drop("len")
            .join(counts[other], on=other)
            .filter(pl.col("len") == 2)
            .drop("len")
        )
        rivals = candidates.select(then=own, met=other)
        chosen.append(
            candidates.join(alike, left_on=own, right_on="first")
            .join(rivals, left_on=["then", other], right_on=["then", "met"], how="semi")
            .select(PAIR_COLUMNS)
        )
    pairs = pl.concat(chosen).with_columns(
        method=pl.col("method") + "; the one entry alike it booked after it is booked twice"
    )
    if pairs.is_empty():
        return pairs
    return pairs.join(_refused(pairs, left, right, numbering), on=["l", "r"], how="anti")


def _without(frame: pl.DataFrame, rows: pl.Series) -> pl.DataFrame:
    """`frame` without the entries at `rows`: a filter, which costs a fraction of an anti-join
    (that one hashes both sides and gathers every column)."""
    return frame.filter(~pl.col("row").is_in(rows.implode()))


def _only(frame: pl.DataFrame, rows: pl.Series) -> pl.DataFrame:
    """`frame` with only the entries at `rows`, in its own order."""
    return frame.filter(pl.col("row").is_in(rows.implode()))


def _stages(
    left: pl.DataFrame,
    right: pl.DataFrame,
    options: MatchOptions,
    found: _Found,
    *,
    first_stage: int,
    groups: bool,
    numbering: bool,
    twinned: dict[str, set[int]] | None = None,
    keep: pl.Expr | None = None,
    across_customers: bool = False,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    bulk: tuple[Callable[[pl.DataFrame, pl.DataFrame], stages.Links], ...] = (
        lambda ours, theirs: stages.exact(ours, theirs),
        lambda ours, theirs: _equal_amounts_only(stages.reference(ours, theirs, options)),
        lambda ours, theirs: _unclaimed(
            stages.amount_date(
                ours,
                theirs,
                options,
                screen=lambda links: _unclaimed_elsewhere(
                    numbers.agree(links, ours, theirs, numbering), ours, theirs
                ),
                across_customers=across_customers,
            ),
            stages.key_pairs(ours, theirs),
            ours,
            theirs,
        ),
    )
    if across_customers:
        bulk = (
            *bulk,
            lambda ours, theirs: stages.platform_settlements(ours, theirs, options),
        )
    left, right = _run_bulk(bulk, left, right, found, first_stage, keep)
    keyed = stages.key_pairs(left, right)
    if groups:
        left, right = _groups(
            left, right, options, keyed, numbering, found, first_stage + 3, twinned or {}
        )
    # A document number with a different amount: a typing error or a fee, but only once no group
    # explains it: a receipt naming the first of the invoices it pays differs from that one
    # invoice by the others, which can look like a dropped digit (17000.00 for 7000.00).
    differing = (
        lambda ours, theirs: _named_once(
            stages.reference(ours, theirs, options), keyed, _contested(found, ours, theirs)
        ),
    )
    return _run_bulk(differing, left, right, found, first_stage + 4, keep)


def _groups(
    left: pl.DataFrame,
    right: pl.DataFrame,
    options: MatchOptions,
    keyed: pl.DataFrame,
    numbering: bool,
    found: _Found,
    stage: int,
    twinned: dict[str, set[int]],
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Links and suggests groups; returns what is left of both sides. Not among strangers
    (`frames.with_blocks`): entries of no known customer, on both sides, may be anyone's, and a
    sum of anyone's entries fits almost any amount."""
    known = pl.col("blk") >= 0
    searched_l, searched_r = _searched(left.filter(known)), _searched(right.filter(known))
    solutions, ambiguous = find_groups(
        searched_l,
        searched_r,
        options,
        Numbers.of(
            set(keyed.iter_rows()),
            numbering=numbering,
            paying=numbers.paying_side(searched_l, searched_r, keyed, options),
            placed={
                "left": set(searched_l.filter("placed")["row"].to_list()),
                "right": set(searched_r.filter("placed")["row"].to_list()),
            },
        ),
        twinned=twinned,
    )
    linked = _solutions_as_groups(solutions, stage)
    found.groups.append(linked)
    found.suggestions.append(_solutions_as_groups(ambiguous, stage))
    found.contested.extend(
        (_rows(s, "left"), _rows(s, "right")) for s in ambiguous if s.typo_reading
    )
    return _without(left, linked["left"].explode()), _without(right, linked["right"].explode())


def _searched(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with what the group search reads besides: `listing` and `stated` (memos repeat,
    our side's are of a few kinds, so each is read once) and `docs`."""
    read = per_distinct(frame, "desc", stated=declared_count(pl.col("desc")).fill_null(0))
    return numbers.with_documents(read.with_columns(listing=numbers.lists_documents()))


def _run_bulk(
    bulk: tuple[Callable[[pl.DataFrame, pl.DataFrame], stages.Links], ...],
    left: pl.DataFrame,
    right: pl.DataFrame,
    found: _Found,
    first_stage: int,
    keep: pl.Expr | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Runs `bulk` in order, each stage on what the ones before left; pairs that `keep` (over
    their `l`, `r` and `rule`) refuses become suggestions."""
    for number, stage in enumerate(bulk, start=first_stage):
        if left.is_empty() or right.is_empty():
            break
        links = stage(left, right)
        if keep is not None:
            links = _kept(links, links.pairs.select(keep).to_series())
        found.groups.append(_pairs_as_groups(links.pairs, number))
        found.suggestions.append(_pairs_as_groups(links.ambiguous, number))
        left, right = _without(left, links.pairs["l"]), _without(right, links.pairs["r"])
    return left, right


def _equal_amounts_only(links: stages.Links) -> stages.Links:
    """Links on a document number with equal amounts; the differing ones wait for the groups."""
    return stages.Links(links.pairs.filter(pl.col("rule") == "reference"), links.ambiguous)


def _contested(found: _Found, left: pl.DataFrame, right: pl.DataFrame) -> pl.DataFrame:
    """The (`l`, `r`) pairs of the suggested groups that also read as a typing error, where
    every entry of the group is still open: a group reading whose member was linked since is no
    longer possible (elimination), and the typing error is then the one reading left."""
    schema = {"l": pl.Int64, "r": pl.Int64}
    if not found.contested:
        return pl.DataFrame(schema=schema)
    open_l, open_r = set(left["row"].to_list()), set(right["row"].to_list())
    pairs = {
        (lrow, rrow)
        for rows_l, rows_r in found.contested
        if open_l.issuperset(rows_l) and open_r.issuperset(rows_r)
        for lrow in rows_l
        for rrow in rows_r
    }
    return pl.DataFrame(list(pairs), schema=schema, orient="row")


def _named_once(links: stages.Links, keyed: pl.DataFrame, contested: pl.DataFrame) -> stages.Links:
    """Pairs whose entries share a document number with no other entry of the other side: a
    receipt that names three invoices and matches one of them but for a digit is not a typo.
    Nor is a pair that a suggested group also explains (5526.94 against 526.94 reads as a
    dropped digit, and as 5000.00 + 526.94): two readings are a question for the cashier."""
    claims = _claims(links.pairs, keyed)
    alone = (claims["shared_l"] <= 1) & (claims["shared_r"] <= 1)
    return _kept(links, alone & ~_among(links.pairs, contested))


def _unclaimed(
    links: stages.Links, keyed: pl.DataFrame, left: pl.DataFrame, right: pl.DataFrame
) -> stages.Links:
    """Pairs whose entries other open entries do not claim by an exact document number. On
    references only alike (`011063`, `011036`) one claim is enough: an invoice that a receipt
    names (`付发票11063款`) belongs with that receipt, not with one a slip away. On amount and
    date alone it takes two on one entry (an invoice that two receipts name is being paid in
    parts by them), or one on each: a receipt that names another open invoice, paired with an
    invoice that another open receipt names, is two payments each of what it names, whatever
    their amounts (the numbers need not contradict each other where they are e-invoice numbers,
    which the amount-and-date screen leaves aside: one in a bank memo may be the payer's own).
    A round amount (whole tens) recurs, so for one a claim by an entry of its sign (one that
    could be its counterpart) is enough: the ¥3,400 invoice a settlement names belongs with
    it, not with a ¥3,400 payment of no number days away."""
    pairs = links.pairs
    claims = _claims(pairs, keyed)
    alike = _claims(pairs, _of_one_sign(keyed, left, right)).select(
        alike_l="shared_l", alike_r="shared_r"
    )
    claims = pl.concat([claims, alike], how="horizontal").join(
        left.select(l="row", round=pl.col("amt") % WHOLE_TENS == 0),
        on="l",
        how="left",
        maintain_order="left",
    )
    # how many entries other than its partner share a document number with each entry
    others_l = pl.col("shared_l") - pl.col("own")
    others_r = pl.col("shared_r") - pl.col("own")
    unclaimed_alike = (pl.col("alike_l") - pl.col("own") == 0) & (
        pl.col("alike_r") - pl.col("own") == 0
    )
    free = (
        pl.when(pl.col("rule") == "reference")
        .then((others_l == 0) & (others_r == 0))
        .otherwise(
            (others_l < 2)
            & (others_r < 2)
            & ((others_l == 0) | (others_r == 0))
            & (~pl.col("round") | unclaimed_alike)
        )
    )
    return _kept(links, claims.select(free).to_series())


def _unclaimed_elsewhere(
    links: stages.Links, left: pl.DataFrame, right: pl.DataFrame
) -> stages.Links:
    """Pairs neither of whose entries is `claimed` by a document number and amount in another
    block (`stages.claimed_across_blocks`): the ¥3,220.00 invoice that a parent company's
    payment names is not the customer's own ¥3,220.00 payment of no number."""
    claimed_l, claimed_r = left.filter("claimed")["row"], right.filter("claimed")["row"]
    if claimed_l.is_empty() and claimed_r.is_empty():
        return links
    pairs = links.pairs
    free = ~(pairs["l"].is_in(claimed_l.implode()) | pairs["r"].is_in(claimed_r.implode()))
    return _kept(links, free)


def _of_one_sign(keyed: pl.DataFrame, left: pl.DataFrame, right: pl.DataFrame) -> pl.DataFrame:
    """The (`l`, `r`) pairs of `keyed` whose amounts have one sign (an invoice and the customer's
    posting of it, not the payment that names it)."""
    return (
        keyed.join(left.select(l="row", sign_l=pl.col("amt") > 0), on="l")
        .join(right.select(r="row", sign_r=pl.col("amt") > 0), on="r")
        .filter(pl.col("sign_l") == pl.col("sign_r"))
        .select("l", "r")
    )


def _claims(pairs: pl.DataFrame, keyed: pl.DataFrame) -> pl.DataFrame:
    """Per pair, in order: its `rule`; `shared_l` and `shared_r`, how many entries of the other
    side share a document number (`keyed`) with its left and with its right entry; `own`, 1
    where the two share one."""
    return (
        pairs.select("l", "r", "rule")
        .join(keyed.group_by("l").agg(shared_l=pl.len()), on="l", how="left", maintain_order="left")
        .join(keyed.group_by("r").agg(shared_r=pl.len()), on="r", how="left", maintain_order="left")
        .with_columns(
            pl.col("shared_l", "shared_r").fill_null(0),
            own=_among(pairs, keyed).cast(pl.UInt32),
        )
    )


def _among(pairs: pl.DataFrame, others: pl.DataFrame) -> pl.Series:
    """Per pair of `pairs`, in order: whether it is one of `others` (`l`, `r`, each once)."""
    flagged = pairs.select("l", "r").join(
        others.select("l", "r", among=pl.lit(True)),
        on=["l", "r"],
        how="left",
        maintain_order="left",
    )
    return flagged["among"].fill_null(False)


def _kept(links: stages.Links, kept: pl.Series) -> stages.Links:
    """`links` with the pairs where `kept` is false made suggestions."""
    pairs = links.pairs
    return stages.Links(pairs.filter(kept), pl.concat([links.ambiguous, pairs.filter(~kept)]))


def _pairs_as_groups(pairs: pl.DataFrame, stage: int) -> pl.DataFrame:
    return pairs.select(
        stage=pl.lit(stage, dtype=pl.Int64),
        left=pl.concat_list("l"),
        right=pl.concat_list("r"),
        rule="rule",
        evidence="evidence",
        method="method",
    )


def _rows(solution: Solution, side: str) -> list[int]:
    return [solution.one] if solution.one_side == side else list(solution.members)


# What the group rows are written from, read off each solution in one call: read from Python, a
# compiled class's attributes cost a lookup each, the bulk of the time here.
_READ = attrgetter("one_side", "one", "members", "difference", "date_span", "score")


def _solutions_as_groups(solutions: list[Solution], stage: int) -> pl.DataFrame:
    """Built from flat columns: a list column from a hundred thousand small Python tuples costs
    seconds, a group_by over flat (group, member) pairs a few milliseconds (the single entry's
    side is a list of one); the texts are written by Polars, not one `json.dumps` per group."""
    if not solutions:
        return pl.DataFrame(schema=GROUP_SCHEMA)
    one_side, one, members, difference, date_span, scores = zip(*map(_READ, solutions), strict=True)
    shared, one_day, lag_fit = zip(*scores, strict=True)
    sizes = list(map(len, members))
    frame = pl.DataFrame(
        {
            "one_side": one_side,
            "size": sizes,
            "difference": difference,
            "date_span": date_span,
            "shared": shared,
            "outside": lag_fit,
            "one_day": one_day,
            "one": one,
        },
        schema={**_FACTS, "one": pl.Int64},
    ).with_columns(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("group"), outside=-pl.col("outside")
    )
    flat = pl.DataFrame(
        {
            "group": frame["group"].repeat_by(frame["size"]).explode(),
            "members": list(chain.from_iterable(members)),
        },
        schema={"group": pl.Int64, "members": pl.Int64},
    )
    frame = frame.with_columns(*_described()).join(
        flat.group_by("group").agg("members"), on="group", how="left", maintain_order="left"
    )
    return frame.select(
        stage=pl.lit(stage, dtype=pl.Int64),
        **{
            side: pl.when(pl.col("one_side") == side)
            .then(pl.concat_list("one"))
            .otherwise("members")
            for side in ("left", "right")
        },
        rule="rule",
        evidence="evidence",
        method="method",
    )


# What a group's rule, evidence and method are written from, one value per group.
_FACTS: dict[str, pl.DataType] = {
    "one_side": pl.String(),
    "size": pl.Int64(),
    "difference": pl.Int64(),  # 1/10000 units
    "date_span": pl.Int64(),
    "shared": pl.Int64(),
    "outside": pl.Int64(),  # minus the score's lag fit
    "one_day": pl.Int64(),
}


def _described() -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """Rule, evidence (JSON) and method sentence of each group, from its `_FACTS`."""
    size, exact = pl.col("size"), pl.col("difference") == 0
    pair = size == 1
    many = pl.when(pl.col("one_side") == "right").then(pl.lit("left")).otherwise(pl.lit("right"))
    rule = (
        pl.when(pair)
        .then(pl.lit("tolerance"))
        .when(pl.col("one_side") == "right")
        .then(pl.lit("many_to_one"))
        .otherwise(pl.lit("one_to_many"))
    )
    evidence = pl.struct(
        agreed=pl.concat_list(
            pl.when(exact).then(pl.lit("sum")).otherwise(pl.lit("sum_within_tolerance"))
        ),
        group_size=size,
        date_span="date_span",
        difference=amount_text(pl.col("difference")),
        members_sharing_reference="shared",
        days_outside_usual_lag="outside",
        members_on_one_day=pl.col("one_day") == 1,
    ).struct.json_encode()
    within = (
        pl.when(exact).then(pl.lit("")).otherwise(pl.lit(" within tolerance (fee or rounding)"))
    )
    method = (
        pl.when(pair)
        .then(
            pl.format(
                "amounts differ within tolerance (fee or rounding); dates {} days apart",
                "date_span",
            )
        )
        .otherwise(
            pl.format(
                "{} {} entries sum to one {} entry{}; within {} days",
                size,
                many,
                "one_side",
                within,
                "date_span",
            )
        )
    )
    return rule.alias("rule"), evidence.alias("evidence"), method.alias("method")


def still_open(suggestions: pl.DataFrame, left: pl.DataFrame, right: pl.DataFrame) -> pl.DataFrame:
    """Only suggestions whose entries are all still unmatched, each once."""
    at = pl.int_range(pl.len()).alias("at")
    closed = pl.concat(
        suggestions.select(at, row=side).explode("row").filter(~pl.col("row").is_in(rows))
        for side, rows in (("left", left["row"].implode()), ("right", right["row"].implode()))
    )
    kept = suggestions.filter(~at.is_in(closed["at"].implode()))
    ordered = kept.sort("stage", "left", "right", "rule", "method")
    return ordered.unique(["left", "right"], keep="first", maintain_order=True)
