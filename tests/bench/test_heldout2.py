"""The third noise profile, `heldout2`: its habits appear, and its truth stays decidable."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from duizhang.bench import names
from duizhang.bench.generator import _mistype_cents, generate
from duizhang.bench.profile import HELDOUT2, PROFILES

LINES = 6000
PERIOD_END = HELDOUT2.period_end


@pytest.fixture(scope="module")
def case() -> tuple[pl.DataFrame, pl.DataFrame, object]:
    return generate(LINES, 7, HELDOUT2)


@pytest.fixture(scope="module")
def members(case) -> pl.DataFrame:
    """Every member line of a true group with its fields, side and kind."""
    left, right, truth = case
    return pl.concat([left, right]).join(truth.groups, on="id")


def _number_in(text: str) -> set[int]:
    return {int(found) for found in re.findall(r"\d+", unicodedata.normalize("NFKC", text))}


def test_registered_and_deterministic() -> None:
    assert PROFILES["heldout2"] is HELDOUT2
    first, again = generate(1500, 3, HELDOUT2), generate(1500, 3, HELDOUT2)
    assert first[0].equals(again[0]) and first[1].equals(again[1])
    assert first[2].groups.equals(again[2].groups)


def test_every_line_is_in_exactly_one_group_or_leftover(case) -> None:
    left, right, truth = case
    ids = sorted([*left["id"], *right["id"]])
    explained = sorted([*truth.groups["id"], *truth.leftovers["id"]])
    assert explained == ids
    assert abs(truth.lines - LINES) <= LINES * 0.03


def test_groups_state_their_difference_and_keep_to_the_profile(members) -> None:
    signed = pl.when(pl.col("side") == "left").then(1).otherwise(-1)
    groups = members.group_by("group_id").agg(
        pl.col("kind").first(),
        pl.col("difference").first(),
        (pl.col("amount").cast(pl.Decimal(20, 2)) * signed).sum().alias("sum"),
        (pl.col("side") == "left").sum().alias("lefts"),
        (pl.col("side") == "right").sum().alias("rights"),
        pl.col("amount").filter(pl.col("side") == "left").first().alias("left_amount"),
    )
    fixed = {Decimal(10), Decimal(15), Decimal(25)}
    for row in groups.iter_rows(named=True):
        difference = Decimal(row["difference"])
        assert row["sum"] == difference, row
        assert row["lefts"] >= 1 and row["rights"] >= 1, row
        if row["kind"] == "fee":
            amount = abs(Decimal(row["left_amount"]))
            rates = {
                max((amount * bp / 10_000).quantize(Decimal("0.01")), Decimal("0.01"))
                for bp in (5, 10, 20)
            }
            assert -difference in fixed | rates, row
        if row["kind"] == "rounding":
            assert Decimal("0.01") <= abs(difference) <= Decimal("0.09"), row
        if row["kind"] == "many_to_one":
            assert row["rights"] == 1 and 2 <= row["lefts"] <= 8, row
    sizes = groups.filter(pl.col("kind") == "many_to_one")["lefts"]
    assert sizes.max() == 8
    assert set(groups["kind"]) == {
        "one_to_one",
        "recurring",
        "partial",
        "one_to_many",
        "many_to_one",
        "fee",
        "rounding",
        "typo",
    }


def test_the_bank_books_up_to_two_days_before_us_and_up_to_a_week_after(members) -> None:
    pairs = members.filter(pl.col("kind").is_in(["one_to_one", "fee", "rounding", "typo"]))
    lag = (
        pairs.group_by("group_id")
        .agg(
            (
                pl.col("date").filter(pl.col("side") == "right").first().str.to_date()
                - pl.col("date").filter(pl.col("side") == "left").first().str.to_date()
            ).dt.total_days()
        )["date"]
        .value_counts()
    )
    assert set(lag["date"]) == set(range(-2, 8))


def test_combined_payments_of_four_or_more_invoices_list_them(case, members) -> None:
    combined = members.filter(pl.col("kind") == "many_to_one")
    for (_,), group in combined.group_by(["group_id"]):
        lefts = group.filter(pl.col("side") == "left")
        days = lefts["date"].str.to_date()
        if lefts.height < 4 and (days.max() - days.min()).days <= 3:
            continue
        (description,) = group.filter(pl.col("side") == "right")["description"]
        known = {int(ref.removeprefix("INV-2026-")) for ref in lefts["reference"] if ref}
        listed = _number_in(description)
        assert description.startswith("付发票")
        assert len(listed) == lefts.height and known <= listed


def test_a_partly_paid_invoice_of_a_combined_payment_is_settled_later(members) -> None:
    references = members.filter(pl.col("side") == "left").select("reference", "kind", "date")
    combined = references.filter(pl.col("kind") == "many_to_one").drop("kind")
    rest = references.filter(pl.col("kind") == "partial").drop("kind")
    shared = combined.join(rest, on="reference", suffix="_rest").filter(pl.col("reference") != "")
    assert shared.height > 5
    assert (shared["date_rest"] >= shared["date"]).all()


def test_typos_take_every_kind_and_keep_the_invoice_number(members) -> None:
    typos = members.filter(pl.col("kind") == "typo")
    ratios = set()
    for (_,), group in typos.group_by(["group_id"]):
        left = group.filter(pl.col("side") == "left").row(0, named=True)
        right = group.filter(pl.col("side") == "right").row(0, named=True)
        number = str(int(left["reference"].removeprefix("INV-2026-")))
        swapped = [
            number[:i] + number[i + 1] + number[i] + number[i + 2 :] for i in range(len(number) - 1)
        ]
        text = unicodedata.normalize("NFKC", right["reference"] + " " + right["description"])
        assert any(candidate in text for candidate in [number, *swapped])
        a, b = abs(Decimal(left["amount"])), abs(Decimal(right["amount"]))
        ratios.add(max(a, b) / min(a, b) == 10)
    assert ratios == {True, False}


@pytest.mark.parametrize(
    ("kind", "cents", "expected"),
    [
        ("unit", -123456, -1234560),
        ("dropped_digit", -123456, -12456),  # u = 0.4 → the third digit
        ("dropped_digit", 105000, 10500),  # never a leading zero
        ("wrong_digit", -123456, -120456),  # the third digit becomes 0
        ("wrong_digit", 523456, 123456),  # never a leading zero
        ("swap", -123456, -124356),
    ],
)
def test_mistyped_amounts(kind: str, cents: int, expected: int) -> None:
    u = 0.0 if expected in (10500, 123456) else 0.4
    assert _mistype_cents(cents, kind, u, 0.0) == expected


def test_reference_forms_all_appear(case) -> None:
    _, right, _ = case
    text = pl.concat_str("reference", pl.lit(" "), "description")
    seen = right.select(text.alias("text"))["text"]
    for pattern in (
        r"No\.\d{6}",
        r"FP-2026-\d+",
        r"INV/2026/\d{6}",
        r"发票号码:\d+",
        "付发票[０-９]+款",
        r"单号\d+",
        r"INVOICE \d+ PAYMENT",
    ):
        assert seen.str.contains(pattern).any(), pattern


def test_a_nameless_bank_line_without_an_invoice_keeps_its_customer_code(case) -> None:
    _, right, _ = case
    variants = {
        name: index
        for number in range(0, names.combination_count(), 97)
        for index, name in enumerate(names.company_variants(number))
    }
    assert {variants.get(n) for n in right["counterparty"]} >= {10, 11, 12, 13}
    plain = right.filter(
        (pl.col("counterparty") == "")
        | pl.col("counterparty").str.contains(r"^[A-Z]+$|投资控股有限公司$")
    ).filter(
        pl.col("reference").str.contains(r"^(2026\d{12})?$")
        & ~pl.col("description").str.contains(r"[0-9０-９]")
    )
    assert plain.height > 20
    assert (plain["customer"] != "").all()
    assert 0.07 <= (right["customer"] == "").mean() <= 0.12


def test_a_few_very_large_customers(case) -> None:
    left, _, _ = case
    # at 6,000 lines there are two, the first two customers, with 12 % of the events between them
    share = dict(left.group_by("customer").len().with_columns(pl.col("len") / left.height).rows())
    assert share["C00001"] >= 0.05 and share["C00002"] >= 0.05
    assert share["C00001"] + share["C00002"] >= 0.1


def test_leftover_reasons_follow_the_period_end(case) -> None:
    left, right, truth = case
    dates = dict(pl.concat([left, right]).select("id", "date").iter_rows())
    end = PERIOD_END
    for reason, low, high in (("timing", 0, 6), ("missing", 10, 400)):
        rows = truth.leftovers.filter(pl.col("reason") == reason)
        assert rows.height > 0
        back = [(end - date.fromisoformat(dates[i])).days for i in rows["id"]]
        assert all(low <= days <= high for days in back), reason


def test_names_initials_and_new_variants() -> None:
    assert names.initials("Hongda") == "HD"
    assert names.initials("Xi'an") == "XA"
    variants = names.company_variants(0)
    assert variants[0] == "上海宏达机械有限公司"
    assert variants[10:] == (
        "SHHD",
        "上海宏达机械公司",
        "上海 宏达机械 有限公司",
        "广州正泰投资控股有限公司",
    )
    assert len(variants) == len(names.VARIANTS)
