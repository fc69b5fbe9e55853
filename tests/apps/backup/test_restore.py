"""Back up a working database, restore it somewhere empty, and find every row and file again."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import TypedDict

import dj_database_url
import pytest
from click.testing import CliRunner
from django.apps import apps
from django.contrib.auth.models import User
from django.db import connection

from duizhang.apps.accounts.roles import Role, role_group
from duizhang.apps.audit.models import AuditRecord
from duizhang.apps.audit.selectors import audit_chain_verify
from duizhang.apps.audit.services import audit_record
from duizhang.apps.backup.archive import BackupError
from duizhang.apps.backup.services import _row_counts, backup_restore, backup_write
from duizhang.cli.main import cli
from duizhang.demo.loader import demo_load


class Server(TypedDict):
    """Where `psycopg.connect` finds the PostgreSQL server of DATABASE_URL."""

    host: str
    port: str | int
    user: str
    password: str | None


@pytest.fixture
def media_root(tmp_path: Path, settings) -> Path:
    root = tmp_path / "var" / "files"
    (root / "uploads" / "2026").mkdir(parents=True)
    (root / "uploads" / "2026" / "工行流水.xls").write_bytes(b"\xd0\xcf\x11\xe0 bank")
    (root / "statement.pdf").write_bytes(b"%PDF-1.7 statement")
    settings.MEDIA_ROOT = root
    return root


def rows(archive: Path) -> dict[tuple[str, object], dict]:
    """Every row in the archive by (model, pk); many-to-many links as sets, since the database
    returns them in no particular order."""
    with tarfile.open(archive) as tar:
        lines = tar.extractfile("data.jsonl").read().decode("utf-8").splitlines()  # type: ignore[union-attr]
    found = {}
    for row in map(json.loads, lines):
        links = {field.name for field in apps.get_model(row["model"])._meta.many_to_many}
        fields = {
            name: frozenset(value) if name in links else value
            for name, value in row["fields"].items()
        }
        found[row["model"], row["pk"]] = fields
    return found


def files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request, tmp_path: Path) -> Iterator[str]:
    """The URL of a database that does not exist yet (SQLite) or was just created (PostgreSQL)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("the PostgreSQL variant runs when DATABASE_URL points at PostgreSQL")
    import psycopg

    config = dj_database_url.parse(url)
    server: Server = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"] or None,
    }
    name = f"duizhang_restore_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield re.sub(r"/[^/]*$", f"/{name}", url)
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_cli(*commands: list[str], database: str, var: Path) -> subprocess.CompletedProcess[str]:
    """Run duizhang commands one after another in one fresh process (it starts slowly)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "duizhang.config.django.test",
        "DATABASE_URL": database,
        "DUIZHANG_VAR": str(var),
    }
    script = (
        "import sys\nfrom duizhang.cli.main import cli\n"
        f"for args in {list(commands)!r}:\n    cli(args, standalone_mode=False)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_into_an_empty_database_brings_back_every_row_and_file(
    media_root: Path, tmp_path: Path, empty_database: str
):
    demo_load()
    reviewer = User.objects.get(username="reviewer")
    reviewer.groups.add(role_group(Role.MANAGER))
    audit_record(
        actor=reviewer, action="approve", customer="C001", data={"balance": Decimal("-12.30")}
    )
    archive = tmp_path / "backup.tar.gz"
    report = backup_write(archive)
    assert report.files == len(files(media_root)) >= 2  # ours, and whatever the demo stored
    assert report.counts["audit.auditrecord"] == AuditRecord.objects.count()
    assert report.counts["auth.user"] == User.objects.count() > 0
    original = rows(archive)

    var = tmp_path / "restored-var"
    again = tmp_path / "again.tar.gz"
    result = run_cli(
        ["restore", str(archive)], ["backup", str(again)], database=empty_database, var=var
    )
    assert result.returncode == 0, result.stderr
    records = AuditRecord.objects.count()
    assert result.stdout.splitlines()[:2] == [
        f"restored {sum(report.counts.values())} rows in {len(report.counts)} tables, "
        f"{report.files} files",
        f"audit log intact: {records} records",
    ]
    assert files(var / "files") == files(media_root)
    assert rows(again) == original  # every row, every field, every primary key


@pytest.mark.django_db
def test_damaged_archive_is_refused_and_nothing_is_written(media_root: Path, tmp_path: Path):
    audit_record(actor="alice", action="import")
    archive = tmp_path / "backup.tar.gz"
    backup_write(archive)
    body = bytearray(archive.read_bytes())
    body[len(body) // 2] ^= 0xFF
    archive.write_bytes(bytes(body))
    AuditRecord.objects.all()._raw_delete(
        AuditRecord.objects.db
    )  # an empty database to restore into
    before = _row_counts()
    target = tmp_path / "var" / "empty-files"

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.conf.settings.MEDIA_ROOT", target)
        result = CliRunner().invoke(cli, ["restore", str(archive)])
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: restore refused: backup.tar.gz is damaged or not a duizhang backup:"
    )
    assert _row_counts() == before
    assert not target.exists() and not target.with_name(".empty-files.restoring").exists()


@pytest.mark.django_db
def test_force_replaces_a_database_that_holds_data(media_root: Path, tmp_path: Path):
    alice = User.objects.create_user("alice", first_name="Alice")
    audit_record(actor=alice, action="comment", data={"text": "已核对"})
    archive = tmp_path / "backup.tar.gz"
    backup_write(archive)
    original = rows(archive)
    saved_files = files(media_root)

    User.objects.filter(pk=alice.pk).update(first_name="Mallory")
    User.objects.create_user("bob")
    audit_record(actor="bob", action="match")
    (media_root / "later.txt").write_text("added after the backup")
    with pytest.raises(
        BackupError, match=r"the database is not empty \(audit_audithead has rows\)"
    ):
        backup_restore(archive)
    assert User.objects.filter(username="bob").exists()

    report = backup_restore(archive, force=True)
    assert report.audit.ok and report.audit.checked == 1
    assert sorted(User.objects.values_list("username", "first_name")) == [("alice", "Alice")]
    assert list(AuditRecord.objects.values_list("actor_name", "action")) == [("alice", "comment")]
    assert audit_chain_verify().ok
    again = tmp_path / "again.tar.gz"
    backup_write(again)
    assert rows(again) == original
    assert files(media_root) == saved_files
    assert report.replaced_media is not None
    assert files(report.replaced_media)["later.txt"] == b"added after the backup"


@pytest.mark.django_db
def test_backup_refuses_to_write_into_the_files_it_backs_up(media_root: Path):
    with pytest.raises(BackupError, match="is inside MEDIA_ROOT"):
        backup_write(media_root / "uploads" / "backup.tar.gz")
    assert sorted(files(media_root)) == ["statement.pdf", "uploads/2026/工行流水.xls"]


@pytest.mark.django_db
def test_backup_refuses_a_database_that_is_not_fully_migrated(media_root: Path, tmp_path: Path):
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = 'audit' AND name = '0002_actor_id_kept'"
        )
    with pytest.raises(BackupError, match=r"lacks migration audit\.0002_actor_id_kept"):
        backup_write(tmp_path / "backup.tar.gz")
    assert list(tmp_path.glob("*.tar.gz")) == [] and list(tmp_path.glob(".*partial")) == []
