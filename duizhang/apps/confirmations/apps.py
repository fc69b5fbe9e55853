from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfirmationsConfig(AppConfig):
    name = "duizhang.apps.confirmations"
    label = "confirmations"
    verbose_name = _("Confirmations and disputes")
