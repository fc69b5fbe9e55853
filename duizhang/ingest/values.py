"""Cell-level parsing shared by the importers: amounts, dates and text as real files write them."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

_ENCODINGS = ("utf-8-sig", "gb18030")
_CURRENCY_MARKS = str.maketrans("", "", "¥￥元$\u00a0 \t`'")
# Thousands separators group by three; `12,50` (a decimal comma) is refused, not read as 1250.
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:[,，]\d{3})+(?:\.\d*)?$")
_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日"), "ymd"),
    (re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]|$)"), "ymd"),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})(?:[ T]|$)"), "ymd"),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s|$)"), "mdy"),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s|$)"), "dmy"),
)


def read_text(path: Path) -> str:
    """Decode a text export: UTF-8 with or without BOM, else GBK/GB18030 (Chinese bank default)."""
    data = path.read_bytes()
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("gb18030", data, 0, len(data), "neither UTF-8 nor GB18030")


def parse_amount(text: str) -> Decimal | None:
    """Parse an amount as Chinese exports write it; None for an empty cell.

    Handles `¥`/`￥`/`元`, thousands separators, `(12.00)` and `12.00-` for negatives, and a
    leading `+`. Raises ValueError for anything else, so the caller can name the row.
    """
    cleaned = text.strip().translate(_CURRENCY_MARKS)
    if cleaned in ("", "-", "--", "/"):
        return None
    negative = False
    if (cleaned.startswith("(") and cleaned.endswith(")")) or (
        cleaned.startswith("（") and cleaned.endswith("）")
    ):
        negative, cleaned = True, cleaned[1:-1]
    elif cleaned.endswith("-") and len(cleaned) > 1:
        negative, cleaned = True, cleaned[:-1]
    if "," in cleaned or "，" in cleaned:
        if not _GROUPED.match(cleaned):
            raise ValueError(f"not an amount: {text!r}")
        cleaned = cleaned.replace(",", "").replace("，", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"not an amount: {text!r}") from None
    if not amount.is_finite():
        raise ValueError(f"not an amount: {text!r}")
    return -amount if negative else amount


def parse_date(text: str, *, day_first: bool = False) -> date:
    """Parse 2026-10-05, 2026/10/5, 2026.10.05, 20261005, 2026年10月5日 (time parts ignored)
    US-style 10/5/2026 and European 5.10.2026. Raises ValueError otherwise."""
    cleaned = text.strip().strip("\t`'")
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(cleaned)
        if not match:
            continue
        a, b, c = (int(group) for group in match.groups())
        try:
            if order == "ymd":
                return date(a, b, c)
            if order == "dmy":
                return date(c, b, a)
            return date(c, b, a) if day_first else date(c, a, b)
        except ValueError:
            break
    try:
        return datetime.fromisoformat(cleaned).date()
    except ValueError:
        raise ValueError(f"not a date: {text!r}") from None


def clean_text(text: object) -> str:
    """Strip the padding, tabs and backticks exports use to keep numbers as text in Excel."""
    if text is None:
        return ""
    return str(text).strip().strip("\t`").strip()
