from __future__ import annotations

from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "duizhang.apps.risk"
    label = "risk"
    verbose_name = "Risk alerts"
