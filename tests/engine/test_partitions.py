"""Work is split by customer across processes: the files must not depend on how many."""

from __future__ import annotations

from pathlib import Path

from duizhang.bench.generator import generate, write_case
from duizhang.bench.profile import HELDOUT2
from duizhang.engine.frames import read_canonical_frame
from duizhang.engine.match import match_frames
from duizhang.engine.options import MatchOptions
from duizhang.engine.output import write_outcome


def test_one_process_and_two_write_the_same_files(tmp_path: Path) -> None:
    left, right, truth = generate(4_000, seed=7, profile=HELDOUT2)
    write_case(tmp_path / "case", left, right, truth)
    left_frame, right_frame = (
        read_canonical_frame(tmp_path / "case" / f"{side}.csv") for side in ("left", "right")
    )

    for jobs in (1, 2):
        outcome = match_frames(left_frame, right_frame, MatchOptions(jobs=jobs))
        write_outcome(outcome, tmp_path / f"jobs{jobs}")

    for name in ("matches.csv", "unmatched.csv", "suggestions.csv", "summary.json"):
        one, two = (tmp_path / f"jobs{jobs}" / name for jobs in (1, 2))
        assert one.read_bytes() == two.read_bytes(), name
    assert (tmp_path / "jobs1" / "suggestions.csv").read_text().count("\n") > 1
