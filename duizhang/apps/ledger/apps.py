from __future__ import annotations

from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "duizhang.apps.ledger"
    label = "ledger"
    verbose_name = "Ledger"
