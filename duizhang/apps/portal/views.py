"""The customer's own account: overview, open items, payments, help. Every view is behind
`customer_only`, which passes the logged-in user's customer; every read takes it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from duizhang.apps.confirmations.selectors import OPEN_STATUSES, customer_disputes
from duizhang.apps.customers.models import Customer
from duizhang.apps.portal.access import customer_only
from duizhang.apps.portal.selectors import customer_account
from duizhang.apps.statements.selectors import customer_latest_statement

RECENT_PAYMENTS = 5


@customer_only
def home(request: HttpRequest, customer: Customer) -> HttpResponse:
    account = customer_account(customer)
    return render(
        request,
        "portal/home.html",
        {
            "customer": customer,
            "account": account,
            "latest": customer_latest_statement(customer),
            "open_disputes": customer_disputes(customer).filter(status__in=OPEN_STATUSES).count(),
            "recent_payments": account.payments[:RECENT_PAYMENTS],
        },
    )


@customer_only
def open_items(request: HttpRequest, customer: Customer) -> HttpResponse:
    return render(
        request,
        "portal/open_items.html",
        {"customer": customer, "account": customer_account(customer)},
    )


@customer_only
def payments(request: HttpRequest, customer: Customer) -> HttpResponse:
    return render(
        request,
        "portal/payments.html",
        {"customer": customer, "account": customer_account(customer)},
    )


@customer_only
def help_page(request: HttpRequest, customer: Customer) -> HttpResponse:
    return render(
        request,
        "portal/help.html",
        {
            "customer": customer,
            "company": customer.company,
            "cashier": settings.PORTAL_CASHIER,
            "statements_url": reverse("portal:statements"),
        },
    )
