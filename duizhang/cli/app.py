"""Commands that need the database: import, demo, serve, and Django's own management commands.

Django is set up lazily, inside each command, so `duizhang parse` and friends start without it.
DJANGO_SETTINGS_MODULE defaults to the development settings (embedded SQLite under var/).
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from duizhang.engine.records import Side

if TYPE_CHECKING:
    from duizhang.apps.ledger.models import Source

DEFAULT_SETTINGS = "duizhang.config.django.dev"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    django.setup()


@click.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", "source_name", required=True, help="Name of the source to import into.")
@click.option("--customer", "customer_code", help="Customer code, when sources share a name.")
@click.option("--format", "format_", default="auto", show_default=True, help="Format name or auto.")
@click.option(
    "--side",
    type=click.Choice([side.value for side in Side]),
    help="Whose books the file is (default: the source's kind).",
)
def import_(
    file: Path, source_name: str, customer_code: str | None, format_: str, side: str | None
) -> None:
    """Import FILE into a source, in one transaction: all of it or, on any bad row, nothing.

    Importing the same file twice adds nothing; lines an earlier statement already brought
    (overlapping periods) are counted as already present, not added again.

    \b
    Example:
        duizhang import 交易明细.xls --source 工商银行基本户
        duizhang import 明远对账单.csv --source 客户账 --customer C001
    """
    setup_django()
    from duizhang.apps.audit.services import acting_as
    from duizhang.apps.ledger.services import entries_import
    from duizhang.ingest.base import IngestError

    source = _source(source_name, customer_code)
    try:
        with acting_as(f"{getpass.getuser()} (command line)"):
            result = entries_import(
                source=source,
                path=file,
                uploaded_by=None,
                format=format_,
                side=Side(side) if side else None,
            )
    except IngestError as error:
        raise click.ClickException(f"{error} — nothing was imported") from error
    click.echo(result.summary())
    for skipped in result.skipped:
        click.echo(f"  skipped line {skipped.line}: {skipped.reason}")
    for warning in result.warnings:
        click.echo(f"  warning: {warning}")


def _source(name: str, customer_code: str | None) -> Source:
    from duizhang.apps.ledger.models import Source

    sources = Source.objects.filter(name=name).select_related("customer")
    if customer_code:
        sources = sources.filter(customer__code=customer_code)
    found = list(sources[:2])
    if len(found) == 1:
        return found[0]
    if not found:
        known = ", ".join(sorted(Source.objects.values_list("name", flat=True))) or "none yet"
        raise click.ClickException(f"no source named {name!r}; sources: {known}")
    raise click.ClickException(f"several sources are named {name!r}; choose one with --customer")


@click.command()
def demo() -> None:
    """Create the database (migrate) and load the demo data; running it again changes nothing.

    \b
    Example:
        duizhang demo
    """
    setup_django()
    from django.core.management import call_command

    from duizhang.demo.loader import PASSWORD, demo_load, logins

    call_command("migrate", interactive=False, verbosity=0)
    summary = demo_load()
    for result in summary.imports:
        click.echo(result.summary())
    counts = ", ".join(f"{count} {name}" for name, count in summary.counts().items())
    click.echo(f"Demo data: {counts}")
    click.echo(f"Demo logins (password {PASSWORD}):")
    for username, what in logins():
        click.echo(f"  {username:<10} {what}")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=4, show_default=True, type=int)
def serve(host: str, port: int, threads: int) -> None:
    """Serve the web application with waitress (static files through whitenoise).

    \b
    Example:
        duizhang serve --port 8000
    """
    setup_django()
    import waitress
    from django.conf import settings
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    if not getattr(settings, "WHITENOISE_USE_FINDERS", False):
        call_command("collectstatic", interactive=False, verbosity=0)
    from duizhang.config.celery import start_beat_thread

    start_beat_thread()  # notifications and other periodic tasks, when there is no broker
    click.echo(f"duizhang on http://{host}:{port}/  (Ctrl+C stops it)")
    waitress.serve(get_wsgi_application(), host=host, port=port, threads=threads)


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command (migrate, createsuperuser, shell, …).

    \b
    Example:
        duizhang manage createsuperuser
        duizhang manage migrate --plan
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["duizhang manage", *args])


COMMANDS = (import_, demo, serve, manage)
