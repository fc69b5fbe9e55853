from __future__ import annotations

from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "duizhang.apps.statements"
    label = "statements"
    verbose_name = "Statements"
