"""Writes for confirmations (电子询证) and disputes.

Who may act:
- the customer's side — a portal user (Role.CUSTOMER) linked to the statement's customer, or a
  contact of that customer who opened a signed email link (`contact`, no user; the view has read
  the token with `statement_link_read`);
- our side — a cashier or manager (recording a paper or phone answer, replying, resolving).
Anyone else gets PermissionDenied and nothing is written.

Every answer and message lands in the customer's communication log, and every state change in
the audit log, in the same transaction. Attachments are checked (content, name, size) before
anything is written; a refused file leaves no row and no file behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from duizhang.apps.accounts.roles import PREPARERS, Role, has_role
from duizhang.apps.audit.services import Actor, audit_record
from duizhang.apps.confirmations.attachments import CheckedUpload, upload_check
from duizhang.apps.confirmations.models import (
    Adjustment,
    Answer,
    Attachment,
    Channel,
    Confirmation,
    Dispute,
    DisputedLine,
    DisputeMessage,
    DisputeStatus,
    Outcome,
)
from duizhang.apps.customers.models import CommunicationLog, Contact, Customer
from duizhang.apps.customers.services import communication_log_record
from duizhang.apps.statements.files import file_remove, file_write
from duizhang.apps.statements.models import DocumentStatus, StatementDocument
from duizhang.apps.statements.selectors import statement_is_latest
from duizhang.apps.statements.services import StatementDocumentError, statement_status_move


class ConfirmationError(Exception):
    """The answer or the dispute change is not possible in the current state."""


@dataclass(frozen=True, slots=True)
class LineDispute:
    """A line of the statement the customer disputes, named by its entry id."""

    entry_id: str
    comment: str = ""


@dataclass(frozen=True, slots=True)
class MissingEntry:
    """An entry in the customer's books that our statement lacks (receivable view: + = they
    owe more by their books, e.g. an invoice we never sent them is not one; a payment they
    made that we have not booked is negative)."""

    date: dt.date
    amount: Decimal
    reference: str = ""
    description: str = ""
    comment: str = ""


@dataclass(frozen=True, slots=True)
class AdjustmentInput:
    date: dt.date
    amount: Decimal
    description: str


@dataclass(frozen=True, slots=True)
class _Party:
    """Who acts: the user (if any), the contact (if any), and on which side."""

    user: User | None
    contact: Contact | None
    from_customer: bool

    @property
    def actor(self) -> Actor:
        if self.user is not None:
            return self.user
        assert self.contact is not None
        return f"{self.contact.name} <{self.contact.email}>"

    @property
    def display_name(self) -> str:
        if self.user is not None:
            return self.user.get_full_name() or self.user.get_username()
        assert self.contact is not None
        return self.contact.name


# -- the customer's answer -------------------------------------------------------------------


def statement_confirm(
    *,
    document: StatementDocument,
    name: str,
    ip: str | None = None,
    user: User | None = None,
    contact: Contact | None = None,
    comment: str = "",
) -> Confirmation:
    """ "The balance agrees": the customer's signed reply, by name, time and IP. Only the latest
    version of a sent statement can be answered, and only once."""
    party = _customer_party(document.customer, user, contact)
    with transaction.atomic():
        confirmation = _answer(
            document=document,
            party=party,
            answer=Answer.AGREES,
            channel=_online_channel(party),
            name=name,
            ip=ip,
            comment=comment,
            at=timezone.now(),
        )
    return confirmation


def statement_dispute(
    *,
    document: StatementDocument,
    name: str,
    comment: str,
    lines: Sequence[LineDispute] = (),
    missing: Sequence[MissingEntry] = (),
    attachments: Sequence[UploadedFile] = (),
    ip: str | None = None,
    user: User | None = None,
    contact: Contact | None = None,
) -> Dispute:
    """ "Does not agree": records the answer and opens a dispute with the lines marked, the
    entries the customer has that we do not, the comment as its first message and the files."""
    party = _customer_party(document.customer, user, contact)
    checked = [upload_check(upload) for upload in attachments]
    with _files_kept_on_success() as written, transaction.atomic():
        confirmation = _answer(
            document=document,
            party=party,
            answer=Answer.DISAGREES,
            channel=_online_channel(party),
            name=name,
            ip=ip,
            comment=comment,
            at=timezone.now(),
        )
        dispute = _dispute_create(
            document=document,
            party=party,
            confirmation=confirmation,
            subject="",
            body=comment,
            channel=Channel(confirmation.channel),
            lines=lines,
            missing=missing,
            checked=checked,
            written=written,
        )
    return dispute


def confirmation_record(
    *,
    document: StatementDocument,
    by: User,
    answer: str,
    channel: str,
    name: str,
    comment: str = "",
    at: dt.datetime | None = None,
    scan: UploadedFile | None = None,
    lines: Sequence[LineDispute] = (),
    missing: Sequence[MissingEntry] = (),
) -> Confirmation:
    """A cashier records an answer received on paper, by phone or by email, with the scan of
    the signed reply. A disagreement opens a dispute just as an online one does."""
    party = _staff_party(by)
    if channel not in (Channel.PAPER, Channel.PHONE, Channel.EMAIL):
        raise ConfirmationError(f"record paper, phone or email answers here, not {channel!r}")
    checked = upload_check(scan) if scan is not None else None
    with _files_kept_on_success() as written, transaction.atomic():
        confirmation = _answer(
            document=document,
            party=party,
            answer=Answer(answer),
            channel=Channel(channel),
            name=name,
            ip=None,
            comment=comment,
            at=at or timezone.now(),
        )
        if checked is not None:
            _attachment_create(
                checked, customer=document.customer, by=by, written=written, owner=confirmation
            )
        if answer == Answer.DISAGREES:
            _dispute_create(
                document=document,
                party=_Party(user=by, contact=None, from_customer=True),
                confirmation=confirmation,
                subject="",
                body=comment,
                channel=Channel(confirmation.channel),
                lines=lines,
                missing=missing,
                checked=[],
                written=written,
            )
    return confirmation


# -- disputes --------------------------------------------------------------------------------


def dispute_open(
    *,
    document: StatementDocument,
    body: str,
    subject: str = "",
    lines: Sequence[LineDispute] = (),
    missing: Sequence[MissingEntry] = (),
    attachments: Sequence[UploadedFile] = (),
    user: User | None = None,
    contact: Contact | None = None,
) -> Dispute:
    """A new dispute about a sent statement, without (or after) answering it: e.g. the
    customer queries one line of a statement they already confirmed, or a cashier notes one."""
    party = _any_party(document.customer, user, contact)
    if document.status == DocumentStatus.DRAFT:
        raise ConfirmationError(f"{document.label} has not been sent")
    checked = [upload_check(upload) for upload in attachments]
    with _files_kept_on_success() as written, transaction.atomic():
        return _dispute_create(
            document=document,
            party=party,
            confirmation=None,
            subject=subject,
            body=body,
            channel=_online_channel(party) if party.from_customer else Channel.PORTAL,
            lines=lines,
            missing=missing,
            checked=checked,
            written=written,
        )


def dispute_message_post(
    *,
    dispute: Dispute,
    body: str,
    attachments: Sequence[UploadedFile] = (),
    user: User | None = None,
    contact: Contact | None = None,
    channel: str | None = None,
    inbound: bool = False,
) -> DisputeMessage:
    """A message in the thread. From the customer it sets the dispute to "waiting for us"; a
    reply of ours to "waiting for the customer". A cashier notes what the customer said on the
    phone with channel=phone and inbound=True. A resolved dispute takes no more messages."""
    party = _any_party(dispute.customer, user, contact)
    if not party.from_customer and inbound:
        party = _Party(user=party.user, contact=None, from_customer=True)
    if not body.strip():
        raise ConfirmationError("the message is empty")
    checked = [upload_check(upload) for upload in attachments]
    with _files_kept_on_success() as written, transaction.atomic():
        locked = Dispute.objects.select_for_update().get(pk=dispute.pk)
        if locked.status == DisputeStatus.RESOLVED:
            raise ConfirmationError("the dispute is resolved; open a new one")
        chosen = Channel(channel) if channel else _online_channel(party)
        message = _message_create(locked, party, body, chosen, checked, written)
        status = DisputeStatus.WAITING_US if party.from_customer else DisputeStatus.WAITING_CUSTOMER
        _status_change(locked, status, party.actor)
    dispute.refresh_from_db()
    return message


def dispute_status_set(*, dispute: Dispute, by: User, status: str) -> Dispute:
    """Move an unresolved dispute between open / waiting for the customer / waiting for us, or
    reopen a resolved one (its outcome is cleared; the audit log keeps it)."""
    party = _staff_party(by)
    target = DisputeStatus(status)
    if target == DisputeStatus.RESOLVED:
        raise ConfirmationError("resolve with an outcome (dispute_resolve)")
    with transaction.atomic():
        locked = Dispute.objects.select_for_update().get(pk=dispute.pk)
        if locked.status == target:
            raise ConfirmationError(f"the dispute is already {target.label}")
        _status_change(locked, target, party.actor)
    dispute.refresh_from_db()
    return dispute


def dispute_resolve(
    *,
    dispute: Dispute,
    by: User,
    outcome: str,
    note: str,
    adjustments: Sequence[AdjustmentInput] = (),
) -> Dispute:
    """Close the dispute with its outcome, the explanation and the adjustments it led to."""
    party = _staff_party(by)
    chosen = Outcome(outcome)
    if not note.strip():
        raise ConfirmationError("say how the dispute was resolved")
    with transaction.atomic():
        locked = Dispute.objects.select_for_update().get(pk=dispute.pk)
        if locked.status == DisputeStatus.RESOLVED:
            raise ConfirmationError("the dispute is already resolved")
        for item in adjustments:
            Adjustment.objects.create(
                dispute=locked,
                date=item.date,
                amount=item.amount,
                description=item.description.strip(),
                created_by=by,
            )
        locked.outcome, locked.outcome_note = chosen.value, note.strip()
        locked.resolved_at, locked.resolved_by = timezone.now(), by
        _status_change(locked, DisputeStatus.RESOLVED, party.actor)
        audit_record(
            actor=by,
            action="dispute-resolve",
            customer=locked.customer,
            target=locked,
            data={
                "outcome": chosen.value,
                "note": locked.outcome_note,
                "adjustments": [[a.date, a.amount, a.description] for a in adjustments],
            },
        )
        communication_log_record(
            customer=locked.customer,
            by=by,
            channel=CommunicationLog.Channel.PORTAL,
            direction=CommunicationLog.Direction.OUTBOUND,
            summary=f"争议 #{locked.pk} 已解决（{chosen.label}）：{locked.outcome_note}",
        )
    dispute.refresh_from_db()
    return dispute


# -- parts -----------------------------------------------------------------------------------


def _customer_party(customer: Customer, user: User | None, contact: Contact | None) -> _Party:
    """A portal user of this customer, or a contact of it who came through a signed link."""
    if user is not None:
        if not has_role(user, Role.CUSTOMER) or _linked_customer_id(user) != customer.pk:
            raise PermissionDenied("only the customer's own users answer its statements")
        return _Party(user=user, contact=None, from_customer=True)
    if contact is not None and contact.customer_id == customer.pk:
        return _Party(user=None, contact=contact, from_customer=True)
    raise PermissionDenied("only the customer's own users answer its statements")


def _staff_party(user: User) -> _Party:
    if not has_role(user, *PREPARERS):
        raise PermissionDenied("this needs one of the roles: cashier, manager")
    return _Party(user=user, contact=None, from_customer=False)


def _any_party(customer: Customer, user: User | None, contact: Contact | None) -> _Party:
    if user is not None and not has_role(user, Role.CUSTOMER):
        return _staff_party(user)
    return _customer_party(customer, user, contact)


def _linked_customer_id(user: User) -> int | None:
    link = getattr(user, "customer_link", None)
    return link.customer_id if link is not None else None


def _online_channel(party: _Party) -> Channel:
    return Channel.PORTAL if party.user is not None else Channel.LINK


_LOG_CHANNEL = {
    Channel.PORTAL: CommunicationLog.Channel.PORTAL,
    Channel.LINK: CommunicationLog.Channel.PORTAL,
    Channel.EMAIL: CommunicationLog.Channel.EMAIL,
    Channel.PAPER: CommunicationLog.Channel.LETTER,
    Channel.PHONE: CommunicationLog.Channel.PHONE,
}


def _answer(
    *,
    document: StatementDocument,
    party: _Party,
    answer: Answer,
    channel: Channel,
    name: str,
    ip: str | None,
    comment: str,
    at: dt.datetime,
) -> Confirmation:
    if not name.strip():
        raise ConfirmationError("the name of the person answering is required")
    if document.status != DocumentStatus.SENT:
        raise ConfirmationError(f"{document.label} is {document.status}, not waiting for an answer")
    if not statement_is_latest(document):
        raise ConfirmationError(f"{document.label} has been replaced by a newer version")
    to_status = DocumentStatus.CONFIRMED if answer == Answer.AGREES else DocumentStatus.DISPUTED
    try:  # conditional: an answer that arrived meanwhile wins, this one is refused
        statement_status_move(
            document=document,
            from_status=DocumentStatus.SENT,
            to_status=to_status,
            actor=party.actor,
        )
    except StatementDocumentError as error:
        raise ConfirmationError(str(error)) from error
    confirmation = Confirmation.objects.create(
        document=document,
        customer=document.customer,
        answer=answer,
        channel=channel,
        name=name.strip(),
        contact=party.contact,
        user=party.user,
        ip=ip or None,
        at=at,
        comment=comment.strip(),
    )
    audit_record(
        actor=party.actor,
        action=f"confirmation-{answer.value}",
        customer=document.customer,
        target=confirmation,
        data={
            "statement": document.label,
            "closing": document.closing,
            "name": confirmation.name,
            "channel": channel.value,
            "ip": confirmation.ip or "",
        },
    )
    verdict = "确认余额相符" if answer == Answer.AGREES else "回复余额不符"
    communication_log_record(
        customer=document.customer,
        by=party.user,
        channel=_LOG_CHANNEL[channel],
        direction=CommunicationLog.Direction.INBOUND,
        summary=f"{confirmation.name} {verdict}：对账单 {document.label}"
        + (f"。{confirmation.comment}" if confirmation.comment else ""),
    )
    return confirmation


def _dispute_create(
    *,
    document: StatementDocument,
    party: _Party,
    confirmation: Confirmation | None,
    subject: str,
    body: str,
    channel: Channel,
    lines: Sequence[LineDispute],
    missing: Sequence[MissingEntry],
    checked: Sequence[CheckedUpload],
    written: list[str],
) -> Dispute:
    if not (body.strip() or lines or missing):
        raise ConfirmationError("say what does not agree: a comment, a line or a missing entry")
    dispute = Dispute.objects.create(
        customer=document.customer,
        document=document,
        confirmation=confirmation,
        subject=(subject.strip() or f"对账单 {document.label} 余额不符")[:200],
        status=DisputeStatus.WAITING_US if party.from_customer else DisputeStatus.WAITING_CUSTOMER,
        opened_by=party.user,
    )
    shown = {str(line["entry_id"]): line for line in document.lines}
    for item in lines:
        line = shown.get(item.entry_id)
        if line is None:
            raise ConfirmationError(f"{document.label} has no line {item.entry_id!r}")
        DisputedLine.objects.create(
            dispute=dispute,
            kind=DisputedLine.Kind.OUR_LINE,
            entry_id=item.entry_id,
            date=dt.date.fromisoformat(line["date"]),
            reference=line["reference"][:200],
            description=line["description"][:300],
            amount=Decimal(line["debit"]) - Decimal(line["credit"]),
            comment=item.comment.strip(),
        )
    for entry in missing:
        DisputedLine.objects.create(
            dispute=dispute,
            kind=DisputedLine.Kind.MISSING,
            date=entry.date,
            reference=entry.reference.strip()[:200],
            description=entry.description.strip()[:300],
            amount=entry.amount,
            comment=entry.comment.strip(),
        )
    audit_record(
        actor=party.actor,
        action="dispute-open",
        customer=document.customer,
        target=dispute,
        data={
            "statement": document.label,
            "lines": [item.entry_id for item in lines],
            "missing": [[m.date, m.amount, m.reference] for m in missing],
        },
    )
    text = body.strip() or dispute.subject
    _message_create(dispute, party, text, channel, checked, written)
    return dispute


def _message_create(
    dispute: Dispute,
    party: _Party,
    body: str,
    channel: Channel,
    checked: Sequence[CheckedUpload],
    written: list[str],
) -> DisputeMessage:
    message = DisputeMessage.objects.create(
        dispute=dispute,
        author=party.user,
        author_name=party.display_name,
        from_customer=party.from_customer,
        channel=channel,
        body=body.strip(),
    )
    files = [
        _attachment_create(
            item, customer=dispute.customer, by=party.user, written=written, owner=message
        )
        for item in checked
    ]
    audit_record(
        actor=party.actor,
        action="dispute-message",
        customer=dispute.customer,
        target=message,
        data={
            "dispute": dispute.pk,
            "channel": channel.value,
            "from_customer": party.from_customer,
            "attachments": [[f.name, f.sha256] for f in files],
        },
    )
    direction = (
        CommunicationLog.Direction.INBOUND
        if party.from_customer
        else CommunicationLog.Direction.OUTBOUND
    )
    communication_log_record(
        customer=dispute.customer,
        by=party.user,
        channel=_LOG_CHANNEL[channel],
        direction=direction,
        summary=f"争议 #{dispute.pk}（{party.display_name}）：{message.body}",
    )
    return message


def _attachment_create(
    checked: CheckedUpload,
    *,
    customer: Customer,
    by: User | None,
    written: list[str],
    owner: Confirmation | DisputeMessage,
) -> Attachment:
    suffix = checked.kind.extensions[0]
    stored_as, sha256 = file_write(f"attachments/{customer.pk}", suffix, checked.data)
    written.append(stored_as)
    return Attachment.objects.create(
        customer=customer,
        confirmation=owner if isinstance(owner, Confirmation) else None,
        message=owner if isinstance(owner, DisputeMessage) else None,
        name=checked.name,
        content_type=checked.kind.content_type,
        size=len(checked.data),
        sha256=sha256,
        stored_as=stored_as,
        uploaded_by=by,
    )


def _status_change(dispute: Dispute, status: DisputeStatus, actor: Actor) -> None:
    before = dispute.status
    if before == status:
        return
    if before == DisputeStatus.RESOLVED:  # reopening
        dispute.outcome, dispute.outcome_note = "", ""
        dispute.resolved_at, dispute.resolved_by = None, None
    dispute.status = status
    dispute.save()
    audit_record(
        actor=actor,
        action="dispute-status",
        customer=dispute.customer,
        target=dispute,
        data={"from": before, "to": status.value},
    )


@contextmanager
def _files_kept_on_success() -> Iterator[list[str]]:
    """The files written inside the block are removed if the block fails (the rows that named
    them were rolled back), so a refused answer leaves nothing on disk."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for relative in written:
            file_remove(relative)
        raise
