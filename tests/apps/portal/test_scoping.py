"""Every portal URL that takes an id answers 404 for another customer's statement, download,
dispute or attachment, shows nothing of it and writes nothing; staff and customer pages stay
apart."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from duizhang.apps.accounts.roles import Role
from duizhang.apps.confirmations.models import Attachment, Confirmation, Dispute, DisputeMessage
from duizhang.apps.confirmations.services import LineDispute, dispute_open
from duizhang.apps.statements.models import StatementDocument

PDF = b"%PDF-1.4\n% payment slip\n"


@pytest.fixture
def theirs(send_statement, customer, customer1):
    """customer1's statement, a dispute about its first line with a PDF attached."""
    document = send_statement(customer)
    dispute = dispute_open(
        document=document,
        subject="FP006 金额不符",
        body="我方记录为 45,000.00",
        lines=[LineDispute(entry_id=document.lines[0]["entry_id"])],
        attachments=[SimpleUploadedFile("回单.pdf", PDF, "application/pdf")],
        user=customer1,
    )
    return document, dispute, Attachment.objects.get()


def _counts() -> tuple[int, ...]:
    return (
        StatementDocument.objects.count(),
        Confirmation.objects.count(),
        Dispute.objects.count(),
        DisputeMessage.objects.count(),
        Attachment.objects.count(),
    )


def test_the_owner_reaches_every_url(theirs, customer1, client_for):
    document, dispute, attachment = theirs
    client = client_for(customer1)

    for url in _urls(document, dispute, attachment):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/portal/attachments/{attachment.pk}/").content == PDF


def test_another_customer_gets_404_by_id_on_every_url(
    theirs, send_statement, other_customer, customer2, client_for
):
    document, dispute, attachment = theirs
    send_statement(other_customer)  # customer2 has a statement of its own
    client = client_for(customer2)
    before = (_counts(), dispute.status)

    for url in _urls(document, dispute, attachment):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "FP006" not in response.content.decode() and PDF not in response.content
    posts = {
        f"/portal/statements/{document.pk}/": {"answer": "agrees", "name": "冒名"},
        f"/portal/statements/{document.pk}/dispute/": {"body": "x"},
        f"/portal/disputes/{dispute.pk}/": {"body": "x"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    assert (_counts(), Dispute.objects.get().status) == before


def test_lists_show_only_the_customers_own(
    theirs, send_statement, other_customer, customer2, client_for
):
    document = theirs[0]
    own = send_statement(other_customer)
    client = client_for(customer2)

    statements = client.get("/portal/statements/").content.decode()
    disputes = client.get("/portal/disputes/").content.decode()

    assert own.label in statements and document.label not in statements
    assert "FP006 金额不符" not in disputes and "暂无争议" in disputes


def test_staff_cannot_use_the_portal(theirs, make_user, client_for):
    document, dispute, attachment = theirs
    for role_user in (make_user(Role.CASHIER, name="c"), make_user(Role.MANAGER, name="m")):
        client = client_for(role_user)
        for url in ("/portal/", "/portal/help/", *_urls(document, dispute, attachment)):
            assert client.get(url).status_code == 403, url


def test_customers_cannot_reach_staff_pages(customer1, client_for):
    client = client_for(customer1)

    for url in ("/", "/reconciliations/", "/risk/", "/audit/", "/statements/", "/disputes/"):
        assert client.get(url).status_code == 403, url
    assert client.get("/admin/").status_code == 302  # the admin's own login: not staff


def test_anonymous_is_sent_to_login(theirs):
    document, dispute, attachment = theirs
    client = Client()

    for url in _urls(document, dispute, attachment):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


def _urls(document: StatementDocument, dispute: Dispute, attachment: Attachment) -> list[str]:
    return [
        f"/portal/statements/{document.pk}/",
        f"/portal/statements/{document.pk}/download.pdf",
        f"/portal/statements/{document.pk}/download.xlsx",
        f"/portal/statements/{document.pk}/dispute/",
        f"/portal/disputes/{dispute.pk}/",
        f"/portal/attachments/{attachment.pk}/",
    ]
