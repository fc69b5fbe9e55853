"""`{% notifications_nav %}`: the manager's link to the notifications dashboard, with how many
schedule runs and messages need attention."""

from __future__ import annotations

from typing import Any

from django import template

from duizhang.apps.accounts.roles import Role, has_role
from duizhang.apps.notifications.selectors import attention_count

register = template.Library()


@register.inclusion_tag("notifications/_nav.html", takes_context=True)
def notifications_nav(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    if request is None or not has_role(request.user, Role.MANAGER):
        return {"show": False}
    return {"show": True, "count": attention_count()}
