from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "duizhang.apps.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from duizhang.apps.audit import receivers

        receivers.connect()
