"""Portal pages: log in first, then be a customer-role user linked to one customer. The view
receives that customer and scopes every query to it; staff users get 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from duizhang.apps.accounts.roles import Role, require_role
from duizhang.apps.portal.selectors import portal_customer

View = Callable[..., HttpResponse]


def customer_only(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require_role(request.user, Role.CUSTOMER)
        customer = portal_customer(request.user)
        if customer is None:
            raise PermissionDenied("this portal account is not linked to a customer")
        return view(request, customer, *args, **kwargs)

    return wrapped
