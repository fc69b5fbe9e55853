from __future__ import annotations

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "duizhang.apps.portal"
    label = "portal"
    verbose_name = "Customer portal"
