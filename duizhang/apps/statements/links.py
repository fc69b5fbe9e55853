"""Signed, expiring links that open one statement for confirmation, for statement emails.

The token names the document and the contact it was sent to, signed with a TimestampSigner and
its own salt: it cannot be forged, reused for another statement, or opened after
STATEMENT_LINK_MAX_AGE seconds. The portal's view behind `portal:statement_link` reads it with
`statement_link_read` and shows that one statement only.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from duizhang.apps.customers.models import Contact
from duizhang.apps.statements.models import DocumentStatus, StatementDocument

SALT = "duizhang.statements.confirmation-link"
LINK_VIEW = "portal:statement_link"


class StatementLinkError(Exception):
    """The link is forged, expired, or names a statement that is no longer open to answer."""


def statement_link_token(document: StatementDocument, contact: Contact) -> str:
    if contact.customer_id != document.customer_id:
        raise StatementLinkError("the contact is not one of the statement's customer's")
    return signing.TimestampSigner(salt=SALT).sign(f"{document.pk}:{contact.pk}")


def statement_confirmation_link(document: StatementDocument, contact: Contact) -> str:
    """The absolute URL of the confirmation page for this statement and contact."""
    path = reverse(LINK_VIEW, kwargs={"token": statement_link_token(document, contact)})
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def statement_link_read(token: str) -> tuple[StatementDocument, Contact]:
    """The (sent) document and the contact a token names; StatementLinkError otherwise."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        value = signer.unsign(token, max_age=settings.STATEMENT_LINK_MAX_AGE)
    except signing.SignatureExpired as error:
        raise StatementLinkError("the link has expired") from error
    except signing.BadSignature as error:
        raise StatementLinkError("the link is not valid") from error
    document_pk, contact_pk = (int(part) for part in value.split(":"))
    document = (
        StatementDocument.objects.select_related("customer")
        .exclude(status=DocumentStatus.DRAFT)
        .filter(pk=document_pk)
        .first()
    )
    if document is None:
        raise StatementLinkError("the statement is no longer available")
    contact = Contact.objects.filter(pk=contact_pk, customer_id=document.customer_id).first()
    if contact is None:
        raise StatementLinkError("the contact no longer exists")
    return document, contact
