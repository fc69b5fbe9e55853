"""Stored statements (对账单): numbered, versioned documents whose bytes never change.

A document is one version of a statement number. Its figures and files are written once, when
the version is generated; regenerating writes a new version beside it. Only the status moves
(draft → sent → confirmed / disputed), through the services. The database holds the numbering
invariant: one row per (number, version).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duizhang.apps.customers.currency import currency_field, iso_currency
from duizhang.apps.customers.models import Company, Customer


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SENT = "sent", _("sent")
    CONFIRMED = "confirmed", _("confirmed")
    DISPUTED = "disputed", _("disputed")


class StatementStyle(models.TextChoices):
    BALANCE_FORWARD = "balance-forward", _("balance forward")
    OPEN_ITEM = "open-item", _("open items")


class ImmutableDocumentError(Exception):
    """A stored statement's figures and files never change; regenerate to get a new version."""


# The only columns that change after a document is written: its status and when it was sent.
MOVABLE_FIELDS = frozenset({"status", "sent_at", "sent_by", "sent_by_id"})


class StatementDocumentQuerySet(models.QuerySet["StatementDocument"]):
    def update(self, **kwargs: Any) -> int:
        frozen = sorted(set(kwargs) - MOVABLE_FIELDS)
        if frozen:
            raise ImmutableDocumentError(f"a stored statement's {', '.join(frozen)} cannot change")
        return super().update(**kwargs)

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableDocumentError("stored statements are changed one status at a time")


class StatementDocument(models.Model):
    Status = DocumentStatus
    Style = StatementStyle

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="statement_documents"
    )
    number = models.CharField(_("number"), max_length=64)
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=9, choices=Status.choices, default=Status.DRAFT
    )
    period_start = models.DateField(pgettext_lazy("period", "from"))
    period_end = models.DateField(pgettext_lazy("period", "to"))
    issued = models.DateField(_("issued"))
    currency = currency_field()
    style = models.CharField(_("style"), max_length=16, choices=Style.choices)
    language = models.CharField(_("language"), max_length=7)
    receivables_only = models.BooleanField(_("receivables only"), default=False)
    hide_reversed = models.BooleanField(_("hide reversed pairs"), default=False)
    opening = models.DecimalField(_("opening balance"), max_digits=20, decimal_places=4)
    closing = models.DecimalField(_("closing balance"), max_digits=20, decimal_places=4)
    total_debit = models.DecimalField(_("debits"), max_digits=20, decimal_places=4)
    total_credit = models.DecimalField(_("credits"), max_digits=20, decimal_places=4)
    line_count = models.PositiveIntegerField(_("lines"))
    # The statement's lines as shown (date, reference, description, debit, credit, balance,
    # entry id), so a customer can point at the very line they dispute, as it was sent.
    lines = models.JSONField(default=list)
    pdf_file = models.CharField(max_length=200)  # relative to MEDIA_ROOT
    pdf_sha256 = models.CharField(max_length=64)
    xlsx_file = models.CharField(max_length=200)
    xlsx_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("generated at"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = StatementDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ("-period_end", "number", "-version")
        constraints = (
            models.UniqueConstraint(fields=["number", "version"], name="statement_number_version"),
            models.CheckConstraint(
                condition=models.Q(status__in=DocumentStatus.values),
                name="statement_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="statement_period_ordered",
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="statement_version_1"),
            models.CheckConstraint(
                condition=models.Q(status=DocumentStatus.DRAFT) | models.Q(sent_at__isnull=False),
                name="statement_sent_has_time",
            ),
            models.CheckConstraint(condition=iso_currency(), name="statement_currency_iso"),
        )
        indexes = (models.Index(fields=["customer", "period_end"], name="statement_customer"),)

    def __str__(self) -> str:
        return f"{self.number} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableDocumentError(f"{self} is stored; regenerate to make a new version")
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return f"{self.number}-v{self.version}"
