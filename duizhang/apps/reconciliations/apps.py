from __future__ import annotations

from django.apps import AppConfig


class ReconciliationsConfig(AppConfig):
    name = "duizhang.apps.reconciliations"
    label = "reconciliations"
    verbose_name = "Reconciliations"
