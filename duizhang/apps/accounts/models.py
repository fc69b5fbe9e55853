"""The link from a portal login to the one customer it may see."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duizhang.apps.customers.models import Customer


class CustomerUser(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="customer_link"
    )
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="portal_users")

    class Meta:
        verbose_name = _("portal user")
        verbose_name_plural = _("portal users")

    def __str__(self) -> str:
        return f"{self.user} → {self.customer}"
