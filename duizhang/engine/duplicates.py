"""Duplicates within one side: copies (the same line twice), re-postings (a line booked again
under a new voucher number) and lines alike (`alike`: the same amount, payer and memo days
apart), told apart from equal events that merely look alike. Plain functions over the prepared
frames; `pipeline.run_partition` calls them around the stages."""

from __future__ import annotations

import polars as pl

from duizhang.engine import stages
from duizhang.engine.money import WHOLE_HUNDREDS

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


def repeated_amounts(frame: pl.DataFrame) -> pl.Series:
    """Per entry: whether it shares block and amount with another of its side (a hash of the
    two that repeats; a collision only lets more through). Copies and lines alike do: only
    those are looked at further."""
    return frame.select(pl.struct("blk", "amt").hash().is_duplicated()).to_series()


def copies(
    frame: pl.DataFrame, other: pl.DataFrame, repeated: pl.Series
) -> tuple[pl.DataFrame, set[int]]:
    """The copies (`row`, in order) and the originals of the identical ones (`_identical`): a
    group member that is one of those could as well be its copy. Re-postings (`_reposted`) are
    copies too, but dated or numbered after their original, which tells the two apart."""
    identical = _identical(frame, repeated)
    reposted = _reposted(frame, repeated, other)
    copies = pl.concat([identical.select("row"), reposted]).unique().sort("row")
    return copies, set(identical["original"].to_list())


def alike(frame: pl.DataFrame, repeated: pl.Series, other: pl.DataFrame) -> pl.DataFrame:
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


def booked_twice(
    alike: pl.DataFrame, rest: pl.DataFrame, groups: pl.DataFrame, side: str
) -> pl.Series:
    """`row`: the open entries (in `rest`) whose line alike (`alike`, booked before or after)
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


def not_both_copies(copy_l: pl.DataFrame, copy_r: pl.DataFrame) -> pl.Expr:
    """Refuses a link between two copies on a document number: both sides booked one document
    twice, and the second bookings are duplicates to clear, not a second event that they settle
    between them. Two equal payments without a number may be two, and still meet on amount and
    date."""
    return (
        (pl.col("rule") == "amount_date")
        | ~pl.col("l").is_in(copy_l["row"].implode())
        | ~pl.col("r").is_in(copy_r["row"].implode())
    )


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
