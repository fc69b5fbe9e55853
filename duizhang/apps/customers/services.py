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
