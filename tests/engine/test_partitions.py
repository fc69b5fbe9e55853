"""Work is split by customer across processes: the files must not depend on how many."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from duizhang.bench.generator import generate, write_case
from duizhang.bench.profile import HELDOUT2
from duizhang.engine.frames import read_canonical_frame
from duizhang.engine.match import _block_costs, _shared_out, match_frames
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


def test_busy_customers_are_dealt_out_by_cost_not_by_lines() -> None:
    # one customer of 3000 lines costs more to search than 60 of 100 lines each: by lines, its
    # piece would take 15 of them as well
    busy = pl.DataFrame({"blk": [1] * 2000})
    quiet = pl.DataFrame({"blk": [block for block in range(2, 62) for _ in range(100)]})
    left, right = pl.concat([busy, quiet]), pl.DataFrame({"blk": [1] * 1000})
    costs = _block_costs(left, right)

    assert costs[0][0] == 1
    assert costs[0][1] > sum(cost for _, cost in costs[1:])
    here, there = _shared_out(costs, [0.5, 0.5])
    assert here == [1]
    assert sorted(there) == list(range(2, 62))


def test_pieces_take_their_shares_of_equal_blocks() -> None:
    costs = [(block, 1.0) for block in range(100)]

    here, there = _shared_out(costs, [0.6, 0.4])

    assert (len(here), len(there)) == (60, 40)
