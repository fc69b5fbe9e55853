"""Reconcile two sets of entries: link what describes the same event, explain what is left.

`match()` is the library API (plain `Entry` records in, plain `MatchResult` out);
`match_frames()` is the fast path the CLI uses on canonical CSV read straight into Polars.
Both run the same stages (`pipeline.run_partition`) on the same frames, so results are equal.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl

from duizhang.engine import numbers
from duizhang.engine.frames import (
    amount_text,
    coded_names,
    fill_customers,
    frame_from_entries,
    have_customer_codes,
    named_by_customer,
    placed_by_name_readings,
    prepare,
    with_blocks,
    with_names_as_customers,
    with_six_digit_tails,
    with_six_digit_tails_of_placed,
    with_tails_that_meet,
    with_the_only_customer,
)
from duizhang.engine.money import from_units
from duizhang.engine.options import MatchOptions
from duizhang.engine.pipeline import (
    GROUP_SCHEMA,
    Partition,
    across_references,
    run_partition,
    still_open,
    with_sums_across,
)
from duizhang.engine.reasons import one_sided_kinds_missing
from duizhang.engine.records import Entry
from duizhang.engine.stages import block_lags, claimed_across_blocks, usual_lag
from duizhang.engine.statement import REASONS, BalanceStatement

# Below this many lines a second process costs more (start-up, copying) than it saves.
LINES_PER_JOB = 250_000
# The first partition runs in this process, which need not wait for its piece to be handed over.
FIRST_SHARE_BONUS = 1.05
# A block's cost (`_block_costs`): lines, plus lines squared over this, while under the second
# (fitted on the group search's time per block of the bank generator's 1M lines).
LINES_PER_SEARCH_COST = 1400
SEARCHED_BLOCK_LINES = 20_000
MATCH_COLUMNS = ("match_id", "left_id", "right_id", "rule", "difference", "method", "evidence")
UNMATCHED_COLUMNS = ("side", "id", "reason", "date", "amount", "currency", "reference")
SUGGESTION_COLUMNS = ("suggestion_id", "left_id", "right_id", "rule", "method", "evidence")


@dataclass(frozen=True, slots=True)
class Group:
    match_id: str
    rule: str
    left_ids: tuple[str, ...]
    right_ids: tuple[str, ...]
    difference: Decimal  # sum(left) - sum(right)
    method: str
    evidence: dict[str, object]


@dataclass(frozen=True, slots=True)
class Unmatched:
    side: str
    id: str
    reason: str  # missing / timing / duplicate
    date: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Suggestion:
    suggestion_id: str
    rule: str
    left_ids: tuple[str, ...]
    right_ids: tuple[str, ...]
    method: str


@dataclass(frozen=True, slots=True)
class MatchResult:
    groups: list[Group]
    unmatched: list[Unmatched]
    suggestions: list[Suggestion]
    statements: list[BalanceStatement]
    summary: dict[str, object]


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result as frames, in the columns of the output files."""

    matches: pl.DataFrame  # MATCH_COLUMNS, one row per linked pair
    unmatched: pl.DataFrame  # UNMATCHED_COLUMNS
    suggestions: pl.DataFrame  # SUGGESTION_COLUMNS, one row per suggested pair
    statements: list[BalanceStatement]
    summary: dict[str, object]


def match(
    left: Sequence[Entry], right: Sequence[Entry], options: MatchOptions | None = None
) -> MatchResult:
    outcome = match_frames(
        frame_from_entries(left), frame_from_entries(right), options or MatchOptions()
    )
    return _as_result(outcome)


def match_frames(left: pl.DataFrame, right: pl.DataFrame, options: MatchOptions) -> Outcome:
    """Match two frames in the `frames.SCHEMA` columns."""
    if options.period_end is None:
        latest = pl.concat([left.select("date"), right.select("date")])["date"].max()
        options = replace(options, period_end=latest if isinstance(latest, date) else date.today())
    jobs = options.jobs or min(
        os.cpu_count() or 1, (left.height + right.height) // LINES_PER_JOB + 1
    )
    with _workers(jobs - 1) as workers:  # they start up while this process prepares
        # string work on one column runs on one thread: the two sides side by side use both
        with ThreadPoolExecutor(max_workers=2) as threads:
            prepared_l, prepared_r = with_names_as_customers(*threads.map(prepare, (left, right)))
            prepared_l, prepared_r = with_tails_that_meet(
                *with_six_digit_tails(prepared_l, prepared_r)
            )
            by_customer = have_customer_codes(prepared_l, prepared_r)
            # it reads only the document numbers: beside the customer filling, on the other core
            numbering = (
                threads.submit(numbers.shared_numbering, prepared_l, prepared_r)
                if options.numbering is None
                else None
            )
            if by_customer:
                prepared_l, prepared_r = with_the_only_customer(prepared_l, prepared_r)
                # the entries that come with a customer code (`_across_customers`)
                prepared_l, prepared_r = (
                    frame.with_columns(coded=pl.col("cust") != "")
                    for frame in (prepared_l, prepared_r)
                )
                # a list of documents tells its customer better than a name that may be short
                # or shared (康宁软件 for two companies); e-invoice numbers place a payer after
                # its name does (measured: fewer wrong links on the bank generator)
                listing = numbers.lists_documents(by_tails=False)
                prepared_l, prepared_r = numbers.fill_customers(
                    prepared_l, prepared_r, only=listing
                )
                prepared_l, prepared_r = fill_customers(prepared_l, prepared_r)
                prepared_l, prepared_r = numbers.fill_customers(prepared_l, prepared_r)
                # and the names of the lines they placed place that payer's other lines: a name
                # the ledger never writes (an English one) is learned from the invoices it named
                prepared_l, prepared_r = fill_customers(prepared_l, prepared_r)
                prepared_l, prepared_r = placed_by_name_readings(prepared_l, prepared_r)
                prepared_l, prepared_r = with_six_digit_tails_of_placed(prepared_l, prepared_r)
            prepared_l, prepared_r = with_blocks(prepared_l, prepared_r, by_customer=by_customer)
            if by_customer:
                prepared_l, prepared_r = claimed_across_blocks(
                    prepared_l, prepared_r, options.group_window
                )
            if options.round_lag is None:
                options = replace(options, round_lag=usual_lag(prepared_l, prepared_r))
            earliest, latest = options.round_lag or (0, 0)
            if options.round_lag is not None and latest - earliest > options.date_window:
                # a few customers booked weeks late: the others' own lags are narrower
                lags = block_lags(prepared_l, prepared_r, options.round_lag)
                prepared_l, prepared_r = _with_lags(prepared_l, lags), _with_lags(prepared_r, lags)
            if numbering is not None:
                options = replace(options, numbering=numbering.result())
        parts = _run(prepared_l, prepared_r, options, jobs, workers)
    if by_customer:
        parts = _references_across_customers(prepared_l, prepared_r, parts, options)
        parts = _across_customers(prepared_l, prepared_r, parts, options)
    return _assemble(left, right, parts, options)


def _with_lags(frame: pl.DataFrame, lags: pl.DataFrame) -> pl.DataFrame:
    """The frame with its blocks' own usual lags (`block_lags`; null: the files')."""
    return frame.drop("lag_lo", "lag_hi").join(lags, on="blk", how="left", maintain_order="left")


def _open_entries(
    left: pl.DataFrame, right: pl.DataFrame, parts: list[Partition]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The entries of both sides that the partitions left open, copies (duplicates) aside."""
    reasons = pl.concat([p.reasons for p in parts])
    open_rows = reasons.filter(pl.col("reason") != "duplicate")
    return (
        left.join(open_rows.filter(pl.col("side") == "left"), on="row", how="semi"),
        right.join(open_rows.filter(pl.col("side") == "right"), on="row", how="semi"),
    )


def _references_across_customers(
    left: pl.DataFrame, right: pl.DataFrame, parts: list[Partition], options: MatchOptions
) -> list[Partition]:
    """The leftovers of every block once more against each other on document numbers alone
    (`stages.reference_across`): a bank line that carries the code or the name of the company
    that paid for another (a parent, a payment platform) sits in that company's block, and never
    met the invoice it names. Before the pass across customers on amount and date, which would
    otherwise hand that invoice to a customer-less line of equal amount."""
    rest_l, rest_r = _open_entries(left, right, parts)
    if rest_l.is_empty() or rest_r.is_empty():
        return parts
    sub_l, sub_r = with_blocks(rest_l.drop("blk"), rest_r.drop("blk"), by_customer=False)
    found = across_references(sub_l, sub_r, options)
    linked = pl.concat(
        [
            found.groups.select(side=pl.lit("left"), row=pl.col("left").list.first()),
            found.groups.select(side=pl.lit("right"), row=pl.col("right").list.first()),
        ]
    )
    return [
        *(
            Partition(
                p.groups, p.suggestions, p.reasons.join(linked, on=["side", "row"], how="anti")
            )
            for p in parts
        ),
        found,
    ]


def _across_customers(
    left: pl.DataFrame, right: pl.DataFrame, parts: list[Partition], options: MatchOptions
) -> list[Partition]:
    """Entries left without a customer code (and no name that tells it) get one more chance
    against the leftovers of every customer: one-to-one stages only, blocked by currency. So do
    the entries that came without one and were placed by a payer name that another customer's
    coded entries write inside theirs: a short name two customers share (`万通商贸` for
    合肥万通商贸 and 沈阳万通商贸) placed them with one of the two. A customer's entry
    without a payer name goes by its customer's name (`named_by_customer`)."""
    rest_l, rest_r = named_by_customer(_open_entries(left, right, parts), (left, right))
    written = coded_names(left, right)
    for lone_side in ("right", "left"):
        lone = rest_r if lone_side == "right" else rest_l
        lone = lone.filter(~pl.col("coded") & ~pl.col("placed"))
        shared = _shared_names(lone, written).with_columns(shared=pl.lit(True))
        lone = (
            lone.join(shared, on=["cust", "name"], how="left", maintain_order="left")
            .filter((pl.col("cust") == "") | pl.col("shared").fill_null(False))
            .drop("shared")
        )
        if lone.is_empty():
            continue
        sub_l, sub_r = (rest_l, lone) if lone_side == "right" else (lone, rest_r)
        sub_l, sub_r = with_blocks(sub_l.drop("blk"), sub_r.drop("blk"), by_customer=False)
        extra = run_partition(sub_l, sub_r, options, across_customers=True)
        extra = with_sums_across(sub_l, sub_r, extra, lone_side, options)
        redone = pl.concat(
            [
                sub_l.select("row", side=pl.lit("left")),
                sub_r.select("row", side=pl.lit("right")),
            ]
        )
        parts = [
            Partition(
                p.groups, p.suggestions, p.reasons.join(redone, on=["side", "row"], how="anti")
            )
            for p in parts
        ]
        parts.append(extra)
        matched_l = extra.reasons.filter(pl.col("side") == "left")
        matched_r = extra.reasons.filter(pl.col("side") == "right")
        rest_l = rest_l.join(sub_l.select("row"), on="row", how="anti").vstack(
            rest_l.join(matched_l.select("row"), on="row", how="semi").join(
                sub_l.select("row"), on="row", how="semi"
            )
        )
        rest_r = rest_r.join(sub_r.select("row"), on="row", how="anti").vstack(
            rest_r.join(matched_r.select("row"), on="row", how="semi").join(
                sub_r.select("row"), on="row", how="semi"
            )
        )
    return _open_suggestions_only(parts)


def _shared_names(entries: pl.DataFrame, written: pl.DataFrame) -> pl.DataFrame:
    """`cust`, `name`: the customers and payer names of `entries` placed by name where another
    customer's coded entries (`written`: their `cust` and `name`) hold that name inside theirs."""
    placed = (
        entries.filter((pl.col("cust") != "") & (pl.col("name") != ""))
        .select("cust", "name")
        .unique()
    )
    if placed.is_empty():
        return placed
    inside = (
        written.select(
            owner="cust",
            name=pl.col("name").str.extract_many(
                placed["name"].unique().to_list(), overlapping=True
            ),
        )
        .explode("name")
        .drop_nulls("name")
        .unique()
    )
    return (
        placed.join(inside, on="name")
        .filter(pl.col("owner") != pl.col("cust"))
        .select("cust", "name")
        .unique()
    )


def _open_suggestions_only(parts: list[Partition]) -> list[Partition]:
    """A suggestion made before the pass across customers may name an entry that pass linked."""
    reasons = pl.concat([p.reasons for p in parts])
    open_l = reasons.filter(pl.col("side") == "left").select("row")
    open_r = reasons.filter(pl.col("side") == "right").select("row")
    return [
        Partition(p.groups, still_open(p.suggestions, open_l, open_r), p.reasons) for p in parts
    ]


def _run(
    left: pl.DataFrame,
    right: pl.DataFrame,
    options: MatchOptions,
    jobs: int,
    workers: ProcessPoolExecutor | None,
) -> list[Partition]:
    """Blocks never interact, so partitions of blocks can go to separate processes: the first
    partition runs here, the others in the workers."""
    if jobs <= 1 or workers is None:
        return [run_partition(left, right, options)]
    # the workers start on their pieces only once these are written and read back, so the
    # first partition, here, takes a slightly larger share of the work
    here = FIRST_SHARE_BONUS / jobs
    shares = [here, *([(1 - here) / (jobs - 1)] * (jobs - 1))]
    pieces = [
        pl.col("blk").is_in(blocks) for blocks in _shared_out(_block_costs(left, right), shares)
    ]
    with tempfile.TemporaryDirectory(prefix="duizhang-") as folder:
        handed = []
        for number, piece in enumerate(pieces[1:], start=1):
            paths = _Piece.at(Path(folder) / str(number))
            # the ids stay here: the stages work on row numbers
            left.filter(piece).drop("id").write_ipc(paths.left)
            right.filter(piece).drop("id").write_ipc(paths.right)
            handed.append(workers.submit(_run_piece, paths, options))
        first = run_partition(left.filter(pieces[0]), right.filter(pieces[0]), options)
        return [first, *(handed_back.result().read() for handed_back in handed)]


def _block_costs(left: pl.DataFrame, right: pl.DataFrame) -> list[tuple[int, float]]:
    """Each block's expected cost: the bulk stages' grows with its lines, the group search's
    with their square (each entry left over is searched against those in its date window),
    but a block of more than `SEARCHED_BLOCK_LINES` leaves more entries over than the group
    search takes on in full (`groups.MAX_BLOCK_ENTRIES`: there it searches only the entries a
    target names). Measured on the bank generator, whose few very busy customers made one of
    two equal halves of the lines cost half as much again as the other."""
    lines = pl.col("len").cast(pl.Float64)
    searched = pl.when(lines <= SEARCHED_BLOCK_LINES).then(lines * lines / LINES_PER_SEARCH_COST)
    return (
        pl.concat([left.select("blk"), right.select("blk")])
        .group_by("blk")
        .len()
        .select("blk", cost=lines + searched.otherwise(0.0))
        .sort("cost", "blk", descending=True)
        .rows()
    )


def _shared_out(costs: list[tuple[int, float]], shares: list[float]) -> list[list[int]]:
    """The blocks dealt out in `len(shares)` pieces whose costs stand as the `shares` do: the
    costliest first, each to the piece furthest below its share (greedy, as for scheduling
    jobs on machines)."""
    pieces: list[list[int]] = [[] for _ in shares]
    loads = [0.0] * len(shares)
    for block, cost in costs:
        piece = min(range(len(shares)), key=lambda n: (loads[n] + cost) / shares[n])
        pieces[piece].append(block)
        loads[piece] += cost
    return pieces


@contextmanager
def _workers(count: int) -> Iterator[ProcessPoolExecutor | None]:
    """`count` worker processes, started at once so that they import while the caller works.

    Each would start a Polars thread pool as large as the machine and, with this process, they
    would fight over the cores: a worker gets cores / (count + 1) threads."""
    if count < 1:
        yield None
        return
    threads = max(1, (os.cpu_count() or 1) // (count + 1))
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=count, mp_context=context)
    try:
        with _environment(POLARS_MAX_THREADS=str(threads)):  # read when a worker starts
            for _ in range(count):
                pool.submit(int)  # a task makes the pool start a worker process now
        yield pool
    finally:
        # the workers wind down (and free their memory) while this process assembles
        pool.shutdown(wait=False, cancel_futures=True)


@contextmanager
def _environment(**variables: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@dataclass(frozen=True, slots=True)
class _Piece:
    """Where a worker's piece and its result lie. Frames go to and fro as Arrow IPC files, which
    take a tenth of the time that pickling them through the pool's pipe does (about a second in
    all at 1M lines, on the GIL of a process that is busy with its own partition)."""

    left: Path
    right: Path
    groups: Path
    suggestions: Path
    reasons: Path

    @classmethod
    def at(cls, folder: Path) -> _Piece:
        folder.mkdir()
        return cls(**{file.name: folder / f"{file.name}.arrow" for file in fields(cls)})

    def read(self) -> Partition:
        return Partition(
            pl.read_ipc(self.groups), pl.read_ipc(self.suggestions), pl.read_ipc(self.reasons)
        )


def _run_piece(paths: _Piece, options: MatchOptions) -> _Piece:
    """A worker's task: the stages over the piece in `paths`, the result written beside it."""
    found = run_partition(pl.read_ipc(paths.left), pl.read_ipc(paths.right), options)
    found.groups.write_ipc(paths.groups)
    found.suggestions.write_ipc(paths.suggestions)
    found.reasons.write_ipc(paths.reasons)
    return paths


def _assemble(
    left: pl.DataFrame, right: pl.DataFrame, parts: list[Partition], options: MatchOptions
) -> Outcome:
    groups = pl.concat([p.groups for p in parts]) if parts else pl.DataFrame(schema=GROUP_SCHEMA)
    groups = _numbered(groups, "M", disjoint=True)
    members_l = _members(groups, "left", left, left_id="id", amt_l="amt", cur="cur")
    members_r = _members(groups, "right", right, right_id="id", amt_r="amt")
    diffs = (
        members_l.group_by("gid")
        .agg(pl.col("amt_l").sum(), pl.col("cur").first())
        .join(members_r.group_by("gid").agg(pl.col("amt_r").sum()), on="gid")
        .with_columns(diff=pl.col("amt_l") - pl.col("amt_r"))
    )
    matches = _per_pair(groups, members_l, members_r, diffs.select("gid", "diff")).select(
        "match_id",
        "left_id",
        "right_id",
        "rule",
        amount_text(pl.col("diff")).alias("difference"),
        "method",
        "evidence",
    )
    reasons = one_sided_kinds_missing(pl.concat([p.reasons for p in parts]), left, right, options)
    unmatched = pl.concat(
        [
            reasons.filter(pl.col("side") == side).join(frame, on="row").sort("row")
            for side, frame in (("left", left), ("right", right))
        ]
    )
    unmatched_out = unmatched.select(
        "side",
        "id",
        "reason",
        pl.col("date").cast(pl.String),
        amount_text(pl.col("amt")).alias("amount"),
        pl.col("cur").alias("currency"),
        pl.col("ref").alias("reference"),
    )
    suggestions = _numbered(pl.concat([p.suggestions for p in parts]), "S")
    suggestions_out = _per_pair(
        suggestions,
        _members(suggestions, "left", left, left_id="id"),
        _members(suggestions, "right", right, right_id="id"),
    ).select(
        pl.col("match_id").alias("suggestion_id"),
        "left_id",
        "right_id",
        "rule",
        "method",
        "evidence",
    )
    statements = _statements(left, right, unmatched, diffs)
    summary = _summary(left, right, groups, matches, unmatched, suggestions, statements, options)
    return Outcome(matches, unmatched_out, suggestions_out, statements, summary)


def _members(
    groups: pl.DataFrame, side: str, entries: pl.DataFrame, **columns: str
) -> pl.DataFrame:
    """One row per group and entry of `side`, with the entry's `columns` (as name=column). An
    entry's row is its position in `entries`: the columns are gathered, not joined."""
    members = groups.select("gid", side).explode(side)
    at = members[side]
    return members.with_columns(
        entries[column].gather(at).alias(name) for name, column in columns.items()
    )


def _per_pair(
    groups: pl.DataFrame, members_l: pl.DataFrame, members_r: pl.DataFrame, *extra: pl.DataFrame
) -> pl.DataFrame:
    """One row per (left, right) pair of each numbered group, in group then row order, with
    the group's columns: the pairs are found on narrow frames, the texts gathered once (group
    `gid` lies at position `gid - 1` in number order: a gather, not a join on the numbers)."""
    pairs = (
        members_l.select("gid", "left", "left_id")
        .join(members_r.select("gid", "right", "right_id"), on="gid")
        .sort("gid", "left", "right")
    )
    in_order = groups.drop("left", "right", "gid").gather(groups["gid"].arg_sort())
    pairs = pl.concat([pairs, in_order.select(pl.all().gather(pairs["gid"] - 1))], how="horizontal")
    for columns in extra:
        pairs = pairs.join(columns, on="gid", maintain_order="left")
    return pairs


def _numbered(groups: pl.DataFrame, prefix: str, *, disjoint: bool = False) -> pl.DataFrame:
    """Groups numbered 1, 2, … (`gid`) in a stable order: by stage, then by their first rows.
    Disjoint groups (each entry in one at most, as linked groups are) are told apart by their
    first left row alone, and one rank of (stage, first left row) packed in an integer numbers
    them where they lie; suggestions may share entries, and need every column to break ties."""
    first_l = pl.col("left").list.min()
    if disjoint:
        numbered = groups.with_columns(
            gid=(pl.col("stage") * (1 << 32) + first_l).rank("ordinal").cast(pl.Int64)
        )
    else:
        ordered = groups.with_columns(first_l=first_l, first_r=pl.col("right").list.min()).sort(
            "stage", "first_l", "first_r", "left", "right", "rule", "method"
        )
        numbered = ordered.with_columns(gid=pl.int_range(1, pl.len() + 1))
    return numbered.with_columns(
        match_id=pl.lit(prefix) + pl.col("gid").cast(pl.String).str.pad_start(6, "0")
    )


def _statements(
    left: pl.DataFrame, right: pl.DataFrame, unmatched: pl.DataFrame, diffs: pl.DataFrame
) -> list[BalanceStatement]:
    currencies = sorted(set(left["cur"].unique().to_list()) | set(right["cur"].unique().to_list()))
    balance_l = dict(left.group_by("cur").agg(pl.col("amt").sum()).iter_rows())
    balance_r = dict(right.group_by("cur").agg(pl.col("amt").sum()).iter_rows())
    by_reason = {
        (side, cur, reason): total
        for side, cur, reason, total in unmatched.group_by("side", "cur", "reason")
        .agg(pl.col("amt").sum())
        .iter_rows()
    }
    differences = dict(diffs.group_by("cur").agg(pl.col("diff").sum()).iter_rows())
    return [
        BalanceStatement(
            currency=cur,
            left_balance=from_units(balance_l.get(cur, 0)),
            right_balance=from_units(balance_r.get(cur, 0)),
            unmatched_left={r: from_units(by_reason.get(("left", cur, r), 0)) for r in REASONS},
            unmatched_right={r: from_units(by_reason.get(("right", cur, r), 0)) for r in REASONS},
            group_differences=from_units(differences.get(cur, 0)),
        )
        for cur in currencies
    ]


def _summary(
    left: pl.DataFrame,
    right: pl.DataFrame,
    groups: pl.DataFrame,
    matches: pl.DataFrame,
    unmatched: pl.DataFrame,
    suggestions: pl.DataFrame,
    statements: list[BalanceStatement],
    options: MatchOptions,
) -> dict[str, object]:
    counts = dict(
        unmatched.group_by("side", "reason")
        .len()
        .select(pl.format("{}_{}", "side", "reason"), "len")
        .iter_rows()
    )
    matched_l = left.select("row", "cur", "amt").join(
        unmatched.filter(pl.col("side") == "left").select("row"), on="row", how="anti"
    )
    matched_r = right.select("row", "cur", "amt").join(
        unmatched.filter(pl.col("side") == "right").select("row"), on="row", how="anti"
    )

    def amounts(frame: pl.DataFrame) -> dict[str, str]:
        totals = frame.group_by("cur").agg(pl.col("amt").sum()).sort("cur")
        return {
            cur: format(from_units(total), "f") if total else "0"
            for cur, total in totals.iter_rows()
        }

    return {
        "period_end": options.period_end.isoformat() if options.period_end else None,
        "entries": {"left": left.height, "right": right.height},
        "matched": {
            "left": matched_l.height,
            "right": matched_r.height,
            "groups": groups.height,
            "links": matches.height,
        },
        "by_rule": dict(groups.group_by("rule").len().sort("rule").iter_rows()),
        "unmatched": {
            side: {reason: counts.get(f"{side}_{reason}", 0) for reason in REASONS}
            for side in ("left", "right")
        },
        "suggestions": suggestions.height,
        "matched_amount": {"left": amounts(matched_l), "right": amounts(matched_r)},
        "balance": {"left": amounts(left), "right": amounts(right)},
        "reconciliation": [statement.as_json() for statement in statements],
        "agrees": all(statement.agrees for statement in statements),
    }


def _as_result(outcome: Outcome) -> MatchResult:
    groups: dict[str, dict[str, object]] = {}
    for row in outcome.matches.iter_rows(named=True):
        group = groups.setdefault(row["match_id"], {**row, "left_ids": [], "right_ids": []})
        for side in ("left", "right"):
            ids: list[str] = group[f"{side}_ids"]  # type: ignore[assignment]
            if row[f"{side}_id"] not in ids:
                ids.append(row[f"{side}_id"])
    suggestions: dict[str, dict[str, object]] = {}
    for row in outcome.suggestions.iter_rows(named=True):
        found = suggestions.setdefault(
            row["suggestion_id"], {**row, "left_ids": [], "right_ids": []}
        )
        for side in ("left", "right"):
            ids = found[f"{side}_ids"]  # type: ignore[assignment]
            if row[f"{side}_id"] not in ids:
                ids.append(row[f"{side}_id"])
    return MatchResult(
        groups=[
            Group(
                match_id=str(g["match_id"]),
                rule=str(g["rule"]),
                left_ids=tuple(g["left_ids"]),  # type: ignore[arg-type]
                right_ids=tuple(g["right_ids"]),  # type: ignore[arg-type]
                difference=Decimal(str(g["difference"])),
                method=str(g["method"]),
                evidence=json.loads(str(g["evidence"])),
            )
            for g in groups.values()
        ],
        unmatched=[
            Unmatched(
                row["side"],
                row["id"],
                row["reason"],
                date.fromisoformat(row["date"]),
                Decimal(row["amount"]),
            )
            for row in outcome.unmatched.iter_rows(named=True)
        ],
        suggestions=[
            Suggestion(
                suggestion_id=str(s["suggestion_id"]),
                rule=str(s["rule"]),
                left_ids=tuple(s["left_ids"]),  # type: ignore[arg-type]
                right_ids=tuple(s["right_ids"]),  # type: ignore[arg-type]
                method=str(s["method"]),
            )
            for s in suggestions.values()
        ],
        statements=outcome.statements,
        summary=outcome.summary,
    )
