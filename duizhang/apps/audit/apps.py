from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "duizhang.apps.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from duizhang.apps.audit import receivers

        receivers.connect()
