"""Our own legal entities, their customers, the people we talk to and what was said."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

from duizhang.apps.customers.currency import currency_field, iso_currency


def validate_uscc(value: str) -> None:
    """统一社会信用代码: 18 characters with a check character (GB 32100-2015)."""
    try:
        uscc.validate(value)
    except StdnumError as error:
        raise ValidationError(
            _("%(value)s is not a valid unified social credit code (%(reason)s)."),
            params={"value": value, "reason": str(error)},
            code="uscc",
        ) from error


class Company(models.Model):
    """One of our own legal entities; a deployment may hold several."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_uscc]
    )

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class CustomerStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    INACTIVE = "inactive", _("inactive")
    BLOCKED = "blocked", _("blocked")


class Customer(models.Model):
    Status = CustomerStatus

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="customers")
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_uscc]
    )
    credit_limit = models.DecimalField(
        _("credit limit"), max_digits=20, decimal_places=2, default=Decimal(0)
    )
    payment_terms_days = models.PositiveSmallIntegerField(_("payment terms (days)"), default=30)
    currency = currency_field()
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ("code",)
        constraints = (
            models.UniqueConstraint(fields=["company", "code"], name="customer_code_unique"),
            models.CheckConstraint(
                condition=models.Q(credit_limit__gte=0), name="customer_credit_limit_not_negative"
            ),
            models.CheckConstraint(condition=iso_currency(), name="customer_currency_iso"),
            models.CheckConstraint(
                condition=models.Q(status__in=CustomerStatus.values),
                name="customer_status_known",
            ),
        )

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Contact(models.Model):
    class Language(models.TextChoices):
        CHINESE = "zh-hans", "简体中文"
        ENGLISH = "en", "English"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"), max_length=7, choices=Language.choices, default=Language.CHINESE
    )
    role = models.CharField(_("role"), max_length=100, blank=True)
    verified = models.BooleanField(_("verified"), default=False)
    reminders_opt_out = models.BooleanField(_("no reminders"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = (
            "customer",
            "name",
        )

    def __str__(self) -> str:
        return self.name


class CommunicationLog(models.Model):
    class Channel(models.TextChoices):
        PHONE = "phone", _("phone")
        EMAIL = "email", _("email")
        PORTAL = "portal", _("portal")
        WECHAT = "wechat", _("WeChat")
        VISIT = "visit", _("visit")
        LETTER = "letter", _("letter")

    class Direction(models.TextChoices):
        INBOUND = "in", _("from the customer")
        OUTBOUND = "out", _("to the customer")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="communications")
    at = models.DateTimeField(_("when"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    summary = models.TextField(_("summary"))

    class Meta:
        verbose_name = _("communication")
        verbose_name_plural = _("communication log")
        ordering = (
            "-at",
            "-id",
        )

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.channel}: {self.summary[:40]}"
