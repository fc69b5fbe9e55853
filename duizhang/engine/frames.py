"""Entries as Polars frames: the one representation every matching stage works on.

Two ways in, one frame out: `frame_from_entries` for `Entry` objects (the library API) and
`read_canonical_frame` for canonical CSV (the CLI fast path, which never builds a million
`Entry` objects). Both yield the same columns, so both go through the same stages.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from duizhang.engine.money import to_units
from duizhang.engine.normalize import (
    ABBREVIATION_CHARS,
    BRANCH_WORDS,
    CUT_E_INVOICE,
    ENDS_IN_LIST,
    FOURS,
    LONG_NUMBER_DIGITS,
    abbreviates,
    branch_place,
    cut_list,
    in_groups,
    is_document_number,
    joined_fours,
    last_digits,
    memo_runs,
    name_key,
    reference_key,
    short_year_serial,
    split_run,
    store_in_memo,
    tail,
    unpadded_serial,
    year_serial,
)
from duizhang.engine.records import DEFAULT_CURRENCY, Entry
from duizhang.engine.sides import side_by_side
from duizhang.ingest.base import IngestError

# row: position in the input; amt: exact amount in 1/10000 units.
SCHEMA: dict[str, type[pl.DataType] | pl.DataType] = {
    "row": pl.Int64,
    "id": pl.String,
    "date": pl.Date,
    "amt": pl.Int64,
    "cur": pl.String,
    "ref": pl.String,
    "cp": pl.String,
    "desc": pl.String,
    "cust": pl.String,
}
_TEXT_COLUMNS = {
    "currency": "cur",
    "reference": "ref",
    "counterparty": "cp",
    "description": "desc",
    "customer": "cust",
}
_AMOUNT = r"^[+-]?(?:\d+\.?\d{0,4}|\.\d{1,4})$"


def frame_from_entries(entries: Sequence[Entry]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "row": range(len(entries)),
            "id": [entry.id for entry in entries],
            "date": [entry.date for entry in entries],
            "amt": [to_units(entry.amount) for entry in entries],
            "cur": [(entry.currency or DEFAULT_CURRENCY).upper() for entry in entries],
            "ref": [entry.reference for entry in entries],
            "cp": [entry.counterparty for entry in entries],
            "desc": [entry.description for entry in entries],
            "cust": [entry.customer for entry in entries],
        },
        schema=SCHEMA,
    )


def read_canonical_frame(path: Path) -> pl.DataFrame:
    """Read canonical CSV straight into a frame, checking it as strictly as the importer does."""
    raw = pl.read_csv(path, infer_schema=False)
    raw = raw.rename({column: column.strip() for column in raw.columns})
    missing = [column for column in ("id", "date", "amount") if column not in raw.columns]
    if missing:
        raise IngestError(f"missing required column(s) {', '.join(missing)}", file=path, line=1)
    raw = raw.with_columns(pl.col(column).fill_null("").str.strip_chars() for column in raw.columns)
    raw = raw.with_columns(_line=pl.int_range(2, pl.len() + 2))
    raw = raw.filter(pl.any_horizontal(pl.col(c) != "" for c in raw.columns if c != "_line"))
    amount = pl.col("amount")
    # exact: the decimal's integer in 1/10000 units; null (reported below) past 64 bits
    units = amount.str.to_decimal(scale=4).to_physical().cast(pl.Int64, strict=False)
    frame = raw.select(
        pl.col("_line"),
        pl.col("id"),
        pl.col("date").str.to_date("%Y-%m-%d", strict=False).alias("date"),
        pl.when(amount.str.contains(_AMOUNT)).then(units).alias("amt"),
        *(
            (pl.col(column) if column in raw.columns else pl.lit("")).alias(short)
            for column, short in _TEXT_COLUMNS.items()
        ),
    )
    _check(frame, raw, path)
    frame = frame.with_columns(
        pl.when(pl.col("cur") == "")
        .then(pl.lit(DEFAULT_CURRENCY))
        .otherwise(pl.col("cur").str.to_uppercase())
        .alias("cur")
    )
    return (
        frame.drop("_line")
        .with_row_index("row")
        .with_columns(pl.col("row").cast(pl.Int64))
        .select(SCHEMA.keys())
    )


def _check(frame: pl.DataFrame, raw: pl.DataFrame, path: Path) -> None:
    problems = (
        ("id", pl.col("id") == "", "empty id"),
        ("date", pl.col("date").is_null(), "date must be YYYY-MM-DD"),
        ("amount", pl.col("amt").is_null(), "not a plain decimal amount (at most 4 decimals)"),
        (
            "id",
            pl.col("id").is_duplicated() & (pl.col("id").cum_count().over("id") > 1),
            "duplicate id",
        ),
    )
    # one pass over the whole file says whether anything is wrong; only then find the first line
    # (ids are counted by a hash, a third of the work: a collision only makes the search run)
    empty = (pl.col("id") == "") | pl.col("date").is_null() | pl.col("amt").is_null()
    suspect = empty.any() | (pl.col("id").hash().n_unique() < pl.len())
    if not frame.select(suspect).item():
        return
    for column, bad, message in problems:
        found = frame.with_columns(_value=raw[column]).filter(bad).head(1)
        if found.height:
            raise IngestError(
                message, file=path, line=found["_line"][0], column=column, value=found["_value"][0]
            )


def prepare(frame: pl.DataFrame) -> pl.DataFrame:
    """Add the normal forms the stages compare, computed once here rather than per stage:
    `rkey` (the reference key), `name` (the counterparty name), `branch` (the place of the
    branch or store that name stands for, `normalize.branch_place`, else the store the memo
    names, `normalize.store_in_memo`), and the other document numbers
    the entry carries: `key_serial` and `key_digits` (shorter forms of `rkey`, null when they add
    nothing), `key_memo` (the numbers in the memo that are none of those three), and `key_tail`
    and `key_memo_tail`: the last digits of the long ones, as a customer quotes a 20-digit
    e-invoice number; `memo_six`: the memo's numbers of six digits as written
    (`with_six_digit_tails`). Empty here, filled later: `doc_tails` and `names_invoice`
    (`with_tails_that_meet`), `placed` (true once `numbers.fill_customers` gives the entry the
    customer of the documents it names), `claimed` (true once `stages.claimed_across_blocks`
    finds its document and amount in another block), `lag_lo` and `lag_hi` (its block's own
    usual lag, `stages.block_lags`).

    Names and memos repeat (a few thousand payers for half a million lines), so their normal
    forms are computed once per distinct text."""
    ref = pl.col("ref")
    ascii_only = bool(frame.select((ref.str.len_bytes() == ref.str.len_chars()).all()).item())
    prepared = _with_cut_lists(frame).with_columns(rkey=reference_key(ref, ascii_only=ascii_only))
    prepared = per_distinct(
        prepared, "cp", name=name_key(pl.col("cp")), branch=branch_place(pl.col("cp"))
    )
    prepared = prepared.with_columns(branch=pl.coalesce("branch", store_in_memo(pl.col("desc"))))
    rkey = pl.col("rkey")
    prepared = prepared.with_columns(
        key_serial=pl.coalesce(year_serial(rkey), short_year_serial(ref), unpadded_serial(ref)),
        key_digits=last_digits(rkey),
    )
    serial, digits = pl.col("key_serial"), pl.col("key_digits")
    prepared = prepared.with_columns(
        key_serial=pl.when(serial != "").then(serial),
        key_digits=pl.when((digits != "") & (digits != rkey) & digits.ne_missing(serial)).then(
            digits
        ),
    )
    memo_keys, memo_tails, memo_six, listed = _memo_keys(prepared)
    memo = prepared.select("row").join(memo_keys, on="row", how="left", maintain_order="left")
    prepared = prepared.with_columns(memo["key_memo"])
    counted = prepared.select("desc").join(listed, on="desc", how="left", maintain_order="left")
    prepared = prepared.with_columns(counted["listed"].fill_null(0))
    if memo_six.is_empty():
        prepared = prepared.with_columns(memo_six=pl.lit(None, pl.List(pl.String)))
    else:
        six = prepared.select("desc").join(memo_six, on="desc", how="left", maintain_order="left")
        prepared = prepared.with_columns(six["memo_six"])
    # most files hold no long number at all: their tails are null without a look at each entry
    if memo_tails.is_empty():
        prepared = prepared.with_columns(key_memo_tail=pl.lit(None, pl.List(pl.String)))
    else:
        memo = prepared.select("row").join(memo_tails, on="row", how="left", maintain_order="left")
        prepared = prepared.with_columns(memo["key_memo_tail"])
    long = prepared.select(rkey.str.len_bytes().max()).item()
    return prepared.with_columns(
        key_tail=tail(rkey) if long and long >= LONG_NUMBER_DIGITS else pl.lit(None, pl.String),
        doc_tails=pl.lit(None, pl.List(pl.String)),
        names_invoice=pl.lit(False),
        placed=pl.lit(False),
        claimed=pl.lit(False),
        lag_lo=pl.lit(None, pl.Int64),
        lag_hi=pl.lit(None, pl.Int64),
    )


def _with_cut_lists(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with each memo's e-invoice numbers in fours written whole
    (`normalize.joined_fours`) and each memo cut short inside its list of numbers read as such
    (`normalize.cut_list`), looked at once per distinct memo that ends in a list or a long
    number, or holds numbers in fours."""
    to_read = frame.select(pl.col("desc").unique()).filter(
        pl.col("desc").str.contains(ENDS_IN_LIST)
        | pl.col("desc").str.contains(FOURS)
        | pl.col("desc").str.contains(CUT_E_INVOICE)
    )
    if to_read.is_empty():
        return frame
    read = to_read.with_columns(
        cut=pl.col("desc").map_elements(
            lambda memo: cut_list(joined_fours(memo)), return_dtype=pl.String
        )
    ).filter(pl.col("cut") != pl.col("desc"))
    found = frame.select("desc").join(read, on="desc", how="left", maintain_order="left")
    return frame.with_columns(desc=pl.coalesce(found["cut"], pl.col("desc")))


def _memo_keys(
    frame: pl.DataFrame,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """`row`, `key_memo`: every key form of the numbers in an entry's memo (as
    `normalize.description_keys` and `key_forms` find them) that is not a form of its reference;
    `row`, `key_memo_tail`: the tails of the long ones (`normalize.tail`), where there are;
    `desc`, `memo_six`: the numbers of six digits as written, by memo; and `desc`, `listed`:
    how many of its numbers can be document numbers (`normalize.is_document_number`: the long
    ones are not, and count by their tails in `numbers.long_documents_listed`), by memo."""
    numbers = memo_numbers_by_row(frame.select(pl.col("desc").unique())).with_columns(
        key=reference_key(pl.col("number"))
    )
    key = pl.col("key")
    listed = numbers.group_by("desc").agg(listed=is_document_number(key).sum())
    forms = (
        pl.concat(
            [
                numbers.select("desc", "key"),
                numbers.select("desc", key=year_serial(key)),
                numbers.select("desc", key=last_digits(key)),
                numbers.select("desc", key=unpadded_serial(pl.col("number"))),
            ]
        )
        .filter(key.is_not_null() & (key != ""))
        .unique()
    )
    keys = (
        frame.select("row", "desc", "rkey", "key_serial", "key_digits")
        .join(forms, on="desc")
        .filter(
            (key != pl.col("rkey"))
            & key.ne_missing(pl.col("key_serial"))
            & key.ne_missing(pl.col("key_digits"))
        )
        .group_by("row")
        .agg(key_memo="key")
    )
    six = (
        numbers.filter(pl.col("number").str.contains(r"^\d{6}$"))
        .group_by("desc")
        .agg(memo_six="number")
    )
    tails = numbers.select("desc", key=tail(key)).drop_nulls("key").unique()
    if tails.is_empty():
        no_tails = pl.DataFrame(schema={"row": pl.Int64, "key_memo_tail": pl.List(pl.String)})
        return keys, no_tails, six, listed
    tails = (
        frame.select("row", "desc", own=tail(pl.col("rkey")))
        .join(tails, on="desc")
        .filter(key.ne_missing(pl.col("own")))
        .group_by("row")
        .agg(key_memo_tail="key")
    )
    return keys, tails, six, listed


# A side quotes the other's long numbers when this share of its tails meets one: then its long
# numbers are documents (20-digit e-invoice numbers), else bank serials, whose tails meet one
# now and then by chance.
QUOTED_SHARE = 0.05
# The leading digits that tell one numbering of long numbers from another in one column.
NUMBERING_DIGITS = 4


def with_tails_that_meet(
    left: pl.DataFrame, right: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Both sides with the tails (`key_tail`, `key_memo_tail`) that some whole number of the
    other side equals: the others could link nothing, and most are the tails of bank serials,
    which every stage would otherwise carry along. And with `doc_tails`: every tail of the long
    numbers of a column (the reference, the memo) that the other side quotes, met or not, as
    document numbers: an e-invoice that names another one is another document. And with
    `names_invoice`: whether an entry names such a document, by its long number or by the tail
    (`票号尾03287894`, `000003302141`) of one the other side writes."""

    def kept(frame: pl.DataFrame, other: pl.DataFrame, whole: pl.Series) -> pl.DataFrame:
        tails = pl.concat(
            [
                frame.select(key=pl.col("key_tail")),
                frame.select(key=pl.col("key_memo_tail")).explode("key"),
            ]
        )["key"].drop_nulls()
        if tails.is_empty():
            return frame
        # the other side's whole numbers that are tails here: few, where most are many
        wanted = tails.unique().implode()
        met = pl.concat(
            [
                *(
                    other.select(key=pl.col(column)).filter(pl.col("key").is_in(wanted))
                    for column in ("rkey", "key_serial", "key_digits")
                ),
                other.select(key=pl.col("key_memo"))
                .explode("key")
                .filter(pl.col("key").is_in(wanted)),
            ]
        )["key"].implode()
        met_tail = pl.when(pl.col("key_tail").is_in(met)).then("key_tail")
        # lists exploded: `is_in` inside a list evaluation builds its set once per entry
        memo_tails = frame.select("row", tail="key_memo_tail").explode("tail").drop_nulls()
        met_memo = memo_tails.filter(pl.col("tail").is_in(met))
        kept_memo_tails = frame.select("row").join(
            met_memo.group_by("row").agg(key_memo_tail="tail"),
            on="row",
            how="left",
            maintain_order="left",
        )["key_memo_tail"]
        # a long number is quoted by its tail, or written out whole on the other side too
        in_whole = whole.implode()
        quoted_reference = _quoted(
            frame.filter(pl.col("key_tail").is_not_null()),
            met_tail.is_not_null() | pl.col("rkey").is_in(in_whole),
            pl.col("rkey").str.slice(0, NUMBERING_DIGITS),
        )
        with_memo_tails = frame.filter(pl.col("key_memo_tail").is_not_null())
        written_out = (
            with_memo_tails.select("row", "key_memo")
            .explode("key_memo")
            .filter(pl.col("key_memo").is_in(in_whole))["row"]
        )
        met_memo_rows = pl.concat([met_memo["row"], written_out]).implode()
        # a memo's long numbers are counted as one numbering
        quoted_memo = _quoted(with_memo_tails, pl.col("row").is_in(met_memo_rows), pl.lit(""))
        reference = None if quoted_reference is None else pl.when(quoted_reference).then("key_tail")
        memo = None if quoted_memo is None else pl.col("key_memo_tail")
        return frame.with_columns(doc_tails=_documents(reference, memo)).with_columns(
            met_tail.alias("key_tail"), kept_memo_tails
        )

    whole_l, whole_r = side_by_side(_long_numbers, (left,), (right,))
    left, right = side_by_side(kept, (left, right, whole_r), (right, left, whole_l))
    return side_by_side(_with_names_invoice, (left, right), (right, left))


def with_six_digit_tails(
    left: pl.DataFrame, right: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Both sides with each six-digit number of a memo (`尾号254480`, `03260255；260259`) that
    ends exactly one number of the other side, of the same customer, added to `key_memo` as that
    number (a long one by its tail, as `with_tails_that_meet` meets it): six digits are too few
    to meet a whole number of every customer by themselves. An entry without a customer code
    reads them as its payer's customer's (`customers_by_name`)."""
    by_name = customers_by_name(left, right)
    return side_by_side(_with_resolved_tails, (left, right, by_name), (right, left, by_name))


def with_six_digit_tails_of_placed(
    left: pl.DataFrame, right: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`with_six_digit_tails` once more for the entries that `numbers.fill_customers` has placed
    by the whole numbers they name: a payer whose name tells no customer (a person, `顾秀明`)
    lists `966871/01966875/966877`, and the six-digit ones end that customer's numbers too."""
    by_name = customers_by_name(left, right)

    def resolved(frame: pl.DataFrame, other: pl.DataFrame) -> pl.DataFrame:
        placed_only = frame.with_columns(memo_six=pl.when("placed").then(pl.col("memo_six")))
        return _with_resolved_tails(placed_only, other, by_name).with_columns(frame["memo_six"])

    return side_by_side(resolved, (left, right), (right, left))


def _with_resolved_tails(
    frame: pl.DataFrame, other: pl.DataFrame, by_name: pl.DataFrame
) -> pl.DataFrame:
    quoted = (
        frame.filter(pl.col("memo_six").is_not_null())
        .join(by_name, on="name", how="left")
        .with_columns(
            cust=pl.when(pl.col("cust") == "").then(pl.col("cust_by_name")).otherwise("cust")
        )
        .filter(pl.col("cust").is_not_null() & (pl.col("cust") != ""))
        .select("row", "cust", suffix="memo_six")
        .explode("suffix")
        .with_columns(key=pl.col("suffix").str.strip_chars_start("0"))
    )
    if quoted.is_empty():
        return frame
    # a number the other side writes whole as a reference needs no resolving (`付发票157060款`)
    wanted = quoted["key"].unique().implode()
    whole = pl.concat(
        other.select("cust", key=pl.col(column)).filter(pl.col("key").is_in(wanted))
        for column in ("rkey", "key_serial", "key_digits")
    )
    quoted = quoted.join(whole, on=["cust", "key"], how="anti").drop("key")
    if quoted.is_empty():
        return frame
    key = pl.col("key")
    owners = other.filter(pl.col("cust").is_in(quoted["cust"].unique().implode()))
    numbers = pl.concat(
        [
            *(
                owners.select("cust", key=pl.col(column))
                for column in ("rkey", "key_serial", "key_digits")
            ),
            owners.select("cust", key=pl.col("key_memo")).explode("key"),
        ]
    ).drop_nulls()
    endings = (
        numbers.filter(key.str.len_bytes() > 6)
        .with_columns(suffix=key.str.slice(-6))
        .join(quoted.select("cust", "suffix").unique(), on=["cust", "suffix"], how="semi")
        .filter(key.str.contains(r"^\d+$"))
        # a long number as the other side meets it, and as it is quoted: by its tail
        # (`with_tails_that_meet`); the number and its tail are one document
        .with_columns(key=pl.coalesce(tail(key), key))
        .unique()
        .group_by("cust", "suffix")
        .agg(key.first(), ending=pl.len())
        .filter(pl.col("ending") == 1)
        .drop("ending")
    )
    found = quoted.join(endings, on=["cust", "suffix"]).group_by("row").agg(resolved="key")
    resolved = frame.select("row").join(found, on="row", how="left", maintain_order="left")[
        "resolved"
    ]
    return frame.with_columns(
        key_memo=pl.when(resolved.is_not_null())
        .then(pl.col("key_memo").fill_null([]).list.concat(resolved))
        .otherwise("key_memo")
    )


# A memo naming the invoice a credit note reverses (`退货冲减应付 原发票46592518`): the credit
# note is another document than the number it names.
_REVERSED_INVOICE = r"原(?:发票|票|FP|INV|No\.?|NO\.?)?(?:号码?)?[:：\s]*\d"


def _with_names_invoice(frame: pl.DataFrame, other: pl.DataFrame) -> pl.DataFrame:
    """`frame` with `names_invoice`: it has `doc_tails` of its own, or one of its whole numbers
    is a tail in the other side's `doc_tails`: a short number in a bank memo may be the payer's
    own, but not one that is the tail of one of our e-invoices; unless it names the invoice a
    credit note reverses (`原发票46592518`)."""
    tails = other.select(pl.col("doc_tails").explode().drop_nulls().unique())["doc_tails"]
    reversing = pl.col("desc").str.contains(_REVERSED_INVOICE).fill_null(False)
    if tails.is_empty():
        return frame.with_columns(names_invoice=pl.col("doc_tails").is_not_null() & ~reversing)
    wanted = tails.implode()
    in_memo = (
        frame.select("row", key=pl.col("key_memo"))
        .explode("key")
        .filter(pl.col("key").is_in(wanted))["row"]
        .implode()
    )
    quoting = pl.any_horizontal(
        pl.col(column).is_in(wanted).fill_null(False)
        for column in ("rkey", "key_serial", "key_digits")
    ) | pl.col("row").is_in(in_memo)
    return frame.with_columns(
        names_invoice=(pl.col("doc_tails").is_not_null() | quoting) & ~reversing
    )


def _documents(reference: pl.Expr | None, memo: pl.Expr | None) -> pl.Expr:
    """The document numbers of an entry, null for none: its `reference` tail, if any, before the
    tails in its `memo` (a list, never empty, of no nulls). A list is built only for an entry
    that holds both: a concatenation per row cost 0.3 s on 500k lines, this 0.01 s."""
    if memo is None:
        if reference is None:
            return pl.lit(None, pl.List(pl.String))
        return pl.when(reference.is_not_null()).then(pl.concat_list(reference))
    if reference is None:
        return memo
    return (
        pl.when(reference.is_null())
        .then(memo)
        .otherwise(
            # a null list would make the whole concatenation null
            pl.concat_list(reference, memo.fill_null([]))
        )
    )


def _quoted(long: pl.DataFrame, met: pl.Expr, numbering: pl.Expr) -> pl.Expr | None:
    """Per entry: whether `QUOTED_SHARE` of the entries with a long number (`long`) of its
    `numbering` meet the other side; None where no numbering does. One column may hold two
    numberings: our invoices' e-invoice numbers and our receipts' bank serials (each numbering
    starts alike)."""
    shares = long.group_by(numbering.alias("numbering")).agg(met.mean().alias("share"))
    quoted = shares.filter(pl.col("share") >= QUOTED_SHARE)["numbering"]
    if quoted.is_empty():
        return None
    return numbering.is_in(quoted.implode()).fill_null(False)


def _long_numbers(frame: pl.DataFrame) -> pl.Series:
    """The distinct long numbers (`normalize.LONG_NUMBER_DIGITS`) an entry of `frame` writes
    out whole, in its reference or memo."""
    long = pl.col("key").str.len_bytes() >= LONG_NUMBER_DIGITS
    # only entries with a tail write a long number (before the tails are kept or dropped)
    return pl.concat(
        [
            frame.filter(pl.col("key_tail").is_not_null()).select(key=pl.col("rkey")),
            frame.filter(pl.col("key_memo_tail").is_not_null())
            .select(key=pl.col("key_memo"))
            .explode("key")
            .filter(long),
        ]
    )["key"].unique()


def memo_numbers_by_row(memos: pl.DataFrame) -> pl.DataFrame:
    """`desc`, `number`: the numbers of each memo (`normalize.memo_numbers`), a row each, in
    order. Only the runs that may be groups of four (`normalize.in_groups`, one in ten) go
    through `normalize.split_run`. Lazily, so that the memo is read in capitals once for its
    runs and its list (an eager select computes a shared part twice). For the 330k distinct
    memos of a million-line bank case, 0.4 s instead of 0.75 s."""
    runs = (
        memos.lazy()
        .select("desc", number=memo_runs(pl.col("desc")))
        .explode("number")
        .drop_nulls("number")
        .with_row_index("at")
        .collect()
    )
    grouped = in_groups(pl.col("number"))
    split = runs.filter(grouped).with_columns(pl.col("number").pipe(split_run).str.split(" "))
    return (
        pl.concat([runs.filter(~grouped), split.explode("number")])
        .sort("at", maintain_order=True)
        .drop("at")
    )


def per_distinct(frame: pl.DataFrame, column: str, **normal_form: pl.Expr) -> pl.DataFrame:
    """`frame.with_columns(**normal_form)`, computed once per distinct value of `column`."""
    distinct = frame.select(pl.col(column).unique()).with_columns(**normal_form)
    found = frame.select(column).join(
        distinct, on=column, how="left", nulls_equal=True, maintain_order="left"
    )
    return frame.with_columns(found.drop(column))


def with_blocks(
    left: pl.DataFrame, right: pl.DataFrame, *, by_customer: bool
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Both sides with `blk`, the block an entry is matched within: its customer (`by_customer`:
    when either side has customer codes) and currency, as one number the two sides share.
    Every stage groups and joins on it, and a number hashes far faster than the texts would.
    By customer, the entries of no known customer make a block of strangers, numbered below
    zero: the group search passes it by (`pipeline._groups`)."""
    keys = ["cust", "cur"] if by_customer else ["cur"]
    number = pl.col("blk").cast(pl.Int64)
    if by_customer:
        number = pl.when(pl.col("cust") == "").then(-1 - number).otherwise(number)
    blocks = (
        pl.concat([left.select(keys), right.select(keys)])
        .unique()
        .sort(keys)
        .with_row_index("blk")
        .with_columns(blk=number)
    )

    def numbered(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.join(blocks, on=keys, how="left", maintain_order="left")

    return numbered(left), numbered(right)


# the share of a name's entries that must be one customer's where other customers' documents
# placed a few elsewhere (`customers_by_name`)
NAME_SHARE = 0.95


def customers_by_name(left: pl.DataFrame, right: pl.DataFrame) -> pl.DataFrame:
    """`name`, `cust_by_name`: each normalised counterparty name that the entries with a customer
    code (of either side) tie to one customer: all of them, or all those coded so from the
    start and `NAME_SHARE` of all, with a few that other customers' documents placed elsewhere
    (`numbers.fill_customers`: a parent paying one of its subsidiary's invoices)."""
    counts = (
        pl.concat([left.select("name", "cust", "placed"), right.select("name", "cust", "placed")])
        .filter((pl.col("name") != "") & (pl.col("cust") != ""))
        .group_by("name", "cust")
        .agg(entries=pl.len(), coded=(~pl.col("placed")).sum())
    )
    coded_customers = (pl.col("coded") > 0).sum().over("name")
    share = pl.col("entries") / pl.col("entries").sum().over("name")
    only_one = pl.len().over("name") == 1
    most = (pl.col("coded") > 0) & (coded_customers == 1) & (share >= NAME_SHARE)
    return counts.filter(only_one | most).select("name", cust_by_name="cust")


# A side with customer codes on fewer of its lines than this is a statement without them (a
# bank's export): only there is an English payer name read as pinyin (`_Owners.spelled_as`);
# elsewhere a line without a code is an exception, and loading the dictionaries (55 MB) bought
# one to five links in 100k lines.
CODED_SHARE = 0.5


# A branch's name, as `normalize.name_key` leaves it, is its company's with the branch's place
# after it (`上海永安能源苏州` for 上海永安能源有限公司苏州分公司): a place of at most this many
# characters, after a company name of at least `BRANCH_PREFIX`.
BRANCH_PLACE_CHARS = 3
BRANCH_PREFIX = 4
# A Chinese company's English name spells its city and trade name in pinyin and translates the
# rest (`FOSHAN YUANHANG COMMERCE` for 佛山远航商贸): the first this many characters.
SPELLED_CHARS = 4


def placed_by_name_readings(
    left: pl.DataFrame, right: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Both sides with each line that no code, document or known name placed given the one
    customer whose name, as its coded entries write it, its payer name reads as (`_Owners`: a
    short form, a branch, on a side without codes an English name); a name that reads as two
    customers' places nothing. Short forms placed on coded files cost 0.02–0.06 % precision in
    session 16; as read here, after every other placement and only where the reading is unique,
    they cost none on any case measured in session 19."""
    unplaced = [
        frame.filter(
            (pl.col("cust") == "") & (pl.col("name").str.len_chars() >= ABBREVIATION_CHARS)
        )
        .group_by("name")
        .agg(branch=pl.col("cp").str.contains(BRANCH_WORDS).any())
        .sort("name")
        for frame in (left, right)
    ]
    if all(names.is_empty() for names in unplaced):
        return left, right
    owners = _Owners(coded_names(left, right))

    def place(frame: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
        if names.is_empty():
            return frame
        spell = frame["coded"].mean() < CODED_SHARE  # type: ignore[operator]
        known = {
            name: found
            for name, branch in names.iter_rows()
            if (found := owners.of(name, branch=branch, spell=spell))
        }
        by_name = pl.DataFrame(
            {"name": list(known), "cust_by_name": list(known.values())},
            schema={"name": pl.String, "cust_by_name": pl.String},
        )
        return _with_customers(frame, by_name)

    return place(left, unplaced[0]), place(right, unplaced[1])


class _Owners:
    """The customers of the payer names their coded entries write (`cust`, `name`), and the
    readings of another name that point to one of them: a short form (`惠州华茂` for
    `惠州市华茂物业管理`, `normalize.abbreviates`), a branch (`上海永安能源苏州`), or an English
    name (`FOSHANYUANHANGCOMMERCE` for 佛山远航商贸)."""

    def __init__(self, written: pl.DataFrame) -> None:
        self.customers: list[str] = written["cust"].to_list()
        self.names: list[str] = written["name"].to_list()
        # the names holding each character: a name is short only for those that hold all of its
        # own; and the names by their first characters, for branches
        self.holding: dict[str, set[int]] = {}
        self.by_first: dict[str, list[int]] = {}
        for index, full in enumerate(self.names):
            for char in full:
                self.holding.setdefault(char, set()).add(index)
            if len(full) >= BRANCH_PREFIX:
                self.by_first.setdefault(full[:BRANCH_PREFIX], []).append(index)
        self._spelled: dict[str, set[int]] | None = None

    def of(self, name: str, *, branch: bool, spell: bool) -> str | None:
        """The one customer `name` reads as; None for none or several."""
        found = self.short_for(name)
        if branch:
            found |= self.branch_of(name)
        if spell and name.isascii():
            found |= self.spelled_as(name)
        owners = {self.customers[index] for index in found}
        return owners.pop() if len(owners) == 1 else None

    def short_for(self, name: str) -> set[int]:
        candidates = set.intersection(
            *sorted((self.holding.get(char, set()) for char in name), key=len)
        )
        return {
            index
            for index in candidates
            if len(self.names[index]) > len(name) and abbreviates(name, self.names[index])
        }

    def branch_of(self, name: str) -> set[int]:
        return {
            index
            for index in self.by_first.get(name[:BRANCH_PREFIX], ())
            if name.startswith(self.names[index])
            and 0 < len(name) - len(self.names[index]) <= BRANCH_PLACE_CHARS
        }

    def spelled_as(self, name: str) -> set[int]:
        """The Chinese names whose first `SPELLED_CHARS` characters, in pinyin, begin `name`."""
        if self._spelled is None:
            # read on first use: most files name no payer in English, and the dictionary takes
            # a fifth of a second to load
            from pypinyin import lazy_pinyin

            self._spelled = {}
            for index, full in enumerate(self.names):
                if len(full) >= SPELLED_CHARS and not full[:SPELLED_CHARS].isascii():
                    spelled = "".join(lazy_pinyin(full[:SPELLED_CHARS])).upper()
                    self._spelled.setdefault(spelled, set()).add(index)
        found: set[int] = set()
        for end in range(SPELLED_CHARS, len(name) + 1):
            found |= self._spelled.get(name[:end], set())
        return found


def named_by_customer(
    frames: tuple[pl.DataFrame, ...], everything: tuple[pl.DataFrame, ...]
) -> tuple[pl.DataFrame, ...]:
    """`frames` with each entry that has a customer code but no counterparty name named as its
    customer's entries (in `everything`, of both sides) most often name the payer. Across
    customers, a name is all that keeps an entry from meeting every other customer's payment of
    the same amount: a ledger line without a payer (`收晨光五金款`) is still 长春晨光五金's, not
    the bank line from 济南盛世电气 that no customer code placed."""
    usual = (
        pl.concat([frame.select("cust", "name") for frame in everything])
        .filter((pl.col("cust") != "") & (pl.col("name") != ""))
        .group_by("cust", "name")
        .len()
        .sort(["cust", "len", "name"], descending=[False, True, False])
        .group_by("cust", maintain_order=True)
        .first()
        .select("cust", usual_name="name")
    )
    return tuple(
        frame.join(usual, on="cust", how="left", maintain_order="left")
        .with_columns(
            name=pl.when(pl.col("name") == "").then(pl.col("usual_name")).otherwise("name")
        )
        .with_columns(pl.col("name").fill_null(""))
        .drop("usual_name")
        for frame in frames
    )


# The least share of a side's lines that must carry a payer name for its names to stand in for
# customer codes (`with_names_as_customers`).
NAMED_SHARE = 0.9


def have_customer_codes(left: pl.DataFrame, right: pl.DataFrame) -> bool:
    """Whether either side has customer codes: then the work goes customer by customer (a bank
    statement carries none; its lines find their customers by name and by the documents they
    name)."""
    return bool((left["cust"] != "").any() or (right["cust"] != "").any())


def with_names_as_customers(
    left: pl.DataFrame, right: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Where neither side has customer codes, the counterparty names of the side that writes
    each company one way serve as codes: an ERP's ledger export names its customers (客户名称)
    from master data, where a bank writes a payer as it pleases. Of the sides that name the
    payer on `NAMED_SHARE` of their lines, the one with the fewest names per line; the other
    side's lines then find their customers as they would against codes (`fill_customers`)."""
    if have_customer_codes(left, right):
        return left, right
    spreads = {
        side: frame["name"].n_unique() / frame.height
        for side, frame in (("left", left), ("right", right))
        if frame.height and (frame["name"] != "").mean() >= NAMED_SHARE  # type: ignore[operator]
    }
    if not spreads:
        return left, right
    named = pl.col("name")
    if min(spreads, key=lambda side: spreads[side]) == "left":
        return left.with_columns(cust=named), right
    return left, right.with_columns(cust=named)


def with_the_only_customer(
    left: pl.DataFrame, right: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Where the two sides hold one customer code between them (one customer's ledger against
    its receipts on a bank statement, or against its own books), a line with neither the code
    nor a payer name is that customer's: nothing says it is another's. A payer name may well
    be another company's (`fill_customers` reads it)."""
    codes = pl.concat([left["cust"], right["cust"]]).unique()
    codes = codes.filter(codes != "")
    if codes.len() != 1:
        return left, right
    unknown = (pl.col("cust") == "") & (pl.col("name") == "")
    only = pl.when(unknown).then(pl.lit(codes[0])).otherwise(pl.col("cust"))
    return left.with_columns(cust=only), right.with_columns(cust=only)


def fill_customers(left: pl.DataFrame, right: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Give an entry without a customer code the customer its counterparty name belongs to
    (`customers_by_name`)."""
    known = customers_by_name(left, right)
    return _with_customers(left, known), _with_customers(right, known)


def _with_customers(frame: pl.DataFrame, by_name: pl.DataFrame) -> pl.DataFrame:
    """`frame` with each entry without a customer code given the one `by_name` (`name`,
    `cust_by_name`) holds for its counterparty name, if any."""
    if not (frame["cust"] == "").any():
        return frame
    # the new column alone, in the frame's order: joining whole entries would gather them
    filled = (
        frame.select("name", "cust")
        .join(by_name, on="name", how="left", maintain_order="left")
        .select(
            cust=pl.when(pl.col("cust") == "")
            .then(pl.col("cust_by_name").fill_null(""))
            .otherwise(pl.col("cust"))
        )
    )
    return frame.with_columns(filled["cust"])


def coded_names(*frames: pl.DataFrame) -> pl.DataFrame:
    """`cust`, `name`: the payer names the entries that came with a customer code write, once
    each (`coded`: set by `match.match_frames`)."""
    return (
        pl.concat([frame.filter("coded").select("cust", "name") for frame in frames])
        .filter(pl.col("name") != "")
        .unique()
        .sort("cust", "name")
    )


def amount_text(units: pl.Expr) -> pl.Expr:
    """1/10000 units as decimal text: `0`, `1200.00`, `-12.50`, `0.005`."""
    size = units.abs()
    whole = (size // 10_000).cast(pl.String)
    fraction = (size % 10_000).cast(pl.String).str.pad_start(4, "0")
    fraction = (
        pl.when(size % 100 == 0)
        .then(fraction.str.slice(0, 2))
        .otherwise(fraction.str.strip_chars_end("0"))
    )
    text = pl.when(units < 0).then(pl.lit("-")).otherwise(pl.lit("")) + whole + "." + fraction
    return pl.when(units == 0).then(pl.lit("0")).otherwise(text)
