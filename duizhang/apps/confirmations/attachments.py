"""Accepting an upload: its first bytes must say PDF or image, and its name must agree.

The extension alone proves nothing (a program renamed .pdf), so the type is read from the
content; a file whose content and name disagree is refused, as is anything over
ATTACHMENT_MAX_BYTES. A refused file is never written anywhere.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile


class AttachmentRefusedError(ValueError):
    """The upload is not a PDF or an image, or it is empty or too large."""


@dataclass(frozen=True, slots=True)
class Kind:
    content_type: str
    extensions: tuple[str, ...]


PDF = Kind("application/pdf", (".pdf",))
PNG = Kind("image/png", (".png",))
JPEG = Kind("image/jpeg", (".jpg", ".jpeg"))
WEBP = Kind("image/webp", (".webp",))
ALLOWED_EXTENSIONS = (*PDF.extensions, *PNG.extensions, *JPEG.extensions, *WEBP.extensions)


@dataclass(frozen=True, slots=True)
class CheckedUpload:
    name: str
    kind: Kind
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def sniff(head: bytes) -> Kind | None:
    """The kind the content says it is, from its signature bytes."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def upload_check(upload: UploadedFile) -> CheckedUpload:
    limit = int(settings.ATTACHMENT_MAX_BYTES)
    name = PurePath(str(upload.name or "")).name[:200]
    if upload.size is not None and upload.size > limit:
        raise AttachmentRefusedError(f"{name} is larger than {limit // (1024 * 1024)} MB")
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise AttachmentRefusedError(f"{name} is larger than {limit // (1024 * 1024)} MB")
    if not data:
        raise AttachmentRefusedError(f"{name} is empty")
    kind = sniff(data[:16])
    if kind is None:
        raise AttachmentRefusedError(f"{name} is not a PDF or an image (PNG, JPEG, WebP)")
    if PurePath(name).suffix.lower() not in kind.extensions:
        raise AttachmentRefusedError(
            f"{name} holds {kind.content_type}; its name should end in {kind.extensions[0]}"
        )
    return CheckedUpload(name=name, kind=kind, data=data)
