"""Sources are configured here; entries and batches are read-only: files come in only through
the import service, which keeps the one-transaction and no-duplicates rules."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from duizhang.apps.ledger.models import Entry, ImportBatch, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "company", "customer", "account_number", "currency")
    list_filter = ("kind", "company")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "file_name", "source", "format", "row_count", "new_count")
    list_filter = ("source",)


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ("date", "source", "customer", "reference", "amount", "currency")
    list_filter = ("source",)
    search_fields = ("reference", "counterparty", "natural_key")
