"""`duizhang`: a thin command line over the library. Each command lives in its own module."""

from __future__ import annotations

import click

from duizhang.cli import app, control, files, notify, reconcile, statements


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="duizhang")
def cli() -> None:
    """duizhang (对账): reconcile receivables with customers, banks and payment platforms."""


for command in (
    *files.COMMANDS,
    *reconcile.COMMANDS,
    *app.COMMANDS,
    *control.COMMANDS,
    *statements.COMMANDS,
    *notify.COMMANDS,
):
    cli.add_command(command)

if __name__ == "__main__":  # python -m duizhang.cli.main, e.g. with -X importtime
    cli()
