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

from duizhang.engine import numbers, stages
from duizhang.engine.frames import amount_text, per_distinct
from duizhang.engine.groups import Numbers, Solution, find_groups
from duizhang.engine.money import WHOLE_HUNDREDS, WHOLE_TENS
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
    repeated_l, repeated_r = _repeated(left), _repeated(right)
    (copy_l, twinned_l), (copy_r, twinned_r) = (
        _copies(left, right, repeated_l),
        _copies(right, left, repeated_r),
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
        refused_are_rivals=across_customers,
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
        keep=_not_both_copies(copy_l, copy_r),
        refused_are_rivals=across_customers,
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
    alike_l, alike_r = _alike(left, repeated_l, right), _alike(right, repeated_r, left)
    first = _first_of_alike(suggestions, alike_l, alike_r, rest_l, rest_r, numbering)
    if not first.is_empty():
        found.groups.append(_pairs_as_groups(first, _ALIKE_STAGE))
        rest_l, rest_r = _without(rest_l, first["l"]), _without(rest_r, first["r"])
        suggestions = still_open(suggestions, rest_l, rest_r)
    group_frame = pl.concat(found.groups) if found.groups else pl.DataFrame(schema=GROUP_SCHEMA)
    doubled_l = pl.concat([copy_l["row"], _booked_twice(alike_l, rest_l, group_frame, "left")])
    doubled_r = pl.concat([copy_r["row"], _booked_twice(alike_r, rest_r, group_frame, "right")])
    # entries without a customer have no customer's habit to go by
    near = _near_the_end(rest_l, rest_r, options)
    lateness = _lateness(group_frame, left, right, near.clear() if across_customers else near)
    reasons = pl.concat(
        [
            _reasons(rest_l, doubled_l, "left", options, lateness),
            _reasons(rest_r, doubled_r, "right", options, lateness),
        ]
    )
    return Partition(group_frame, suggestions, reasons)


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


def _alike(frame: pl.DataFrame, repeated: pl.Series, other: pl.DataFrame) -> pl.DataFrame:
    """`first`, `then`: the rows of two entries of one side alike in `_REPOST_KEY` (block,
    amount, payer and the memo word for word), whatever their references (a line keyed in again
    gets a new voucher or receipt number), `then` booked up to `REPOST_DAYS` days after
    `first`, or the same day under a higher number of the same form (`SKD202606-00170` after
    `SKD202606-00169`; a bank serial and a receipt number say nothing about which came first).
    Not round amounts (whole hundreds): a customer pays 5,000.00 twice in a week as often as it
    is booked twice; an amount to the cent under the same memo days apart is one payment keyed
    in again. Nor a line whose reference an entry of `other` of its amount names: a document
    the other side knows (our invoice INV-2026-479252, which the bank's receipt of it quotes),
    and one under another number is another document. A memo that names a document makes its lines
    `_reposted` copies already."""
    key = list(_REPOST_KEY)
    lines = (
        frame.select("row", "date", "ref", *key)
        .filter(repeated & (pl.col("amt") % WHOLE_HUNDREDS != 0))
        .filter(pl.struct(*key).hash().is_duplicated())
    )
    if not lines.is_empty():
        # the references alone: a memo alike names the same documents in both lines
        memo = pl.lit(None, pl.List(pl.String))
        quoted = stages.key_pairs(
            frame.select("row", "blk", *_DOCUMENT_COLUMNS)
            .join(lines, on="row", how="semi")
            .with_columns(key_memo=memo, key_memo_tail=memo),
            other.select("row", "blk", "amt", *_DOCUMENT_COLUMNS).join(
                lines, on=["blk", "amt"], how="semi"
            ),
        )["l"]
        lines = lines.filter(~pl.col("row").is_in(quoted.implode()))
    if lines.is_empty():
        return pl.DataFrame(schema={"first": pl.Int64, "then": pl.Int64})
    pairs = lines.join(lines, on=key, suffix="_then")
    gap = (pl.col("date_then") - pl.col("date")).dt.total_days()
    form = pl.col("ref").str.replace_all(r"\d", "0")
    later_number = (form == pl.col("ref_then").str.replace_all(r"\d", "0")) & (
        pl.col("ref") < pl.col("ref_then")
    )
    return pairs.filter((gap > 0) & (gap <= REPOST_DAYS) | (gap == 0) & later_number).select(
        first="row", then="row_then"
    )


def _first_of_alike(
    suggestions: pl.DataFrame,
    alike_l: pl.DataFrame,
    alike_r: pl.DataFrame,
    left: pl.DataFrame,
    right: pl.DataFrame,
    numbering: bool,
) -> pl.DataFrame:
    """Pairs (PAIR_COLUMNS) of an entry and the one counterpart it was only suggested with,
    where that counterpart's one rival is the line alike it booked after it (`_alike`): our receipt of
    100,203.78 from 万邦 on the 20th and again on the 22nd, and the customer's one payment of
    it. The first booked is the one paid; the other is booked twice (`_booked_twice`). Each of
    the three has no other suggestion, and the screens of the amount-and-date stage pass."""
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


def _booked_twice(
    alike: pl.DataFrame, rest: pl.DataFrame, groups: pl.DataFrame, side: str
) -> pl.Series:
    """`row`: the open entries (in `rest`) whose line alike (`_alike`, booked before or after)
    is linked alone on its side of a group (one to one, or the total of several): that
    counterpart accounts for the amount once, and the line left over is the one booked twice. A
    line alike that is one of several summed is no such evidence: two invoices of one amount,
    one of them paid with others, leave the other open."""
    if alike.is_empty():
        return pl.Series("row", [], dtype=pl.Int64)
    open_rows = rest["row"].implode()
    summed = groups.filter(pl.col(side).list.len() > 1).select(pl.col(side).explode())
    linked_alone = ~pl.col("linked").is_in(open_rows) & ~pl.col("linked").is_in(
        summed[side].implode()
    )
    return (
        pl.concat(
            [
                alike.select(linked=one, row=other)
                for one, other in (("first", "then"), ("then", "first"))
            ]
        )
        .filter(linked_alone & pl.col("row").is_in(open_rows))["row"]
        .unique()
    )


def _not_both_copies(copy_l: pl.DataFrame, copy_r: pl.DataFrame) -> pl.Expr:
    """Refuses a link between two copies on a document number: both sides booked one document
    twice, and the second bookings are duplicates to clear, not a second event that they settle
    between them. Two equal payments without a number may be two, and still meet on amount and
    date."""
    return (
        (pl.col("rule") == "amount_date")
        | ~pl.col("l").is_in(copy_l["row"].implode())
        | ~pl.col("r").is_in(copy_r["row"].implode())
    )


# Entries of one side alike in all of these are copies (but see `_identical`); the first (lowest
# row) is the original.
_COPY_KEY = ("blk", "date", "amt", "ref", "cp")
# A line booked again is alike in these (the memo word for word) and in the document it names
# (`_booked_document`); the first booked (then the lower voucher number) is the original.
_REPOST_KEY = ("blk", "amt", "cp", "desc")
# The most days between a line and its re-posting: a ledger re-posts within the weeks it is
# still open, not a month's cycle later (a monthly rent under one contract number is not one).
REPOST_DAYS = 21
# What `stages.key_pairs` reads of an entry besides its row and block.
_DOCUMENT_COLUMNS = ("rkey", "key_serial", "key_digits", "key_tail", "key_memo", "key_memo_tail")


def _repeated(frame: pl.DataFrame) -> pl.Series:
    """Per entry: whether it shares block and amount with another of its side (a hash of the
    two that repeats; a collision only lets more through). Copies and lines alike do: only
    those are looked at further."""
    return frame.select(pl.struct("blk", "amt").hash().is_duplicated()).to_series()


def _copies(
    frame: pl.DataFrame, other: pl.DataFrame, repeated: pl.Series
) -> tuple[pl.DataFrame, set[int]]:
    """The copies (`row`, in order) and the originals of the identical ones (`_identical`): a
    group member that is one of those could as well be its copy. Re-postings (`_reposted`) are
    copies too, but dated or numbered after their original, which tells the two apart."""
    identical = _identical(frame, repeated)
    reposted = _reposted(frame, repeated, other)
    copies = pl.concat([identical.select("row"), reposted]).unique().sort("row")
    return copies, set(identical["original"].to_list())


def _identical(frame: pl.DataFrame, repeated: pl.Series) -> pl.DataFrame:
    """`row`, `original`: entries alike in `_COPY_KEY` to one before them, unless both are
    lines of one voucher that cite different documents (`_voucher_line_documents`). Only the
    `repeated` entries that share their date too (a hash of the three that repeats) have their
    texts compared."""
    alike = (
        frame.select("row", *_COPY_KEY, "key_memo")
        .filter(repeated)
        .filter(pl.struct("blk", "date", "amt").hash().is_duplicated())
        .with_columns(docs=_voucher_line_documents())
    )
    first = pl.col("row").min()
    citing = pl.col("docs") != ""
    if not alike.select(citing.any()).item():
        original = first.over(_COPY_KEY)
    else:
        # a line citing no document may copy any; one citing some, only a line citing the
        # same ones, or none
        original = (
            pl.when(citing)
            .then(
                pl.min_horizontal(
                    pl.when(~citing).then("row").min().over(_COPY_KEY),
                    first.over(*_COPY_KEY, "docs"),
                )
            )
            .otherwise(first.over(_COPY_KEY))
        )
    copies = alike.select("row", original=original).filter(pl.col("row") != pl.col("original"))
    return copies.sort("row")


def _voucher_line_documents() -> pl.Expr:
    """The document numbers that the memo of a line under a voucher number cites (besides the
    number), as one text; empty where it cites none. Our receipt booked under one voucher, a
    line per invoice it settles (`核销发票46032818`, `核销发票46032819`), is two events of one
    day, amount and reference. Lines without any reference are copies as before, whatever
    their memos: nothing says they are the lines of one booking, and a copy keyed in again by
    hand may word its memo anew."""
    cited = pl.col("key_memo").list.unique().list.sort().list.join(" ").fill_null("")
    return pl.when(pl.col("ref") != "").then(cited).otherwise(pl.lit(""))


def _reposted(frame: pl.DataFrame, repeated: pl.Series, other: pl.DataFrame) -> pl.DataFrame:
    """`row` of the lines booked a second time: alike in `_REPOST_KEY` and in the document they
    name (`_booked_document`) to a line booked at most `REPOST_DAYS` before, or the same day
    under a lower voucher number. A ledger that books an invoice or a payment twice gives the
    copy a new voucher number (记-202608-0123, then 记-202608-0131), often a day or days later;
    the invoice number in the memo is one (`采购原材料 发票号49612510`). A line keyed in again,
    or a bank line in two overlapping statements, keeps its reference and memo, its date may
    move. Not where `other` books the document as often (`_booked_as_often`)."""
    # of the `repeated` lines, those whose texts repeat too (a hash of them; a collision only
    # lets more through) are sorted; only the re-posted ones carry all their columns along
    key = (*_REPOST_KEY, "document")
    ordered = (
        frame.select("row", "date", "ref", *_REPOST_KEY, named=pl.col("key_memo").is_not_null())
        .filter(repeated & (pl.col("named") | (pl.col("ref") != "")))
        .with_columns(_booked_document())
        .filter(pl.struct(*key).hash().is_duplicated())
        .sort(*key, "date", "ref", "row")
    )
    gap = (pl.col("date") - pl.col("date").shift(1)).dt.total_days()
    same = pl.all_horizontal(pl.col(column) == pl.col(column).shift(1) for column in key)
    # the same day under the same reference is an identical copy (`_identical`) already
    identical = (gap == 0) & (pl.col("ref") == pl.col("ref").shift(1))
    again = (same & (gap <= REPOST_DAYS) & ~identical).fill_null(False)
    # a run: a line and the ones that repeat it, each within the days allowed of the one before
    runs = ordered.with_columns(again=again).with_columns(run=(~pl.col("again")).cum_sum())
    lines = runs.filter(pl.col("again").any().over("run"))
    if lines.is_empty():
        return lines.select("row")
    lines = lines.join(frame.select("row", *_DOCUMENT_COLUMNS), on="row", maintain_order="left")
    booked = _booked_as_often(lines, other)
    return lines.filter(pl.col("again") & ~pl.col("run").is_in(booked.implode())).select("row")


def _booked_document() -> pl.Expr:
    """`document`: what tells a line booked twice from two lines alike: the documents its memo
    names (`named`: `prepare` leaves no empty list in `key_memo`), whatever its voucher number
    (the memo is word for word alike, so an empty text says it names some); else its
    reference, which a copy keeps; null where it has neither. Lines with neither (`收货款`)
    may be equal payments of one customer days apart, as common as a double booking and not
    told from one by anything in the lines."""
    return (
        pl.when(pl.col("named"))
        .then(pl.lit(""))
        .when(pl.col("ref") != "")
        .then(pl.col("ref"))
        .alias("document")
    )


def _booked_as_often(lines: pl.DataFrame, other: pl.DataFrame) -> pl.Series:
    """The `run`s of alike lines that the other side books as often: as many entries of that
    amount sharing a document number with them (an invoice paid in equal instalments, a weekly
    rent under one contract number) are so many events, not one booked twice."""
    counterparts = other.select("row", "blk", "amt", *_DOCUMENT_COLUMNS).join(
        lines.select("blk", "amt").unique(), on=["blk", "amt"], how="semi"
    )
    if counterparts.is_empty():
        return pl.Series("run", [], dtype=pl.UInt32)
    met = (
        stages.key_pairs(lines, counterparts)
        .join(lines.select(l="row", run="run", amt="amt"), on="l")
        .join(counterparts.select(r="row", amt="amt"), on=["r", "amt"], how="semi")
        .group_by("run")
        .agg(met=pl.col("r").n_unique())
    )
    sizes = lines.group_by("run").agg(size=pl.len())
    return sizes.join(met, on="run").filter(pl.col("met") >= pl.col("size"))["run"]


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
    refused_are_rivals: bool = False,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    bulk = (
        lambda ours, theirs: stages.exact(ours, theirs),
        lambda ours, theirs: _equal_amounts_only(stages.reference(ours, theirs, options)),
        lambda ours, theirs: _unclaimed(
            stages.amount_date(
                ours,
                theirs,
                options,
                screen=lambda links: numbers.agree(links, ours, theirs, numbering),
                refused_are_rivals=refused_are_rivals,
            ),
            stages.key_pairs(ours, theirs),
            ours,
            theirs,
        ),
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
    """Links and suggests groups; returns what is left of both sides."""
    searched_l, searched_r = _searched(left), _searched(right)
    solutions, ambiguous = find_groups(
        searched_l,
        searched_r,
        options,
        Numbers.of(
            set(keyed.iter_rows()),
            numbering=numbering,
            paying=numbers.paying_side(searched_l, searched_r),
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
    read = per_distinct(
        frame,
        "desc",
        listed=numbers.documents_listed(),
        stated=declared_count(pl.col("desc")).fill_null(0),
    )
    return numbers.with_documents(
        read.with_columns(listing=numbers.lists_documents(pl.col("listed"))).drop("listed")
    )


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


# The most days before the period end that the files' usual lag makes a leftover a timing
# difference.
TIMING_LAG_CAP = 7
# The most days that a block's own lag does (`_lateness`): a counterpart booked later still is not
# in transit but overdue.
BLOCK_TIMING_CAP = 14
# One-to-one links of a block and direction it takes to learn its lag from, and the share of
# them booked within it.
_LATENESS_LINKS = 10
_LATENESS_SHARE = 0.95


def _near_the_end(rest_l: pl.DataFrame, rest_r: pl.DataFrame, options: MatchOptions) -> pl.Series:
    """`blk`: the blocks with open entries that their own lag (`_lateness`) could make timing
    differences: booked up to `BLOCK_TIMING_CAP` days before the period end, but before the
    files' window (`_timing_window`)."""
    assert options.period_end is not None
    days = (pl.lit(options.period_end) - pl.col("date")).dt.total_days()
    near = days.is_between(_timing_window(options), BLOCK_TIMING_CAP - 1)
    return pl.concat([rest_l.filter(near)["blk"], rest_r.filter(near)["blk"]]).unique()


def _lateness(
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


def _reasons(
    rest: pl.DataFrame,
    doubled: pl.Series,
    side: str,
    options: MatchOptions,
    lateness: pl.DataFrame,
) -> pl.DataFrame:
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
