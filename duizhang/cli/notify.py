"""Notifications from the command line: run what is due, run one rule, start the worker."""

from __future__ import annotations

import datetime as dt
import os
import sys

import click

from duizhang.cli.app import setup_django


@click.command(name="send-due")
@click.option(
    "--at",
    "at",
    type=click.DateTime(formats=["%Y-%m-%dT%H:%M"]),
    help="Run the schedules due at this moment (company time) rather than now.",
)
def send_due(at: dt.datetime | None) -> None:
    """Run every notification schedule that is due, then send every due email, once.

    Running it again sends nothing new: each rule runs once per period and each message has
    its own idempotency key. Mail goes to EMAIL_URL (smtp://host:port).

    \b
    Example:
        EMAIL_URL=smtp://127.0.0.1:1025 duizhang send-due
    """
    setup_django()
    from duizhang.apps.notifications.tasks import send_due_now

    click.echo(send_due_now(now=at))


@click.command(name="notify-run")
@click.argument("rule_name")
@click.option(
    "--at",
    "at",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M"]),
    help="Run the tick at or before this moment (company time); default now.",
)
@click.option("--no-send", is_flag=True, help="Only queue the messages.")
def notify_run(rule_name: str, at: dt.datetime | None, no_send: bool) -> None:
    """Run one rule for the period of its latest tick (at or before --at), then send.

    \b
    Example:
        duizhang notify-run 月末对账单 --at 2026-11-01T09:00
    """
    setup_django()
    from duizhang.apps.notifications import cron
    from duizhang.apps.notifications.delivery import deliver_due
    from duizhang.apps.notifications.models import Rule
    from duizhang.apps.notifications.services import local_now, rule_run, templates_ensure

    rule = Rule.objects.filter(name=rule_name).first()
    if rule is None:
        raise click.ClickException(f"no rule named {rule_name!r}")
    moment = at if at is not None and (at.hour or at.minute) else None
    if at is not None and moment is None:
        moment = at.replace(hour=23, minute=59)
    tick = cron.latest_tick(rule.schedule, moment or local_now())
    if tick is None:
        raise click.ClickException("the schedule names no moment in the year before")
    templates_ensure()
    run = rule_run(rule=rule, tick=tick)
    if run is None:
        click.echo(f"{rule.name} {tick:%Y-%m-%d %H:%M}: ran before, nothing queued")
    else:
        click.echo(f"{rule.name} {run.period}: {run.status}, {run.queued} message(s) queued")
        for reason in run.skipped:
            click.echo(f"  skipped {reason}")
        if run.error:
            click.echo(f"  error: {run.error}")
    if not no_send:
        report = deliver_due()
        click.echo(f"sent {report.sent}, failed {report.failed}, retry later {report.retried}")
        if report.waiting:
            click.echo(f"not sending: {report.waiting}")


@click.command()
@click.option("--loglevel", default="info", show_default=True)
def worker(loglevel: str) -> None:
    """Send notifications in the background: Celery worker with beat when CELERY_BROKER_URL is
    set, else the same periodic tasks in this process (until Ctrl+C).

    \b
    Example:
        CELERY_BROKER_URL=redis://127.0.0.1:6379/0 duizhang worker
    """
    setup_django()
    from django.conf import settings

    if settings.TASKS_RUNNER == "celery":
        schedule = settings.VAR_DIR / "celerybeat-schedule"
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "duizhang.config.celery",
            "worker",
            "--beat",
            f"--schedule={schedule}",
            f"--loglevel={loglevel}",
        ]
        os.execv(sys.executable, command)
    from duizhang.config.celery import beat_forever

    click.echo("no broker configured: running the periodic tasks in this process")
    try:
        beat_forever()
    except KeyboardInterrupt:
        click.echo("stopped")


COMMANDS = (send_due, notify_run, worker)
