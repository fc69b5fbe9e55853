"""`backup_write` and `backup_restore`: the whole database and the uploaded files, in one archive.

The data is Django's JSON Lines serialisation of every table (it streams both ways), with the
primary keys as they are: a restore goes into an empty database, so every row, link and audit
record comes back exactly, and the audit chain verifies as before. Natural keys are not used:
they only matter when merging into a database that already has rows, which a restore refuses.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from duizhang.apps.audit.chain import VerifyResult
from duizhang.apps.audit.selectors import audit_chain_verify, consistent_read
from duizhang.apps.audit.services import signals_paused
from duizhang.apps.backup import serialization
from duizhang.apps.backup.archive import DATA, MEDIA, BackupError, unpack_verified, write_archive

# Rows a fresh `migrate` creates by itself; a database holding only these counts as empty.
SEEDED_BY_MIGRATE = (ContentType, Permission, Group)
NOT_BACKED_UP = (Session,)  # logins do not survive a restore


@dataclass(frozen=True, slots=True)
class BackupReport:
    path: Path
    counts: dict[str, int]
    files: int


@dataclass(frozen=True, slots=True)
class RestoreReport:
    counts: dict[str, int]
    files: int
    audit: VerifyResult
    replaced_media: Path | None = None


def _backed_up_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model not in NOT_BACKED_UP
    ]


def _tables() -> Iterator[tuple[str, type[models.Model]]]:
    """Every table a backup holds, with the model that owns it: models and their m2m links."""
    for model in _backed_up_models():
        yield model._meta.label_lower, model
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            if through is not None and through._meta.auto_created:
                yield f"{model._meta.label_lower}.{m2m.name}", through


def _row_counts() -> dict[str, int]:
    return {label: model._base_manager.count() for label, model in _tables()}


def _applied_migrations() -> list[str]:
    """The migrations applied to this database; all of this code's, or the archive could never
    be restored."""
    applied = {f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()}
    known = _known_migrations()
    if missing := [name for name in known if name not in applied]:
        raise BackupError(
            f"the database lacks migration {missing[0]}; run `duizhang manage migrate` first"
        )
    return known


def _known_migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationLoader(None).graph.nodes)


def backup_write(out: Path) -> BackupReport:
    """Write one consistent snapshot of the database and MEDIA_ROOT to `out` (a .tar.gz)."""
    out = out.resolve()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if out.is_relative_to(media_root):
        raise BackupError(f"{out} is inside MEDIA_ROOT ({media_root}); write the backup elsewhere")
    serializers.register_serializer(serialization.FORMAT, serialization.__name__)
    with tempfile.TemporaryDirectory(prefix="duizhang-backup-") as scratch:
        data = Path(scratch) / DATA
        with consistent_read():
            counts = _row_counts()
            migrations_applied = _applied_migrations()
            call_command(
                "dumpdata",
                *(model._meta.label for model in _backed_up_models()),
                format=serialization.FORMAT,
                output=str(data),
                use_base_manager=True,
                verbosity=0,
            )
        manifest = {
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "duizhang": version("duizhang"),
            "database": connection.vendor,
            "migrations": migrations_applied,
            "counts": counts,
        }
        partial = out.with_name(f".{out.name}.partial")
        try:
            members = write_archive(partial, manifest, data, media_root)
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
    return BackupReport(out, counts, sum(name.startswith(f"{MEDIA}/") for name in members))


def _rows_in_user_tables() -> str | None:
    """The first table (of those that exist) with rows a fresh migrate would not have put there."""
    existing = set(connection.introspection.table_names())
    seeded = {model._meta.db_table for model in SEEDED_BY_MIGRATE}
    seeded |= {
        m2m.remote_field.through._meta.db_table  # type: ignore[union-attr]
        for model in SEEDED_BY_MIGRATE
        for m2m in model._meta.local_many_to_many
    }
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.django_table_names(only_existing=True)):
            if table in seeded or table not in existing:
                continue
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")
            if cursor.fetchone():
                return table
    return None


def _require_same_schema(archive: Path, archived: list[str]) -> None:
    known = _known_migrations()
    if archived == known:
        return
    only_archive = sorted(set(archived) - set(known))
    only_code = sorted(set(known) - set(archived))
    difference = (
        f"it has migration {only_archive[0]}, which this duizhang does not know"
        if only_archive
        else f"it lacks migration {only_code[0]}"
    )
    raise BackupError(
        f"{archive.name} was made with a different database schema ({difference}); "
        "restore it with the duizhang version that made it, then upgrade"
    )


def _media_is_empty(media_root: Path) -> bool:
    return not media_root.exists() or not any(media_root.iterdir())


def backup_restore(archive: Path, *, force: bool = False) -> RestoreReport:
    """Bring an archive back into an empty database: check the archive, migrate, then replace
    every table's rows in one transaction and check the counts; uploaded files come last.

    With `force` a database (and MEDIA_ROOT) that already holds data is replaced; the old files
    are kept aside, never deleted."""
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="duizhang-restore-") as scratch:
        unpacked = Path(scratch) / "archive"
        unpacked.mkdir()
        manifest = unpack_verified(archive, unpacked)
        _require_same_schema(archive, manifest.get("migrations", []))
        if not force:
            if table := _rows_in_user_tables():
                raise BackupError(f"the database is not empty ({table} has rows); use --force")
            if not _media_is_empty(media_root):
                raise BackupError(f"{media_root} is not empty; use --force")
        call_command("migrate", interactive=False, verbosity=0)

        staged = media_root.with_name(f".{media_root.name}.restoring")
        shutil.rmtree(staged, ignore_errors=True)
        if (unpacked / MEDIA).is_dir():
            shutil.copytree(unpacked / MEDIA, staged)
        else:
            staged.mkdir(parents=True)
        try:
            with signals_paused(), transaction.atomic():
                tables = connection.introspection.django_table_names(
                    only_existing=True, include_views=False
                )
                if connection.vendor == "postgresql":
                    connection.check_constraints()  # TRUNCATE refuses pending deferred checks
                connection.ops.execute_sql_flush(
                    connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
                )
                try:
                    call_command("loaddata", str(unpacked / DATA), verbosity=0)
                except (DeserializationError, DatabaseError) as error:
                    raise BackupError(
                        f"the data would not load, nothing was kept: {error}"
                    ) from error
                counts = _row_counts()
                if counts != manifest["counts"]:
                    wrong = sorted(
                        label
                        for label in set(counts) | set(manifest["counts"])
                        if counts.get(label) != manifest["counts"].get(label)
                    )
                    raise BackupError(
                        f"restored row counts differ from the manifest for {', '.join(wrong)}"
                    )
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
        ContentType.objects.clear_cache()
        replaced = _swap_media(staged, media_root)
    files = sum(1 for name in manifest["members"] if name.startswith(f"{MEDIA}/"))
    return RestoreReport(counts, files, audit_chain_verify(), replaced)


def _swap_media(staged: Path, media_root: Path) -> Path | None:
    """Put the restored files in place; an existing non-empty MEDIA_ROOT is moved aside."""
    replaced = None
    if media_root.exists():
        if any(media_root.iterdir()):
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            replaced = media_root.with_name(f"{media_root.name}.replaced-{stamp}")
            media_root.rename(replaced)
        else:
            media_root.rmdir()
    staged.rename(media_root)
    return replaced
