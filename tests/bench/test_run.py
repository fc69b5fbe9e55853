from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

import pytest

from duizhang.bench import run
from duizhang.bench.independent import bank
from duizhang.bench.profile import DEFAULT, HELDOUT
from duizhang.bench.scorer import Score


def _score(correct: int, predicted: int, reasons_correct: int, missing_ids: int = 0) -> Score:
    return Score(
        links_predicted=predicted,
        links_true=1000,
        links_correct=correct,
        per_rule={},
        per_kind={},
        leftovers=100,
        reasons_correct=reasons_correct,
        reason_confusion={},
        ids_total=2000,
        ids_missing=missing_ids,
        ids_repeated=0,
        ids_unknown=0,
        suggestions=0,
        suggestions_true=0,
    )


def _row(
    case: run.Case, tool: str, seconds: float, result: Score | None, mb: float = 100
) -> run.Row:
    measured = run.Measured(seconds, seconds * 0.9, mb, 0, Path("x.log"))
    generated = case.lines - case.lines // 300  # the generator makes about the size asked for
    return run.Row(case, tool, measured, generated, result)


def test_verdicts_name_every_missed_target() -> None:
    small = run.Case("10k", 10_000, 1, DEFAULT)
    big = run.Case("1M", 1_000_000, 1, DEFAULT)
    rows = [
        _row(small, "engine", 2.0, _score(995, 995, 97)),  # all met: 99.5 % recall, 97 % reasons
        _row(small, "spreadsheet", 1.0, _score(750, 760, 80)),  # baselines are not judged
        _row(big, "engine", 12.0, _score(989, 990, 96, missing_ids=3), mb=5000),
        _row(big, "spreadsheet", 10.0, _score(750, 760, 80)),
        _row(big, "floor", 1.0, None),
    ]
    assert run.verdicts(rows) == [
        "default-1000000-s1: precision 99.899% < 99.95%",
        "default-1000000-s1: recall 98.90% < 99.00%",
        "default-1000000-s1: reasons 96.00% < 97.00%",
        "default-1000000-s1: coverage broken (3 missing, 0 repeated, 0 unknown ids)",
        "default-1000000-s1: peak memory 5,000 MB > 4 GB",
        "default-1000000-s1: engine not faster than the spreadsheet approach",
        "default-1000000-s1: engine costs more than 10× the Polars floor",
    ]


def test_ci_judges_quality_by_the_regression_guard() -> None:
    guard = run.Quality(precision=0.999, recall=0.95, reasons=0.97)
    case = run.Case("20k held-out", 20_000, 2, DEFAULT, guard=guard)
    kept = [_row(case, "engine", 2.0, _score(960, 960, 98))]  # below the target, above the guard
    dropped = [_row(case, "engine", 2.0, _score(940, 940, 98))]

    assert run.verdicts(kept) == ["default-20000-s2: recall 96.00% < 99.00%"]
    assert run.verdicts(kept, guarded=True) == []
    assert run.verdicts(dropped, guarded=True) == ["default-20000-s2: recall 94.00% < 95.00%"]


def test_table_has_one_line_per_run_with_the_floor_ratio() -> None:
    case = run.Case("10k", 10_000, 1, DEFAULT)
    text = run.table(
        [_row(case, "engine", 2.0, _score(995, 995, 97)), _row(case, "floor", 0.5, None)]
    )
    lines = text.splitlines()
    assert len(lines) == 4
    assert lines[0].split() == [
        "case",
        "tool",
        "seconds",
        "cpu",
        "s",
        "lines/s",
        "peak",
        "MB",
        "×",
        "floor",
        "precision",
        "recall",
        "reasons",
        "coverage",
    ]
    assert lines[2].split() == [
        "10k",
        "engine",
        "2.00",
        "1.80",
        "4,984",
        "100",
        "4.0",
        "100.000%",
        "99.50%",
        "97.00%",
        "ok",
    ]
    assert lines[3].split() == [
        "10k",
        "floor",
        "0.50",
        "0.45",
        "19,934",
        "100",
        "1.0",
        "–",
        "–",
        "–",
        "–",
    ]


def test_baselines_end_to_end_in_child_processes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run.main(["--sizes", "1500", "--tools", "spreadsheet,floor", "--out", str(tmp_path)])
    output = capsys.readouterr().out.splitlines()
    assert code == 0
    assert [line.split()[:2] for line in output[2:]] == [
        ["1500", "spreadsheet"],
        ["1500", "floor"],
    ]
    assert output[2].split()[-1] == "ok"
    case = tmp_path / "cases" / run.generator_digest() / "default-1500-s1"
    assert (case / "truth.json").exists()
    assert (tmp_path / "runs" / "default-1500-s1" / "spreadsheet" / "matches.csv").exists()


def test_without_the_engine_it_stops_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(run, "engine_command", lambda: None)
    assert run.main(["--small", "--out", str(tmp_path)]) == 2
    assert "`duizhang match` is not available" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_make_bench_measures_the_held_out_profiles_beside_the_default_one() -> None:
    def cases(**given: object) -> list[tuple[str, int, int]]:
        options: dict[str, object] = {
            "small": False,
            "variants": False,
            "independent": False,
            "sizes": None,
        }
        options |= {"profile": None, "seed": 1} | given
        found = run._cases(argparse.Namespace(**options))
        return [(case.profile.name, case.lines, case.seed) for case in found]

    assert cases() == [
        ("default", 10_000, 1),
        ("default", 100_000, 1),
        ("heldout", 100_000, 1),
        ("heldout2", 100_000, 1),
        ("default", 1_000_000, 1),
    ]
    assert cases(seed=3)[2] == ("heldout", 100_000, 3)
    assert cases(sizes="20k") == [("default", 20_000, 1)]
    assert cases(profile="heldout") == [
        ("heldout", 10_000, 1),
        ("heldout", 100_000, 1),
        ("heldout", 1_000_000, 1),
    ]


def test_the_variants_make_the_held_out_profile_harsher_one_setting_at_a_time() -> None:
    options = {"small": False, "variants": True, "independent": False, "sizes": None}
    variants = run._cases(argparse.Namespace(**options, profile=None, seed=1))
    changed = [
        {
            name: value
            for name, value in vars(case.profile).items()
            if name != "name" and value != getattr(HELDOUT, name)
        }
        for case in variants
    ]
    assert changed[3] == {"many_to_one": 0.08}
    assert all(len(change) == 1 for change in changed)
    assert len({case.name for case in variants}) == len(variants)  # each cached apart
    assert {(case.lines, case.seed) for case in variants} == {(100_000, 5)}


def test_the_independent_generators_at_100k_seeds_1_to_3_and_one_small_case_in_ci() -> None:
    options: dict[str, object] = {
        "small": False,
        "variants": False,
        "independent": True,
        "sizes": None,
    }
    cases = run._cases(argparse.Namespace(**options, profile=None, seed=7))
    assert [(case.name, case.label) for case in cases] == [
        ("bank-100000-s1", "100k bank s1"),
        ("bank-100000-s2", "100k bank s2"),
        ("bank-100000-s3", "100k bank s3"),
        ("customer-ledger-100000-s1", "100k customer-ledger s1"),
        ("customer-ledger-100000-s2", "100k customer-ledger s2"),
        ("customer-ledger-100000-s3", "100k customer-ledger s3"),
    ]
    options |= {"independent": False, "sizes": "20k"}
    (one,) = run._cases(argparse.Namespace(**options, profile="customer-ledger", seed=2))
    assert (one.profile, one.lines, one.seed) == (run.CUSTOMER_LEDGER, 20_000, 2)
    generators = run.INDEPENDENT_GENERATORS.values()
    small = {case.profile.name: case.lines for case in run.SMALL if case.profile in generators}
    assert small == {"bank": 20_000, "customer-ledger": 20_000}


def test_an_independent_case_is_generated_once_and_kept_by_its_generators_digest(
    tmp_path: Path,
) -> None:
    case = run.Case("1500 bank", 1500, 3, run.BANK)
    directory = run.case_dir(tmp_path, case)
    assert directory == tmp_path / "cases" / run.generator_digest([bank]) / "bank-1500-s3"
    assert run.generator_digest([bank]) != run.generator_digest()
    lines = len((directory / "left.csv").read_text(encoding="utf-8").splitlines())
    lines += len((directory / "right.csv").read_text(encoding="utf-8").splitlines())
    meta = json.loads((directory / "truth.json").read_text(encoding="utf-8"))
    assert meta == {"generator": "bank", "seed": 3, "lines": lines - 2}

    def fail(*args: object) -> int:
        raise AssertionError("generated again")

    again = replace(case, profile=replace(run.BANK, write_case=fail))
    assert run.case_dir(tmp_path, again) == directory


def test_a_failed_floor_gives_no_ratio() -> None:
    case = run.Case("10k", 10_000, 1, DEFAULT)
    failed = replace(_row(case, "floor", 0.5, None), measured=run.Measured(0.5, 0.4, 90, 1, Path()))
    lines = run.table([_row(case, "engine", 2.0, _score(995, 995, 97)), failed]).splitlines()
    assert lines[2].split()[6] == "–"
    assert lines[3].split()[6:8] == ["–", "FAILED"]


def test_a_timed_case_reports_its_median_run_and_its_highest_peak() -> None:
    case = run.Case("1M", 1_000_000, 1, DEFAULT)
    runs = [
        _row(case, "engine", 9.0, None, mb=900),
        _row(case, "engine", 7.0, None, mb=1100),
        _row(case, "engine", 8.0, None, mb=950),
    ]

    median = run.median_run(runs)

    assert median.measured.seconds == 8.0
    assert median.measured.peak_mb == 1100
