"""Login security: lockout after repeated failures (django-axes), TOTP two-step login
(django-otp, a real token computed here), password reset by email, headers and CSRF."""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from duizhang.apps.accounts.roles import Role
from duizhang.apps.audit.models import AuditRecord

PASSWORD = "pw-for-tests"


def _token(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows, now or `steps_ahead` 30-second steps later."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def _unthrottle(device: TOTPDevice) -> None:
    """Forget earlier failures, which make django-otp refuse tokens for a while."""
    device.refresh_from_db()
    device.throttle_reset()


def _log_in(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


def test_customer_lands_in_the_portal_and_staff_on_the_staff_home(customer1, make_user):
    make_user(Role.CASHIER)

    assert _log_in(Client(), "customer1")["Location"] == "/portal/"
    assert _log_in(Client(), "cashier")["Location"] == "/"
    # a ?next= on the other side of the house is not followed
    assert (
        Client().post("/login/?next=/", {"username": "customer1", "password": PASSWORD})["Location"]
        == "/portal/"
    )


def test_five_failures_lock_the_login_and_even_the_right_password_is_refused(customer1):
    client = Client()
    for _ in range(5):
        response = _log_in(client, "customer1", "wrong")
    assert response.status_code == 429 and "登录已锁定" in response.content.decode()

    locked = _log_in(client, "customer1")

    assert locked.status_code == 429 and "_auth_user_id" not in client.session
    assert client.get("/portal/").status_code == 302
    # another address is not locked out by this one's failures
    assert _log_in(Client(), "customer1", REMOTE_ADDR="198.51.100.9").status_code == 302


def test_four_failures_then_the_right_password_logs_in(customer1):
    client = Client()
    for _ in range(4):
        assert _log_in(client, "customer1", "wrong").status_code == 200

    assert _log_in(client, "customer1")["Location"] == "/portal/"


def test_enrol_totp_by_qr_code_then_login_needs_the_token(customer1, client_for):
    client = client_for(customer1)
    page = client.get("/account/two-factor/").content.decode()
    assert "<svg" in page and "两步登录" in page
    device = TOTPDevice.objects.get(user=customer1, confirmed=False)
    assert "otpauth://" not in page  # the secret is in the picture and the key, not a link

    assert client.post("/account/two-factor/", {"token": "000000"}).status_code == 200
    _unthrottle(device)
    assert client.post("/account/two-factor/", {"token": _token(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed

    fresh = Client()
    response = _log_in(fresh, "customer1")
    assert response["Location"] == "/login/token/" and "_auth_user_id" not in fresh.session
    assert fresh.get("/portal/").status_code == 302  # not logged in yet
    wrong = fresh.post("/login/token/", {"token": "123456"})
    assert wrong.status_code == 200 and "_auth_user_id" not in fresh.session

    _unthrottle(device)
    right = fresh.post("/login/token/", {"token": _token(device, steps_ahead=1)})

    assert right["Location"] == "/portal/"
    assert fresh.get("/portal/").status_code == 200


def test_failed_tokens_slow_the_device_down(customer1):
    device = TOTPDevice.objects.create(user=customer1, name="phone", confirmed=True)
    client = Client()
    _log_in(client, "customer1")

    client.post("/login/token/", {"token": "000000"})
    right_too_soon = client.post("/login/token/", {"token": _token(device)})

    assert right_too_soon.status_code == 200 and "_auth_user_id" not in client.session


def test_a_session_without_the_token_is_logged_out(customer1):
    """The admin's login (or any other) does not skip the second step."""
    TOTPDevice.objects.create(user=customer1, name="phone", confirmed=True)
    client = Client()
    client.force_login(customer1)

    response = client.get("/portal/")

    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("language", "subject"),
    [("zh-hans", "重置您的对账系统密码"), ("en", "Reset your duizhang password")],
)
def test_password_reset_by_email(customer1, language, subject):
    customer1.email = "wangli@mingyuan.example.cn"
    customer1.save()
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.post("/password-reset/", {"email": "wangli@mingyuan.example.cn"})

    assert response["Location"] == "/password-reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == subject
    body = mail.outbox[0].body
    assert isinstance(body, str)
    link = re.search(r"http://testserver(/password-reset/\S+/\S+/)", body)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200 and 'name="new_password1"' in form.content.decode()
    saved = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Neues-Passwort-42", "new_password2": "Neues-Passwort-42"},
    )
    assert saved["Location"] == "/password-reset/done/"
    assert _log_in(Client(), "customer1", "Neues-Passwort-42")["Location"] == "/portal/"
    assert client.get(link.group(1), follow=True).context["validlink"] is False  # used once


def test_password_reset_for_an_unknown_address_sends_nothing(customer1):
    response = Client().post("/password-reset/", {"email": "nobody@example.com"})

    assert response["Location"] == "/password-reset/sent/" and mail.outbox == []


def test_security_headers_on_every_page(customer1, client_for):
    for client, url in ((Client(), "/login/"), (client_for(customer1), "/portal/")):
        response = client.get(url)
        assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Frame-Options"] == "DENY"


def test_forms_need_the_csrf_token(customer1):
    client = Client(enforce_csrf_checks=True)

    assert _log_in(client, "customer1").status_code == 403
    client.force_login(customer1)
    assert client.post("/account/two-factor/", {"token": "123456"}).status_code == 403
    assert not TOTPDevice.objects.exists()


def test_customer_user_is_one_user_per_login(customer, make_user):
    """Several logins for one customer each have their own password."""
    make_user(Role.CUSTOMER, name="wangli", customer=customer)
    other = make_user(Role.CUSTOMER, name="david", customer=customer)
    other.set_password("david-own-pw")
    other.save()

    assert _log_in(Client(), "wangli")["Location"] == "/portal/"
    assert _log_in(Client(), "david", "david-own-pw")["Location"] == "/portal/"
    assert _log_in(Client(), "david").status_code == 200
    assert User.objects.filter(customer_link__customer=customer).count() == 2


def test_turning_two_step_login_on_and_off_is_audited_and_needs_a_token(customer1, client_for):
    client = client_for(customer1)
    client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=customer1)
    client.post("/account/two-factor/", {"token": _token(device)})
    assert client.get("/portal/").status_code == 200  # this session showed a token

    refused = client.post("/account/two-factor/", {"token": "000000"})
    _unthrottle(device)
    turned_off = client.post("/account/two-factor/", {"token": _token(device, steps_ahead=1)})

    assert refused.status_code == 200 and turned_off.status_code == 302
    assert not TOTPDevice.objects.exists()
    assert list(
        AuditRecord.objects.filter(action__startswith="two-factor").values_list(
            "actor_name", "action"
        )
    ) == [("customer1", "two-factor-on"), ("customer1", "two-factor-off")]
