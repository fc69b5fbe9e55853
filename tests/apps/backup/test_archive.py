"""The archive format alone: what goes in comes out, and damage is named before anything is used."""

from __future__ import annotations

import io
import json
import re
import tarfile
from pathlib import Path

import pytest

from duizhang.apps.backup.archive import BackupError, unpack_verified, write_archive


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    data = tmp_path / "data.jsonl"
    data.write_text('{"model": "auth.user", "pk": 1}\n', "utf-8")
    media = tmp_path / "media-root"
    (media / "uploads").mkdir(parents=True)
    (media / "uploads" / "对账单.csv").write_bytes(b"a,b\n1,2\n")
    out = tmp_path / "out.tar.gz"
    members = write_archive(out, {"counts": {"auth.user": 1}}, data, media)
    assert sorted(members) == ["data.jsonl", "media/uploads/对账单.csv"]
    return out


def repack(source: Path, out: Path, change=lambda name, body: body, extra: str = "") -> Path:
    """Copy an archive member by member; `change(name, bytes)` returns new bytes or None to drop;
    a member named `extra` is added at the end."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(out, "w:gz") as new:
        for info in old.getmembers():
            member = old.extractfile(info)
            assert member is not None, info.name
            body = change(info.name, member.read())
            if body is not None:
                info.size = len(body)
                new.addfile(info, io.BytesIO(body))
        if extra:
            info = tarfile.TarInfo(extra)
            info.size = 1
            new.addfile(info, io.BytesIO(b"x"))
    return out


def test_unpacks_what_was_packed(archive: Path, tmp_path: Path):
    into = tmp_path / "into"
    into.mkdir()
    manifest = unpack_verified(archive, into)
    assert manifest["format"] == "duizhang-backup" and manifest["version"] == 1
    assert manifest["counts"] == {"auth.user": 1}
    assert manifest["members"]["media/uploads/对账单.csv"] == {
        "size": 8,
        "sha256": "492d5ea496056f1a6a6592241032fab764c321596317930b4fa0e1e8bc3b7470",
    }
    assert (into / "media" / "uploads" / "对账单.csv").read_bytes() == b"a,b\n1,2\n"


def test_flipped_bytes_are_refused(archive: Path, tmp_path: Path):
    body = bytearray(archive.read_bytes())
    body[len(body) // 2] ^= 0xFF
    archive.write_bytes(bytes(body))
    into = tmp_path / "into"
    into.mkdir()
    with pytest.raises(
        BackupError, match=re.escape("out.tar.gz is damaged or not a duizhang backup")
    ):
        unpack_verified(archive, into)


def test_truncated_archive_is_refused(archive: Path, tmp_path: Path):
    archive.write_bytes(archive.read_bytes()[:-200])
    with pytest.raises(BackupError, match="is damaged"):
        unpack_verified(archive, tmp_path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda name, body: body + b"x" if name == "data.jsonl" else body,
            "data.jsonl does not match its sha256",
        ),
        (
            lambda name, body: None if name.startswith("media/") else body,
            "media/uploads/对账单.csv is listed in the manifest but missing",
        ),
        (lambda name, body: None if name == "manifest.json" else body, "has no readable manifest"),
        (
            lambda name, body: (
                json.dumps({"format": "other"}).encode() if name == "manifest.json" else body
            ),
            "is not a duizhang backup",
        ),
    ],
    ids=["changed-data", "missing-file", "no-manifest", "foreign-manifest"],
)
def test_tampered_members_are_refused(archive: Path, tmp_path: Path, change, message):
    tampered = repack(archive, tmp_path / "tampered.tar.gz", change)
    into = tmp_path / "into"
    into.mkdir()
    with pytest.raises(BackupError, match=re.escape(message)):
        unpack_verified(tampered, into)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("media/extra.txt", "media/extra.txt is not listed in the manifest"),
        ("../escape.txt", "unexpected member '../escape.txt'"),
        ("settings.py", "unexpected member 'settings.py'"),
    ],
)
def test_unlisted_and_unsafe_members_are_refused(archive: Path, tmp_path: Path, name, message):
    tampered = repack(archive, tmp_path / "tampered.tar.gz", extra=name)
    into = tmp_path / "into"
    into.mkdir()
    with pytest.raises(BackupError, match=re.escape(message)):
        unpack_verified(tampered, into)
    assert not (tmp_path / "escape.txt").exists()
