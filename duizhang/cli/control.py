"""`duizhang audit verify`, `duizhang backup` and `duizhang restore`: keeping the books safe."""

from __future__ import annotations

from pathlib import Path

import click

from duizhang.cli.app import setup_django


@click.group()
def audit() -> None:
    """The audit log.

    \b
    Example:
        duizhang audit verify
    """


@audit.command()
def verify() -> None:
    """Recompute the audit log's hash chain; name the first record altered or removed.

    Exits 0 when the log is intact, 1 when it is not.

    \b
    Example:
        duizhang audit verify
    """
    setup_django()
    from django.db import DatabaseError

    from duizhang.apps.audit.selectors import audit_chain_verify

    try:
        result = audit_chain_verify()
    except DatabaseError as error:
        raise click.ClickException(f"cannot read the audit log: {error}") from error
    if not result.ok:
        click.echo(
            f"audit log BROKEN after {result.checked} good records: {result.message}", err=True
        )
        raise SystemExit(1)
    click.echo(f"audit log intact: {result.checked} records")


@click.command()
@click.argument("out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def backup(out: Path) -> None:
    """Write the database and the uploaded files to one archive OUT (.tar.gz).

    The database is read in one snapshot, so the archive is consistent while people work.

    \b
    Example:
        duizhang backup /backups/duizhang-$(date +%F).tar.gz
    """
    setup_django()
    from duizhang.apps.backup.archive import BackupError
    from duizhang.apps.backup.services import backup_write

    try:
        report = backup_write(out)
    except (BackupError, OSError) as error:
        raise click.ClickException(f"backup failed, nothing written: {error}") from error
    rows = sum(report.counts.values())
    click.echo(f"{report.path}: {rows} rows in {len(report.counts)} tables, {report.files} files")


@click.command()
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
def restore(archive: Path, force: bool) -> None:
    """Restore ARCHIVE (made by `duizhang backup`) into an empty database.

    The archive is checked first (manifest, sha256 of every member); the database is migrated,
    then filled in one transaction, so a failure leaves it as it was.

    \b
    Example:
        duizhang restore /backups/duizhang-2026-03-31.tar.gz
    """
    setup_django()
    from duizhang.apps.backup.archive import BackupError
    from duizhang.apps.backup.services import backup_restore

    try:
        report = backup_restore(archive, force=force)
    except BackupError as error:
        raise click.ClickException(f"restore refused: {error}") from error
    rows = sum(report.counts.values())
    click.echo(f"restored {rows} rows in {len(report.counts)} tables, {report.files} files")
    if report.replaced_media:
        click.echo(f"the files that were there before are in {report.replaced_media}")
    if report.audit.ok:
        click.echo(f"audit log intact: {report.audit.checked} records")
    else:
        click.echo(f"audit log BROKEN: {report.audit.message}", err=True)
        raise SystemExit(1)


COMMANDS = (audit, backup, restore)
