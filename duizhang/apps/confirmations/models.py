"""The customer's answer to a statement (电子询证) and the disputes that follow a disagreement.

A `Confirmation` is one answer per statement version, whatever the channel: online (portal or a
signed email link) or recorded by the cashier from paper or a phone call. A disagreement opens a
`Dispute`: a thread of messages both ways with attachments, the statement lines it concerns,
the entries the customer has that we do not, and the adjustments it led to.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duizhang.apps.customers.models import Contact, Customer
from duizhang.apps.statements.models import StatementDocument


class Channel(models.TextChoices):
    PORTAL = "portal", _("portal")
    LINK = "link", _("email link")
    EMAIL = "email", _("email")
    PAPER = "paper", _("paper")
    PHONE = "phone", _("phone")


class Answer(models.TextChoices):
    AGREES = "agrees", _("balance agrees")
    DISAGREES = "disagrees", _("does not agree")


class Confirmation(models.Model):
    """Like a signed 询证函 reply: who answered, when, from where, and through which channel."""

    Answer = Answer
    Channel = Channel

    document = models.OneToOneField(
        StatementDocument, on_delete=models.PROTECT, related_name="confirmation"
    )
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("answer"), max_length=9, choices=Answer.choices)
    channel = models.CharField(_("channel"), max_length=6, choices=Channel.choices)
    name = models.CharField(_("answered by"), max_length=100)
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(  # the portal user who answered, or the cashier who recorded it
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("answered at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("confirmation")
        verbose_name_plural = _("confirmations")
        ordering = ("-at", "-id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(answer__in=Answer.values), name="confirmation_answer_known"
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values), name="confirmation_channel_known"
            ),
        )

    def __str__(self) -> str:
        return f"{self.document} {self.answer} ({self.name})"


class DisputeStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("dispute", "open")
    WAITING_CUSTOMER = "waiting_customer", _("waiting for the customer")
    WAITING_US = "waiting_us", _("waiting for us")
    RESOLVED = "resolved", _("resolved")


class Outcome(models.TextChoices):
    CORRECTED = "corrected", _("corrected in our books")
    CUSTOMER_ERROR = "customer_error", _("error in the customer's books")
    TIMING = "timing", _("timing difference")
    WRITTEN_OFF = "written_off", _("written off")
    WITHDRAWN = "withdrawn", _("withdrawn by the customer")


class Dispute(models.Model):
    Status = DisputeStatus
    Outcome = Outcome

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="disputes")
    document = models.ForeignKey(
        StatementDocument, on_delete=models.PROTECT, related_name="disputes"
    )
    confirmation = models.ForeignKey(
        Confirmation, on_delete=models.PROTECT, null=True, blank=True, related_name="disputes"
    )
    subject = models.CharField(_("subject"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ("opened_at", "id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(status__in=DisputeStatus.values), name="dispute_status_known"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        status=DisputeStatus.RESOLVED,
                        outcome__in=Outcome.values,
                        resolved_at__isnull=False,
                    )
                    | (
                        ~models.Q(status=DisputeStatus.RESOLVED)
                        & models.Q(outcome="", resolved_at__isnull=True)
                    )
                ),
                name="dispute_resolved_has_outcome",
            ),
        )

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status != DisputeStatus.RESOLVED

    @property
    def age_days(self) -> int:
        """Days open: until now, or until it was resolved."""
        end = self.resolved_at or timezone.now()
        return (end - self.opened_at).days


class DisputedLine(models.Model):
    """A statement line the customer disputes, or an entry they have that we do not."""

    class Kind(models.TextChoices):
        OUR_LINE = "ours", _("line on our statement")
        MISSING = "missing", _("entry we do not have")

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=7, choices=Kind.choices)
    entry_id = models.CharField(_("entry"), max_length=200, blank=True)  # for OUR_LINE
    date = models.DateField(_("date"))
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=4)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("disputed line")
        verbose_name_plural = _("disputed lines")
        ordering = ("kind", "date", "id")
        constraints = (
            models.CheckConstraint(
                condition=~models.Q(kind="ours") | ~models.Q(entry_id=""),
                name="disputed_line_names_entry",
            ),
        )

    def __str__(self) -> str:
        return f"{self.kind} {self.date} {self.reference} {self.amount}"


class Adjustment(models.Model):
    """A correction a dispute led to, to be booked in our ledger (credit note, re-posting …)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="adjustments")
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=4)
    description = models.CharField(_("description"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        ordering = ("date", "id")

    def __str__(self) -> str:
        return f"{self.date} {self.amount} {self.description}"


class DisputeMessage(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(_("from"), max_length=150)
    from_customer = models.BooleanField(_("from the customer"))
    channel = models.CharField(_("channel"), max_length=6, choices=Channel.choices)
    body = models.TextField(_("message"))
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("dispute message")
        verbose_name_plural = _("dispute messages")
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.author_name}: {self.body[:40]}"


class Attachment(models.Model):
    """An uploaded PDF or image, stored under MEDIA_ROOT with a random name, served only
    through views that check who asks. It belongs to one confirmation or one message."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    confirmation = models.ForeignKey(
        Confirmation, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    message = models.ForeignKey(
        DisputeMessage, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    stored_as = models.CharField(max_length=200, unique=True)  # relative to MEDIA_ROOT
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ("uploaded_at", "id")
        constraints = (
            models.CheckConstraint(
                condition=(
                    models.Q(confirmation__isnull=False, message__isnull=True)
                    | models.Q(confirmation__isnull=True, message__isnull=False)
                ),
                name="attachment_has_one_owner",
            ),
        )

    def __str__(self) -> str:
        return self.name
