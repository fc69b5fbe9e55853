"""What both independent generators' cases must satisfy, as helpers for their tests."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Collection
from datetime import date
from pathlib import Path

from duizhang.bench.scorer import score
from duizhang.ingest.canonical import read_canonical


def digest(directory: Path) -> str:
    """One hash over every file of a case, names included."""
    hashed = hashlib.sha256()
    for path in sorted(directory.iterdir()):
        hashed.update(path.name.encode())
        hashed.update(path.read_bytes())
    return hashed.hexdigest()


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def assert_every_line_in_exactly_one_truth_file(case: Path) -> None:
    lines = [("left", row["id"]) for row in rows(case / "left.csv")]
    lines += [("right", row["id"]) for row in rows(case / "right.csv")]
    grouped = [(row["side"], row["id"]) for row in rows(case / "truth_groups.csv")]
    left_over = [(row["side"], row["id"]) for row in rows(case / "truth_leftovers.csv")]
    assert len(set(lines)) == len(lines)
    assert len(set(grouped)) == len(grouped)
    assert len(set(left_over)) == len(left_over)
    assert not set(grouped) & set(left_over)
    assert sorted(grouped + left_over) == sorted(lines)


def assert_canonical(case: Path, start: date, end: date) -> None:
    """Both sides read as canonical CSV, every line, dated within the period."""
    for name in ("left.csv", "right.csv"):
        with (case / name).open(encoding="utf-8", newline="") as handle:
            entries = list(read_canonical(handle, file=name))
        assert len(entries) == len(rows(case / name)) > 0
        assert all(start <= entry.date <= end for entry in entries)


def write_output(case: Path, out: Path, unlink: Collection[str] = (), relabel: int = 0) -> None:
    """matches.csv and unmatched.csv as a matcher writes them, made from the truth: the groups
    in `unlink` left unmatched, the first `relabel` leftovers given another reason."""
    groups: dict[str, dict[str, list[str]]] = {}
    for row in rows(case / "truth_groups.csv"):
        sides = groups.setdefault(row["group_id"], {"left": [], "right": []})
        sides[row["side"]].append(row["id"])
    links = []
    unmatched = []
    for group_id, sides in groups.items():
        if group_id in unlink:
            unmatched += [(side, i, "missing") for side, ids in sides.items() for i in ids]
        else:
            links += [(group_id, left, right) for left in sides["left"] for right in sides["right"]]
    for n, row in enumerate(rows(case / "truth_leftovers.csv")):
        other = "missing" if row["reason"] == "timing" else "timing"
        unmatched.append((row["side"], row["id"], other if n < relabel else row["reason"]))
    out.mkdir(parents=True)
    with (out / "matches.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["match_id", "left_id", "right_id", "rule", "difference"])
        writer.writerows([*link, "truth", "0"] for link in links)
    with (out / "unmatched.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["side", "id", "reason"])
        writer.writerows(unmatched)


def assert_scores_as_expected(case: Path, tmp_path: Path) -> None:
    """The truth itself scores 100 %; with two groups unlinked and three reasons changed it
    loses exactly those links and those reasons."""
    write_output(case, tmp_path / "perfect")
    perfect = score(tmp_path / "perfect", case)
    assert (perfect.precision, perfect.recall, perfect.reasons_accuracy) == (1.0, 1.0, 1.0)
    assert perfect.coverage_ok
    assert perfect.links_true == perfect.links_correct > 0
    assert perfect.leftovers > 3

    truth = rows(case / "truth_groups.csv")
    unlinked = sorted({row["group_id"] for row in truth})[:2]
    lost = 0
    for group_id in unlinked:
        sides = [row["side"] for row in truth if row["group_id"] == group_id]
        lost += sides.count("left") * sides.count("right")
    write_output(case, tmp_path / "worse", unlink=unlinked, relabel=3)
    worse = score(tmp_path / "worse", case)
    assert worse.precision == 1.0
    assert worse.links_correct == worse.links_predicted == perfect.links_true - lost
    assert worse.reasons_correct == perfect.leftovers - 3  # unlinked lines are no leftovers
    assert worse.coverage_ok
