from __future__ import annotations

from pathlib import Path

import pytest

from duizhang.bench.independent import customer_ledger
from tests.bench.independent.cases import (
    assert_canonical,
    assert_every_line_in_exactly_one_truth_file,
    assert_scores_as_expected,
    digest,
    rows,
)

LINES = 2000
# The files of the original generator (before it was brought into the repo) for seed 1 at
# 2,000 lines: a change to any draw changes them.
SEED_1 = "0cb69b73db477edd01a57f915283b52d546dcb7b7e91f3e981bc5d062bdc5745"


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("customer_ledger") / "case"
    assert customer_ledger.write_case(directory, LINES, 1) == len(
        rows(directory / "left.csv")
    ) + len(rows(directory / "right.csv"))
    return directory


def test_a_seed_always_writes_the_same_files(case: Path, tmp_path: Path) -> None:
    assert digest(case) == SEED_1
    customer_ledger.write_case(tmp_path / "again", LINES, 1)
    customer_ledger.write_case(tmp_path / "other", LINES, 2)
    assert digest(tmp_path / "again") == SEED_1
    assert digest(tmp_path / "other") != SEED_1
    assert sorted(path.name for path in case.iterdir()) == [
        "gen_stats.json",
        "left.csv",
        "right.csv",
        "truth_groups.csv",
        "truth_leftovers.csv",
    ]


def test_every_line_is_in_exactly_one_truth_file(case: Path) -> None:
    assert_every_line_in_exactly_one_truth_file(case)


def test_files_are_canonical_csv_with_the_customers_vouchers(case: Path) -> None:
    assert_canonical(case, customer_ledger.PERIOD_START, customer_ledger.PERIOD_END)
    references = [row["reference"] for row in rows(case / "right.csv")]
    assert all(customer_ledger.VOUCHER.match(reference) for reference in references)


def test_the_truth_scores_as_expected(case: Path, tmp_path: Path) -> None:
    assert_scores_as_expected(case, tmp_path)


def test_the_command_line_writes_the_same_case(
    case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cli"
    assert customer_ledger.main(["--lines", str(LINES), "--seed", "1", "--out", str(out)]) == 0
    assert digest(out) == SEED_1
    assert '"customers"' in capsys.readouterr().out
