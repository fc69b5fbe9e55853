"""Statements in the portal: lines, downloads, the answer (agrees / does not agree with lines,
missing entries and files), disputes and replies, and the signed email link."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from duizhang.apps.confirmations.models import Attachment, Confirmation, Dispute, DisputedLine
from duizhang.apps.customers.models import Contact
from duizhang.apps.statements.links import statement_link_token
from duizhang.apps.statements.models import StatementDocument
from duizhang.apps.statements.selectors import statement_document_pdf
from duizhang.apps.statements.services import statement_generate, statement_mark_sent

PDF = b"%PDF-1.4\n% payment slip\n"


@pytest.fixture
def document(send_statement, customer) -> StatementDocument:
    return send_statement(customer)


def test_statement_page_lists_the_lines_as_sent(document, customer1, client_for):
    page = client_for(customer1).get(f"/portal/statements/{document.pk}/").content.decode()

    assert [line["reference"] for line in document.lines] == ["FP006", "ICBC005", "FP008"]
    assert "FP006" in page and "45,600.00" in page and "28,500.00" in page
    assert "期初余额" in page and "69,400.00 CNY" in page
    assert page.count('class="dispute-line"') == 3
    assert 'name="answer"' in page  # sent and unanswered: the answer form is there


def test_downloads_are_the_stored_files(document, customer1, client_for):
    client = client_for(customer1)

    pdf = client.get(f"/portal/statements/{document.pk}/download.pdf")
    xlsx = client.get(f"/portal/statements/{document.pk}/download.xlsx")

    assert pdf.content == statement_document_pdf(document) and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Type"] == "application/pdf"
    assert f"{document.label}.pdf" in pdf["Content-Disposition"]
    assert xlsx.content.startswith(b"PK") and xlsx["Cache-Control"] == "private, no-store"
    assert client.get(f"/portal/statements/{document.pk}/download.exe").status_code == 404


def test_balance_agrees(document, customer1, client_for):
    client = client_for(customer1)

    response = client.post(
        f"/portal/statements/{document.pk}/",
        {
            "answer": "agrees",
            "name": "王丽",
            "missing-TOTAL_FORMS": "0",
            "missing-INITIAL_FORMS": "0",
        },
        REMOTE_ADDR="203.0.113.7",
    )

    assert response["Location"] == f"/portal/statements/{document.pk}/"
    confirmation = Confirmation.objects.get()
    assert (confirmation.answer, confirmation.channel, confirmation.name, confirmation.ip) == (
        "agrees",
        "portal",
        "王丽",
        "203.0.113.7",
    )
    assert confirmation.user == customer1 and not Dispute.objects.exists()
    document.refresh_from_db()
    assert document.status == "confirmed"
    page = client.get(f"/portal/statements/{document.pk}/").content.decode()
    assert "余额相符 · 王丽" in page and 'name="answer"' not in page


def test_does_not_agree_with_a_line_a_missing_payment_and_a_slip(document, customer1, client_for):
    line = document.lines[1]["entry_id"]

    response = client_for(customer1).post(
        f"/portal/statements/{document.pk}/",
        {
            "answer": "disagrees",
            "name": "王丽",
            "comment": "9 月 12 日我方付款 30,000.00",
            "lines": [line],
            f"note-{line}": "我方付款 30,000.00",
            "missing-TOTAL_FORMS": "2",
            "missing-INITIAL_FORMS": "0",
            "missing-0-kind": "payment",
            "missing-0-date": "2026-09-28",
            "missing-0-reference": "HD009",
            "missing-0-amount": "5000.00",
            "missing-0-comment": "9 月 28 日电汇",
            "attachments": [SimpleUploadedFile("回单.pdf", PDF, "application/pdf")],
        },
    )

    assert response.status_code == 302
    dispute = Dispute.objects.get()
    assert dispute.confirmation is not None
    assert (dispute.confirmation.answer, dispute.opened_by) == ("disagrees", customer1)
    assert sorted(
        (d.kind, d.entry_id, d.date, d.reference, d.amount, d.comment)
        for d in DisputedLine.objects.all()
    ) == [
        ("missing", "", date(2026, 9, 28), "HD009", Decimal("-5000.0000"), "9 月 28 日电汇"),
        ("ours", line, date(2026, 9, 12), "ICBC005", Decimal("-28500.0000"), "我方付款 30,000.00"),
    ]
    assert list(Attachment.objects.values_list("name", "size", "customer_id")) == [
        ("回单.pdf", len(PDF), document.customer_id)
    ]


def test_disagreeing_without_saying_why_writes_nothing(document, customer1, client_for):
    response = client_for(customer1).post(
        f"/portal/statements/{document.pk}/",
        {
            "answer": "disagrees",
            "name": "王丽",
            "missing-TOTAL_FORMS": "0",
            "missing-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200 and "请说明哪里不符" in response.content.decode()
    assert (Confirmation.objects.count(), Dispute.objects.count()) == (0, 0)


def test_a_refused_attachment_writes_nothing(document, customer1, client_for, media):
    response = client_for(customer1).post(
        f"/portal/statements/{document.pk}/dispute/?line={document.lines[0]['entry_id']}",
        {"body": "请看附件", "attachments": [SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00")]},
    )

    assert response.status_code == 200 and "not a PDF or an image" in response.content.decode()
    assert (Dispute.objects.count(), Attachment.objects.count()) == (0, 0)
    assert not (media / "attachments").exists() or not any((media / "attachments").rglob("*"))


def test_dispute_a_line_then_reply_with_an_attachment(document, customer1, client_for, media):
    client = client_for(customer1)
    entry = document.lines[0]["entry_id"]

    form = client.get(f"/portal/statements/{document.pk}/dispute/?line={entry}").content.decode()
    opened = client.post(
        f"/portal/statements/{document.pk}/dispute/",
        {"line": entry, "subject": "FP006 金额", "body": "合同金额为 45,000.00"},
    )
    dispute = Dispute.objects.get()
    reply = client.post(
        f"/portal/disputes/{dispute.pk}/",
        {"body": "补充合同扫描件", "attachments": [SimpleUploadedFile("合同.pdf", PDF)]},
    )

    assert "FP006" in form and f'value="{entry}"' in form
    assert opened["Location"] == reply["Location"] == f"/portal/disputes/{dispute.pk}/"
    assert list(dispute.lines.values_list("entry_id", flat=True)) == [entry]
    assert [m.body for m in dispute.messages.all()] == ["合同金额为 45,000.00", "补充合同扫描件"]
    attachment = Attachment.objects.get()
    stored = media / attachment.stored_as
    assert stored.read_bytes() == PDF and media in stored.parents  # outside the web root
    page = client.get(f"/portal/disputes/{dispute.pk}/").content.decode()
    assert f'href="/portal/attachments/{attachment.pk}/"' in page and "合同.pdf" in page


def test_a_line_that_is_not_on_the_statement_is_404(document, customer1, client_for):
    url = f"/portal/statements/{document.pk}/dispute/?line=记-006"  # customer 2's entry

    assert client_for(customer1).get(url).status_code == 404


def test_signed_link_opens_that_statement_only_and_takes_the_answer(document, customer):
    contact = Contact.objects.create(customer=customer, name="王丽", email="wl@example.cn")
    url = f"/portal/link/{statement_link_token(document, contact)}/"
    client = Client()

    page = client.get(url).content.decode()
    pdf = client.get(f"{url}download.pdf")
    answered = client.post(
        url,
        {
            "answer": "agrees",
            "name": "王丽",
            "missing-TOTAL_FORMS": "0",
            "missing-INITIAL_FORMS": "0",
        },
    )

    assert "FP006" in page and "王丽" in page
    assert "/portal/statements/" not in page and "/portal/disputes/" not in page  # no way on
    assert pdf.content == statement_document_pdf(document)
    assert answered["Location"] == url
    confirmation = Confirmation.objects.get()
    assert (confirmation.channel, confirmation.contact, confirmation.user) == (
        "link",
        contact,
        None,
    )
    assert "_auth_user_id" not in client.session


def test_a_forged_or_expired_link_is_404(document, customer, settings):
    contact = Contact.objects.create(customer=customer, name="王丽", email="wl@example.cn")
    token = statement_link_token(document, contact)
    client = Client()

    assert client.get(f"/portal/link/{token[:-2]}xx/").status_code == 404
    assert client.get(f"/portal/link/{token[:-2]}xx/download.pdf").status_code == 404
    settings.STATEMENT_LINK_MAX_AGE = -1
    assert client.get(f"/portal/link/{token}/").status_code == 404


def test_a_replaced_version_points_to_the_new_one_and_a_draft_stays_unseen(
    document, customer, customer1, cashier, client_for
):
    period = {"period_start": document.period_start, "period_end": document.period_end}
    draft = statement_generate(customer=customer, by=cashier, **period)
    client = client_for(customer1)

    while_draft = client.get(f"/portal/statements/{document.pk}/").content.decode()
    statement_mark_sent(document=draft, by=cashier)
    after_sending = client.get(f"/portal/statements/{document.pk}/").content.decode()

    assert draft.version == 2 and draft.label not in while_draft
    assert 'name="answer"' not in while_draft and 'name="answer"' not in after_sending
    assert f'<a href="/portal/statements/{draft.pk}/">{draft.label}</a>' in after_sending
    assert client.get(f"/portal/statements/{draft.pk}/").status_code == 200


def test_the_link_page_speaks_the_contacts_language(document, customer):
    contact = Contact.objects.create(
        customer=customer, name="David Chen", email="dc@example.cn", language="en"
    )

    page = Client().get(f"/portal/link/{statement_link_token(document, contact)}/").content.decode()

    assert '<html lang="en">' in page and "Statement of account" in page
