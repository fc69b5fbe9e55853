"""Writes of the login security: turning TOTP two-step login on and off. Each change is one
transaction with its audit record; a wrong token changes nothing (beyond django-otp's failure
counter, which slows the next attempts down)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from duizhang.apps.audit.services import audit_record

DEVICE_NAME = "duizhang"


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def two_factor_start(*, user: User) -> TOTPDevice:
    """The unconfirmed device whose QR code the user scans (the same one until confirmed)."""
    with transaction.atomic():
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": DEVICE_NAME}
        )
    return device


def two_factor_confirm(*, user: User, token: str) -> TOTPDevice | None:
    """Confirm the pending device with a token from the app; None if the token is wrong."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None or not device.verify_token(token):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(actor=user, action="two-factor-on", target=device)
    return device


def two_factor_disable(*, user: User, token: str) -> bool:
    """Turn two-step login off; it takes a valid token, so a borrowed session alone cannot."""
    with transaction.atomic():
        device = confirmed_device(user)
        if device is None or not device.verify_token(token):
            return False
        TOTPDevice.objects.filter(user=user).delete()
        audit_record(actor=user, action="two-factor-off", target=("totp device", device.pk))
    return True
