"""Where entries come from (sources), the entries themselves, and each file imported (batches).

The database holds the invariants that make importing idempotent: one entry per (source, natural
key) and one batch per (source, file digest). Entries convert to the engine's `Entry` record with
`to_record()`, so the engine never sees the ORM.
"""

from __future__ import annotations

from types import MappingProxyType

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duizhang.apps.customers.currency import currency_field, iso_currency
from duizhang.apps.customers.models import Company, Customer
from duizhang.engine import records


class SourceKind(models.TextChoices):
    """Named after `Side`: a source's kind says whose books its files are."""

    OURS = "ours", _("our receivables ledger")
    BANK = "bank", _("bank account")
    CUSTOMER = "customer", _("customer's ledger")


class Source(models.Model):
    """One set of books or one account we import from, always seen through the same side."""

    Kind = SourceKind

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="sources")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources",
        help_text=_("Empty for bank accounts and for ledgers that hold several customers."),
    )
    account_number = models.CharField(_("account number"), max_length=64, blank=True)
    currency = currency_field()
    mapping_preset = models.JSONField(
        _("column mapping"), null=True, blank=True, help_text=_("Saved from the mapping screen.")
    )

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = (
            "company",
            "name",
        )
        constraints = (
            models.UniqueConstraint(
                fields=["company", "customer", "name"],
                condition=models.Q(customer__isnull=False),
                name="source_name_unique_per_customer",
            ),
            models.UniqueConstraint(
                fields=["company", "name"],
                condition=models.Q(customer__isnull=True),
                name="source_name_unique_without_customer",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="customer") | models.Q(customer__isnull=False),
                name="source_customer_ledger_has_customer",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=SourceKind.values),
                name="source_kind_known",
            ),
            models.CheckConstraint(condition=iso_currency(), name="source_currency_iso"),
        )

    def __str__(self) -> str:
        return self.name

    @property
    def side(self) -> records.Side:
        """Whose books this source's files are, which decides how their signs are read."""
        return records.Side(self.kind)


class ImportBatch(models.Model):
    """One file imported into one source. A file that fails writes no batch at all."""

    class Status(models.TextChoices):
        IMPORTED = "imported", _("imported")
        NOTHING_NEW = "nothing_new", _("nothing new")

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="batches")
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    format = models.CharField(_("format"), max_length=32)
    side = models.CharField(_("side"), max_length=8, choices=SourceKind.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    row_count = models.PositiveIntegerField(_("lines in file"))
    new_count = models.PositiveIntegerField(_("new lines"))
    present_count = models.PositiveIntegerField(_("lines already present"))
    totals = models.JSONField(_("totals per currency"), default=dict)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    warnings = models.JSONField(default=list, blank=True)
    skipped = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = (
            "-created_at",
            "-id",
        )
        constraints = (
            models.UniqueConstraint(fields=["source", "sha256"], name="batch_file_once_per_source"),
            models.CheckConstraint(
                condition=models.Q(row_count=models.F("new_count") + models.F("present_count")),
                name="batch_counts_add_up",
            ),
        )

    def __str__(self) -> str:
        return f"{self.file_name} → {self.source}"


class Entry(models.Model):
    """One booked line in the receivable view. Zero amounts are allowed: files do carry them
    (a voided voucher, a fee waived) and the reconciliation must see every line a file holds."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="entries")
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="entries")
    natural_key = models.TextField()
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=4)
    currency = currency_field()
    reference = models.TextField(_("reference"), blank=True)
    counterparty = models.TextField(_("counterparty"), blank=True)
    description = models.TextField(_("description"), blank=True)
    account = models.TextField(_("account"), blank=True)
    source_line = models.PositiveIntegerField(_("line"))
    raw = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = (
            "date",
            "id",
        )
        constraints = (
            models.UniqueConstraint(
                fields=["source", "natural_key"], name="entry_natural_key_once_per_source"
            ),
            models.CheckConstraint(condition=iso_currency(), name="entry_currency_iso"),
        )
        indexes = (models.Index(fields=["customer", "date"], name="entry_customer_date"),)

    def __str__(self) -> str:
        return f"{self.date} {self.amount} {self.currency} {self.reference}"

    def to_record(self) -> records.Entry:
        """The engine's view of this entry; `source_file` is the batch's file name."""
        return records.Entry(
            id=self.natural_key,
            date=self.date,
            amount=self.amount,
            currency=self.currency,
            reference=self.reference,
            counterparty=self.counterparty,
            description=self.description,
            customer=self.customer.code if self.customer else "",
            account=self.account,
            source_file=self.batch.file_name,
            source_line=self.source_line,
            raw=MappingProxyType(dict(self.raw)),
        )

    @classmethod
    def from_record(
        cls,
        record: records.Entry,
        *,
        source: Source,
        batch: ImportBatch,
        customer: Customer | None,
    ) -> Entry:
        return cls(
            source=source,
            customer=customer,
            batch=batch,
            natural_key=record.id,
            date=record.date,
            amount=record.amount,
            currency=record.currency,
            reference=record.reference,
            counterparty=record.counterparty,
            description=record.description,
            account=record.account,
            source_line=record.source_line,
            raw=dict(record.raw),
        )
