"""The cashier's statement and dispute pages: who reaches them, and what each action does."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from duizhang.apps.accounts.roles import Role
from duizhang.apps.confirmations.models import Attachment, Confirmation, Dispute
from duizhang.apps.confirmations.services import statement_dispute
from duizhang.apps.customers.models import Customer
from duizhang.apps.statements.models import StatementDocument
from duizhang.apps.statements.selectors import statement_document_pdf

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    def as_user(user: User) -> Client:
        client.force_login(user)
        return client

    return as_user


def test_cashier_generates_a_statement(
    booked: object, customer: Customer, cashier: User, login
) -> None:
    response = login(cashier).post(
        reverse("statements:new"),
        {
            "customer": customer.pk,
            "period_start": "2026-09-01",
            "period_end": "2026-09-30",
            "style": "balance-forward",
            "language": "zh-Hans",
            "currency": "",
        },
    )
    document = StatementDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("statements:detail", args=[document.pk])
    assert (document.number, document.line_count) == ("DZ-2026-09-C001-0001", 3)
    page = login(cashier).get(response["Location"])
    assert page.status_code == 200
    assert "69,400.00" in page.content.decode()


def test_download_and_mark_sent(sent: StatementDocument, cashier: User, login) -> None:
    client = login(cashier)
    pdf = client.get(reverse("statements:download", args=[sent.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content == statement_document_pdf(sent)
    xlsx = client.get(reverse("statements:download", args=[sent.pk, "xlsx"]))
    assert xlsx.content[:2] == b"PK"
    listing = client.get(reverse("statements:list"), {"status": "sent"}).content.decode()
    assert "DZ-2026-09-C001-0001" in listing


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.AUDITOR])
def test_readers_read_but_do_not_act(
    sent: StatementDocument, staff: dict[Role, User], login, role: Role
) -> None:
    client = login(staff[role])
    assert client.get(reverse("statements:detail", args=[sent.pk])).status_code == 200
    assert client.get(reverse("confirmations:inbox")).status_code == 200
    assert client.get(reverse("statements:new")).status_code == 403
    answer = {"answer": "agrees", "channel": "paper", "name": "王丽"}
    assert client.post(reverse("statements:record", args=[sent.pk]), answer).status_code == 403
    assert not Confirmation.objects.exists()


def test_customer_users_never_reach_staff_pages(
    sent: StatementDocument, make_user, customer: Customer, login
) -> None:
    user = make_user(Role.CUSTOMER, "customer1", customer=customer)
    client = login(user)
    dispute = statement_dispute(
        document=sent,
        user=user,
        name="王丽",
        comment="见附件",
        attachments=[SimpleUploadedFile("a.pdf", PDF)],
    )
    urls = [
        reverse("statements:list"),
        reverse("statements:new"),
        reverse("statements:detail", args=[sent.pk]),
        reverse("statements:download", args=[sent.pk, "pdf"]),
        reverse("confirmations:inbox"),
        reverse("confirmations:dispute", args=[dispute.pk]),
        reverse("confirmations:attachment", args=[Attachment.objects.get().pk]),
    ]
    assert [client.get(url).status_code for url in urls] == [403] * len(urls)
    reply = client.post(
        reverse("confirmations:reply", args=[dispute.pk]), {"body": "x", "channel": "portal"}
    )
    assert reply.status_code == 403
    assert dispute.messages.count() == 1


def test_record_paper_answer_with_scan(sent: StatementDocument, cashier: User, login) -> None:
    response = login(cashier).post(
        reverse("statements:record", args=[sent.pk]),
        {
            "answer": "agrees",
            "channel": "paper",
            "name": "王丽",
            "scan": SimpleUploadedFile("回函.pdf", PDF),
        },
    )
    assert response.status_code == 302
    confirmation = Confirmation.objects.get()
    assert (confirmation.channel, confirmation.attachments.get().name) == ("paper", "回函.pdf")


def test_refused_scan_is_reported_and_nothing_kept(
    sent: StatementDocument, cashier: User, login
) -> None:
    client = login(cashier)
    response = client.post(
        reverse("statements:record", args=[sent.pk]),
        {
            "answer": "agrees",
            "channel": "paper",
            "name": "王丽",
            "scan": SimpleUploadedFile("x.pdf", b"MZ\x90"),
        },
        follow=True,
    )
    assert "x.pdf is not a PDF or an image" in response.content.decode()
    assert not Confirmation.objects.exists()
    sent.refresh_from_db()
    assert sent.status == "sent"


def test_inbox_reply_and_resolve(
    sent: StatementDocument, make_user, customer, cashier, login
) -> None:
    user = make_user(Role.CUSTOMER, "customer1", customer=customer)
    dispute = statement_dispute(document=sent, user=user, name="王丽", comment="少了一笔付款")
    client = login(cashier)
    inbox = client.get(reverse("confirmations:inbox"), {"state": "waiting_us"}).content.decode()
    assert "少了一笔付款" not in inbox and dispute.subject in inbox
    assert (
        dispute.subject
        not in client.get(reverse("confirmations:inbox"), {"state": "resolved"}).content.decode()
    )

    client.post(
        reverse("confirmations:reply", args=[dispute.pk]),
        {
            "body": "请提供回单",
            "channel": "portal",
            "attachment": SimpleUploadedFile("说明.pdf", PDF),
        },
    )
    dispute.refresh_from_db()
    assert dispute.status == "waiting_customer"
    page = client.get(reverse("confirmations:dispute", args=[dispute.pk])).content.decode()
    assert "请提供回单" in page and "说明.pdf" in page
    attachment = Attachment.objects.get(name="说明.pdf")
    download = client.get(reverse("confirmations:attachment", args=[attachment.pk]))
    assert download.content == PDF

    client.post(
        reverse("confirmations:resolve", args=[dispute.pk]),
        {
            "outcome": "timing",
            "note": "10 月 2 日到账",
            "adjustment_date": "",
            "adjustment_amount": "",
            "adjustment_description": "",
        },
    )
    dispute.refresh_from_db()
    assert (dispute.status, dispute.outcome) == ("resolved", "timing")
    assert Dispute.objects.filter(status="resolved").count() == 1
