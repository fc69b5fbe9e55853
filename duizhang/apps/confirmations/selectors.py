"""Reads of confirmations, disputes and attachments. Functions named `customer_…` take the
customer first and never return another customer's rows (the portal's reads); `dispute_inbox`
is the cashier's list across customers."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from duizhang.apps.confirmations.models import (
    Attachment,
    Confirmation,
    Dispute,
    DisputeMessage,
    DisputeStatus,
)
from duizhang.apps.customers.models import Customer
from duizhang.apps.statements.files import file_read
from duizhang.apps.statements.models import StatementDocument

OPEN_STATUSES = (DisputeStatus.OPEN, DisputeStatus.WAITING_CUSTOMER, DisputeStatus.WAITING_US)


def customer_disputes(customer: Customer) -> QuerySet[Dispute]:
    return (
        Dispute.objects.filter(customer=customer)
        .select_related("document")
        .order_by("-opened_at", "-id")
    )


def customer_dispute(customer: Customer, pk: int) -> Dispute | None:
    return customer_disputes(customer).filter(pk=pk).first()


def customer_attachment(customer: Customer, pk: int) -> Attachment | None:
    return Attachment.objects.filter(customer=customer, pk=pk).first()


def customer_confirmation(customer: Customer, document: StatementDocument) -> Confirmation | None:
    return Confirmation.objects.filter(customer=customer, document=document).first()


def dispute_thread(dispute: Dispute) -> QuerySet[DisputeMessage]:
    """The messages in order, with their attachments."""
    return dispute.messages.select_related("author").prefetch_related("attachments")


def dispute_inbox(
    *,
    state: str = "open",
    customer: Customer | None = None,
    older_than_days: int | None = None,
    query: str = "",
) -> QuerySet[Dispute]:
    """Disputes for the cashier, oldest first. `state`: "open" (every unresolved one), a
    DisputeStatus value, or "all"; `query` searches the subject and the customer."""
    disputes = Dispute.objects.select_related("customer", "document").annotate(
        message_count=Count("messages")
    )
    if state == "open":
        disputes = disputes.filter(status__in=OPEN_STATUSES)
    elif state != "all":
        disputes = disputes.filter(status=state)
    if customer is not None:
        disputes = disputes.filter(customer=customer)
    if older_than_days is not None:
        disputes = disputes.filter(opened_at__lte=timezone.now() - dt.timedelta(older_than_days))
    if query:
        disputes = disputes.filter(
            Q(subject__icontains=query)
            | Q(customer__name__icontains=query)
            | Q(customer__code__icontains=query)
            | Q(document__number__icontains=query)
        )
    return disputes.order_by("opened_at", "id")


def statement_confirmations(document: StatementDocument) -> QuerySet[Confirmation]:
    return Confirmation.objects.filter(document=document).prefetch_related("attachments")


def attachment_open(attachment: Attachment) -> bytes:
    """The stored bytes (digest checked). Call only after checking who asks: the views look the
    attachment up through `customer_attachment` or a staff role."""
    return file_read(attachment.stored_as, attachment.sha256)
