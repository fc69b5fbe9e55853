"""Two yardsticks for the engine, each run as its own process so it can be timed alone.

`spreadsheet`: what a cashier does in Excel, in pure Python (csv module and dicts): VLOOKUP on
(reference, amount), then the same customer and amount within a date window, first come first
served. It
writes the engine's output files so the scorer can score it.

`floor`: read both CSVs with Polars and hash-join them on (customer, amount), nothing else;
the least any matcher must spend on reading and joining.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import polars as pl

WINDOW_DAYS = 5


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def spreadsheet(left_path: Path, right_path: Path, out_dir: Path, period_end: date) -> int:
    """Match like a spreadsheet and write matches.csv, unmatched.csv, summary.json.

    Returns the number of links made.
    """
    left = _read(left_path)
    right = _read(right_path)
    right_amounts = [Decimal(row["amount"]) for row in right]
    right_dates = [date.fromisoformat(row["date"]) for row in right]
    used = [False] * len(right)
    partner: list[int | None] = [None] * len(left)
    rules: list[str] = [""] * len(left)

    by_reference: dict[tuple[str, Decimal], list[int]] = {}
    for j, row in enumerate(right):
        if row["reference"]:
            by_reference.setdefault((row["reference"], right_amounts[j]), []).append(j)
    left_amounts = [Decimal(row["amount"]) for row in left]
    for i, row in enumerate(left):
        for j in by_reference.get((row["reference"], left_amounts[i]), ()):
            if not used[j]:
                used[j], partner[i], rules[i] = True, j, "vlookup"
                break

    by_amount: dict[tuple[str, Decimal], list[int]] = {}
    for j, amount in enumerate(right_amounts):
        if not used[j]:
            by_amount.setdefault((right[j]["customer"], amount), []).append(j)
    window = timedelta(days=WINDOW_DAYS)
    for i, row in enumerate(left):
        if partner[i] is not None:
            continue
        day = date.fromisoformat(row["date"])
        for j in by_amount.get((row["customer"], left_amounts[i]), ()):
            if not used[j] and abs(right_dates[j] - day) <= window:
                used[j], partner[i], rules[i] = True, j, "amount_date"
                break

    out_dir.mkdir(parents=True, exist_ok=True)
    cutoff = period_end - window
    links = 0
    with (out_dir / "matches.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("match_id", "left_id", "right_id", "rule", "difference"))
        for i, linked in enumerate(partner):
            if linked is not None:
                links += 1
                difference = left_amounts[i] - right_amounts[linked]
                record = (f"M{links}", left[i]["id"], right[linked]["id"], rules[i], difference)
                writer.writerow(record)
    with (out_dir / "unmatched.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("side", "id", "reason"))
        for side, rows, open_ in (
            ("left", left, [j is None for j in partner]),
            ("right", right, [not flag for flag in used]),
        ):
            for row, is_open in zip(rows, open_, strict=True):
                if is_open:
                    late = date.fromisoformat(row["date"]) > cutoff
                    writer.writerow((side, row["id"], "timing" if late else "missing"))
    summary = {"left": len(left), "right": len(right), "links": links}
    (out_dir / "summary.json").write_text(json.dumps(summary) + "\n", encoding="utf-8")
    return links


def floor(left_path: Path, right_path: Path) -> int:
    """Read both files and hash-join on (customer, amount); returns the joined row count."""
    left = pl.read_csv(left_path, schema_overrides={"customer": pl.Utf8, "amount": pl.Utf8})
    right = pl.read_csv(right_path, schema_overrides={"customer": pl.Utf8, "amount": pl.Utf8})
    return left.join(right, on=["customer", "amount"], how="inner").height


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run a baseline matcher on two canonical CSVs.")
    parser.add_argument("tool", choices=("spreadsheet", "floor"))
    parser.add_argument("left", type=Path)
    parser.add_argument("right", type=Path)
    parser.add_argument("--out", type=Path, help="output directory (spreadsheet)")
    parser.add_argument("--period-end", type=date.fromisoformat, help="YYYY-MM-DD (spreadsheet)")
    args = parser.parse_args(argv)
    if args.tool == "floor":
        print(f"{floor(args.left, args.right)} joined rows")
        return 0
    if args.out is None or args.period_end is None:
        parser.error("spreadsheet needs --out and --period-end")
    print(f"{spreadsheet(args.left, args.right, args.out, args.period_end)} links")
    return 0


if __name__ == "__main__":
    sys.exit(main())
