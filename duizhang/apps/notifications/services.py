"""Writes: templates and rules (the manager's), the outbox (anyone's event), schedule runs."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from duizhang.apps.accounts.roles import Role, require_role
from duizhang.apps.audit.services import audit_record
from duizhang.apps.customers.models import Contact, Customer
from duizhang.apps.notifications import composing, cron, sandbox
from duizhang.apps.notifications.defaults import DEFAULTS
from duizhang.apps.notifications.models import (
    REQUIRED_KINDS,
    DeliveryAttempt,
    MessageStatus,
    OutboxMessage,
    ReminderMark,
    Rule,
    RuleKind,
    RunStatus,
    ScheduleRun,
    Template,
    TemplateKind,
)
from duizhang.apps.statements.models import DocumentStatus
from duizhang.apps.statements.selectors import (
    customer_statements,
    statement_document_filename,
    statement_document_pdf,
)
from duizhang.apps.statements.services import statement_generate, statement_mark_sent

_log = logging.getLogger("duizhang.notifications")

PERIOD_FORMAT = "%Y-%m-%dT%H:%M"


class NotificationError(Exception):
    """A template or rule the manager entered cannot be used; the message says why."""


# Templates ------------------------------------------------------------------------------------


def templates_ensure() -> int:
    """Create the default templates that are missing; returns how many were created."""
    created = 0
    for (kind, language), (subject, body) in DEFAULTS.items():
        _template, made = Template.objects.get_or_create(
            kind=kind, language=language, level=0, defaults={"subject": subject, "body": body}
        )
        created += made
    return created


def template_save(
    *, by: User, kind: str, language: str, level: int, subject: str, body: str
) -> Template:
    """Create or change one template; refused unless both parts compile in the sandbox."""
    require_role(by, Role.MANAGER)
    for part in (subject, body):
        try:
            sandbox.check(part)
        except sandbox.TemplateError as error:
            raise NotificationError(str(error)) from error
    with transaction.atomic():
        template, _created = Template.objects.update_or_create(
            kind=kind,
            language=language,
            level=level,
            defaults={"subject": subject.strip(), "body": body, "updated_by": by},
        )
        audit_record(
            actor=by,
            action="notification-template-save",
            target=template,
            data={"kind": kind, "language": language, "level": level, "subject": subject},
        )
    return template


def template_for(kind: str, language: str, level: int = 0) -> Template:
    """The template of the highest level ≤ `level`, in `language`, else in Chinese."""
    for wanted in (language, "zh-hans"):
        template = (
            Template.objects.filter(kind=kind, language=wanted, level__lte=level)
            .order_by("-level")
            .first()
        )
        if template is not None:
            return template
    templates_ensure()
    return Template.objects.get(kind=kind, language="zh-hans", level=0)


def render(template: Template, context: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, body) in the template's language."""
    with translation.override(template.language):
        subject = sandbox.render(template.subject, context)
        body = sandbox.render(template.body, context)
    return " ".join(subject.split()), body


# Rules ----------------------------------------------------------------------------------------


def rule_save(
    *,
    by: User,
    rule: Rule,
    customers: Iterable[Customer] = (),
) -> Rule:
    require_role(by, Role.MANAGER)
    try:
        cron.parse(rule.schedule)
    except cron.ScheduleError as error:
        raise NotificationError(str(error)) from error
    if rule.kind in (RuleKind.OVERDUE, RuleKind.CONFIRMATION) and not rule.levels:
        raise NotificationError("reminders need at least one level (days)")
    rule.levels = sorted({int(level) for level in rule.levels})
    rule.run_as = rule.run_as or by
    with transaction.atomic():
        rule.full_clean()
        rule.save()
        rule.customers.set(customers)
        audit_record(
            actor=by,
            action="notification-rule-save",
            target=rule,
            data={
                "name": rule.name,
                "kind": rule.kind,
                "schedule": rule.schedule,
                "levels": rule.levels,
                "enabled": rule.enabled,
            },
        )
    return rule


# The outbox -----------------------------------------------------------------------------------


def recipients(customer: Customer, kind: str) -> list[Contact]:
    """Verified contacts with an address; reminders skip those who opted out of them."""
    contacts = customer.contacts.filter(verified=True).exclude(email="").order_by("id")
    if kind not in REQUIRED_KINDS:
        contacts = contacts.filter(reminders_opt_out=False)
    return list(contacts)


def message_id_for(key: str) -> str:
    """A Message-ID derived from the idempotency key: a resend after an unknown outcome carries
    the same one, so mail clients show it once."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "duizhang.local"
    return f"<{digest}@{domain}>"


def message_queue(
    *,
    key: str,
    kind: str,
    customer: Customer,
    contacts: list[Contact],
    context: Mapping[str, Any],
    level: int = 0,
    cc: Iterable[str] = (),
    attachment: tuple[str, bytes] | None = None,
    run: ScheduleRun | None = None,
) -> OutboxMessage | None:
    """Write one message to the outbox in the caller's transaction; None when `key` is there
    already (the event was handled before). The first contact decides the language."""
    if not contacts:
        raise NotificationError("a message needs at least one recipient")
    if OutboxMessage.objects.filter(key=key).exists():
        return None
    primary = contacts[0]
    template = template_for(kind, primary.language, level)
    subject, body = render(template, {**context, "contact": {"name": primary.name}})
    return OutboxMessage.objects.create(
        key=key,
        message_id=message_id_for(key),
        kind=kind,
        customer=customer,
        contact=primary,
        run=run,
        to=[contact.email for contact in contacts],
        cc=[address for address in cc if address],
        language=template.language,
        subject=subject,
        body=body,
        attachment_name=attachment[0] if attachment else "",
        attachment=attachment[1] if attachment else None,
    )


def notify_customer(
    *, kind: str, customer: Customer, key: str, context: Mapping[str, Any]
) -> OutboxMessage | None:
    """For other apps' events (a dispute reply, a portal account email): queue the message in
    the caller's transaction; the sender delivers it after the commit. None when the customer
    has no contact to write to, or the event was notified already."""
    contacts = recipients(customer, kind)
    if not contacts:
        return None
    today = timezone.localdate()
    message = message_queue(
        key=f"{kind}:{key}",
        kind=kind,
        customer=customer,
        contacts=contacts,
        context={**composing.base_context(customer, today), **context},
    )
    if message is not None:
        from duizhang.apps.notifications.tasks import deliver_due_task
        from duizhang.config.celery import run_later

        run_later(deliver_due_task)
    return message


def message_resolve(*, message: OutboxMessage, by: User, delivered: bool) -> OutboxMessage:
    """A manager decides a message whose outcome is unknown (or that failed): it did arrive
    (mark sent) or it did not (queue it again, same Message-ID)."""
    require_role(by, Role.MANAGER)
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if message.status not in (MessageStatus.UNKNOWN, MessageStatus.FAILED):
            raise NotificationError("only a failed message or one whose outcome is unknown")
        now = timezone.now()
        if delivered:
            message.status, message.sent_at = MessageStatus.SENT, now
            answer = f"marked as delivered by {by.get_username()}"
        else:
            message.status, message.next_attempt_at = MessageStatus.QUEUED, now
            message.handed_over_at = None
            message.attempts = 0
            answer = f"queued again by {by.get_username()}"
        message.save()
        DeliveryAttempt.objects.create(
            message=message, outcome=DeliveryAttempt.Outcome.RESOLVED, answer=answer
        )
        audit_record(
            actor=by,
            action="notification-message-resolve",
            customer=message.customer,
            target=message,
            data={"key": message.key, "delivered": delivered},
        )
    return message


# Schedule runs --------------------------------------------------------------------------------


def local_now() -> dt.datetime:
    return timezone.localtime().replace(tzinfo=None)


def rule_due_tick(rule: Rule, now: dt.datetime) -> dt.datetime | None:
    """The rule's latest tick ≤ now (naive, company time) if no successful run has it yet."""
    tick = cron.latest_tick(rule.schedule, now)
    if tick is None:
        return None
    done = rule.runs.filter(period=tick.strftime(PERIOD_FORMAT), status=RunStatus.SUCCEEDED)
    return None if done.exists() else tick


def schedules_run_due(now: dt.datetime | None = None) -> list[ScheduleRun]:
    """Run every enabled rule whose latest tick has not run. Only the latest: after a long stop
    the missed month-end still goes out, but not every daily reminder in between."""
    now = now or local_now()
    templates_ensure()
    runs = []
    for rule in Rule.objects.filter(enabled=True).order_by("id"):
        tick = rule_due_tick(rule, now)
        if tick is not None:
            run = rule_run(rule=rule, tick=tick)
            if run is not None:
                runs.append(run)
    return runs


def rule_run(*, rule: Rule, tick: dt.datetime) -> ScheduleRun | None:
    """Run `rule` for the period `tick` names: the run row and its messages in one transaction.

    None when the period ran already (the unique (rule, period) says so, even for two processes
    at once). A run that raises is recorded as failed, with the error, in its own transaction:
    the dashboard shows it and the next pass tries again.
    """
    period = tick.strftime(PERIOD_FORMAT)
    try:
        with transaction.atomic():
            run = ScheduleRun.objects.select_for_update().filter(rule=rule, period=period).first()
            if run is not None and run.status == RunStatus.SUCCEEDED:
                return None
            run = run or ScheduleRun(rule=rule, period=period)
            run.status, run.error, run.started_at = RunStatus.SUCCEEDED, "", timezone.now()
            run.save()
            queued, skipped = RUNNERS[rule.kind](rule, run, tick)
            run.queued, run.skipped, run.finished_at = queued, skipped, timezone.now()
            run.save()
    except IntegrityError as error:
        if ScheduleRun.objects.filter(
            rule=rule, period=period, status=RunStatus.SUCCEEDED
        ).exists():
            return None  # another process ran this period at the same moment
        return _run_failed(rule, period, error)
    except Exception as error:
        return _run_failed(rule, period, error)
    return run


def _run_failed(rule: Rule, period: str, error: Exception) -> ScheduleRun:
    _log.error("notification rule %s failed for %s", rule, period, exc_info=error)
    with transaction.atomic():
        run, _created = ScheduleRun.objects.update_or_create(
            rule=rule,
            period=period,
            defaults={
                "status": RunStatus.FAILED,
                "error": f"{type(error).__name__}: {error}",
                "finished_at": timezone.now(),
                "queued": 0,
            },
        )
    return run


Outcome = tuple[int, list[str]]


def _customers(rule: Rule) -> list[Customer]:
    chosen = list(rule.customers.select_related("company").order_by("code"))
    if chosen:
        return chosen
    return list(
        Customer.objects.filter(status=Customer.Status.ACTIVE)
        .select_related("company")
        .order_by("code")
    )


def _previous_month(day: dt.date) -> tuple[dt.date, dt.date]:
    end = day.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def _run_statements(rule: Rule, run: ScheduleRun, tick: dt.datetime) -> Outcome:
    """The previous month's statement for each customer who owes something, one email each."""
    period_start, period_end = _previous_month(tick.date())
    queued, skipped = 0, []
    for customer in _customers(rule):
        contacts = recipients(customer, TemplateKind.STATEMENT)
        if not contacts:
            skipped.append(f"{customer.code}: no verified contact")
            continue
        mail = composing.statement_mail(
            customer, period_start=period_start, period_end=period_end, issued=tick.date()
        )
        if mail is None:
            skipped.append(f"{customer.code}: nothing due")
            continue
        if rule.run_as is None:
            raise NotificationError(f"rule {rule} names no one to issue statements on behalf of")
        document = statement_generate(
            customer=customer,
            by=rule.run_as,
            period_start=period_start,
            period_end=period_end,
            language="en" if contacts[0].language == "en" else "zh-Hans",
        )
        statement_mark_sent(document=document, by=rule.run_as)
        link = composing.confirmation_link(document, contacts[0])
        message = message_queue(
            key=f"rule:{rule.pk}:{run.period}:{customer.pk}",
            kind=TemplateKind.STATEMENT,
            customer=customer,
            contacts=contacts,
            context={
                **composing.base_context(customer, tick.date()),
                "statement": {**mail, "number": document.label},
                "attached": rule.attach_pdf,
                "link": link,
            },
            cc=[rule.copy_to],
            attachment=(
                (statement_document_filename(document, "pdf"), statement_document_pdf(document))
                if rule.attach_pdf
                else None
            ),
            run=run,
        )
        queued += message is not None
    return queued, skipped


def _run_overdue(rule: Rule, run: ScheduleRun, tick: dt.datetime) -> Outcome:
    """One reminder per customer when a document reaches a level it was not reminded at; the
    reminder lists every overdue document, with what is left of each."""
    today = tick.date()
    levels = sorted(int(level) for level in rule.levels)
    queued, skipped = 0, []
    for customer in _customers(rule):
        currency, items = composing.overdue_items(customer, today)
        reached = {
            item.key: max(level for level in levels if item.days_overdue >= level)
            for item in items
            if item.days_overdue >= levels[0]
        }
        if not reached:
            continue
        marked = set(
            ReminderMark.objects.filter(rule=rule, customer=customer).values_list("item", "level")
        )
        new = {key: level for key, level in reached.items() if (key, level) not in marked}
        if not new:
            continue
        contacts = recipients(customer, TemplateKind.OVERDUE)
        if not contacts:
            skipped.append(f"{customer.code}: no contact accepts reminders")
            continue
        level = max(new.values())
        shown = [item for item in items if item.key in reached]
        total = sum((item.open for item in shown), Decimal(0))
        message = message_queue(
            key=f"rule:{rule.pk}:{run.period}:{customer.pk}",
            kind=TemplateKind.OVERDUE,
            customer=customer,
            contacts=contacts,
            level=level,
            context={
                **composing.base_context(customer, today),
                "level": level,
                "items": [item.context for item in shown],
                "total_open": composing.money(total, currency),
                "currency": currency,
            },
            cc=[rule.copy_to],
            run=run,
        )
        if message is None:
            continue
        ReminderMark.objects.bulk_create(
            ReminderMark(rule=rule, customer=customer, item=key, level=lvl, message=message)
            for key, lvl in new.items()
        )
        queued += 1
    return queued, skipped


def _run_digest(rule: Rule, run: ScheduleRun, tick: dt.datetime) -> Outcome:
    """The lines imported into our ledger since the rule's previous tick, one email each."""
    zone = timezone.get_current_timezone()
    until = tick.replace(tzinfo=zone)
    previous = (
        rule.runs.filter(status=RunStatus.SUCCEEDED, period__lt=run.period)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    since = (
        dt.datetime.strptime(previous, PERIOD_FORMAT).replace(tzinfo=zone)
        if previous
        else rule.created_at
    )
    queued, skipped = 0, []
    for customer in _customers(rule):
        entries = list(composing.new_entries(customer, since, until))
        if not entries:
            continue
        contacts = recipients(customer, TemplateKind.DIGEST)
        if not contacts:
            skipped.append(f"{customer.code}: no contact accepts reminders")
            continue
        message = message_queue(
            key=f"rule:{rule.pk}:{run.period}:{customer.pk}",
            kind=TemplateKind.DIGEST,
            customer=customer,
            contacts=contacts,
            context={
                **composing.base_context(customer, tick.date()),
                "entries": [composing.entry_context(entry) for entry in entries],
                "count": len(entries),
            },
            cc=[rule.copy_to],
            run=run,
        )
        queued += message is not None
    return queued, skipped


def _run_confirmations(rule: Rule, run: ScheduleRun, tick: dt.datetime) -> Outcome:
    """Remind customers of statements sent and still not confirmed or disputed, once per
    statement and level (days since it was sent), one email per customer."""
    today = tick.date()
    levels = sorted(int(level) for level in rule.levels)
    queued, skipped = 0, []
    for customer in _customers(rule):
        waiting = [
            (document, max(level for level in levels if age >= level))
            for document in customer_statements(customer).filter(status=DocumentStatus.SENT)
            if document.sent_at is not None
            and (age := (today - timezone.localdate(document.sent_at)).days) >= levels[0]
        ]
        marked = set(
            ReminderMark.objects.filter(rule=rule, customer=customer).values_list("item", "level")
        )
        new = [
            (document, level)
            for document, level in waiting
            if (document.label, level) not in marked
        ]
        if not new:
            continue
        contacts = recipients(customer, TemplateKind.CONFIRMATION_REMINDER)
        if not contacts:
            skipped.append(f"{customer.code}: no contact accepts reminders")
            continue
        for document, level in new:
            message = message_queue(
                key=f"rule:{rule.pk}:{run.period}:{customer.pk}:{document.pk}",
                kind=TemplateKind.CONFIRMATION_REMINDER,
                customer=customer,
                contacts=contacts,
                context={
                    **composing.base_context(customer, today),
                    "statement": {
                        "number": document.label,
                        "period_end": document.period_end,
                        "sent_on": timezone.localdate(document.sent_at),
                    },
                    "link": composing.confirmation_link(document, contacts[0]),
                },
                cc=[rule.copy_to],
                run=run,
            )
            if message is not None:
                ReminderMark.objects.create(
                    rule=rule, customer=customer, item=document.label, level=level, message=message
                )
                queued += 1
    return queued, skipped


RUNNERS: dict[str, Callable[[Rule, ScheduleRun, dt.datetime], Outcome]] = {
    RuleKind.STATEMENT: _run_statements,
    RuleKind.OVERDUE: _run_overdue,
    RuleKind.DIGEST: _run_digest,
    RuleKind.CONFIRMATION: _run_confirmations,
}
