"""The backup archive: one .tar.gz holding the data, the uploaded files and a manifest that
lists every member with its size and sha256. Nothing here knows about Django.

Unpacking checks everything before anything leaves the scratch directory: the gzip stream, the
manifest, that the members are exactly the listed ones, and every size and hash.
"""

from __future__ import annotations

import hashlib
import json
import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

FORMAT = "duizhang-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.jsonl"
MEDIA = "media"
CHUNK = 1 << 20


class BackupError(Exception):
    """The archive cannot be written or cannot be trusted; the message says why."""


@dataclass(frozen=True, slots=True)
class Member:
    size: int
    sha256: str


def file_digest(path: Path) -> Member:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return Member(size, digest.hexdigest())


class _HashingReader:
    """Reads a file for tarfile while hashing exactly the bytes that go into the archive."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        return chunk


def media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(name inside the archive, path) of every regular file under `root`, in a stable order."""
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield f"{MEDIA}/{path.relative_to(root).as_posix()}", path


def write_archive(
    out: Path, manifest: dict[str, Any], data: Path, media_root: Path
) -> dict[str, dict[str, Any]]:
    """Write data and media, then the manifest (listing what was actually written), to `out`;
    return the members listed. The caller writes to a scratch name and renames, so a failure
    leaves no half archive."""
    members: dict[str, dict[str, Any]] = {}
    with tarfile.open(out, "w:gz") as tar:
        for name, path in [(DATA, data), *media_files(media_root)]:
            with path.open("rb") as handle:
                info = tar.gettarinfo(fileobj=handle, arcname=name)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                reader = _HashingReader(handle)
                tar.addfile(info, reader)
            members[name] = {"size": info.size, "sha256": reader.digest.hexdigest()}
        body = json.dumps(
            {**manifest, "format": FORMAT, "version": VERSION, "members": members},
            indent=2,
            sort_keys=True,
            ensure_ascii=False,
        ).encode("utf-8")
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(body)
        info.mtime = int(data.stat().st_mtime)
        tar.addfile(info, _BytesReader(body))
    return members


class _BytesReader:
    def __init__(self, body: bytes) -> None:
        self.body = body
        self.offset = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.body) if size < 0 else self.offset + size
        chunk = self.body[self.offset : end]
        self.offset += len(chunk)
        return chunk


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and (name in (MANIFEST, DATA) or (path.parts[0] == MEDIA and len(path.parts) > 1))
    )


def unpack_verified(archive: Path, into: Path) -> dict[str, Any]:
    """Unpack `archive` into the scratch directory `into` and return its manifest, or raise
    BackupError naming the first thing that does not check out."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for info in tar:
                if not info.isfile() or not _safe_name(info.name):
                    raise BackupError(f"{archive.name}: unexpected member {info.name!r}")
                tar.extract(info, into, filter="data")
            if tar.fileobj is not None:  # read to the end so gzip checks its CRC and length
                while tar.fileobj.read(CHUNK):
                    pass
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        if isinstance(error, FileNotFoundError):
            raise BackupError(f"{archive}: no such file") from error
        raise BackupError(f"{archive.name} is damaged or not a duizhang backup: {error}") from error
    try:
        manifest = json.loads((into / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{archive.name} has no readable manifest: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive.name} is not a duizhang backup")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"{archive.name} is backup format {manifest.get('version')}, not {VERSION}"
        )
    listed: dict[str, dict[str, Any]] = manifest.get("members", {})
    present = {path.relative_to(into).as_posix() for path in into.rglob("*") if path.is_file()} - {
        MANIFEST
    }
    if DATA not in listed:
        raise BackupError(f"{archive.name}: the manifest lists no {DATA}")
    if missing := sorted(set(listed) - present):
        raise BackupError(f"{archive.name}: {missing[0]} is listed in the manifest but missing")
    if extra := sorted(present - set(listed)):
        raise BackupError(f"{archive.name}: {extra[0]} is not listed in the manifest")
    for name, expected in sorted(listed.items()):
        actual = file_digest(into / name)
        if (actual.size, actual.sha256) != (expected.get("size"), expected.get("sha256")):
            raise BackupError(f"{archive.name}: {name} does not match its sha256 in the manifest")
    return manifest
