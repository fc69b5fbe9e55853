"""Template context every page needs."""

from __future__ import annotations

from django.http import HttpRequest

from duizhang.apps.accounts.roles import PREPARERS, has_role


def permissions(request: HttpRequest) -> dict[str, bool]:
    """What the layout may offer; the views and services check again."""
    return {"can_import": has_role(request.user, *PREPARERS)}
