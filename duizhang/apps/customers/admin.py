"""Configuration pages for superusers (`duizhang manage createsuperuser`)."""

from __future__ import annotations

from django.contrib import admin

from duizhang.apps.customers.models import CommunicationLog, Company, Contact, Customer


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc")


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "company", "status", "credit_limit", "payment_terms_days")
    list_filter = ("company", "status")
    search_fields = ("code", "name", "uscc")
    inlines = (ContactInline,)


@admin.register(CommunicationLog)
class CommunicationLogAdmin(admin.ModelAdmin):
    list_display = ("at", "customer", "channel", "direction", "by")
    list_filter = ("channel",)
