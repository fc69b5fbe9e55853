from __future__ import annotations

from datetime import time

import pytest

from duizhang.risk import row_time


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"交易日期": "2026-07-28", "交易时间": "22:15:03"}, time(22, 15, 3)),
        ({"交易时间": "2026-07-28 09:05"}, time(9, 5)),
        ({"入账时间": "2026/07/28 7:30:00"}, time(7, 30)),
        ({"Transaction Time": "2026-07-28T15:00:00+00:00"}, time(23, 0)),  # UTC → Shanghai
        ({"交易时间": "2026-07-28"}, None),  # a date-time column holding only dates
        ({"日期": "2026-07-28 10:00:00"}, None),  # not a time column
        ({"摘要": "09:30 到账"}, None),
        ({}, None),
    ],
)
def test_row_time(raw: dict[str, str], expected: time | None) -> None:
    assert row_time(raw) == expected
