"""`{% risk_nav %}` (the staff navigation's link with the open alert count) and
`{% customer_alerts customer %}` (the alerts on a customer's page)."""

from __future__ import annotations

from typing import Any

from django import template

from duizhang.apps.accounts.roles import STAFF_ROLES, Role, has_role
from duizhang.apps.customers.models import Customer
from duizhang.apps.risk.forms import AcknowledgeForm
from duizhang.apps.risk.selectors import customer_alerts as select_customer_alerts
from duizhang.apps.risk.selectors import open_alert_count

register = template.Library()


@register.inclusion_tag("risk/_nav.html", takes_context=True)
def risk_nav(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    if request is None or not has_role(request.user, *STAFF_ROLES):
        return {"show": False}
    return {"show": True, "count": open_alert_count()}


@register.inclusion_tag("risk/_customer_alerts.html", takes_context=True)
def customer_alerts(context: template.Context, customer: Customer) -> dict[str, Any]:
    request = context["request"]
    return {
        "customer": customer,
        "alerts": select_customer_alerts(customer),
        "can_acknowledge": has_role(request.user, Role.MANAGER),
        "acknowledge_form": AcknowledgeForm(),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
