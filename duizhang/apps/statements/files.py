"""Write-once files under MEDIA_ROOT (outside the web root): random names, never overwritten,
read back only when their SHA-256 still matches what the database recorded."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from django.conf import settings


class StoredFileError(Exception):
    """A stored file is missing or its bytes no longer match the recorded digest."""


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def file_write(folder: str, suffix: str, data: bytes) -> tuple[str, str]:
    """Store `data` as a new file in `folder` (relative to MEDIA_ROOT); returns (relative path,
    sha256). Mode "xb" refuses to replace anything that exists."""
    directory = media_root() / folder
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}{suffix}"
    with (directory / name).open("xb") as handle:
        handle.write(data)
    return f"{folder}/{name}", hashlib.sha256(data).hexdigest()


def file_read(relative: str, sha256: str) -> bytes:
    path = (media_root() / relative).resolve()
    if media_root().resolve() not in path.parents:
        raise StoredFileError(f"{relative} is not under MEDIA_ROOT")
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise StoredFileError(f"{relative} is missing") from error
    if hashlib.sha256(data).hexdigest() != sha256:
        raise StoredFileError(f"{relative} has changed since it was stored")
    return data


def file_remove(relative: str) -> None:
    """Only for files whose database row was rolled back (never for a committed document)."""
    (media_root() / relative).unlink(missing_ok=True)
