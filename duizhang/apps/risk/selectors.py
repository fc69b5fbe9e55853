"""Reads: the alert list the manager works through, the open count, a customer's alerts."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from duizhang.apps.customers.models import Customer
from duizhang.apps.risk.models import Alert


def alert_list(
    *, kind: str = "", status: str = "", customer: Customer | None = None
) -> QuerySet[Alert]:
    """Newest first; empty filters leave that field open."""
    alerts = Alert.objects.select_related("customer", "acknowledged_by").prefetch_related(
        "entries__source"
    )
    if kind:
        alerts = alerts.filter(kind=kind)
    if status:
        alerts = alerts.filter(status=status)
    if customer is not None:
        alerts = alerts.filter(customer=customer)
    return alerts.order_by("-created_at", "-id")


def open_alert_count() -> int:
    return Alert.objects.filter(status=Alert.Status.OPEN).count()


def customer_alerts(customer: Customer) -> QuerySet[Alert]:
    """Open alerts first, then the rest; newest first within each."""
    open_first = Case(
        When(status=Alert.Status.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        Alert.objects.filter(customer=customer)
        .select_related("acknowledged_by")
        .prefetch_related("entries__source")
        .order_by(open_first, "-created_at", "-id")
    )
