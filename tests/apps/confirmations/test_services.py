"""The customer's answer (电子询证), disputes and attachments: state machine, scoping, logs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from duizhang.apps.accounts.roles import Role
from duizhang.apps.audit.models import AuditRecord
from duizhang.apps.confirmations import selectors
from duizhang.apps.confirmations.attachments import AttachmentRefusedError
from duizhang.apps.confirmations.models import (
    Attachment,
    Confirmation,
    Dispute,
    DisputedLine,
    DisputeMessage,
)
from duizhang.apps.confirmations.services import (
    AdjustmentInput,
    ConfirmationError,
    LineDispute,
    MissingEntry,
    confirmation_record,
    dispute_message_post,
    dispute_resolve,
    dispute_status_set,
    statement_confirm,
    statement_dispute,
)
from duizhang.apps.customers.models import CommunicationLog, Contact, Customer
from duizhang.apps.statements.models import StatementDocument

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def files_in(media: Path) -> list[Path]:
    return sorted(
        path for path in media.rglob("*") if path.is_file() and "attachments" in path.parts
    )


@pytest.fixture
def portal_user(make_user, customer: Customer) -> User:
    return make_user(Role.CUSTOMER, "customer1", customer=customer)


@pytest.fixture
def stranger(make_user, other_customer: Customer) -> User:
    return make_user(Role.CUSTOMER, "customer2", customer=other_customer)


def test_confirm_records_the_signed_reply(sent: StatementDocument, portal_user: User) -> None:
    confirmation = statement_confirm(
        document=sent, user=portal_user, name="王丽", ip="203.0.113.7", comment="无误"
    )

    sent.refresh_from_db()
    assert sent.status == "confirmed"
    assert (confirmation.answer, confirmation.channel, confirmation.name) == (
        "agrees",
        "portal",
        "王丽",
    )
    assert (confirmation.ip, confirmation.user) == ("203.0.113.7", portal_user)
    inbound = CommunicationLog.objects.get(direction="in")
    assert (inbound.channel, inbound.by) == ("portal", portal_user)
    assert inbound.summary == "王丽 确认余额相符：对账单 DZ-2026-09-C001-0001-v1。无误"
    record = AuditRecord.objects.get(action="confirmation-agrees")
    assert (record.actor_name, record.customer, record.target_id) == (
        "customer1",
        "C001",
        str(confirmation.pk),
    )
    assert AuditRecord.objects.filter(action="statement-confirmed").count() == 1


def test_a_statement_is_answered_once(sent: StatementDocument, portal_user: User) -> None:
    statement_confirm(document=sent, user=portal_user, name="王丽")
    sent.refresh_from_db()
    with pytest.raises(ConfirmationError, match="confirmed, not waiting"):
        statement_dispute(document=sent, user=portal_user, name="王丽", comment="不对")
    assert Confirmation.objects.count() == 1
    assert not Dispute.objects.exists()


def test_a_draft_cannot_be_answered(generate, customer: Customer, portal_user: User) -> None:
    draft = generate(customer)
    with pytest.raises(ConfirmationError, match="draft"):
        statement_confirm(document=draft, user=portal_user, name="王丽")
    assert not Confirmation.objects.exists()


def test_a_replaced_version_cannot_be_answered(
    sent: StatementDocument, generate, customer: Customer, portal_user: User
) -> None:
    generate(customer)
    with pytest.raises(ConfirmationError, match="newer version"):
        statement_confirm(document=sent, user=portal_user, name="王丽")
    sent.refresh_from_db()
    assert sent.status == "sent"


def test_another_customers_user_is_refused(sent: StatementDocument, stranger: User) -> None:
    with pytest.raises(PermissionDenied):
        statement_confirm(document=sent, user=stranger, name="李强")
    with pytest.raises(PermissionDenied):
        statement_dispute(document=sent, user=stranger, name="李强", comment="x")
    sent.refresh_from_db()
    assert sent.status == "sent"
    assert not Confirmation.objects.exists()
    assert not CommunicationLog.objects.filter(direction="in").exists()


def test_staff_cannot_answer_as_the_customer(sent: StatementDocument, cashier: User) -> None:
    with pytest.raises(PermissionDenied):
        statement_confirm(document=sent, user=cashier, name="王丽")
    assert not Confirmation.objects.exists()


def test_a_contact_answers_through_a_link(sent: StatementDocument, customer: Customer) -> None:
    contact = Contact.objects.create(customer=customer, name="王丽", email="wl@example.cn")
    confirmation = statement_confirm(document=sent, contact=contact, name="王丽", ip="198.51.100.2")
    assert (confirmation.channel, confirmation.contact, confirmation.user) == (
        "link",
        contact,
        None,
    )
    assert (
        AuditRecord.objects.get(action="confirmation-agrees").actor_name == "王丽 <wl@example.cn>"
    )


def test_dispute_marks_lines_missing_entries_and_files(
    sent: StatementDocument, portal_user: User, media: Path
) -> None:
    dispute = statement_dispute(
        document=sent,
        user=portal_user,
        name="王丽",
        ip="203.0.113.7",
        comment="9 月 12 日我方付款 30,000.00，不是 28,500.00。",
        lines=[LineDispute(entry_id="记-004", comment="金额不符")],
        missing=[MissingEntry(date=date(2026, 9, 28), amount=Decimal("-5000"), reference="HD009")],
        attachments=[SimpleUploadedFile("回单.pdf", PDF), SimpleUploadedFile("截图.PNG", PNG)],
    )

    sent.refresh_from_db()
    assert sent.status == "disputed"
    assert dispute.confirmation is not None
    assert (dispute.status, dispute.customer_id, dispute.confirmation.answer) == (
        "waiting_us",
        sent.customer_id,
        "disagrees",
    )
    assert dispute.subject == "对账单 DZ-2026-09-C001-0001-v1 余额不符"
    theirs, ours = DisputedLine.objects.filter(dispute=dispute).order_by("kind")
    assert (ours.kind, ours.entry_id, ours.reference, ours.amount, ours.comment) == (
        "ours",
        "记-004",
        "ICBC005",
        Decimal("-28500.0000"),
        "金额不符",
    )
    assert (theirs.kind, theirs.date, theirs.amount, theirs.reference) == (
        "missing",
        date(2026, 9, 28),
        Decimal("-5000.0000"),
        "HD009",
    )
    message = DisputeMessage.objects.get(dispute=dispute)
    assert (message.from_customer, message.channel, message.author_name) == (
        True,
        "portal",
        "customer1",
    )
    files = list(Attachment.objects.order_by("pk"))
    assert [(f.name, f.content_type, f.size) for f in files] == [
        ("回单.pdf", "application/pdf", len(PDF)),
        ("截图.PNG", "image/png", len(PNG)),
    ]
    assert selectors.attachment_open(files[0]) == PDF
    assert len(files_in(media)) == 2
    assert all(path.name not in ("回单.pdf", "截图.PNG") for path in files_in(media))
    assert CommunicationLog.objects.filter(direction="in").count() == 2  # the answer, the message
    assert [r.action for r in AuditRecord.objects.filter(action__startswith="dispute-")] == [
        "dispute-open",
        "dispute-message",
    ]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("invoice.pdf", EXE, "not a PDF or an image"),
        ("scan.png", PDF, "its name should end in .pdf"),
        ("empty.pdf", b"", "empty"),
        ("big.pdf", PDF + b"0" * 2048, "larger than"),
    ],
)
def test_refused_attachments_leave_nothing(
    sent: StatementDocument, portal_user: User, media: Path, settings, name, data, reason
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(AttachmentRefusedError, match=reason):
        statement_dispute(
            document=sent,
            user=portal_user,
            name="王丽",
            comment="见附件",
            attachments=[SimpleUploadedFile("ok.pdf", PDF), SimpleUploadedFile(name, data)],
        )
    sent.refresh_from_db()
    assert sent.status == "sent"
    assert not Confirmation.objects.exists()
    assert not Dispute.objects.exists()
    assert not Attachment.objects.exists()
    assert files_in(media) == []
    assert not CommunicationLog.objects.filter(direction="in").exists()


def test_unknown_line_rolls_everything_back(
    sent: StatementDocument, portal_user: User, media: Path
) -> None:
    with pytest.raises(ConfirmationError, match="no line 'X-9'"):
        statement_dispute(
            document=sent,
            user=portal_user,
            name="王丽",
            comment="",
            lines=[LineDispute(entry_id="X-9")],
            attachments=[SimpleUploadedFile("ok.pdf", PDF)],
        )
    sent.refresh_from_db()
    assert sent.status == "sent"
    assert not Dispute.objects.exists()
    assert files_in(media) == []


@pytest.fixture
def dispute(sent: StatementDocument, portal_user: User) -> Dispute:
    return statement_dispute(document=sent, user=portal_user, name="王丽", comment="少了一笔付款")


def test_thread_both_ways_moves_the_status(
    dispute: Dispute, portal_user: User, cashier: User, media: Path
) -> None:
    reply = dispute_message_post(
        dispute=dispute,
        user=cashier,
        body="请提供回单。",
        attachments=[SimpleUploadedFile("a.pdf", PDF)],
    )
    assert (dispute.status, reply.from_customer, reply.channel) == (
        "waiting_customer",
        False,
        "portal",
    )
    dispute_message_post(dispute=dispute, user=portal_user, body="已上传。")
    assert dispute.status == "waiting_us"
    dispute_message_post(
        dispute=dispute, user=cashier, body="王丽来电确认", channel="phone", inbound=True
    )
    assert dispute.status == "waiting_us"
    thread = list(selectors.dispute_thread(dispute))
    assert [(m.from_customer, m.channel) for m in thread] == [
        (True, "portal"),
        (False, "portal"),
        (True, "portal"),
        (True, "phone"),
    ]
    assert [a.name for a in thread[1].attachments.all()] == ["a.pdf"]
    log = CommunicationLog.objects.filter(summary__startswith=f"争议 #{dispute.pk}").order_by("id")
    assert [(n.channel, n.direction) for n in log] == [
        ("portal", "in"),
        ("portal", "out"),
        ("portal", "in"),
        ("phone", "in"),
    ]


def test_resolve_with_outcome_and_adjustments(
    dispute: Dispute, cashier: User, portal_user: User
) -> None:
    dispute_resolve(
        dispute=dispute,
        by=cashier,
        outcome="corrected",
        note="漏记 9 月 28 日收款，已补记。",
        adjustments=[AdjustmentInput(date(2026, 9, 28), Decimal("-5000"), "补记收款 HD009")],
    )
    assert (dispute.status, dispute.outcome, dispute.resolved_by) == (
        "resolved",
        "corrected",
        cashier,
    )
    assert [(a.amount, a.description) for a in dispute.adjustments.all()] == [
        (Decimal("-5000.0000"), "补记收款 HD009")
    ]
    with pytest.raises(ConfirmationError, match="resolved"):
        dispute_message_post(dispute=dispute, user=portal_user, body="谢谢")
    assert dispute.messages.count() == 1
    assert AuditRecord.objects.filter(action="dispute-resolve").count() == 1

    dispute_status_set(dispute=dispute, by=cashier, status="open")
    assert (dispute.status, dispute.outcome, dispute.resolved_at) == ("open", "", None)


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.AUDITOR])
def test_readers_cannot_reply_or_resolve(
    dispute: Dispute, staff: dict[Role, User], role: Role
) -> None:
    with pytest.raises(PermissionDenied):
        dispute_message_post(dispute=dispute, user=staff[role], body="x")
    with pytest.raises(PermissionDenied):
        dispute_resolve(dispute=dispute, by=staff[role], outcome="timing", note="x")
    dispute.refresh_from_db()
    assert (dispute.status, dispute.messages.count()) == ("waiting_us", 1)


def test_customer_user_cannot_resolve(dispute: Dispute, portal_user: User) -> None:
    with pytest.raises(PermissionDenied):
        dispute_resolve(dispute=dispute, by=portal_user, outcome="withdrawn", note="x")
    dispute.refresh_from_db()
    assert dispute.status == "waiting_us"


def test_paper_confirmation_with_scan(sent: StatementDocument, cashier: User, media: Path) -> None:
    confirmation = confirmation_record(
        document=sent,
        by=cashier,
        answer="agrees",
        channel="paper",
        name="王丽（盖章回函）",
        scan=SimpleUploadedFile("回函.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
    )
    sent.refresh_from_db()
    assert (sent.status, confirmation.channel, confirmation.user) == ("confirmed", "paper", cashier)
    assert [a.content_type for a in confirmation.attachments.all()] == ["image/jpeg"]
    note = CommunicationLog.objects.get(direction="in")
    assert (note.channel, note.by) == ("letter", cashier)


def test_phone_disagreement_opens_a_dispute(sent: StatementDocument, cashier: User) -> None:
    confirmation_record(
        document=sent,
        by=cashier,
        answer="disagrees",
        channel="phone",
        name="王丽",
        comment="少一笔",
    )
    dispute = Dispute.objects.get()
    assert (dispute.status, dispute.messages.get().channel) == ("waiting_us", "phone")


def test_selectors_never_cross_customers(
    dispute: Dispute, generate, other_customer: Customer, cashier: User, stranger: User, customer
) -> None:
    from duizhang.apps.statements.selectors import customer_statement, customer_statements
    from duizhang.apps.statements.services import statement_mark_sent

    theirs = statement_mark_sent(document=generate(other_customer), by=cashier)
    other = statement_dispute(
        document=theirs,
        user=stranger,
        name="李强",
        comment="见附件",
        attachments=[SimpleUploadedFile("b.pdf", PDF)],
    )
    attachment = Attachment.objects.get(customer=other_customer)

    assert list(customer_statements(customer)) == [dispute.document]
    assert customer_statement(customer, theirs.pk) is None
    assert list(selectors.customer_disputes(customer)) == [dispute]
    assert selectors.customer_dispute(customer, other.pk) is None
    assert selectors.customer_attachment(customer, attachment.pk) is None
    assert selectors.customer_attachment(other_customer, attachment.pk) == attachment
    assert [d.pk for d in selectors.dispute_inbox()] == [dispute.pk, other.pk]
    assert [d.pk for d in selectors.dispute_inbox(customer=other_customer)] == [other.pk]


def test_inbox_filters_by_age_status_and_text(dispute: Dispute, cashier: User) -> None:
    from datetime import timedelta

    from django.utils import timezone

    Dispute.objects.filter(pk=dispute.pk).update(opened_at=timezone.now() - timedelta(days=20))
    dispute.refresh_from_db()
    assert dispute.age_days == 20
    assert list(selectors.dispute_inbox(older_than_days=20)) == [dispute]
    assert list(selectors.dispute_inbox(older_than_days=21)) == []
    assert list(selectors.dispute_inbox(query="明远")) == [dispute]
    assert list(selectors.dispute_inbox(query="DZ-2026-09-C001")) == [dispute]
    assert list(selectors.dispute_inbox(query="恒通")) == []
    assert list(selectors.dispute_inbox(state="waiting_customer")) == []
    dispute_resolve(dispute=dispute, by=cashier, outcome="timing", note="10 月到账")
    assert list(selectors.dispute_inbox()) == []
    assert list(selectors.dispute_inbox(state="all")) == [dispute]
    assert dispute.age_days == 20  # counted until it was resolved


def test_a_second_answer_from_a_stale_page_is_refused(
    sent: StatementDocument, portal_user: User, media: Path
) -> None:
    stale = StatementDocument.objects.get(pk=sent.pk)  # a second tab, loaded before the answer
    statement_confirm(document=sent, user=portal_user, name="王丽")
    with pytest.raises(ConfirmationError, match="is not sent"):
        statement_dispute(
            document=stale,
            user=portal_user,
            name="王丽",
            comment="不对",
            attachments=[SimpleUploadedFile("a.pdf", PDF)],
        )
    sent.refresh_from_db()
    assert sent.status == "confirmed"
    assert list(Confirmation.objects.values_list("answer", flat=True)) == ["agrees"]
    assert not Dispute.objects.exists()
    assert files_in(media) == []
