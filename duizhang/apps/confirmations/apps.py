from __future__ import annotations

from django.apps import AppConfig


class ConfirmationsConfig(AppConfig):
    name = "duizhang.apps.confirmations"
    label = "confirmations"
    verbose_name = "Confirmations and disputes"
