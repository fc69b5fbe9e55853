from __future__ import annotations

from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "duizhang.apps.customers"
    label = "customers"
    verbose_name = "Customers"
