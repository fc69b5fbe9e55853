from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReconciliationsConfig(AppConfig):
    name = "duizhang.apps.reconciliations"
    label = "reconciliations"
    verbose_name = _("Reconciliations")
