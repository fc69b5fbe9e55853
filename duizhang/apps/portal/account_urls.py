"""Login (shadowing the staff app's /login/ route: same path, same template contract, plus the
two-factor step and the customer's landing page), two-step login enrolment, password reset."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from duizhang.apps.portal import auth

app_name = "account"

urlpatterns = [
    path("login/", auth.PortalLoginView.as_view(), name="login"),
    path("login/token/", auth.login_token, name="login-token"),
    path("account/two-factor/", auth.two_factor, name="two-factor"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="portal/password_reset.html",
            email_template_name="portal/password_reset_email.txt",
            subject_template_name="portal/password_reset_subject.txt",
            success_url=reverse_lazy("account:password-reset-sent"),
        ),
        name="password-reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="portal/password_reset_sent.html"),
        name="password-reset-sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="portal/password_reset_confirm.html",
            success_url=reverse_lazy("account:password-reset-done"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="portal/password_reset_done.html"
        ),
        name="password-reset-done",
    ),
]
