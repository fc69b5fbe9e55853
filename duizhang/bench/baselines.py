"""Two yardsticks for the engine, each run as its own process so it can be timed alone.

`spreadsheet`: what a cashier does in Excel, in plain Python (csv module, lists and dicts):
VLOOKUP on (reference, amount), then the same customer and amount within a date window, first
come first served. It writes the engine's output files so the scorer can score it.

`floor`: read both CSVs with Polars and hash-join them on (customer, amount), nothing else;
the least any matcher must spend on reading and joining.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import json
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import polars as pl

WINDOW_DAYS = 5


class _Sheet:
    """A CSV file as columns of text, the way a spreadsheet holds it."""

    def __init__(self, path: Path) -> None:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            rows = list(reader)
        column = {name: index for index, name in enumerate(header)}

        def values(name: str) -> list[str]:
            index = column[name]
            return [row[index] for row in rows]

        self.ids = values("id")
        self.dates = values("date")
        self.amounts = [Decimal(text) for text in values("amount")]
        self.references = values("reference")
        self.customers = values("customer")


def spreadsheet(left_path: Path, right_path: Path, out_dir: Path, period_end: date) -> int:
    """Match like a spreadsheet and write matches.csv, unmatched.csv, summary.json.

    Returns the number of links made.
    """
    left = _Sheet(left_path)
    right = _Sheet(right_path)
    used = [False] * len(right.ids)
    partner: list[int | None] = [None] * len(left.ids)
    rules = [""] * len(left.ids)

    by_reference: dict[tuple[str, Decimal], list[int]] = {}
    for j, (reference, amount) in enumerate(zip(right.references, right.amounts, strict=True)):
        if reference:
            by_reference.setdefault((reference, amount), []).append(j)
    for i, key in enumerate(zip(left.references, left.amounts, strict=True)):
        for j in by_reference.get(key, ()):
            if not used[j]:
                used[j], partner[i], rules[i] = True, j, "vlookup"
                break

    # the same customer and amount, earliest date first within the window (a sorted filter)
    by_amount: dict[tuple[str, Decimal], list[tuple[int, int]]] = {}
    for j, key in enumerate(zip(right.customers, right.amounts, strict=True)):
        if not used[j]:
            by_amount.setdefault(key, []).append(
                (date.fromisoformat(right.dates[j]).toordinal(), j)
            )
    for same in by_amount.values():
        same.sort()
    for i, key in enumerate(zip(left.customers, left.amounts, strict=True)):
        candidates = by_amount.get(key)
        if partner[i] is not None or candidates is None:
            continue
        ordinal_day = date.fromisoformat(left.dates[i]).toordinal()
        start = bisect.bisect_left(candidates, (ordinal_day - WINDOW_DAYS, -1))
        for ordinal, j in candidates[start:]:
            if ordinal > ordinal_day + WINDOW_DAYS:
                break
            if not used[j]:
                used[j], partner[i], rules[i] = True, j, "amount_date"
                break

    out_dir.mkdir(parents=True, exist_ok=True)
    cutoff = (period_end - timedelta(days=WINDOW_DAYS)).isoformat()
    links = 0
    with (out_dir / "matches.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("match_id", "left_id", "right_id", "rule", "difference"))
        for i, linked in enumerate(partner):
            if linked is not None:
                links += 1
                difference = left.amounts[i] - right.amounts[linked]
                writer.writerow((f"M{links}", left.ids[i], right.ids[linked], rules[i], difference))
    with (out_dir / "unmatched.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("side", "id", "reason"))
        for side, sheet, still_open in (
            ("left", left, [linked is None for linked in partner]),
            ("right", right, [not flag for flag in used]),
        ):
            for entry_id, text, is_open in zip(sheet.ids, sheet.dates, still_open, strict=True):
                if is_open:
                    writer.writerow((side, entry_id, "timing" if text > cutoff else "missing"))
    summary = {"left": len(left.ids), "right": len(right.ids), "links": links}
    (out_dir / "summary.json").write_text(json.dumps(summary) + "\n", encoding="utf-8")
    return links


def floor(left_path: Path, right_path: Path) -> int:
    """Read both files and hash-join on (customer, amount); returns the joined row count.

    Only the ids travel with the keys: gathering every column of a many-to-many join would
    measure copying, not joining.
    """
    text = {"customer": pl.Utf8, "amount": pl.Utf8}
    keys = ("id", "customer", "amount")
    left = pl.read_csv(left_path, schema_overrides=text).select(keys)
    right = pl.read_csv(right_path, schema_overrides=text).select(keys)
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
