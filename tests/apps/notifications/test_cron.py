from __future__ import annotations

import datetime as dt

import pytest

from duizhang.apps.notifications.cron import ScheduleError, latest_tick

NOW = dt.datetime(2026, 11, 29, 4, 45)  # a Sunday


@pytest.mark.parametrize(
    ("schedule", "tick"),
    [
        ("0 9 1 * *", dt.datetime(2026, 11, 1, 9, 0)),
        ("*/15 * * * *", dt.datetime(2026, 11, 29, 4, 45)),
        ("0 8 * * 1-5", dt.datetime(2026, 11, 27, 8, 0)),
        ("30 4 * * 0", dt.datetime(2026, 11, 29, 4, 30)),
        ("0 9 1 1 *", dt.datetime(2026, 1, 1, 9, 0)),
        ("0 18 31 * *", dt.datetime(2026, 10, 31, 18, 0)),
    ],
)
def test_latest_tick(schedule: str, tick: dt.datetime) -> None:
    assert latest_tick(schedule, NOW) == tick


@pytest.mark.parametrize("schedule", ["0 9 1 *", "61 * * * *", "x 9 * * *", ""])
def test_bad_schedules(schedule: str) -> None:
    with pytest.raises(ScheduleError):
        latest_tick(schedule, NOW)
