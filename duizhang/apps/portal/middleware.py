"""Security middleware: the Content-Security-Policy header, and two-factor enforcement.

Django's own middleware already sends X-Content-Type-Options (SecurityMiddleware), Referrer-Policy
(SECURE_REFERRER_POLICY) and X-Frame-Options (XFrameOptionsMiddleware); the CSP is set here in one
place so every page, staff and portal, gets the same policy.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django_otp import user_has_device

Handler = Callable[[HttpRequest], HttpResponse]

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class TwoFactorMiddleware:
    """A user who enrolled a TOTP device is only logged in once a token was verified in this
    session. The portal's login view verifies it before logging in; this catches every other
    way to a session (the admin's own login page, for one). Needs django_otp's OTPMiddleware
    before it."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        verified = getattr(user, "is_verified", lambda: False)  # set by OTPMiddleware
        if user.is_authenticated and not verified() and user_has_device(user):
            logout(request)
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
