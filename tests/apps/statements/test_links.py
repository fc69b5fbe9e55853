"""Signed confirmation links: they open one sent statement for one contact, until they expire."""

from __future__ import annotations

import pytest
from django.core import signing

from duizhang.apps.customers.models import Contact, Customer
from duizhang.apps.statements.links import (
    SALT,
    StatementLinkError,
    statement_confirmation_link,
    statement_link_read,
    statement_link_token,
)
from duizhang.apps.statements.models import StatementDocument


@pytest.fixture
def contact(customer: Customer) -> Contact:
    return Contact.objects.create(customer=customer, name="王丽", email="wl@example.cn")


def test_link_round_trip(sent: StatementDocument, contact: Contact, settings) -> None:
    settings.SITE_URL = "https://duizhang.example.cn/"
    link = statement_confirmation_link(sent, contact)
    prefix = "https://duizhang.example.cn/portal/link/"
    assert link.startswith(prefix) and link.endswith("/")
    token = link.removeprefix(prefix).removesuffix("/")
    assert token.startswith(f"{sent.pk}:{contact.pk}:")
    assert statement_link_read(token) == (sent, contact)


def test_link_expires(sent: StatementDocument, contact: Contact, settings) -> None:
    token = statement_link_token(sent, contact)
    settings.STATEMENT_LINK_MAX_AGE = -1
    with pytest.raises(StatementLinkError, match="expired"):
        statement_link_read(token)


def test_tampered_or_foreign_tokens_are_refused(
    sent: StatementDocument, contact: Contact, other_customer: Customer
) -> None:
    token = statement_link_token(sent, contact)
    forged = token.replace(f"{sent.pk}:", f"{sent.pk + 1}:", 1)
    with pytest.raises(StatementLinkError, match="not valid"):
        statement_link_read(forged)
    other_salt = signing.TimestampSigner(salt="another").sign(f"{sent.pk}:{contact.pk}")
    with pytest.raises(StatementLinkError, match="not valid"):
        statement_link_read(other_salt)
    stranger = Contact.objects.create(customer=other_customer, name="李强")
    with pytest.raises(StatementLinkError):
        statement_link_token(sent, stranger)
    signed_for_stranger = signing.TimestampSigner(salt=SALT).sign(f"{sent.pk}:{stranger.pk}")
    with pytest.raises(StatementLinkError, match="contact"):
        statement_link_read(signed_for_stranger)


def test_a_draft_does_not_open(generate, customer: Customer, contact: Contact) -> None:
    draft = generate(customer)
    with pytest.raises(StatementLinkError, match="no longer available"):
        statement_link_read(statement_link_token(draft, contact))
