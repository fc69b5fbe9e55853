"""Reads about customers."""

from __future__ import annotations

from django.db.models import QuerySet

from duizhang.apps.customers.models import CommunicationLog, Customer


def customer_list() -> QuerySet[Customer]:
    return Customer.objects.select_related("company").order_by("company__name", "code")


def customer_communications(customer: Customer) -> QuerySet[CommunicationLog]:
    return customer.communications.select_related("by")
