"""The bulk matching stages, vectorised with Polars, in order of confidence.

Each stage takes the still-unmatched entries of both sides (prepared frames, see
`frames.prepare`) and returns `Links`: accepted one-to-one pairs with their rule, evidence and a
readable method, and the ambiguous candidates that must go to the cashier as suggestions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl
from rapidfuzz import fuzz

from duizhang.engine.groups import LAG_SLACK
from duizhang.engine.money import UNITS_PER_ONE, WHOLE_HUNDREDS, WHOLE_TENS, to_units
from duizhang.engine.normalize import abbreviates, other_branches
from duizhang.engine.options import MatchOptions
from duizhang.engine.select import select_unique
from duizhang.engine.typos import (
    FEE_RATES,
    amount_typo,
    cash_discount,
    fee_or_rounding,
    fee_rate,
)

# Columns of a stage's accepted pairs and of its suggestions.
PAIR_COLUMNS = ("l", "r", "rule", "evidence", "method")
# A document-number key shared by more than this many entries of one side in one block is not
# identifying (a month, a contract number) and is not used to pair entries.
_MAX_KEY_SHARE = 6
# The fewest characters of a document number (normalised: `00584195` is `584195`) that name one
# of our documents wherever they stand, whoever quotes them: a serial like `123` is an invoice
# of ours to one customer, a purchase order or a quantity to another payer; an 8-digit invoice
# number, `XS2507-0035` or a 20-digit e-invoice number is one document company-wide.
UNIQUE_KEY_CHARS = 6


@dataclass(frozen=True, slots=True)
class Links:
    pairs: pl.DataFrame  # PAIR_COLUMNS
    ambiguous: pl.DataFrame  # PAIR_COLUMNS


def _sides(
    left: pl.DataFrame, right: pl.DataFrame, *columns: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    pick = ("row", "blk", "amt", "date", *columns)
    return (
        left.select(pick).rename({"row": "l", "amt": "amt_l", "date": "date_l"}),
        right.select(pick).rename({"row": "r", "amt": "amt_r", "date": "date_r"}),
    )


def _gap() -> pl.Expr:
    return (pl.col("date_l") - pl.col("date_r")).dt.total_days().abs().alias("gap")


def _finish(accepted: pl.DataFrame, ambiguous: pl.DataFrame) -> Links:
    return Links(accepted.select(PAIR_COLUMNS), ambiguous.select(PAIR_COLUMNS))


def exact(left: pl.DataFrame, right: pl.DataFrame) -> Links:
    """Same reference, same amount, and no other entry of either side shares both, nor names
    that number in its memo with that amount: a deposit and a balance of one sum under one
    invoice number are the reference stage's to pair, by date."""
    pairs = _exact_pairs(left, right)
    pairs = (
        pairs.filter(~_named_again(pairs, left, right))
        .with_columns(_gap())
        .with_columns(
            rule=pl.lit("exact"),
            evidence=pl.struct(
                agreed=pl.lit(["reference", "amount"]),
                date_gap=pl.col("gap"),
                reference=pl.col("ref"),
            ).struct.json_encode(),
            method=pl.format(
                "same reference {} and same amount; dates {} days apart", "ref", "gap"
            ),
        )
    )
    return _finish(pairs, pairs.clear())


def _named_again(pairs: pl.DataFrame, left: pl.DataFrame, right: pl.DataFrame) -> pl.Series:
    """Per pair of `_exact_pairs`, in order: whether another entry of its amount shares a
    document number (in any form) with one of its two. Looked for among the entries of the
    pairs' amounts only: a small share of a file."""
    amounts = pairs.select("blk", "amt").unique()
    sub_l, sub_r = (side.join(amounts, on=["blk", "amt"], how="semi") for side in (left, right))
    shared = (
        _shared_keys(sub_l, sub_r)
        .select(l="row", r="row_r")
        .unique()
        .join(sub_l.select(l="row", amt_l="amt"), on="l")
        .join(sub_r.select(r="row", amt_r="amt"), on="r")
        .filter(pl.col("amt_l") == pl.col("amt_r"))
        .join(pairs.select("l", "r"), on=["l", "r"], how="anti")
    )
    return pairs["l"].is_in(shared["l"].implode()) | pairs["r"].is_in(shared["r"].implode())


def _exact_pairs(left: pl.DataFrame, right: pl.DataFrame) -> pl.DataFrame:
    """`l`, `r`, `ref`, `date_l`, `date_r` of the exact links, without their texts."""
    keys = ("blk", "ref", "amt")
    # an empty reference shares no key with a reference: those need not be counted
    referenced = (
        side.select("row", *keys, "date").filter(pl.col("ref") != "") for side in (left, right)
    )
    lk, rk = (_at_most(_hashed(side, keys), keys, 1) for side in referenced)
    return _joined(lk, rk, keys).rename({"row": "l", "row_r": "r", "date": "date_l"})


# Texts (a reference, a document number with its block) are counted and joined on by one hash
# of them: a window or a join on one integer runs several times faster than on the texts. Equal
# keys hash alike; the rare collision of unequal ones is told apart by the keys themselves.
_HASH = "_hash"


def _hashed(frame: pl.DataFrame, keys: tuple[str, ...]) -> pl.DataFrame:
    return frame.with_columns(pl.struct(*keys).hash().alias(_HASH))


def _at_most(frame: pl.DataFrame, keys: tuple[str, ...], most: int) -> pl.DataFrame:
    """The rows of a `_hashed` frame whose keys at most `most` rows share. A collision can only
    make a count by hash too high, so only the rows over `most` are counted again by the keys."""
    # on the streaming engine this window takes half the CPU of the eager (in-memory) one, and
    # keeps the rows in order; its joins, measured in the stages, did not pay
    counted = frame.lazy().with_columns(_shared=pl.len().over(_HASH)).collect(engine="streaming")
    few = counted.filter(pl.col("_shared") <= most)
    crowded = counted.filter(pl.col("_shared") > most)
    if not crowded.is_empty():
        few = pl.concat([few, crowded.filter(pl.len().over(keys) <= most)])
    return few.drop("_shared")


def _joined(left: pl.DataFrame, right: pl.DataFrame, keys: tuple[str, ...]) -> pl.DataFrame:
    """The inner join of two `_hashed` frames on their keys, in the columns that
    `left.join(right, on=keys, suffix="_r")` gives (without the hash)."""
    joined = left.join(right, on=_HASH, suffix="_r")
    same = pl.all_horizontal(pl.col(key) == pl.col(f"{key}_r") for key in keys)
    return joined.filter(same).drop(_HASH, *(f"{key}_r" for key in keys))


def usual_lag(
    left: pl.DataFrame, right: pl.DataFrame, *, least: int = 200
) -> tuple[int, int] | None:
    """The range of date lags (right date - left date) of the central 99 % of exact links: how
    late the bank books what we booked, as these two files show it. Where the two sides write
    their own references (our invoices, the customer's vouchers), of the entries that share one
    document number and their amount instead. None with fewer than `least` links to learn from."""
    pairs = _exact_pairs(left, right)
    if pairs.height < least:
        pairs = _numbered_pairs(left, right)
    if pairs.height < least:
        return None
    lags = pairs.select(lag=(pl.col("date_r") - pl.col("date_l")).dt.total_days())["lag"]
    return int(lags.quantile(0.005, "lower") or 0), int(lags.quantile(0.995, "higher") or 0)


def block_lags(
    left: pl.DataFrame,
    right: pl.DataFrame,
    usual: tuple[int, int],
    *,
    least: int = 20,
    share: float = 0.95,
    slack: int = 2,
) -> pl.DataFrame:
    """`blk`, `lag_lo`, `lag_hi`: a block's own usual lag (right date - left date), where it has
    at least `least` pairs that share a document number and their amount: the central `share`
    of their lags, `slack` days wider, within the lag of both files (`usual`). Where a few
    customers' receipts are booked at the month's end the files' lag spans weeks; a round
    amount of any other customer weeks away is another payment of the same amount."""
    pairs = _numbered_pairs(left, right).join(left.select(l="row", blk="blk"), on="l")
    lag = (pl.col("date_r") - pl.col("date_l")).dt.total_days()
    cut = (1 - share) / 2
    earliest = lag.quantile(cut, "lower").cast(pl.Int64) - slack
    latest = lag.quantile(1 - cut, "higher").cast(pl.Int64) + slack
    return (
        pairs.group_by("blk")
        .agg(
            n=pl.len(),
            lag_lo=pl.max_horizontal(earliest, usual[0]),
            lag_hi=pl.min_horizontal(latest, usual[1]),
        )
        .filter(pl.col("n") >= least)
        .drop("n")
    )


def _numbered_pairs(left: pl.DataFrame, right: pl.DataFrame) -> pl.DataFrame:
    """`date_l`, `date_r` of the entries that share a document number and their amount, each
    entry in one such pair only."""
    pairs = (
        key_pairs(left, right)
        .join(left.select(l="row", amt="amt", date_l="date"), on="l")
        .join(right.select(r="row", amt="amt", date_r="date"), on=["r", "amt"])
    )
    return pairs.filter((pl.len().over("l") == 1) & (pl.len().over("r") == 1))


# A document number is one within its block.
_KEY = ("blk", "key")


def _reference_keys(frame: pl.DataFrame, shortest: int = 1) -> pl.DataFrame:
    """One row per (entry, document number) as `frames.prepare` found them, with the `form` it
    came from (and a `_hashed` key); numbers shared by too many entries of one block, or
    shorter than `shortest` characters, are dropped."""
    long_enough = pl.col("key").str.len_chars() >= shortest if shortest > 1 else pl.col("key") != ""
    named = pl.col("key").is_not_null() & long_enough
    # each form filtered before they are stacked: most entries lack one form or another
    from_reference = (
        frame.select("row", "blk", key=pl.col(column), form=pl.lit("reference")).filter(named)
        for column in ("rkey", "key_serial", "key_digits")
    )
    from_tail = frame.select("row", "blk", key="key_tail", form=pl.lit("tail")).filter(named)
    from_lists = (
        frame.select("row", "blk", key=column, form=pl.lit(form)).explode("key").filter(named)
        for column, form in (("key_memo", "description"), ("key_memo_tail", "tail"))
    )
    keys = _hashed(pl.concat([*from_reference, from_tail, *from_lists]), _KEY)
    # prepare leaves each number once per entry, so counting rows counts entries
    return _at_most(keys, _KEY, _MAX_KEY_SHARE)


def _shared_keys(left: pl.DataFrame, right: pl.DataFrame, shortest: int = 1) -> pl.DataFrame:
    """The document numbers (of at least `shortest` characters) two entries share: a tail
    agrees with a whole number, never with another tail (two long numbers that end alike are
    two numbers)."""
    joined = _joined(_reference_keys(left, shortest), _reference_keys(right, shortest), _KEY)
    return joined.filter((pl.col("form") != "tail") | (pl.col("form_r") != "tail"))


def key_pairs(left: pl.DataFrame, right: pl.DataFrame) -> pl.DataFrame:
    """`l`, `r`: the pairs of entries that share a document number, each pair once (in no
    particular order): evidence for groups."""
    return _shared_keys(left, right).select(l="row", r="row_r").unique()


def reference(left: pl.DataFrame, right: pl.DataFrame, options: MatchOptions) -> Links:
    """Normalised document numbers (from the reference or found in the memo) that agree.

    Equal amounts link as `reference`; an amount that differs by a typing error (transposed
    digits, one digit wrong) links as `amount_typo`; a difference within tolerance as
    `tolerance`. Any other difference under a shared number is only a suggestion.
    """
    cands = _reference_candidates(left, right, options)
    if cands is None:
        return _finish(empty_pairs(), empty_pairs())
    linkable = cands.filter(pl.col("kind") < 9)
    accepted, ambiguous = select_unique(linkable)
    differing = cands.filter(pl.col("kind") == 9).with_columns(
        method=pl.format("document number {} agrees but the amounts differ", "key")
    )
    return _finish(accepted, pl.concat([ambiguous, differing]))


def claimed_across_blocks(
    left: pl.DataFrame, right: pl.DataFrame, window: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Both sides with `claimed` true on the entries that share a document number long enough to
    be one of ours wherever it stands (`UNIQUE_KEY_CHARS`) and their amount with an entry of
    the other side in another block, at most `window` days apart: another company paid this
    customer's invoice and named it (`代卓越机械支付货款 …2456`), or this customer paid
    another's. Within its block such an
    entry only meets strangers of its amount; the pass across customers on document numbers
    (`reference_across`) is the one to link it."""

    def by_currency(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.with_columns(blk=pl.col("cur"))

    shared = _shared_keys(by_currency(left), by_currency(right), UNIQUE_KEY_CHARS)
    pairs = (
        shared.select(l="row", r="row_r")
        .join(left.select(l="row", blk_l="blk", amt_l="amt", date_l="date"), on="l")
        .join(right.select(r="row", blk_r="blk", amt_r="amt", date_r="date"), on="r")
        .filter(
            (pl.col("blk_l") != pl.col("blk_r"))
            & (pl.col("amt_l") == pl.col("amt_r"))
            & (_gap() <= window)
        )
    )

    def marked(frame: pl.DataFrame, rows: pl.Series) -> pl.DataFrame:
        return frame.with_columns(claimed=pl.col("claimed") | pl.col("row").is_in(rows.implode()))

    return marked(left, pairs["l"]), marked(right, pairs["r"])


def reference_across(left: pl.DataFrame, right: pl.DataFrame, options: MatchOptions) -> Links:
    """Entries of two different customers (both sides carry a code, in the file or inferred)
    that share a document number long enough to be one of ours wherever it stands
    (`UNIQUE_KEY_CHARS`), with equal amounts, each the other's only candidate among the open
    entries of its currency (frames blocked by currency): another company (a parent, a payment
    platform) paid our invoice and named it, as a cashier links an invoice number with its exact
    amount whoever paid. Any other open entry that shares such a number with either of them,
    whatever its customer or amount, leaves both a suggestion; so does a typing error or a fee
    between the amounts (the customer codes already disagree: that would be a second doubt).
    Amounts that differ otherwise are not even that: a number two customers' entries share
    with unrelated amounts is mostly each one's own numbering (voucher numbers) meeting by
    chance. Links as `third_party`. Entries without a code are the pass across customers' to
    link (`match._across_customers`), but here they count as rivals."""
    cands = _reference_candidates(left, right, options, shortest=UNIQUE_KEY_CHARS, carry=("cust",))
    if cands is None:
        return _finish(empty_pairs(), empty_pairs())
    # alone: counted over every candidate, of one customer or none too, before keeping those
    # of two customers
    crossing = cands.with_columns(
        sure=(pl.len().over("l") == 1) & (pl.len().over("r") == 1) & (pl.col("kind") == 0)
    ).filter(
        (pl.col("cust") != "") & (pl.col("cust_r") != "") & (pl.col("cust") != pl.col("cust_r"))
    )
    accepted = crossing.filter("sure").with_columns(
        rule=pl.lit("third_party"),
        evidence=pl.struct(
            agreed=pl.lit(["reference", "amount"]),
            date_gap=pl.col("gap"),
            reference_key=pl.col("key"),
            reference_forms=pl.col("forms"),
            customers=pl.concat_arr("cust", "cust_r"),
        ).struct.json_encode(),
        method=pl.format(
            "document number {} agrees ({}), same amount, across customers ({} / {}): paid by "
            "another payer; dates {} days apart",
            "key",
            "forms",
            "cust",
            "cust_r",
            "gap",
        ),
    )
    ambiguous = crossing.filter(~pl.col("sure") & (pl.col("kind") < 9)).with_columns(
        rule=pl.when(pl.col("kind") == 0).then(pl.lit("third_party")).otherwise("rule"),
        method=pl.format(
            "document number {} agrees across customers ({} / {}), but {}",
            "key",
            "cust",
            "cust_r",
            pl.when(pl.col("kind") == 0)
            .then(pl.lit("another open entry shares a number with one of them"))
            .otherwise(pl.lit("the amounts differ by a typing error or a fee")),
        ),
    )
    return _finish(accepted, ambiguous)


def _reference_candidates(
    left: pl.DataFrame,
    right: pl.DataFrame,
    options: MatchOptions,
    *,
    shortest: int = 1,
    carry: tuple[str, ...] = (),
) -> pl.DataFrame | None:
    """The pairs of entries sharing a document number (of `shortest` characters or more), each
    once with its longest shared key, the `kind` of their amounts (0 equal, 1 a typing error,
    2 within tolerance, 9 otherwise) and the `score`, `rule`, `evidence` and `method` of a link
    of that kind; the `carry` columns of both (the right one's with `_r`). None: no pair."""
    joined = _shared_keys(left, right, shortest).rename({"row": "l", "row_r": "r"})
    if joined.is_empty():
        return None
    # the longest shared key is the most telling; ties broken by the key itself (determinism):
    # in this order, each pair's first row (a comparison with the row before, not a group_by)
    ordered = joined.sort(
        "l",
        "r",
        pl.col("key").str.len_chars(),
        "key",
        "form",
        "form_r",
        descending=[False, False, True, False, False, False],
    )
    first = pl.col("l").ne_missing(pl.col("l").shift()) | pl.col("r").ne_missing(
        pl.col("r").shift()
    )
    per_pair = ordered.filter(first).select(
        "l", "r", "key", forms=pl.col("form") + "~" + pl.col("form_r")
    )
    ls, rs = _sides(left, right, "ref", *carry)
    cands = (
        per_pair.join(ls.drop("blk"), on="l")
        .join(rs.drop("blk"), on="r", suffix="_r")
        .with_columns(_gap(), diff=pl.col("amt_l") - pl.col("amt_r"))
    )
    limit, wide_limit = tolerance_limit(options), tolerance_limit(options, wider=True)
    size = pl.col("diff").abs()
    cands = (
        cands.join(
            _differences_named(cands.select("amt_l", "amt_r"), wide_limit),
            on=["amt_l", "amt_r"],
            how="left",
            maintain_order="left",
        )
        .with_columns(pl.col("fee").fill_null(False))
        .with_columns(
            kind=pl.when(pl.col("diff") == 0)
            .then(0)
            .when(pl.col("typo").is_not_null())
            .then(1)
            .when(
                (
                    (size <= limit(pl.col("amt_l"), pl.col("amt_r")))
                    | (pl.col("fee") & (size <= wide_limit(pl.col("amt_l"), pl.col("amt_r"))))
                    | pl.col("discount").is_not_null()
                )
                & (pl.col("amt_l").sign() == pl.col("amt_r").sign())
            )
            .then(2)
            .otherwise(9)
        )
    )
    cands = cands.with_columns(
        score=(pl.col("kind") * 100_000 + pl.col("gap")).cast(pl.Float64),
        rule=pl.col("kind").replace_strict(
            {0: "reference", 1: "amount_typo", 2: "tolerance", 9: "reference_amount_differs"},
            return_dtype=pl.String,
        ),
        evidence=pl.struct(
            agreed=pl.when(pl.col("kind") == 0)
            .then(pl.lit(["reference", "amount"]))
            .otherwise(pl.lit(["reference"])),
            date_gap=pl.col("gap"),
            reference_key=pl.col("key"),
            reference_forms=pl.col("forms"),
            amount_error=pl.col("typo"),
        ).struct.json_encode(),
        method=pl.when(pl.col("kind") == 0)
        .then(
            pl.format(
                "document number {} agrees ({}), same amount; dates {} days apart",
                "key",
                "forms",
                "gap",
            )
        )
        .when(pl.col("kind") == 1)
        .then(
            pl.format(
                "document number {} agrees ({}); amount differs by a typing error ({})",
                "key",
                "forms",
                "typo",
            )
        )
        .when(pl.col("discount").is_not_null())
        .then(
            pl.format(
                "document number {} agrees ({}); amount differs by a cash discount of {}%",
                "key",
                "forms",
                (pl.col("discount") * 100).round(0).cast(pl.Int64),
            )
        )
        .otherwise(
            pl.format(
                "document number {} agrees ({}); amount differs within tolerance", "key", "forms"
            )
        ),
    )
    return cands


def _differences_named(
    amounts: pl.DataFrame, wide_limit: Callable[[pl.Expr, pl.Expr], pl.Expr]
) -> pl.DataFrame:
    """The typing error (`typo`) and whether the difference is shaped like a fee (`fee`) of each
    distinct pair of differing amounts: most pairs under a shared number have equal amounts,
    which need neither test, and the same pair of amounts recurs. A fee counts only within
    `wide_limit` (most differences are far beyond it), so only those are tested for one."""
    pairs = amounts.filter(pl.col("amt_l") != pl.col("amt_r")).unique()
    lefts, rights = pairs["amt_l"].to_list(), pairs["amt_r"].to_list()
    typo = [amount_typo(a, b) for a, b in zip(lefts, rights, strict=True)]
    amt_l, amt_r = pl.col("amt_l"), pl.col("amt_r")
    near = pairs.select((amt_l - amt_r).abs() <= wide_limit(amt_l, amt_r)).to_series().to_list()
    # under a shared number, a difference shaped like a fee (whole yuan, a usual rate) may use
    # the wider of the two limits: ¥25 on ¥377.16, 0.1 % of ¥85,000
    fee = [
        close and fee_or_rounding(a - b, a) is not None
        for a, b, close in zip(lefts, rights, near, strict=True)
    ]
    # beyond any limit: a cash discount for early payment, a whole percent of the invoice
    discount = [cash_discount(a, b) for a, b in zip(lefts, rights, strict=True)]
    return pairs.with_columns(
        typo=pl.Series(typo, dtype=pl.String),
        fee=pl.Series(fee, dtype=pl.Boolean),
        discount=pl.Series(discount, dtype=pl.Float64),
    )


def amount_date(
    left: pl.DataFrame,
    right: pl.DataFrame,
    options: MatchOptions,
    screen: Callable[[Links], Links] | None = None,
    *,
    across_customers: bool = False,
) -> Links:
    """Same amount within a date window, told apart by reference likeness and counterparty name.

    A reference that is near but not equal (rapidfuzz, or one number the suffix/prefix of the
    other) links as `reference` over the wider `group_window`; otherwise the dates must be within
    `date_window` and the counterparty names, where both sides have one, must be alike.
    `screen` moves candidate pairs that other evidence rules out (documents that differ) to the
    suggestions before the choice, so that they do not make a unique candidate look ambiguous.
    `across_customers` (the pass over the leftovers of every customer): the screen comes after
    the choice, a refused candidate is never linked but still makes the others of its entries
    ambiguous; and two entries of one customer are no candidates, their block had them.
    """
    window = max(options.date_window, options.group_window)
    ls, rs = _sides(left, right, "rkey", "name", "branch", "ref", "cust", "lag_lo", "lag_hi")
    rs = rs.drop("lag_lo", "lag_hi")  # a block's, the same on both sides
    cands = (
        ls.join(rs, left_on=["blk", "amt_l"], right_on=["blk", "amt_r"], suffix="_r")
        .with_columns(amt_r=pl.col("amt_l"))
        .with_columns(_gap())
        .filter(pl.col("gap") <= window)
    )
    if cands.is_empty():
        return _finish(empty_pairs(), empty_pairs())
    cands = _compared(
        cands,
        "name",
        "name_r",
        name_score=fuzz.ratio,
        name_partial=fuzz.partial_ratio,
        name_short=abbreviates,
    )
    cands = _measured(cands, "rkey", "rkey_r", ref_score=fuzz.ratio, ref_slip=_slip)
    cands = cands.with_columns(
        pl.col("name_score", "name_partial", "ref_score").fill_null(0.0).cast(pl.Float64),
        ref_slip=pl.col("ref_slip").fill_null(False).cast(pl.Boolean),
        ref_affix=_affix(pl.col("rkey"), pl.col("rkey_r")),
    )
    ref_alike = (
        (pl.col("ref_score") >= options.reference_threshold) & pl.col("ref_slip")
    ) | pl.col("ref_affix")
    names_known = (pl.col("name") != "") & (pl.col("name_r") != "")
    name_alike = (
        (pl.col("name_score") >= options.name_threshold)
        | (
            (pl.col("name_partial") >= 100)
            & (
                pl.min_horizontal(pl.col("name").str.len_chars(), pl.col("name_r").str.len_chars())
                >= 2
            )
        )
        | pl.col("name_short").fill_null(False)
    )
    # the window reaches as far as the two sides usually lag (a customer who books our
    # invoices two weeks late)
    in_window = pl.col("gap") <= options.date_window
    lag = (pl.col("date_r") - pl.col("date_l")).dt.total_days()
    if options.round_lag is not None:
        earliest, latest = options.round_lag
        in_window = in_window | lag.is_between(earliest, latest)
    cands = cands.with_columns(
        kind=pl.when(ref_alike).then(0).when(in_window).then(1).otherwise(9),
        # within one customer code the names may differ (an English name, a branch); across
        # customers (an entry without a code, in the pass across customers) they must not
        name_ok=~names_known
        | name_alike
        | ((pl.col("cust") != "") & (pl.col("cust") == pl.col("cust_r"))),
    ).filter(
        (pl.col("kind") < 9)
        & pl.col("name_ok")
        # one chain's stores pay alike sums: 历下店's payment is not 滨江店's
        & ~other_branches(pl.col("branch"), pl.col("branch_r"))
    )
    if across_customers:
        cands = cands.filter((pl.col("cust") == "") | (pl.col("cust") != pl.col("cust_r")))
    # A round amount (whole hundreds) recurs: two of them a few days apart say nothing about
    # which belongs to which, so for them the date gap does not rank candidates, only a tie.
    round_amount = (pl.col("amt_l") % WHOLE_HUNDREDS == 0) & (pl.col("kind") == 1)
    recurring = pl.lit(False)
    if options.round_lag is not None:
        # within the block's own usual lag where it has one (`block_lags`)
        earliest, latest = options.round_lag
        usual = lag.is_between(pl.coalesce("lag_lo", earliest), pl.coalesce("lag_hi", latest))
        cands = cands.filter(~round_amount | usual)
        # and an amount that recurs among the block's open entries is linked only there
        # (`_refused_recurring`)
        cands = _with_recurrence(cands, left, right)
        recurring = (pl.col("recurs") >= RECURRING) & (pl.col("kind") == 1) & ~usual
    cands = cands.with_columns(
        score=(
            pl.col("kind") * 1000
            + pl.when(round_amount).then(0).otherwise(pl.col("gap"))
            - pl.when(names_known).then(2).otherwise(0)
        ).cast(pl.Float64),
        rule=pl.when(pl.col("kind") == 0)
        .then(pl.lit("reference"))
        .otherwise(pl.lit("amount_date")),
        evidence=pl.struct(
            agreed=pl.when(pl.col("kind") == 0)
            .then(pl.lit(["amount", "reference_similar"]))
            .when(names_known)
            .then(pl.lit(["amount", "date", "counterparty"]))
            .otherwise(pl.lit(["amount", "date"])),
            date_gap=pl.col("gap"),
            name_score=pl.col("name_score").round(1),
            reference_score=pl.col("ref_score").round(1),
            # written as a list; an array of two is made a dozen times faster than a list
            references=pl.concat_arr("ref", "ref_r"),
        ).struct.json_encode(),
        method=pl.when(pl.col("kind") == 0)
        .then(
            pl.format(
                "same amount; references {} and {} alike ({}%); dates {} days apart",
                "ref",
                "ref_r",
                pl.col("ref_score").round(0),
                "gap",
            )
        )
        .when(names_known)
        .then(
            pl.format(
                "same amount, dates {} days apart, counterparty names alike ({}%)",
                "gap",
                pl.max_horizontal("name_score", "name_partial").round(0),
            )
        )
        .otherwise(pl.format("same amount, dates {} days apart", "gap")),
    )
    cands = cands.with_columns(recurring=recurring)
    if screen is None:
        return _finish(*_refused_recurring(*select_unique(cands, margin=2.0)))
    if across_customers:
        # one round: a pair the screen refuses would, taken in a first round, leave its
        # neighbours a choice that only looks unique in the next
        accepted, ambiguous = _refused_recurring(*select_unique(cands, margin=2.0, rounds=1))
        screened = screen(Links(accepted, ambiguous.clear()))
        return _finish(screened.pairs, pl.concat([ambiguous, screened.ambiguous]))
    screened = screen(Links(cands, cands.clear()))
    accepted, ambiguous = _refused_recurring(*select_unique(screened.pairs, margin=2.0))
    return _finish(accepted, pl.concat([ambiguous, screened.ambiguous]))


# A platform settles a day's takings a day or two after the sale (T+1), a weekend later at most.
SETTLEMENT_DAYS = 4
# Payment platforms that settle a merchant's takings into its bank account in their own name
# (WeChat Pay's 财付通, Alipay, UnionPay's 银联商务, Lakala, …): the bank line names the platform,
# never the customer who paid, and arrives less the platform's fee.
PLATFORMS = (
    r"财付通|支付宝|银联|拉卡拉|快钱|易宝|通联支付|汇付|连连支付|网银在线"
    r"|(?i:tenpay|alipay|unionpay|chinaums|lakala)"
)


def platform_settlements(left: pl.DataFrame, right: pl.DataFrame, options: MatchOptions) -> Links:
    """A payment platform's settlement (its name as the payer, `PLATFORMS`) of one sale: the
    other side's entry, of any customer, whose amount less a fee at a usual rate
    (`typos.FEE_RATES`, to the cent) is the settlement's, dated within `SETTLEMENT_DAYS` of it
    and the files' usual lag. For the pass across customers: the settlement carries no
    customer, and the sale's customer is not its payer. One candidate each way links
    (`tolerance`); more are suggestions."""
    pairs = pl.concat(
        [
            _settled(left, right, "l", "r", options),
            _settled(right, left, "r", "l", options),
        ]
    )
    if pairs.is_empty():
        return _finish(empty_pairs(), empty_pairs())
    checked = [
        fee_rate(size, large)
        for size, large in zip(pairs["size"].to_list(), pairs["large"].to_list(), strict=True)
    ]
    pairs = (
        pairs.with_columns(rate=pl.Series(checked, dtype=pl.Float64))
        .drop_nulls("rate")
        .unique(["l", "r"])
        .with_columns(
            score=pl.col("gap").cast(pl.Float64),
            rule=pl.lit("tolerance"),
            evidence=pl.struct(
                agreed=pl.lit(["amount_less_fee"]),
                date_gap=pl.col("gap"),
                fee_rate=pl.col("rate"),
                platform=pl.col("platform"),
            ).struct.json_encode(),
            method=pl.format(
                "settled by {} less a fee of {}%; dates {} days apart",
                "platform",
                (pl.col("rate") * 100).round(2),
                "gap",
            ),
        )
    )
    # any two candidates are a question, however their dates differ
    return _finish(*select_unique(pairs, margin=float(SETTLEMENT_DAYS)))


def _usual(lag: pl.Expr, options: MatchOptions) -> pl.Expr:
    """Whether a lag (right date - left date) is within the files' usual range, where known."""
    if options.round_lag is None:
        return pl.lit(True)
    earliest, latest = options.round_lag
    return lag.is_between(earliest, latest)


# the columns of `_settled`
_SETTLED: dict[str, type[pl.DataType]] = {
    **dict.fromkeys(("l", "r", "gap", "size", "large"), pl.Int64),
    "platform": pl.String,
}


def _settled(
    settling: pl.DataFrame, other: pl.DataFrame, mine: str, theirs: str, options: MatchOptions
) -> pl.DataFrame:
    """`l`, `r`, `gap`, `size` (the fee), `large` (the sale's amount) and `platform`: the entries
    of `other` whose amount, less a fee at one of the rates, is within a cent of a settlement of
    `settling` (`mine` and `theirs` name the two sides' row columns)."""
    settlements = settling.filter(
        pl.col("cp").str.contains(PLATFORMS) & pl.col("key_memo").is_null()
    ).select(pl.col("row").alias(mine), "blk", small="amt", date_s="date", platform="cp")
    if settlements.is_empty():
        return pl.DataFrame(schema=_SETTLED)
    cent = UNITS_PER_ONE // 100
    sign = 1 if mine == "r" else -1
    sales = [
        settlements.with_columns(
            large=((pl.col("small") / (1 - rate) / cent).round(0).cast(pl.Int64) + step) * cent
        )
        for rate in FEE_RATES
        for step in (-1, 0, 1)
    ]
    return (
        pl.concat(sales)
        .unique([mine, "large"])
        .join(
            other.filter(pl.col("amt") % WHOLE_TENS != 0).select(
                pl.col("row").alias(theirs), "blk", large="amt", date_o="date"
            ),
            on=["blk", "large"],
        )
        # right date - left date
        .with_columns(lag=(pl.col("date_s") - pl.col("date_o")).dt.total_days() * sign)
        .with_columns(gap=pl.col("lag").abs())
        .filter((pl.col("gap") <= SETTLEMENT_DAYS) & _usual(pl.col("lag"), options))
        .select(
            "l",
            "r",
            "gap",
            size=(pl.col("large") - pl.col("small")).abs(),
            large="large",
            platform="platform",
        )
    )


# An amount that this many open entries of one side of a block carry recurs (a monthly fee, a
# customer's usual order).
RECURRING = 3


def _with_recurrence(cands: pl.DataFrame, left: pl.DataFrame, right: pl.DataFrame) -> pl.DataFrame:
    """Candidates with `recurs`: how many open entries of the block carry the amount, on the
    side that has more of them."""
    counts = [
        frame.group_by("blk", "amt").agg(pl.len().alias(name)).rename({"amt": "amt_l"})
        for frame, name in ((left, "n_l"), (right, "n_r"))
    ]
    return (
        cands.join(counts[0], on=["blk", "amt_l"], how="left", maintain_order="left")
        .join(counts[1], on=["blk", "amt_l"], how="left", maintain_order="left")
        .with_columns(recurs=pl.max_horizontal("n_l", "n_r"))
        .drop("n_l", "n_r")
    )


def _refused_recurring(
    accepted: pl.DataFrame, ambiguous: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A pair of an amount that recurs in its block (`RECURRING`), outside the block's usual
    lag, is only a suggestion: an equal amount days away is as likely another of them. It stays
    a rival of its entries' other candidates, which do not become unique by its refusal."""
    refused = accepted.filter("recurring")
    if refused.is_empty():
        return accepted, ambiguous
    return accepted.filter(~pl.col("recurring")), pl.concat([ambiguous, refused])


def _compared(
    cands: pl.DataFrame, a: str, b: str, **measures: Callable[[str, str], object]
) -> pl.DataFrame:
    """Candidates with one column per measure (a rapidfuzz score, 0–100, or a test) of the texts
    in columns `a` and `b`: null where either text is empty. Names repeat, so each distinct pair
    of texts is measured once."""
    distinct = cands.select(a, b).unique().filter((pl.col(a) != "") & (pl.col(b) != ""))
    pairs = list(zip(distinct[a].to_list(), distinct[b].to_list(), strict=True))
    distinct = distinct.with_columns(
        pl.Series(name, [measure(x, y) for x, y in pairs]) for name, measure in measures.items()
    )
    return cands.join(distinct, on=[a, b], how="left", maintain_order="left")


def _measured(
    cands: pl.DataFrame, a: str, b: str, **measures: Callable[[str, str], object]
) -> pl.DataFrame:
    """`_compared`, pair by pair: references rarely repeat (154k distinct pairs among 164k
    candidates at 1M lines), and finding the distinct pairs and joining them back cost more
    than measuring the few repeats again."""
    texts = list(zip(cands[a].to_list(), cands[b].to_list(), strict=True))
    return cands.with_columns(
        pl.Series(name, [measure(x, y) if x and y else None for x, y in texts])
        for name, measure in measures.items()
    )


def _slip(a: str, b: str) -> bool:
    """Two reference keys one typing slip apart: two neighbouring characters swapped or one
    character wrong. `20260123` and `20260132` are; `2026012004` and `2026010046` share most
    characters (the year) but are two different invoices."""
    if len(a) != len(b):
        return False
    differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(differ) <= 1:
        return True
    first, second = differ[0], differ[-1]
    return (
        len(differ) == 2 and second == first + 1 and a[first] == b[second] and a[second] == b[first]
    )


def _affix(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """One number the suffix or prefix of the other, at least four characters of it."""
    shorter_ok = pl.min_horizontal(a.str.len_chars(), b.str.len_chars()) >= 4
    return shorter_ok & (
        a.str.ends_with(b) | b.str.ends_with(a) | a.str.starts_with(b) | b.str.starts_with(a)
    )


def tolerance_limit(
    options: MatchOptions, *, wider: bool = False
) -> Callable[[pl.Expr, pl.Expr], pl.Expr]:
    """Largest tolerated difference, in units, as an expression of the two amounts: within both
    limits, or (`wider`) within either. The relative one as an exact fraction, as the group
    search reads it (`groups._Limits`)."""
    absolute = to_units(options.tolerance_abs)
    numerator, denominator = options.tolerance_rel.as_integer_ratio()
    pick = pl.max_horizontal if wider else pl.min_horizontal

    def limit(a: pl.Expr, b: pl.Expr) -> pl.Expr:
        size = pl.max_horizontal(a.abs(), b.abs())
        return pick(pl.lit(absolute), size * numerator // denominator)

    return limit


def empty_pairs() -> pl.DataFrame:
    """No pairs, in the PAIR_COLUMNS."""
    return pl.DataFrame(
        schema={
            "l": pl.Int64,
            "r": pl.Int64,
            "rule": pl.String,
            "evidence": pl.String,
            "method": pl.String,
        }
    )


# A line of no customer paid as the sum of two or three open entries of one customer
# (`one_customers_sum`), booked within this many days of each other, and within the usual lag
# of it and `groups.LAG_SLACK` days more, as the group search allows.
SUM_SPAN_DAYS = 7
# A customer with more open entries of one sign than this offers a sum for almost any amount.
SUM_MOST_OPEN = 60
_SUM_SCHEMA: dict[str, pl.DataType] = {
    "one": pl.Int64(),
    "members": pl.List(pl.Int64),
    "cust": pl.String(),
    "span": pl.Int64(),
}


def one_customers_sum(
    lone: pl.DataFrame, others: pl.DataFrame, lone_side: str, options: MatchOptions
) -> pl.DataFrame:
    """`one`, `members`, `cust`, `span`: a line no customer code or name placed (`lone`, its
    amount not in whole tens) and the two or three open entries of one customer (`others`)
    that add up to it exactly, booked within `SUM_SPAN_DAYS` of each other and within the
    files' usual lag of it (two days wider), where that is the one such sum among every
    customer's open entries and no other line's sum takes any of them: a bank line without a
    payer that pays one customer's invoices of a week. Only a line without a payer name: one
    whose name reads as no customer is another company's (`上海永安能源科技` is not
    上海永安能源)."""
    earliest, latest = options.round_lag or (-options.date_window, options.date_window)
    targets = lone.filter((pl.col("amt") % WHOLE_TENS != 0) & (pl.col("name") == "")).select(
        one="row", total="amt", day="date"
    )
    sign = pl.col("amt") > 0
    pool = others.filter(
        (pl.col("cust") != "") & (pl.len().over("cust", sign) <= SUM_MOST_OPEN)
    ).select("row", "cust", "amt", "date", positive=sign)
    if targets.is_empty() or pool.is_empty():
        return pl.DataFrame(schema=_SUM_SCHEMA)
    singles = pool.select(
        "cust", "positive", members=pl.concat_list("row"), sum="amt", first="date", last="date"
    )
    pairs = _with_one_more(singles, pool)
    triples = _with_one_more(pairs, pool)
    # a member's day is the line's less the lag (the line on the right) or plus it
    if lone_side == "right":
        first_day, last_day = -(latest + LAG_SLACK), -(earliest - LAG_SLACK)
    else:
        first_day, last_day = earliest - LAG_SLACK, latest + LAG_SLACK
    reach = (pl.col("first") >= pl.col("day") + pl.duration(days=first_day)) & (
        pl.col("last") <= pl.col("day") + pl.duration(days=last_day)
    )
    hits = targets.join(pl.concat([pairs, triples]), left_on="total", right_on="sum").filter(reach)
    if hits.is_empty():
        return pl.DataFrame(schema=_SUM_SCHEMA)
    member = hits.select("one", row=pl.col("members")).explode("row")
    taken_once = member.unique().group_by("row").len().filter(pl.col("len") == 1)["row"]
    contested = member.filter(~pl.col("row").is_in(taken_once.implode()))["one"]
    return (
        hits.filter((pl.len().over("one") == 1) & ~pl.col("one").is_in(contested.implode()))
        .select(
            "one",
            "members",
            "cust",
            span=(pl.col("last") - pl.col("first")).dt.total_days().cast(pl.Int64),
        )
        .sort("one")
    )


def _with_one_more(sums: pl.DataFrame, pool: pl.DataFrame) -> pl.DataFrame:
    """Each of `sums` (`cust`, `positive`, `members`, `sum`, `first`, `last`) with one more entry
    of its customer and sign from `pool`, later in row order (each set once), all booked within
    `SUM_SPAN_DAYS`."""
    return (
        sums.join(pool, on=["cust", "positive"])
        .filter(pl.col("row") > pl.col("members").list.last())
        .select(
            "cust",
            "positive",
            members=pl.concat_list("members", "row"),
            sum=pl.col("sum") + pl.col("amt"),
            first=pl.min_horizontal("first", "date"),
            last=pl.max_horizontal("last", "date"),
        )
        .filter((pl.col("last") - pl.col("first")).dt.total_days() <= SUM_SPAN_DAYS)
    )
