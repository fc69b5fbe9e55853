"""Commands that work on files alone, with no database: parse and formats.

Importers are imported when a command runs, so `duizhang --help` starts without them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from duizhang.engine.records import Side
from duizhang.ingest.base import IngestError
from duizhang.ingest.canonical import write_canonical
from duizhang.ingest.load import load
from duizhang.ingest.registry import importers

if TYPE_CHECKING:
    from duizhang.ingest.tables import GenericTableImporter

SIDES = click.Choice([side.value for side in Side])


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "format_", default="auto", show_default=True, help="Format name or auto.")
@click.option(
    "--side", type=SIDES, default=None, help="Whose books the file is (default: the format's)."
)
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A column mapping (JSON) for a table no format recognises.",
)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not stdout."
)
def parse(
    file: Path, format_: str, side: str | None, mapping: Path | None, out: Path | None
) -> None:
    """Convert FILE to canonical CSV, in the receivable view.

    \b
    Examples:
        duizhang parse 交易明细.xls --side bank --out bank.csv
        duizhang parse 导出.csv --mapping columns.json
    """
    try:
        importer = _table_importer(mapping) if mapping else None
        loaded = load(file, format=format_, side=Side(side) if side else None, importer=importer)
    except IngestError as error:
        raise click.ClickException(str(error)) from error
    if out:
        with out.open("w", encoding="utf-8", newline="") as handle:
            count = write_canonical(loaded.entries, handle, with_account=True)
    else:
        count = write_canonical(loaded.entries, sys.stdout, with_account=True)
    report = click.echo if out else (lambda message: click.echo(message, err=True))
    report(f"{file.name}: {loaded.format}, side {loaded.side}, {count} entries")
    for skipped in loaded.skipped:
        report(f"  skipped line {skipped.line}: {skipped.reason}")
    for warning in loaded.warnings:
        report(f"  warning: {warning}")


def _table_importer(path: Path) -> GenericTableImporter:
    """Reads tables with the column mapping saved (as JSON) in `path`."""
    from duizhang.ingest.tables import ColumnMapping, GenericTableImporter

    try:
        mapping = ColumnMapping.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError) as error:
        raise IngestError(f"not a column mapping: {error}", file=path) from error
    return GenericTableImporter(mapping)


@click.command()
def formats() -> None:
    """List the supported file formats.

    \b
    Example:
        duizhang formats
    """
    for importer in importers():
        click.echo(f"{importer.name:<16} {importer.default_side.value:<9} {importer.description}")


COMMANDS = (parse, formats)
