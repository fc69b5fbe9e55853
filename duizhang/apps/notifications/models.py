"""Automated email: templates, rules on a schedule, the runs they made, and an outbox.

The outbox is the single way out: a row is written in the same transaction as the event that
causes it (a schedule run, a dispute reply), and a sender delivers it later. Its `key` is unique,
so the same event can never queue the same message twice; its status records what happened:

    queued → sending (claimed with a lease) → sent
                                            ↘ queued again (temporary failure, with backoff)
                                            ↘ failed (permanent failure or attempts used up)
                                            ↘ unknown (the sender stopped after handing the
                                              message to the server; a manager decides)
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duizhang.apps.customers.models import Contact, Customer


class TemplateKind(models.TextChoices):
    STATEMENT = "statement", _("statement ready")
    CONFIRMATION_REMINDER = "confirmation-reminder", _("confirmation reminder")
    OVERDUE = "overdue", _("overdue reminder")
    DIGEST = "digest", _("new transactions")
    DISPUTE_REPLY = "dispute-reply", _("dispute reply")
    ACCOUNT = "account", _("portal account")


# Documents the customer must receive whatever their reminder preference.
REQUIRED_KINDS = frozenset(
    {TemplateKind.STATEMENT, TemplateKind.DISPUTE_REPLY, TemplateKind.ACCOUNT}
)


class Language(models.TextChoices):
    CHINESE = "zh-hans", "简体中文"
    ENGLISH = "en", "English"


class Template(models.Model):
    """The subject and body of one kind of email in one language (and, for overdue reminders,
    one level: the days past due; 0 is the fallback for every level)."""

    Kind = TemplateKind

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=7, choices=Language.choices)
    level = models.PositiveSmallIntegerField(_("days past due"), default=0)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("email template")
        verbose_name_plural = _("email templates")
        ordering = ("kind", "level", "language")
        constraints = (
            models.UniqueConstraint(
                fields=["kind", "level", "language"], name="notification_template_once"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=TemplateKind.values), name="notification_template_kind"
            ),
        )

    def __str__(self) -> str:
        level = f" +{self.level}d" if self.level else ""
        return f"{self.get_kind_display()}{level} ({self.language})"


class RuleKind(models.TextChoices):
    STATEMENT = "statement", _("month-end statement")
    DIGEST = "digest", _("digest of new transactions")
    OVERDUE = "overdue", _("overdue reminders")
    CONFIRMATION = "confirmation", _("confirmation reminders")


class Rule(models.Model):
    """A schedule (five cron fields in the company's time zone) and what to send on each tick."""

    Kind = RuleKind

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    schedule = models.CharField(
        _("schedule"),
        max_length=100,
        help_text=_("minute hour day-of-month month day-of-week, e.g. 0 9 1 * * (9:00 on the 1st)"),
    )
    customers = models.ManyToManyField(
        Customer, blank=True, related_name="+", verbose_name=_("customers (none: all active)")
    )
    levels = models.JSONField(_("reminder levels (days past due)"), default=list, blank=True)
    attach_pdf = models.BooleanField(_("attach the statement PDF"), default=True)
    copy_to = models.EmailField(_("copy to (account manager)"), blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    # Statements are generated and marked sent in this person's name (the manager who saved it).
    run_as = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notification rule")
        verbose_name_plural = _("notification rules")
        ordering = ("name",)
        constraints = (
            models.CheckConstraint(
                condition=models.Q(kind__in=RuleKind.values), name="notification_rule_kind"
            ),
        )

    def __str__(self) -> str:
        return self.name


class RunStatus(models.TextChoices):
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")


class ScheduleRun(models.Model):
    """One tick of one rule. Unique per (rule, period): running a period again sends nothing."""

    Status = RunStatus

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="runs")
    period = models.CharField(_("period"), max_length=32)  # the tick, "2026-11-01T09:00"
    status = models.CharField(_("status"), max_length=9, choices=Status.choices)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    queued = models.PositiveIntegerField(_("messages queued"), default=0)
    skipped = models.JSONField(_("customers skipped"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("schedule run")
        verbose_name_plural = _("schedule runs")
        ordering = ("-started_at", "-id")
        constraints = (
            models.UniqueConstraint(fields=["rule", "period"], name="notification_run_once"),
        )

    def __str__(self) -> str:
        return f"{self.rule} {self.period} {self.status}"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    UNKNOWN = "unknown", _("outcome unknown")


class OutboxMessage(models.Model):
    Status = MessageStatus

    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    message_id = models.CharField(_("Message-ID"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=TemplateKind.choices)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="emails"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    run = models.ForeignKey(
        ScheduleRun, on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    to = models.JSONField(_("to"))
    cc = models.JSONField(_("cc"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=7)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment = models.BinaryField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    # Set, and committed, just before the message data goes to the server: after a crash a
    # message without it was certainly not delivered and is sent again; one with it may have been.
    handed_over_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("server's answer"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("email")
        verbose_name_plural = _("outbox")
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),)
        constraints = (
            models.CheckConstraint(
                condition=models.Q(status__in=MessageStatus.values), name="outbox_status_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=MessageStatus.SENT) | models.Q(sent_at__isnull=False),
                name="outbox_sent_has_time",
            ),
        )

    def __str__(self) -> str:
        return f"{self.key} {self.status}"


class DeliveryAttempt(models.Model):
    class Outcome(models.TextChoices):
        SENT = "sent", _("sent")
        RETRY = "retry", _("temporary failure")
        FAILED = "failed", _("failed")
        REQUEUED = "requeued", _("sender stopped before sending; queued again")
        UNKNOWN = "unknown", _("sender stopped after handing over")
        RESOLVED = "resolved", _("decided by a manager")

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=9, choices=Outcome.choices)
    answer = models.TextField(_("server's answer"), blank=True)

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.message_id} {self.outcome}"


class ReminderMark(models.Model):
    """An open item reached a reminder level and was named in a reminder: never again for it."""

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    item = models.CharField(max_length=200)  # the document's reference and date
    level = models.PositiveSmallIntegerField()
    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["rule", "customer", "item", "level"], name="reminder_mark_once"
            ),
        )

    def __str__(self) -> str:
        return f"{self.item} +{self.level}d"
