"""The time of day a bank row carries, in Asia/Shanghai.

Importers keep each row as read in `Entry.raw`; bank and payment-platform exports name the column
交易时间, 记账时间, 入账时间 or `time` and write `10:23:45` or `2026-07-28 10:23:45`. A time with
an offset (`2026-07-28T02:23:45+00:00`) is converted; one without is taken as Shanghai time,
which is what Chinese banks print.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, time
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
_CLOCK = re.compile(r"(?<![\d:])([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?(?![\d:])")


def row_time(raw: Mapping[str, str]) -> time | None:
    """The first time of day found in a column whose name says it holds one."""
    for column, value in raw.items():
        if "时间" in column or "time" in column.casefold():
            found = _parse(str(value).strip())
            if found is not None:
                return found
    return None


def _parse(text: str) -> time | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        if moment.tzinfo is not None:
            return moment.astimezone(SHANGHAI).time().replace(tzinfo=None)
    match = _CLOCK.search(text)
    if match is None:
        return None
    hour, minute, second = match.groups()
    return time(int(hour), int(minute), int(second or 0))
