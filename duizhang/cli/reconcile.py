"""`duizhang match` (reconcile two files) and `duizhang clear` (核销 within one ledger).

Polars and the engine are imported when a command runs, so `duizhang --help` starts without them;
canonical CSV goes straight into Polars, without the importers."""

from __future__ import annotations

import csv
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

import click

from duizhang.engine.options import MatchOptions
from duizhang.engine.records import Side
from duizhang.ingest.base import IngestError
from duizhang.ingest.canonical import CanonicalCsvImporter
from duizhang.ingest.load import load

if TYPE_CHECKING:
    import polars as pl

SIDES = click.Choice([side.value for side in Side])
FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def _decimal(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise click.BadParameter(f"not a decimal number: {value!r}") from None


def read_frame(path: Path, format_: str, side: str | None) -> pl.DataFrame:
    """Canonical CSV goes straight into Polars; any other format through its importer."""
    from duizhang.engine.frames import frame_from_entries, read_canonical_frame

    if (
        format_ in ("auto", "canonical")
        and side in (None, Side.OURS.value)
        and CanonicalCsvImporter().identify(path)
    ):
        return read_canonical_frame(path)
    loaded = load(path, format=format_, side=Side(side) if side else None)
    return frame_from_entries(loaded.entries)


@click.command("match")
@click.argument("left", type=FILE)
@click.argument("right", type=FILE)
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Output folder."
)
@click.option(
    "--period-end",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Last day of the period (default: latest date in the inputs).",
)
@click.option(
    "--tolerance",
    callback=_decimal,
    default="50",
    show_default=True,
    help="Largest tolerated difference (fees, rounding), absolute.",
)
@click.option(
    "--tolerance-rel",
    callback=_decimal,
    default="0.01",
    show_default=True,
    help="Largest tolerated difference, relative to the amount.",
)
@click.option(
    "--date-window",
    type=click.IntRange(0, 366),
    default=10,
    show_default=True,
    help="Days apart for links without a reference.",
)
@click.option(
    "--group-window",
    type=click.IntRange(0, 366),
    default=31,
    show_default=True,
    help="Days apart within a one-to-many group.",
)
@click.option(
    "--timing-days",
    type=click.IntRange(0, 366),
    default=5,
    show_default=True,
    help="Leftovers this close to the period end are timing differences.",
)
@click.option(
    "--jobs",
    type=click.IntRange(0, 64),
    default=0,
    show_default=True,
    help="Processes (work is split by customer); 0: one per 250k lines, at most one per CPU.",
)
@click.option("--left-format", default="auto", show_default=True, help="Format of LEFT.")
@click.option("--right-format", default="auto", show_default=True, help="Format of RIGHT.")
@click.option(
    "--left-side", type=SIDES, default=None, help="Whose books LEFT is (default: the format's)."
)
@click.option(
    "--right-side", type=SIDES, default=None, help="Whose books RIGHT is (default: the format's)."
)
def match_command(
    left: Path,
    right: Path,
    out: Path,
    period_end: datetime | None,
    tolerance: Decimal,
    tolerance_rel: Decimal,
    date_window: int,
    group_window: int,
    timing_days: int,
    jobs: int,
    left_format: str,
    right_format: str,
    left_side: str | None,
    right_side: str | None,
) -> None:
    """Reconcile LEFT with RIGHT: link entries that describe the same event, explain the rest.

    Writes matches.csv, unmatched.csv, suggestions.csv, summary.json and reconciliation.txt
    (the 余额调节表) into --out, and prints the statement.

    \b
    Example:
        duizhang match ours.csv customer.csv --out recon/ --period-end 2026-10-31
        duizhang match ours.csv 交易明细.xls --right-side bank --out recon/
    """
    from duizhang.engine.match import match_frames
    from duizhang.engine.output import reconciliation_text, write_outcome

    options = MatchOptions(
        tolerance_abs=tolerance,
        tolerance_rel=tolerance_rel,
        date_window=date_window,
        group_window=group_window,
        timing_days=timing_days,
        period_end=period_end.date() if period_end else None,
        jobs=jobs,
    )
    started = time.perf_counter()
    try:
        # Polars reads a file on several threads but checks it on one: two files side by side
        with ThreadPoolExecutor(max_workers=2) as threads:
            left_frame, right_frame = threads.map(
                read_frame, (left, right), (left_format, right_format), (left_side, right_side)
            )
    except IngestError as error:
        raise click.ClickException(str(error)) from error
    outcome = match_frames(left_frame, right_frame, options)
    write_outcome(outcome, out, left_name=left.stem, right_name=right.stem)
    summary = outcome.summary
    matched, unmatched = summary["matched"], summary["unmatched"]
    click.echo(reconciliation_text(outcome, left_name=left.stem, right_name=right.stem))
    click.echo(
        f"\n{left.name}: {summary['entries']['left']} entries, {right.name}: {summary['entries']['right']} entries; "  # type: ignore[index]
        f"{matched['groups']} groups, {summary['suggestions']} suggestions; "  # type: ignore[index]
        f"unmatched left {_counts(unmatched['left'])}, right {_counts(unmatched['right'])}; "  # type: ignore[index]
        f"{time.perf_counter() - started:.1f} s → {out}"
    )


def _counts(by_reason: dict[str, int]) -> str:
    return ", ".join(f"{count} {reason}" for reason, count in by_reason.items() if count) or "none"


@click.command("clear")
@click.argument("ledger", type=FILE)
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Output folder."
)
@click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Age open items on this date (default: latest date in the ledger).",
)
@click.option("--format", "format_", default="auto", show_default=True, help="Format of LEDGER.")
@click.option(
    "--side", type=SIDES, default=None, help="Whose books LEDGER is (default: the format's)."
)
def clear_command(
    ledger: Path, out: Path, as_of: datetime | None, format_: str, side: str | None
) -> None:
    """Clear (核销) LEDGER: apply payments and credit notes to invoices, by reference first,
    then oldest first; partial payments allowed.

    Writes open_items.csv (what stays open, with age), applications.csv (which payment settled
    how much of which invoice) and aging.csv (open amounts per customer and age bucket).

    \b
    Example:
        duizhang clear receivables.csv --out clearing/ --as-of 2026-10-31
    """
    from duizhang.engine.clearing import AGING_BUCKETS, aging, clear_frame
    from duizhang.engine.money import format_amount

    try:
        frame = read_frame(ledger, format_, side)
    except IngestError as error:
        raise click.ClickException(str(error)) from error
    result = clear_frame(frame, as_of=as_of.date() if as_of else None)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "applications.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("payment_id", "invoice_id", "amount", "method"))
        for a in result.applications:
            writer.writerow((a.payment_id, a.invoice_id, format_amount(a.amount), a.method))
    with (out / "open_items.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            ("customer", "id", "date", "reference", "amount", "open_amount", "age_days", "bucket")
        )
        for o in result.open_items:
            writer.writerow(
                (
                    o.customer,
                    o.id,
                    o.date.isoformat(),
                    o.reference,
                    format_amount(o.amount),
                    format_amount(o.open_amount),
                    o.age_days,
                    o.bucket,
                )
            )
    rows = aging(result)
    columns = ("customer", *(label for _, label in AGING_BUCKETS), "total")
    with (out / "aging.csv").open("w", encoding="utf-8", newline="") as handle:
        table = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        table.writeheader()
        table.writerows(rows)
    click.echo(f"aging on {result.as_of.isoformat()}")
    click.echo("".join(f"{c:>14}" for c in columns))
    for row in rows:
        click.echo("".join(f"{row[c]:>14}" for c in columns))
    click.echo(
        f"{frame.height} entries, {len(result.applications)} applications, "
        f"{len(result.open_items)} open items → {out}"
    )


COMMANDS = (match_command, clear_command)
