"""Score a matcher's output directory against the generator's truth.

A link is a (left_id, right_id) pair inside one group: an output group with 3 left and 1 right
lines makes 3 links, and so does a true group. Precision and recall are over links; leftover
reasons are scored on the lines the truth leaves unmatched; coverage checks that every input
line appears exactly once across matches.csv and unmatched.csv.

Duplicates are interchangeable with the line they repeat: when the output links the copy and
leaves the original unmatched, the two are swapped before scoring.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl


@dataclass(frozen=True)
class RuleScore:
    links: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.links if self.links else 1.0


@dataclass(frozen=True)
class KindScore:
    links: int
    found: int
    groups: int
    groups_exact: int

    @property
    def recall(self) -> float:
        return self.found / self.links if self.links else 1.0


@dataclass(frozen=True)
class Score:
    links_predicted: int
    links_true: int
    links_correct: int
    per_rule: dict[str, RuleScore]
    per_kind: dict[str, KindScore]
    leftovers: int
    reasons_correct: int
    reason_confusion: dict[tuple[str, str], int]  # (expected, got) -> count, mistakes only
    ids_total: int
    ids_missing: int
    ids_repeated: int
    ids_unknown: int
    suggestions: int
    suggestions_true: int

    @property
    def precision(self) -> float:
        return self.links_correct / self.links_predicted if self.links_predicted else 1.0

    @property
    def recall(self) -> float:
        return self.links_correct / self.links_true if self.links_true else 1.0

    @property
    def reasons_accuracy(self) -> float:
        return self.reasons_correct / self.leftovers if self.leftovers else 1.0

    @property
    def coverage_ok(self) -> bool:
        return not (self.ids_missing or self.ids_repeated or self.ids_unknown)

    @property
    def coverage(self) -> float:
        """Share of input lines that appear exactly once in the output."""
        bad = self.ids_missing + self.ids_repeated
        return 1 - bad / self.ids_total if self.ids_total else 1.0

    def report(self) -> str:
        lines = [
            f"links: {self.links_correct} correct of {self.links_predicted} predicted, "
            f"{self.links_true} true",
            f"precision {self.precision:.4%}  recall {self.recall:.4%}  "
            f"reasons {self.reasons_accuracy:.2%} ({self.reasons_correct}/{self.leftovers})",
            f"coverage {'ok' if self.coverage_ok else 'BROKEN'}: {self.ids_total} lines, "
            f"{self.ids_missing} missing, {self.ids_repeated} repeated, {self.ids_unknown} unknown",
            f"suggestions: {self.suggestions} ({self.suggestions_true} true links)",
            "per rule (precision):",
        ]
        for rule, score in sorted(self.per_rule.items()):
            lines.append(f"  {rule:<16} {score.correct:>8}/{score.links:<8} {score.precision:.4%}")
        lines.append("per kind of true group (link recall, groups reproduced exactly):")
        for kind, kind_score in sorted(self.per_kind.items()):
            lines.append(
                f"  {kind:<16} {kind_score.found:>8}/{kind_score.links:<8} "
                f"{kind_score.recall:.4%}  groups {kind_score.groups_exact}/{kind_score.groups}"
            )
        if self.reason_confusion:
            lines.append("reason mistakes (expected -> got: count):")
            for (expected, got), count in sorted(self.reason_confusion.items()):
                lines.append(f"  {expected} -> {got}: {count}")
        return "\n".join(lines)


def _read(path: Path, columns: Sequence[str]) -> pl.DataFrame:
    frame = pl.read_csv(path, infer_schema=False, empty_string_is_null=False)
    absent = [column for column in columns if column not in frame.columns]
    if absent:
        raise ValueError(f"{path}: missing column(s) {', '.join(absent)}")
    return frame.select(columns)


def _members(matches: pl.DataFrame) -> pl.DataFrame:
    """One row per (group, side, id) from matches.csv rows."""
    return pl.concat(
        [
            matches.select("match_id", side=pl.lit("left"), id="left_id"),
            matches.select("match_id", side=pl.lit("right"), id="right_id"),
        ]
    ).unique()


def _links(members: pl.DataFrame, group: str) -> pl.DataFrame:
    left = members.filter(pl.col("side") == "left").select(group, left_id="id")
    right = members.filter(pl.col("side") == "right").select(group, right_id="id")
    return left.join(right, on=group)


def _swap_duplicates(
    members: pl.DataFrame, unmatched: pl.DataFrame, leftovers: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Treat a linked copy + unmatched original as the original linked + the copy unmatched."""
    pairs = leftovers.filter(pl.col("duplicate_of") != "").select(
        "side", copy="id", original="duplicate_of"
    )
    linked = members.select("side", copy="id").unique()
    left_out = unmatched.select("side", original="id").unique()
    swaps = pairs.join(linked, on=["side", "copy"]).join(left_out, on=["side", "original"])
    if swaps.height == 0:
        return members, unmatched
    forward = swaps.select("side", id="copy", new="original")
    backward = swaps.select("side", id="original", new="copy")
    mapping = pl.concat([forward, backward])

    def rename(frame: pl.DataFrame) -> pl.DataFrame:
        return (
            frame.join(mapping, on=["side", "id"], how="left")
            .with_columns(id=pl.coalesce("new", "id"))
            .drop("new")
        )

    return rename(members), rename(unmatched)


def score(out_dir: Path, case_dir: Path) -> Score:
    """Compare `out_dir` (matches.csv, unmatched.csv, suggestions.csv) with `case_dir`'s truth."""
    truth_members = _read(case_dir / "truth_groups.csv", ("group_id", "kind", "side", "id"))
    leftovers = _read(case_dir / "truth_leftovers.csv", ("side", "id", "reason", "duplicate_of"))
    matches = _read(out_dir / "matches.csv", ("match_id", "left_id", "right_id", "rule"))
    unmatched = _read(out_dir / "unmatched.csv", ("side", "id", "reason"))
    members = _members(matches)
    members, unmatched = _swap_duplicates(members, unmatched, leftovers)

    group_rule = matches.group_by("match_id").agg(pl.col("rule").first())
    predicted = _links(members, "match_id").join(group_rule, on="match_id", how="left")
    true_links = _links(truth_members, "group_id").join(
        truth_members.select("group_id", "kind").unique(), on="group_id"
    )
    judged = predicted.join(
        true_links.select("left_id", "right_id", correct=pl.lit(True)),
        on=["left_id", "right_id"],
        how="left",
    ).with_columns(pl.col("correct").fill_null(False))
    per_rule_frame = (
        judged.group_by("rule").agg(pl.len().alias("links"), pl.col("correct").sum()).sort("rule")
    )
    per_rule = {
        row["rule"]: RuleScore(links=row["links"], correct=row["correct"])
        for row in per_rule_frame.iter_rows(named=True)
    }
    found = true_links.join(
        predicted.select("left_id", "right_id", found=pl.lit(True)),
        on=["left_id", "right_id"],
        how="left",
    ).with_columns(pl.col("found").fill_null(False))
    exact = _exact_groups(truth_members, members)
    per_kind_frame = (
        found.group_by("kind")
        .agg(pl.len().alias("links"), pl.col("found").sum())
        .join(exact, on="kind", how="left")
        .sort("kind")
    )
    per_kind = {
        row["kind"]: KindScore(
            links=row["links"],
            found=row["found"],
            groups=row["groups"],
            groups_exact=row["groups_exact"],
        )
        for row in per_kind_frame.iter_rows(named=True)
    }

    reasons = leftovers.join(
        unmatched.select("side", "id", got="reason").unique(
            ["side", "id"], keep="first", maintain_order=True
        ),
        on=["side", "id"],
        how="left",
    ).with_columns(pl.col("got").fill_null("(matched)"))
    mistakes = reasons.filter(pl.col("reason") != pl.col("got")).group_by("reason", "got").len()
    confusion = {(row[0], row[1]): row[2] for row in mistakes.iter_rows()}

    inputs = pl.concat([truth_members.select("side", "id"), leftovers.select("side", "id")])
    seen = (
        pl.concat([members.select("side", "id"), unmatched.select("side", "id")])
        .group_by("side", "id")
        .len()
    )
    counted = inputs.join(seen, on=["side", "id"], how="left").with_columns(
        pl.col("len").fill_null(0)
    )
    unknown = seen.join(inputs, on=["side", "id"], how="anti")

    suggestions, suggestions_true = _suggestions(out_dir, true_links)
    return Score(
        links_predicted=predicted.height,
        links_true=true_links.height,
        links_correct=int(judged["correct"].sum()),
        per_rule=per_rule,
        per_kind=per_kind,
        leftovers=leftovers.height,
        reasons_correct=reasons.height - sum(confusion.values()),
        reason_confusion=confusion,
        ids_total=inputs.height,
        ids_missing=counted.filter(pl.col("len") == 0).height,
        ids_repeated=counted.filter(pl.col("len") > 1).height,
        ids_unknown=unknown.height,
        suggestions=suggestions,
        suggestions_true=suggestions_true,
    )


def _exact_groups(truth_members: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    """Per kind: true groups, and how many an output group reproduces member for member."""

    def keyed(frame: pl.DataFrame, group: str) -> pl.DataFrame:
        return (
            frame.with_columns(member=pl.col("side") + ":" + pl.col("id"))
            .group_by(group)
            .agg(pl.col("member").sort().str.join("|").alias("key"))
        )

    true_keys = keyed(truth_members, "group_id").join(
        truth_members.select("group_id", "kind").unique(), on="group_id"
    )
    output_keys = keyed(members, "match_id").select("key", exact=pl.lit(True))
    return (
        true_keys.join(output_keys.unique("key"), on="key", how="left")
        .group_by("kind")
        .agg(pl.len().alias("groups"), pl.col("exact").fill_null(False).sum().alias("groups_exact"))
    )


def _suggestions(out_dir: Path, true_links: pl.DataFrame) -> tuple[int, int]:
    path = out_dir / "suggestions.csv"
    if not path.exists():
        return 0, 0
    frame = pl.read_csv(path, infer_schema=False, empty_string_is_null=False)
    if not {"left_id", "right_id"} <= set(frame.columns):
        return frame.height, 0
    true = frame.join(true_links, on=["left_id", "right_id"], how="semi")
    return frame.height, true.height


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score a matcher's output against the truth.")
    parser.add_argument("out", type=Path, help="directory with matches.csv and unmatched.csv")
    parser.add_argument(
        "case", type=Path, help="directory with truth_groups.csv and truth_leftovers.csv"
    )
    args = parser.parse_args(argv)
    print(score(args.out, args.case).report())
    return 0


if __name__ == "__main__":
    sys.exit(main())
