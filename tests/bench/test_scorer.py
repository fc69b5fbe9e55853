"""A hand-made case: three true groups and three leftovers, scored against hand-made outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from duizhang.bench.scorer import KindScore, RuleScore, score

TRUTH_GROUPS = """group_id,kind,side,id,difference
G1,one_to_one,left,L1,0
G1,one_to_one,right,R1,0
G2,many_to_one,left,L2,0
G2,many_to_one,left,L3,0
G2,many_to_one,right,R2,0
G3,fee,left,L4,-10.00
G3,fee,right,R3,-10.00
"""
TRUTH_LEFTOVERS = """side,id,reason,duplicate_of
left,L5,missing,
right,R4,timing,
right,R5,duplicate,R1
"""


def _write(directory: Path, **files: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / f"{name}.csv").write_text(text, encoding="utf-8")
    return directory


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    return _write(tmp_path / "case", truth_groups=TRUTH_GROUPS, truth_leftovers=TRUTH_LEFTOVERS)


def test_wrong_link_missing_repeated_and_unknown_ids(tmp_path: Path, case_dir: Path) -> None:
    # L4 is linked to R4 (wrong: R4 is a timing leftover); R3 is nowhere; L1 is both linked
    # and unmatched; R9 is not an input line.
    out = _write(
        tmp_path / "out",
        matches=(
            "match_id,left_id,right_id,rule,difference\n"
            "M1,L1,R1,exact,0\n"
            "M2,L2,R2,many_to_one,0\n"
            "M2,L3,R2,many_to_one,0\n"
            "M3,L4,R4,tolerance,-3.00\n"
        ),
        unmatched=(
            "side,id,reason\nleft,L5,missing\nright,R5,duplicate\nleft,L1,missing\nright,R9,missing\n"
        ),
        suggestions="suggestion_id,left_id,right_id\nS1,L4,R3\nS2,L5,R4\n",
    )
    result = score(out, case_dir)
    assert (result.links_predicted, result.links_true, result.links_correct) == (4, 4, 3)
    assert result.precision == 0.75
    assert result.recall == 0.75
    assert result.per_rule == {
        "exact": RuleScore(links=1, correct=1),
        "many_to_one": RuleScore(links=2, correct=2),
        "tolerance": RuleScore(links=1, correct=0),
    }
    assert result.per_kind == {
        "fee": KindScore(links=1, found=0, groups=1, groups_exact=0),
        "many_to_one": KindScore(links=2, found=2, groups=1, groups_exact=1),
        "one_to_one": KindScore(links=1, found=1, groups=1, groups_exact=1),
    }
    assert (result.leftovers, result.reasons_correct) == (3, 2)
    assert result.reason_confusion == {("timing", "(matched)"): 1}
    assert (result.ids_total, result.ids_missing, result.ids_repeated, result.ids_unknown) == (
        10,
        1,
        1,
        1,
    )
    assert not result.coverage_ok
    assert result.coverage == 0.8
    assert (result.suggestions, result.suggestions_true) == (2, 1)
    report = result.report()
    assert "precision 75.0000%  recall 75.0000%" in report
    assert "coverage BROKEN: 10 lines, 1 missing, 1 repeated, 1 unknown" in report


def test_a_perfect_output_scores_full_marks(tmp_path: Path, case_dir: Path) -> None:
    out = _write(
        tmp_path / "out",
        matches=(
            "match_id,left_id,right_id,rule,difference\n"
            "A,L1,R1,exact,0\nB,L2,R2,many_to_one,0\nB,L3,R2,many_to_one,0\n"
            "C,L4,R3,tolerance,-10.00\n"
        ),
        unmatched="side,id,reason\nleft,L5,missing\nright,R4,timing\nright,R5,duplicate\n",
    )
    result = score(out, case_dir)
    assert (result.precision, result.recall, result.reasons_accuracy) == (1.0, 1.0, 1.0)
    assert result.coverage_ok and result.coverage == 1.0
    assert result.reason_confusion == {}
    assert (result.suggestions, result.suggestions_true) == (0, 0)


def test_linking_the_copy_instead_of_the_original_is_not_a_mistake(
    tmp_path: Path, case_dir: Path
) -> None:
    out = _write(
        tmp_path / "out",
        matches=(
            "match_id,left_id,right_id,rule,difference\n"
            "A,L1,R5,exact,0\nB,L2,R2,many_to_one,0\nB,L3,R2,many_to_one,0\n"
            "C,L4,R3,tolerance,-10.00\n"
        ),
        unmatched="side,id,reason\nleft,L5,missing\nright,R4,timing\nright,R1,duplicate\n",
    )
    result = score(out, case_dir)
    assert (result.links_correct, result.links_predicted) == (4, 4)
    assert result.reasons_correct == 3
    assert result.coverage_ok


def test_a_group_split_in_two_finds_its_links_but_not_the_group(
    tmp_path: Path, case_dir: Path
) -> None:
    out = _write(
        tmp_path / "out",
        matches=(
            "match_id,left_id,right_id,rule,difference\n"
            "A,L1,R1,exact,0\nB,L2,R2,reference,0\n"
            "C,L4,R3,tolerance,-10.00\n"
        ),
        unmatched=(
            "side,id,reason\nleft,L3,missing\nleft,L5,missing\nright,R4,timing\nright,R5,missing\n"
        ),
    )
    result = score(out, case_dir)
    assert (result.links_correct, result.links_predicted, result.links_true) == (3, 3, 4)
    assert result.per_kind["many_to_one"] == KindScore(links=2, found=1, groups=1, groups_exact=0)
    assert result.reason_confusion == {("duplicate", "missing"): 1}
