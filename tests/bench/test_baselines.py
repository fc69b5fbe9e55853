from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from duizhang.bench.baselines import floor, spreadsheet
from duizhang.bench.generator import generate, write_case
from duizhang.bench.scorer import score

HEADER = "id,date,amount,currency,reference,counterparty,description,customer\n"


def _rows(path: Path) -> list[tuple[str, ...]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [tuple(row) for row in csv.reader(handle)]


def test_spreadsheet_looks_up_reference_then_amount_in_a_window(tmp_path: Path) -> None:
    left = tmp_path / "left.csv"
    right = tmp_path / "right.csv"
    left.write_text(
        HEADER
        + "L1,2026-03-01,-500.00,CNY,INV-1,,,C1\n"  # reference and amount: R2, not the earlier R1
        + "L2,2026-03-02,-500.00,CNY,INV-9,,,C1\n"  # same amount within 5 days: first come, R1
        + "L3,2026-03-02,-700.00,CNY,,,,C1\n"  # R3 is 6 days later: outside the window
        + "L4,2026-03-28,-90.00,CNY,,,,C2\n",  # nothing: within 5 days of the end, timing
        encoding="utf-8",
    )
    right.write_text(
        HEADER
        + "R1,2026-03-01,-500,CNY,,,,C1\n"
        + "R2,2026-03-03,-500.00,CNY,INV-1,,,C1\n"
        + "R3,2026-03-08,-700.00,CNY,,,,C1\n"
        + "R4,2026-03-02,-90.00,CNY,,,,C3\n",  # another customer's 90.00
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert spreadsheet(left, right, out, date(2026, 3, 31)) == 2
    assert _rows(out / "matches.csv") == [
        ("match_id", "left_id", "right_id", "rule", "difference"),
        ("M1", "L1", "R2", "vlookup", "0.00"),
        ("M2", "L2", "R1", "amount_date", "0.00"),
    ]
    assert _rows(out / "unmatched.csv") == [
        ("side", "id", "reason"),
        ("left", "L3", "missing"),
        ("left", "L4", "timing"),
        ("right", "R3", "missing"),
        ("right", "R4", "missing"),
    ]
    assert floor(left, right) == 3  # (C1, -500.00) twice and (C1, -700.00); -500 is text


def test_spreadsheet_scores_in_the_expected_range_on_generated_data(tmp_path: Path) -> None:
    left, right, truth = generate(6000, 5)
    case = tmp_path / "case"
    write_case(case, left, right, truth)
    spreadsheet(case / "left.csv", case / "right.csv", tmp_path / "out", truth.period_end)
    result = score(tmp_path / "out", case)
    # roughly the yardstick: about 75 % of links at about 99 % precision
    assert 0.70 <= result.recall <= 0.80
    assert 0.97 <= result.precision <= 0.995
    assert result.coverage_ok
    assert result.per_kind["many_to_one"].found == 0
    assert result.per_kind["fee"].found == 0
    assert result.reason_confusion.get(("duplicate", "missing"), 0) > 0
