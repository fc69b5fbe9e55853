"""When a rule's schedule last fired: the latest tick at or before a moment.

The five fields are parsed by Celery's `crontab` (the same semantics beat uses in production);
the search walks back day by day (at most a year and a day) and takes the latest listed hour
and minute of the first matching day.
"""

from __future__ import annotations

import datetime as dt

from celery.schedules import ParseException, crontab

SEARCH_DAYS = 367


class ScheduleError(ValueError):
    """The schedule is not five valid cron fields."""


def parse(schedule: str) -> crontab:
    fields = schedule.split()
    if len(fields) != 5:
        raise ScheduleError(
            f"a schedule has five fields (minute hour day month weekday): {schedule!r}"
        )
    minute, hour, day_of_month, month_of_year, day_of_week = fields
    try:
        return crontab(
            minute=minute,
            hour=hour,
            day_of_month=day_of_month,
            month_of_year=month_of_year,
            day_of_week=day_of_week,
        )
    except (ParseException, ValueError) as error:
        raise ScheduleError(f"{schedule!r}: {error}") from error


def latest_tick(schedule: str, now: dt.datetime) -> dt.datetime | None:
    """The latest moment ≤ `now` (a naive local time, minutes) the schedule names."""
    cron = parse(schedule)
    now = now.replace(second=0, microsecond=0)
    for back in range(SEARCH_DAYS):
        day = now.date() - dt.timedelta(days=back)
        weekday = (day.weekday() + 1) % 7  # cron: 0 is Sunday
        if (
            day.day not in cron.day_of_month
            or day.month not in cron.month_of_year
            or weekday not in cron.day_of_week
        ):
            continue
        for hour in sorted(cron.hour, reverse=True):
            for minute in sorted(cron.minute, reverse=True):
                moment = dt.datetime.combine(day, dt.time(hour, minute))
                if moment <= now:
                    return moment
    return None
