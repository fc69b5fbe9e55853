"""Logging in: password (throttled by django-axes through `authenticate`), then, for a user who
enrolled a TOTP device, the token; only then is the session logged in. Enrolling scans a QR code
(segno, inline SVG). Customers land in the portal, staff on the staff home."""

from __future__ import annotations

import time
from base64 import b32encode
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from duizhang.apps.accounts.roles import Role, has_role
from duizhang.apps.portal.forms import TokenForm
from duizhang.apps.portal.services import (
    confirmed_device,
    two_factor_confirm,
    two_factor_disable,
    two_factor_start,
)

PENDING = "two_factor_pending"  # session key: the user who gave the right password
PENDING_SECONDS = 300
PORTAL_PREFIX = "/portal/"


def landing_url(user: User, wanted: str = "") -> str:
    """Where a login ends: `wanted` (the ?next= page) if it is on this site and on the user's
    side of the house, else the portal for customers and the staff home for staff."""
    customer = has_role(user, Role.CUSTOMER)
    if wanted and wanted.startswith(PORTAL_PREFIX) == customer:
        return wanted
    return resolve_url("portal:home" if customer else settings.LOGIN_REDIRECT_URL)


class PortalLoginView(LoginView):
    template_name = "portal/login.html"
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        return landing_url(self.request.user, self.get_redirect_url())  # type: ignore[arg-type]

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        device = confirmed_device(user)
        if device is None:
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_redirect_url(),
            "at": time.time(),
        }
        return redirect("account:login-token")


def login_token(request: HttpRequest) -> HttpResponse:
    """The second step: a TOTP token for the user who just gave the right password. Failed tokens
    slow the device down (django-otp's throttling doubles the wait after each failure)."""
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        messages.error(request, gettext("Please log in again."))
        return redirect("web:login")
    user = User.objects.get(pk=pending["user"])
    device = confirmed_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and device is not None:
        if device.verify_token(form.cleaned_data["token"]):
            del request.session[PENDING]
            auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return redirect(landing_url(user, pending["next"]))
        form.add_error("token", gettext("That code is not valid. Wait for the next one and retry."))
    return render(request, "portal/login_token.html", {"form": form})


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Turn on TOTP: show a QR code of a new (unconfirmed) device; a valid token confirms it.
    Turning it off also asks for a token."""
    user = request.user
    assert isinstance(user, User)
    form = TokenForm(request.POST or None)
    enabled = confirmed_device(user) is not None
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if enabled and two_factor_disable(user=user, token=token):
            messages.success(request, gettext("Two-step login is off."))
            return redirect("account:two-factor")
        device = None if enabled else two_factor_confirm(user=user, token=token)
        if device is not None:
            otp_login(request, device)  # this session has just shown a token
            messages.success(request, gettext("Two-step login is on."))
            return redirect("account:two-factor")
        form.add_error("token", gettext("That code is not valid."))
    if enabled:
        return _two_factor_page(request, form, enabled=True)
    return _two_factor_page(request, form, enabled=False, device=two_factor_start(user=user))


def _two_factor_page(
    request: HttpRequest, form: TokenForm, *, enabled: bool, device: TOTPDevice | None = None
) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "enabled": enabled, "layout": _layout(request)}
    if device is not None:
        url = device.config_url
        context["qr_svg"] = segno.make(url, error="m").svg_inline(scale=4, dark="#1f2933")
        context["secret"] = _spaced(device.bin_key)
    return render(request, "portal/two_factor.html", context)


def _spaced(key: bytes) -> str:
    """The base32 secret in groups of four, for typing into an app by hand."""
    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _layout(request: HttpRequest) -> str:
    return "portal/layout.html" if has_role(request.user, Role.CUSTOMER) else "base.html"
