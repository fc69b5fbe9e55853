"""Natural ids for entries whose file gives none, so that overlapping imports find the same line.

A line's id is what the source calls it (bank serial, FITID, voucher number) when there is one;
otherwise a fingerprint of the fields that identify it, with `#2`, `#3` … for identical lines
within one file (two equal coffees on one day are two lines, not one).
"""

from __future__ import annotations

import hashlib
from collections import Counter


def fingerprint(*parts: object) -> str:
    """A short, stable digest of the identifying fields of one line."""
    text = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class UniqueIds:
    """Hands out ids unique within one file: the first `x` stays `x`, repeats become `x#2`, …"""

    def __init__(self) -> None:
        self._seen: Counter[str] = Counter()

    def __call__(self, key: str) -> str:
        self._seen[key] += 1
        count = self._seen[key]
        return key if count == 1 else f"{key}#{count}"
