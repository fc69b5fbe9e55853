"""Document numbers: which entries name which documents, and when two of them disagree.

A bank line that says `付发票123款` and a posting of invoice 124 are two events, however alike
their amounts and dates, when both sides write the same numbering. When each side has its own
numbering (our invoices against the customer's vouchers) numbers say nothing either way.
"""

from __future__ import annotations

import polars as pl

from duizhang.engine import stages
from duizhang.engine.normalize import (
    is_document_number,
    key_forms,
    more_than_listed,
    reference_key,
    tail,
)
from duizhang.engine.options import MatchOptions
from duizhang.engine.sides import side_by_side
from duizhang.engine.typos import swapped


def document_numbers(frame: pl.DataFrame, *, tails: bool = True) -> pl.DataFrame:
    """(row, key): the key forms of each document number an entry names in its reference or
    memo (as `frames.prepare` found them, each once); bank serials (longer digit runs) are not
    document numbers, nor are the shorter forms of one, but the tails of the long numbers the
    other side quotes are (`doc_tails`: 20-digit e-invoice numbers, `frames.with_tails_that_meet`).
    In no particular order: every caller reads them as sets."""
    numbered = frame.select("row", "rkey", "key_serial", "key_digits").filter(
        is_document_number(pl.col("rkey"))
    )
    # one frame per form, each filtered, stacked: a list column of the three strings costs ten
    # times more
    document = is_document_number(pl.col("key"))  # null where there is none
    from_reference = (
        numbered.select("row", key=column).filter(document)
        for column in ("rkey", "key_serial", "key_digits")
    )
    from_lists = (
        frame.select("row", key=pl.col(column)).explode("key").filter(document)
        for column in ("key_memo", "doc_tails")[: 2 if tails else 1]
    )
    return pl.concat([*from_reference, *from_lists])


def shared_numbering(left: pl.DataFrame, right: pl.DataFrame) -> bool:
    """Whether the two sides write the same document numbers (our invoice numbers on the bank
    line), as opposed to each side its own numbering (our invoices, the customer's vouchers):
    a fifth of the entries with a number find it on the other side."""
    numbers_l, numbers_r = document_numbers(left), document_numbers(right)
    with_numbers = numbers_l["row"].n_unique()
    if not with_numbers:
        return False
    found = numbers_l.join(numbers_r.select("key"), on="key", how="semi")
    return found["row"].n_unique() * 5 >= with_numbers


def agree(
    links: stages.Links, left: pl.DataFrame, right: pl.DataFrame, numbering: bool
) -> stages.Links:
    """Where both sides write the same numbering, two entries that each name a document, and
    not the same one, are two events however alike their amounts and dates: only a suggestion.
    Numbers of two numberings (`_of_one_numbering`) say nothing; two e-invoice numbers
    (`names_invoice`) always do, where a short number in a bank memo may be the payer's own."""
    if not numbering or links.pairs.is_empty():
        return links
    pairs = links.pairs.select("l", "r")
    rows_l, rows_r = _rows(left, pairs["l"]), _rows(right, pairs["r"])
    numbers_l = without_payers_own(document_numbers(rows_l, tails=False), rows_l)
    numbers_r = without_payers_own(document_numbers(rows_r, tails=False), rows_r)
    differing = _naming_others(pairs, numbers_l, numbers_r)
    contradicting = differing.filter(_of_one_numbering(differing, numbers_l, numbers_r))
    invoices = pairs.join(_rows_naming_invoices(left, pairs["l"]), on="l", how="semi").join(
        _rows_naming_invoices(right, pairs["r"]), on="r", how="semi"
    )
    if not invoices.is_empty():
        two_invoices = _naming_others(
            invoices,
            document_numbers(_rows(left, invoices["l"])),
            document_numbers(_rows(right, invoices["r"])),
        )
        contradicting = pl.concat([contradicting, two_invoices]).unique()
    refused = links.pairs.join(contradicting, on=["l", "r"], how="semi")
    return stages.Links(
        links.pairs.join(contradicting, on=["l", "r"], how="anti"),
        pl.concat([links.ambiguous, refused]),
    )


def _rows(frame: pl.DataFrame, rows: pl.Series) -> pl.DataFrame:
    """The columns `document_numbers` reads, of `rows` only: a join on these gathers far less."""
    narrow = frame.select(
        "row", "rkey", "key_serial", "key_digits", "key_memo", "doc_tails", "desc"
    )
    return narrow.join(rows.unique().to_frame("row"), on="row", how="semi")


def _naming_others(
    pairs: pl.DataFrame, numbers_l: pl.DataFrame, numbers_r: pl.DataFrame
) -> pl.DataFrame:
    """`l`, `r`: the pairs whose entries both name documents (`numbers_l`, `numbers_r`), none
    in common, nor one the other's with a typing slip."""
    named = pairs.join(numbers_l.select(l="row"), on="l", how="semi").join(
        numbers_r.select(r="row"), on="r", how="semi"
    )
    agreeing = (
        named.join(numbers_l.rename({"row": "l"}), on="l")
        .join(numbers_r.rename({"row": "r"}), on=["r", "key"], how="semi")
        .select("l", "r")
        .unique()
    )
    differing = named.join(agreeing, on=["l", "r"], how="anti")
    return differing.filter(~_slipped(differing, numbers_l, numbers_r))


def _rows_naming_invoices(frame: pl.DataFrame, rows: pl.Series) -> pl.DataFrame:
    """The `rows` (as the name of `rows`) that name an e-invoice (`names_invoice`)."""
    return frame.filter(pl.col("row").is_in(rows.implode()) & pl.col("names_invoice")).select(
        pl.col("row").alias(rows.name)
    )


def _slipped(pairs: pl.DataFrame, numbers_l: pl.DataFrame, numbers_r: pl.DataFrame) -> pl.Series:
    """Per pair: whether some number of one is the other's with a typing slip (two digits
    swapped, one digit wrong): `1534` and `1543` may well be one invoice."""
    by_l, by_r = _keys_of(numbers_l, pairs["l"]), _keys_of(numbers_r, pairs["r"])
    return pl.Series(
        [
            any(_one_slip(a, b) for a in by_l[lrow] for b in by_r[rrow])
            for lrow, rrow in zip(pairs["l"].to_list(), pairs["r"].to_list(), strict=True)
        ],
        dtype=pl.Boolean,
    )


def _of_one_numbering(
    pairs: pl.DataFrame, numbers_l: pl.DataFrame, numbers_r: pl.DataFrame
) -> pl.Series:
    """Per pair: whether the two entries name documents of one kind (`_kinds`). Our voucher
    记-13271 and the payer's order PO6847717 belong to two numberings: that they differ says
    nothing about whether the two entries are one event."""
    by_l, by_r = _keys_of(numbers_l, pairs["l"]), _keys_of(numbers_r, pairs["r"])
    return pl.Series(
        [
            bool(_kinds(by_l[lrow]) & _kinds(by_r[rrow]))
            for lrow, rrow in zip(pairs["l"].to_list(), pairs["r"].to_list(), strict=True)
        ],
        dtype=pl.Boolean,
    )


def _kinds(keys: list[str]) -> set[str]:
    """The letters document numbers start with (`记`, `PO`, `XS`; "" for digits alone, the
    invoice numbers once `FP`/`INV`/`发票号` are stripped), not counting the digits of a
    lettered one (`13271` of `记13271`), which its key forms also list."""
    lettered = [key for key in keys if not key.isdigit()]
    kinds = {key.rstrip("0123456789") for key in lettered}
    if any(key.isdigit() and not any(other.endswith(key) for other in lettered) for key in keys):
        kinds.add("")
    return kinds


def _keys_of(numbers: pl.DataFrame, rows: pl.Series) -> dict[int, list[str]]:
    """The keys of each of `rows` in `numbers` (`document_numbers`), by row."""
    chosen = numbers.filter(pl.col("row").is_in(rows.implode()))
    return dict(chosen.group_by("row").agg("key").iter_rows())


def _one_slip(a: str, b: str) -> bool:
    """Two numbers of three or more digits, one digit wrong or two swapped."""
    if len(a) != len(b) or len(a) < 3:
        return False
    return sum(x != y for x, y in zip(a, b, strict=True)) == 1 or swapped(a, b)


def long_documents_listed() -> pl.Expr:
    """How many long document numbers (e-invoice numbers, by their tails: `doc_tails`) an entry
    names besides its reference."""
    own = pl.concat_list(tail(pl.col("rkey")))
    return pl.col("doc_tails").list.set_difference(own).list.len().fill_null(0)


def lists_documents(*, by_tails: bool = True) -> pl.Expr:
    """Whether an entry's memo lists the documents it pays, several of them (`付发票123、124、125款`,
    three e-invoice numbers written out; not `付发票123、124等5张`, which names only some), from
    `listed` (the short ones, counted by `frames.prepare`); without `by_tails`, those alone."""
    listed = pl.col("listed")
    several = (listed + long_documents_listed() if by_tails else listed) >= 2
    return several & ~more_than_listed(pl.col("desc"))


def fill_customers(
    left: pl.DataFrame, right: pl.DataFrame, *, only: pl.Expr | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Give an entry still without a customer code the customer of the entries on the other side
    that bear the document numbers it names (`付发票1976款` from an unknown payer), when those
    are all one customer's, and mark it `placed`: its block is a reading of its numbers, so
    what it names there is no independent evidence; `only`: just the entries it selects."""

    def fill(frame: pl.DataFrame, other: pl.DataFrame) -> pl.DataFrame:
        lone = frame.filter(pl.col("cust") == "")
        if only is not None:
            lone = lone.filter(only)
        if lone.is_empty():
            return frame
        named = document_numbers(lone)
        keys = named["key"].unique().implode()
        bearing = other.filter(
            (pl.col("cust") != "")
            & (
                pl.col("rkey").is_in(keys)
                | pl.col("key_serial").is_in(keys)
                | pl.col("key_digits").is_in(keys)
                | pl.col("key_memo").list.eval(pl.element().is_in(keys)).list.any().fill_null(False)
                | pl.col("doc_tails")
                .list.eval(pl.element().is_in(keys))
                .list.any()
                .fill_null(False)
            )
        )
        owners = (
            document_numbers(bearing)
            .join(other.select("row", "cust"), on="row")
            .select("key", "cust")
            .unique()
        )
        found = (
            named.join(owners, on="key")
            .group_by("row")
            .agg(pl.col("cust").unique())
            .filter(pl.col("cust").list.len() == 1)
            .select("row", by_number=pl.col("cust").list.first())
        )
        return (
            frame.join(found, on="row", how="left", maintain_order="left")
            .with_columns(
                cust=pl.when(pl.col("cust") == "")
                .then(pl.col("by_number").fill_null(""))
                .otherwise(pl.col("cust")),
                placed=pl.col("placed")
                | ((pl.col("cust") == "") & pl.col("by_number").is_not_null()),
            )
            .drop("by_number")
        )

    return side_by_side(fill, (left, right), (right, left))


def paying_side(
    left: pl.DataFrame, right: pl.DataFrame, keyed: pl.DataFrame, options: MatchOptions
) -> str | None:
    """The side whose entries pay documents rather than issue them: the one that names a
    document far less often (a bank statement against our ledger, where every posting carries
    its invoice number); where both name them alike, the one that holds the smaller amount of
    most pairs a fee apart under one document number (`keyed`: `l`, `r`), as a fee taken on the
    way leaves it. None when neither tells. Both frames carry `docs` (`with_documents`)."""
    if left.is_empty() or right.is_empty():
        return None
    share_l, share_r = (frame["docs"].is_not_null().mean() for frame in (left, right))
    if not isinstance(share_l, float) or not isinstance(share_r, float):
        return None
    if share_r < 0.8 * share_l:
        return "right"
    if share_l < 0.8 * share_r:
        return "left"
    return _short_of_a_fee(left, right, keyed, options)


# Pairs a fee apart that must show which side pays (`_short_of_a_fee`), and the share of them
# in which that side holds the smaller amount.
_FEE_PAIRS_TO_TELL = 20
_FEE_SIDE_SHARE = 0.9


def _short_of_a_fee(
    left: pl.DataFrame, right: pl.DataFrame, keyed: pl.DataFrame, options: MatchOptions
) -> str | None:
    size_l, size_r = pl.col("amt").abs(), pl.col("amt_r").abs()
    gap = (size_l - size_r).abs()
    limit = stages.tolerance_limit(options)(pl.col("amt"), pl.col("amt_r"))
    fees = (
        keyed.join(left.select(l="row", amt="amt"), on="l")
        .join(right.select(r="row", amt_r="amt"), on="r")
        .filter((pl.col("amt").sign() == pl.col("amt_r").sign()) & (gap > 0) & (gap <= limit))
    )
    if fees.height < _FEE_PAIRS_TO_TELL:
        return None
    smaller_right = fees.select((size_r < size_l).mean()).item()
    if smaller_right >= _FEE_SIDE_SHARE:
        return "right"
    if smaller_right <= 1 - _FEE_SIDE_SHARE:
        return "left"
    return None


# Words that make the number after them the payer's own document, not one of ours: its payment
# request (请款单4543), its purchase order (采购订单750226, PO8557176), its payment number
# (FK2025070720).
_PAYERS_OWN = r"(?:请款单|订单|(?-u:\b)PO|(?-u:\b)FK)[号:：#\s]*[A-Za-z0-9][A-Za-z0-9\-]*"
_PAYERS_WORD = r"^(?:请款单|订单|PO|FK)[号:：#\s]*"


def with_documents(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with `docs`: the key forms of the documents each entry names (null: none),
    but for the numbers its memo marks as the payer's own (`_PAYERS_OWN`): a payment that
    quotes its own payment request names none of our invoices, and rules none out."""
    docs = without_payers_own(document_numbers(frame), frame).group_by("row").agg(docs="key")
    return frame.join(docs, on="row", how="left", maintain_order="left")


def without_payers_own(numbers: pl.DataFrame, frame: pl.DataFrame) -> pl.DataFrame:
    """`numbers` (`row`, `key`: `document_numbers` of `frame`) without those that the memo marks
    as the payer's own (`_PAYERS_OWN`)."""
    marked = (
        frame.select("row", own=pl.col("desc").str.extract_all(_PAYERS_OWN))
        .explode("own")
        .drop_nulls("own")
    )
    if marked.is_empty():
        return numbers
    own = pl.concat(
        [
            marked.select("row", key=key_forms(reference_key(pl.col("own")))),
            marked.select(
                "row", key=key_forms(reference_key(pl.col("own").str.replace(_PAYERS_WORD, "")))
            ),
        ]
    ).explode("key")
    return numbers.join(own, on=["row", "key"], how="anti")
