from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from duizhang.bench.generator import generate, write_case
from duizhang.bench.profile import DEFAULT, HELDOUT, with_settings
from duizhang.ingest.canonical import COLUMNS, read_canonical

LINES = 4000


@pytest.fixture(scope="module")
def case() -> tuple[pl.DataFrame, pl.DataFrame, object]:
    return generate(LINES, 7)


def _amounts(frame: pl.DataFrame) -> dict[str, Decimal]:
    return {row[0]: Decimal(row[1]) for row in frame.select("id", "amount").iter_rows()}


def test_same_seed_same_files_other_seed_other_files() -> None:
    first = generate(1500, 3)
    again = generate(1500, 3)
    other = generate(1500, 4)
    assert first[0].equals(again[0])
    assert first[1].equals(again[1])
    assert first[2].groups.equals(again[2].groups)
    assert first[2].leftovers.equals(again[2].leftovers)
    assert not first[0].equals(other[0])


def test_about_the_requested_number_of_lines(case) -> None:
    left, right, truth = case
    assert truth.lines == left.height + right.height
    assert abs(truth.lines - LINES) <= LINES * 0.03
    assert abs(left.height - right.height) <= LINES * 0.1


def test_every_line_is_in_exactly_one_group_or_leftover(case) -> None:
    left, right, truth = case
    inputs = pl.concat(
        [left.select("id", side=pl.lit("left")), right.select("id", side=pl.lit("right"))]
    )
    explained = pl.concat(
        [truth.groups.select("id", "side"), truth.leftovers.select("id", "side")]
    ).select("id", "side")
    assert inputs["id"].n_unique() == inputs.height
    assert explained.height == inputs.height
    assert explained.sort("id").equals(inputs.sort("id"))


def test_every_group_has_both_sides_and_its_stated_difference(case) -> None:
    left, right, truth = case
    amounts = _amounts(left) | _amounts(right)
    kinds_seen = set()
    for (group_id,), members in truth.groups.group_by(["group_id"]):
        sides = members["side"].to_list()
        assert "left" in sides and "right" in sides, group_id
        (kind,) = set(members["kind"])
        (stated,) = set(members["difference"])
        kinds_seen.add(kind)
        difference = sum(
            (
                amounts[row[0]] * (1 if row[1] == "left" else -1)
                for row in members.select("id", "side").iter_rows()
            ),
            Decimal(0),
        )
        assert difference == Decimal(stated), group_id
        if kind in ("one_to_one", "recurring", "partial", "one_to_many"):
            assert difference == 0, group_id
        if kind in ("one_to_one", "recurring", "partial", "fee", "rounding", "typo"):
            assert sides.count("left") == 1 and sides.count("right") == 1, group_id
        if kind == "fee":
            # the bank received less: ¥5-¥50 fixed, or 0.1 % of the amount
            (left_id,) = members.filter(pl.col("side") == "left")["id"]
            rate = (amounts[left_id].copy_abs() / 1000).quantize(Decimal("0.01"))
            assert difference < 0
            assert Decimal(5) <= -difference <= Decimal(50) or -difference == max(
                rate, Decimal("0.01")
            ), group_id
        if kind == "rounding":
            assert Decimal("0.01") <= abs(difference) <= Decimal("0.05"), group_id
        if kind == "typo":
            assert difference != 0, group_id
        if kind == "many_to_one":
            assert sides.count("right") == 1 and 2 <= sides.count("left") <= 8, group_id
        if kind == "one_to_many":
            assert sides.count("left") == 1 and 2 <= sides.count("right") <= 4, group_id
    assert kinds_seen == {
        "one_to_one",
        "recurring",
        "partial",
        "one_to_many",
        "many_to_one",
        "fee",
        "rounding",
        "typo",
    }


def test_typo_groups_keep_a_recognisable_invoice_number(case) -> None:
    left, right, truth = case
    typos = truth.groups.filter(pl.col("kind") == "typo")
    assert typos.height > 0
    rows = left.vstack(right).join(typos, on="id")
    for (_,), members in rows.group_by(["group_id"]):
        (reference,) = members.filter(pl.col("side") == "left")["reference"]
        number = str(int(reference.removeprefix("INV-2026-")))
        bank = members.filter(pl.col("side") == "right").row(0, named=True)
        text = bank["reference"] + " " + bank["description"]
        swapped = [
            number[:i] + number[i + 1] + number[i] + number[i + 2 :] for i in range(len(number) - 1)
        ]
        assert any(candidate in text for candidate in [number, *swapped])


def test_leftover_reasons_follow_the_period_end(case) -> None:
    left, right, truth = case
    dates = dict(left.vstack(right).select("id", "date").iter_rows())
    end = DEFAULT.period_end.isoformat()
    timing_from = "2026-06-26"  # the last timing_days = 5 days
    missing_before = "2026-06-23"  # missing_gap = 7 days
    by_reason = {reason: rows for (reason,), rows in truth.leftovers.group_by(["reason"])}
    assert set(by_reason) == {"timing", "missing", "duplicate"}
    assert all(timing_from <= dates[i] <= end for i in by_reason["timing"]["id"])
    assert all(dates[i] <= missing_before for i in by_reason["missing"]["id"])
    assert set(by_reason["timing"]["side"]) == {"left", "right"}


def test_a_duplicate_repeats_its_original_but_for_the_id(case) -> None:
    left, right, truth = case
    duplicates = truth.leftovers.filter(pl.col("reason") == "duplicate")
    assert duplicates.height > 0
    assert (duplicates["duplicate_of"] != "").all()
    for side, frame in (("left", left), ("right", right)):
        rows = {row[0]: row[1:] for row in frame.iter_rows()}
        for copy, original in (
            duplicates.filter(pl.col("side") == side).select("id", "duplicate_of").iter_rows()
        ):
            assert rows[copy] == rows[original]
    originals = truth.groups.join(
        duplicates.select("side", id="duplicate_of"), on=["side", "id"], how="semi"
    )
    assert originals.height == duplicates.height
    assert set(originals["kind"]) == {"one_to_one"}


def test_files_are_canonical_csv_and_truth_is_written(tmp_path: Path) -> None:
    left, right, truth = generate(800, 11, HELDOUT)
    write_case(tmp_path, left, right, truth)
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "left.csv",
        "right.csv",
        "truth.json",
        "truth_groups.csv",
        "truth_leftovers.csv",
    ]
    for name, frame in (("left.csv", left), ("right.csv", right)):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert text.splitlines()[0] == ",".join(COLUMNS)
        entries = list(read_canonical(io.StringIO(text), file=name))
        assert len(entries) == frame.height
        assert all(entry.currency == "CNY" for entry in entries)
        assert all(HELDOUT.period_start <= entry.date <= HELDOUT.period_end for entry in entries)
    groups = pl.read_csv(tmp_path / "truth_groups.csv", infer_schema=False)
    assert groups.columns == ["group_id", "kind", "side", "id", "difference"]
    assert groups.height == truth.groups.height


def test_settings_change_one_profile_field_each() -> None:
    changed = with_settings(DEFAULT, ["fee=0.05", "shift=0.5,0.5", "lines_per_customer=90"])
    assert (changed.fee, changed.shift, changed.lines_per_customer) == (0.05, (0.5, 0.5), 90)
    assert with_settings(HELDOUT, ["period_end=2026-09-15"]).period_end.isoformat() == "2026-09-15"
    assert changed.one_to_one == DEFAULT.one_to_one
    with pytest.raises(ValueError, match="'nope=1': expected NAME=VALUE"):
        with_settings(DEFAULT, ["nope=1"])
    with pytest.raises(ValueError, match="'fee': expected NAME=VALUE"):
        with_settings(DEFAULT, ["fee"])
