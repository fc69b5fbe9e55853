"""Write a match outcome as files: matches.csv, unmatched.csv, suggestions.csv, summary.json and
reconciliation.txt (the printable 余额调节表)."""

from __future__ import annotations

import json
from pathlib import Path

from duizhang.engine.match import Outcome
from duizhang.engine.statement import render


def write_outcome(
    outcome: Outcome, out: Path, *, left_name: str = "left", right_name: str = "right"
) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in (
        ("matches.csv", outcome.matches),
        ("unmatched.csv", outcome.unmatched),
        ("suggestions.csv", outcome.suggestions),
    ):
        frame.write_csv(out / name)
        written.append(out / name)
    summary = out / "summary.json"
    summary.write_text(
        json.dumps(outcome.summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    text = out / "reconciliation.txt"
    text.write_text(
        reconciliation_text(outcome, left_name=left_name, right_name=right_name) + "\n",
        encoding="utf-8",
    )
    return [*written, summary, text]


def reconciliation_text(
    outcome: Outcome, *, left_name: str = "left", right_name: str = "right"
) -> str:
    return "\n\n".join(
        render(s, left_name=left_name, right_name=right_name) for s in outcome.statements
    )
