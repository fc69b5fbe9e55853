"""Reads for the manager's pages, and the preview context built from real data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from duizhang.apps.customers.models import Customer
from duizhang.apps.notifications import composing, cron
from duizhang.apps.notifications.models import (
    MessageStatus,
    OutboxMessage,
    Rule,
    RunStatus,
    ScheduleRun,
    TemplateKind,
)
from duizhang.apps.notifications.services import PERIOD_FORMAT, local_now

# A rule whose tick has not run this long after it is shown as late (the beat runs each minute).
LATE_AFTER = dt.timedelta(minutes=15)


def message_list(*, status: str = "", customer: Customer | None = None) -> QuerySet[OutboxMessage]:
    messages = OutboxMessage.objects.select_related("customer", "run__rule").defer("attachment")
    if status:
        messages = messages.filter(status=status)
    if customer is not None:
        messages = messages.filter(customer=customer)
    return messages.order_by("-created_at", "-id")


def message_counts() -> dict[str, int]:
    counts = dict(
        OutboxMessage.objects.values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in MessageStatus.values}


def attention_count() -> int:
    """Failed schedule runs still failed, and messages failed or in doubt: for the nav badge."""
    failed_runs = ScheduleRun.objects.filter(status=RunStatus.FAILED).count()
    messages = OutboxMessage.objects.filter(
        status__in=(MessageStatus.FAILED, MessageStatus.UNKNOWN)
    ).count()
    return failed_runs + messages


@dataclass(frozen=True, slots=True)
class RuleState:
    rule: Rule
    last_run: ScheduleRun | None
    due_tick: dt.datetime | None  # the latest tick, when it has not run
    late: bool  # its tick passed more than LATE_AFTER ago and nothing ran: a silent gap


def rule_states(now: dt.datetime | None = None) -> list[RuleState]:
    now = now or local_now()
    states = []
    for rule in Rule.objects.order_by("name"):
        last = rule.runs.order_by("-period").first()
        tick = cron.latest_tick(rule.schedule, now)
        ran = (
            tick is not None
            and rule.runs.filter(
                period=tick.strftime(PERIOD_FORMAT), status=RunStatus.SUCCEEDED
            ).exists()
        )
        due = None if ran or tick is None else tick
        late = bool(rule.enabled and due is not None and now - due > LATE_AFTER)
        states.append(RuleState(rule=rule, last_run=last, due_tick=due, late=late))
    return states


def failed_runs() -> QuerySet[ScheduleRun]:
    return ScheduleRun.objects.filter(status=RunStatus.FAILED).select_related("rule")


def recent_runs(limit: int = 20) -> QuerySet[ScheduleRun]:
    return ScheduleRun.objects.select_related("rule").order_by("-started_at", "-id")[:limit]


def preview_context(kind: str, customer: Customer, level: int = 0) -> dict[str, Any]:
    """What a template of `kind` would see for `customer` today; sample values where the
    customer has nothing of the sort (no overdue items, no new lines)."""
    today = timezone.localdate()
    context = {**composing.base_context(customer, today), "contact": {"name": _contact(customer)}}
    link = "https://duizhang.example/portal/link/…/"
    if kind == TemplateKind.STATEMENT:
        end = today.replace(day=1) - dt.timedelta(days=1)
        statement = composing.statement_mail(
            customer, period_start=end.replace(day=1), period_end=end, issued=today
        ) or {
            "period_start": end.replace(day=1),
            "period_end": end,
            "closing": "0.00",
            "currency": customer.currency,
            "open_items": [],
        }
        context.update(statement={**statement, "number": "DZ-…"}, attached=True, link=link)
    elif kind == TemplateKind.OVERDUE:
        currency, items = composing.overdue_items(customer, today)
        total = sum((item.open for item in items), Decimal(0))
        context.update(
            level=level or 7,
            items=[item.context for item in items],
            total_open=composing.money(total, currency),
            currency=currency,
        )
    elif kind == TemplateKind.DIGEST:
        entries = list(customer.entries.order_by("-date", "-id")[:5])
        context.update(
            entries=[composing.entry_context(entry) for entry in entries], count=len(entries)
        )
    elif kind == TemplateKind.CONFIRMATION_REMINDER:
        context.update(
            statement={"number": "DZ-…", "period_end": today, "sent_on": today}, link=link
        )
    elif kind == TemplateKind.DISPUTE_REPLY:
        context.update(dispute={"number": "D-1", "subject": "…"}, reply="…", link=link)
    else:
        context.update(subject="…", text="…", link=link)
    return context


def _contact(customer: Customer) -> str:
    contact = customer.contacts.filter(verified=True).order_by("id").first()
    return contact.name if contact else customer.name
