"""Risk alerts the rules in `duizhang.risk` raised, and what the manager did about them.

An alert stores its reason as the rule's English message and the values that fill it in, so the
reason reads in the viewer's language. The fingerprint (kind, customer, entries) is unique: the
rules can run again and again without raising an alert twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duizhang.apps.customers.models import Customer
from duizhang.apps.ledger.models import Entry
from duizhang.risk import Kind, Severity


class AlertKind(models.TextChoices):
    LARGE_AMOUNT = Kind.LARGE_AMOUNT.value, _("unusually large payment")
    DUPLICATE_REFERENCE = Kind.DUPLICATE_REFERENCE.value, _("duplicate document number")
    REPEATED_AMOUNT = Kind.REPEATED_AMOUNT.value, _("same amount paid twice")
    NAME_MISMATCH = Kind.NAME_MISMATCH.value, _("payer is not the customer")
    ROUND_AMOUNT = Kind.ROUND_AMOUNT.value, _("unusual round amount")
    OUT_OF_HOURS = Kind.OUT_OF_HOURS.value, _("unusual time of day")
    OVER_CREDIT_LIMIT = Kind.OVER_CREDIT_LIMIT.value, _("over the credit limit")


class AlertSeverity(models.TextChoices):
    LOW = Severity.LOW.value, _("low")
    MEDIUM = Severity.MEDIUM.value, _("medium")
    HIGH = Severity.HIGH.value, _("high")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")


class Alert(models.Model):
    Kind = AlertKind
    Severity = AlertSeverity
    Status = AlertStatus

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="risk_alerts", verbose_name=_("customer")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=AlertKind.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=AlertSeverity.choices)
    fingerprint = models.CharField(max_length=64, unique=True)
    message = models.TextField()  # the rule's English message, with %(name)s placeholders
    params = models.JSONField(default=dict)  # the texts that fill the placeholders
    entries = models.ManyToManyField(Entry, related_name="risk_alerts", verbose_name=_("entries"))
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("risk alert")
        verbose_name_plural = _("risk alerts")
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=["status", "customer"], name="risk_alert_status_customer"),)
        constraints = (
            models.CheckConstraint(
                condition=models.Q(kind__in=AlertKind.values), name="risk_alert_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(severity__in=AlertSeverity.values),
                name="risk_alert_severity_known",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        status=AlertStatus.OPEN,
                        acknowledged_by__isnull=True,
                        acknowledged_at__isnull=True,
                    )
                    | models.Q(
                        status=AlertStatus.ACKNOWLEDGED,
                        acknowledged_by__isnull=False,
                        acknowledged_at__isnull=False,
                    )
                    & ~models.Q(comment="")
                ),
                name="risk_alert_acknowledged_with_comment",
            ),
        )

    def __str__(self) -> str:
        return f"{self.kind} {self.customer.code} #{self.pk}"

    @property
    def reason(self) -> str:
        """The reason in the active language (Chinese unless the user chose English)."""
        return gettext(self.message) % self.params
