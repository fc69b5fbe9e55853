"""Writes about customers."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from duizhang.apps.accounts.roles import Role, require_role
from duizhang.apps.customers.models import CommunicationLog, Customer


def communication_log_add(
    *,
    customer: Customer,
    by: User,
    channel: str,
    direction: str,
    summary: str,
    at: datetime | None = None,
) -> CommunicationLog:
    """Note a contact with the customer. Auditors read the log; they do not write it."""
    require_role(by, Role.CASHIER, Role.REVIEWER, Role.MANAGER)
    note = CommunicationLog(
        customer=customer,
        by=by,
        channel=channel,
        direction=direction,
        summary=summary.strip(),
        at=at or timezone.now(),
    )
    note.full_clean()
    note.save()
    return note


def communication_log_record(
    *,
    customer: Customer,
    channel: str,
    direction: str,
    summary: str,
    by: User | None = None,
) -> CommunicationLog:
    """Note a contact that another service has already authorised: a portal user's message, an
    answer through a signed link (no user), an email sent. The caller checks who may act for
    `customer`; use `communication_log_add` for notes a staff member types in."""
    note = CommunicationLog(
        customer=customer, by=by, channel=channel, direction=direction, summary=summary.strip()
    )
    note.full_clean()
    note.save()
    return note
