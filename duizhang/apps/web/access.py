"""Staff pages: log in first, then hold a staff role. Portal (customer) users get 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from duizhang.apps.accounts.roles import STAFF_ROLES, Role, require_role

View = Callable[..., HttpResponse]


def staff_only(*roles: Role) -> Callable[[View], View]:
    """Allow users holding one of `roles` (default: any staff role)."""
    allowed = roles or tuple(STAFF_ROLES)

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require_role(request.user, *allowed)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def staff_user(request: HttpRequest) -> User:
    """The logged-in user of a `staff_only` view."""
    user = request.user
    if not isinstance(user, User):
        raise TypeError("staff_user is only for views behind staff_only")
    return user
