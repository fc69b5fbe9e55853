"""Background tasks: beat (or the in-process scheduler) calls `send_due` every minute."""

from __future__ import annotations

import datetime as dt
import logging

from duizhang.apps.notifications.delivery import deliver_due
from duizhang.apps.notifications.services import schedules_run_due
from duizhang.config.celery import app

_log = logging.getLogger("duizhang.notifications")

SEND_DUE_EVERY = 60.0  # seconds


def send_due_now(now: dt.datetime | None = None) -> str:
    """Run every schedule that is due (at `now`, company time; default now), then deliver
    every due message; a one-line summary."""
    runs = schedules_run_due(now)
    report = deliver_due()
    failed = [run for run in runs if run.status == run.Status.FAILED]
    summary = (
        f"{len(runs)} schedule run(s) ({len(failed)} failed), "
        f"{sum(run.queued for run in runs)} message(s) queued; "
        f"sent {report.sent}, retry later {report.retried}, failed {report.failed}, "
        f"queued again {report.requeued}, outcome unknown {report.unknown}"
    )
    if report.waiting:
        summary += f"; not sending: {report.waiting}"
    return summary


@app.task(name="notifications.send_due")
def send_due() -> str:
    summary = send_due_now()
    _log.info("send-due: %s", summary)
    return summary


@app.task(name="notifications.deliver_due")
def deliver_due_task() -> None:
    deliver_due()
