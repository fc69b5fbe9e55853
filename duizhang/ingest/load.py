"""From a file to receivable-view entries: detect, extract, flip signs, check stated balances."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from duizhang.engine.records import Entry, Side
from duizhang.ingest.base import Extraction, Importer, SignView, Skipped, StatementBalance
from duizhang.ingest.registry import detect, importer_named


@dataclass(slots=True)
class Loaded:
    """A file ready for the engine or the database."""

    path: Path
    format: str
    side: Side
    entries: list[Entry]
    skipped: list[Skipped] = field(default_factory=list)
    balances: list[StatementBalance] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def load(
    path: Path,
    *,
    format: str = "auto",
    side: Side | None = None,
    importer: Importer | None = None,
) -> Loaded:
    """Read any supported file. Raises `IngestError` (naming file, line, column) on bad input.

    The importer is detected, named by `format`, or given (a table read with a saved mapping)."""
    if importer is None:
        importer = detect(path) if format == "auto" else importer_named(format)
    extraction = importer.extract(path)
    chosen_side = side or importer.default_side
    entries = to_receivable_view(extraction, chosen_side)
    warnings = [*extraction.warnings, *balance_gaps(extraction)]
    return Loaded(
        path=path,
        format=importer.name,
        side=chosen_side,
        entries=entries,
        skipped=extraction.skipped,
        balances=extraction.balances,
        warnings=warnings,
    )


def to_receivable_view(extraction: Extraction, side: Side) -> list[Entry]:
    """Books-view amounts are debit - credit in the file owner's books. Our receivables ledger is
    already the receivable view; the customer's payables and our cash accounts are its mirror."""
    if extraction.view is SignView.RECEIVABLE or side is Side.OURS:
        return extraction.entries
    return [dataclasses.replace(entry, amount=-entry.amount) for entry in extraction.entries]


def balance_gaps(extraction: Extraction) -> list[str]:
    """Compare each stated opening + its lines with the stated closing balance (books view)."""
    warnings = []
    for stated in extraction.balances:
        if stated.opening is None or stated.closing is None:
            continue
        gap = stated.closing - (stated.opening + stated.movement)
        if gap != 0:
            label = stated.label or f"{stated.account} {stated.currency}"
            warnings.append(
                f"statement {label}: opening {stated.opening} + lines {stated.movement} "
                f"differs from stated closing {stated.closing} by {gap}"
            )
    return warnings
