"""Statements in the portal: history, one statement with its lines, downloads, and the answer
(电子询证: "balance agrees" / "does not agree" with lines, missing entries and files).

The same statement page opens from a signed email link (`statement_link`) for a contact who
has no login: the token names one sent statement and one contact, and shows nothing else."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext

from duizhang.apps.confirmations.attachments import AttachmentRefusedError
from duizhang.apps.confirmations.models import Confirmation
from duizhang.apps.confirmations.selectors import customer_confirmation, customer_disputes
from duizhang.apps.confirmations.services import (
    ConfirmationError,
    LineDispute,
    MissingEntry,
    statement_confirm,
    statement_dispute,
)
from duizhang.apps.customers.models import Contact, Customer
from duizhang.apps.portal.access import customer_only
from duizhang.apps.portal.forms import AnswerForm, MissingEntryFormSet
from duizhang.apps.statements.links import StatementLinkError, statement_link_read
from duizhang.apps.statements.models import DocumentStatus, StatementDocument
from duizhang.apps.statements.selectors import (
    customer_statement,
    customer_statements,
    statement_document_filename,
    statement_document_pdf,
    statement_document_xlsx,
    statement_is_latest,
)

DOWNLOADS = {
    "pdf": (statement_document_pdf, "application/pdf"),
    "xlsx": (
        statement_document_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


@customer_only
def statement_list(request: HttpRequest, customer: Customer) -> HttpResponse:
    return render(
        request,
        "portal/statements.html",
        {"customer": customer, "statements": customer_statements(customer)},
    )


@customer_only
def statement_detail(request: HttpRequest, customer: Customer, pk: int) -> HttpResponse:
    document = _statement_or_404(customer, pk)
    user = request.user
    assert isinstance(user, User)
    answered = _answer(request, document, user=user, contact=None)
    if isinstance(answered, HttpResponse):
        return answered
    return render(
        request,
        "portal/statement.html",
        {
            **answered,
            "customer": customer,
            "disputes": customer_disputes(customer).filter(document=document),
            "via_link": None,
        },
    )


@customer_only
def statement_download(
    request: HttpRequest, customer: Customer, pk: int, extension: str
) -> HttpResponse:
    return _download(_statement_or_404(customer, pk), extension)


def statement_link(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind a statement email's signed link: this statement only, answerable by the
    contact it was sent to. No session is created; an expired or forged token is a 404."""
    document, contact = _read_link(token)
    with translation.override(contact.language):  # the contact's language, as in the email
        answered = _answer(request, document, user=None, contact=contact)
        if isinstance(answered, HttpResponse):
            return answered
        return render(
            request,
            "portal/statement.html",
            {**answered, "customer": document.customer, "disputes": (), "via_link": token},
        )


def statement_link_download(request: HttpRequest, token: str, extension: str) -> HttpResponse:
    document, _ = _read_link(token)
    return _download(document, extension)


def _read_link(token: str) -> tuple[StatementDocument, Contact]:
    try:
        return statement_link_read(token)
    except StatementLinkError as error:
        raise Http404(str(error)) from error


def _statement_or_404(customer: Customer, pk: int) -> StatementDocument:
    document = customer_statement(customer, pk)
    if document is None:
        raise Http404("no such statement")
    return document


def _download(document: StatementDocument, extension: str) -> HttpResponse:
    if extension not in DOWNLOADS:
        raise Http404("no such format")
    read, content_type = DOWNLOADS[extension]
    response = HttpResponse(read(document), content_type=content_type)
    name = statement_document_filename(document, extension)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"
    return response


def statement_lines(document: StatementDocument) -> list[dict[str, Any]]:
    """The lines as sent, with amounts as Decimal for display."""
    return [
        {
            **line,
            "debit": Decimal(line["debit"]),
            "credit": Decimal(line["credit"]),
            "balance": Decimal(line["balance"]),
        }
        for line in document.lines
    ]


def _newer_sent(document: StatementDocument) -> StatementDocument | None:
    """The newest version of this statement sent after it (a draft stays unseen)."""
    newer = customer_statements(document.customer).filter(
        number=document.number, version__gt=document.version
    )
    return newer.order_by("-version").first()


def _line_note(request: HttpRequest, entry_id: str) -> str:
    """The comment typed beside a ticked line (field `note-<entry id>`)."""
    return request.POST.get(f"note-{entry_id}", "").strip()[:500]


def _line_label(line: dict[str, Any]) -> str:
    amount = line["debit"] or -line["credit"]
    return f"{line['date']} {line['reference']} {amount:,.2f}"


def _answer(
    request: HttpRequest,
    document: StatementDocument,
    *,
    user: User | None,
    contact: Contact | None,
) -> dict[str, Any] | HttpResponse:
    """The answer form of a statement (GET), or the answer recorded (POST → redirect). Returns
    the template context when there is a page to show."""
    lines = statement_lines(document)
    confirmation: Confirmation | None = customer_confirmation(document.customer, document)
    open_to_answer = (
        confirmation is None
        and document.status == DocumentStatus.SENT
        and statement_is_latest(document)
    )
    choices = [(line["entry_id"], _line_label(line)) for line in lines if line["entry_id"]]
    posted = request.method == "POST" and open_to_answer
    form = AnswerForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        line_choices=choices,
        initial={"name": contact.name if contact else ""},
    )
    missing = MissingEntryFormSet(request.POST if posted else None, prefix="missing")
    if posted and form.is_valid() and missing.is_valid():
        error = _record_answer(request, document, form, missing, user=user, contact=contact)
        if error is None:
            return redirect(request.path)
        form.add_error(None, error)
    return {
        "document": document,
        "newer": _newer_sent(document),
        "lines": lines,
        "confirmation": confirmation,
        "form": form if open_to_answer else None,
        "missing": missing,
    }


def _record_answer(
    request: HttpRequest,
    document: StatementDocument,
    form: AnswerForm,
    missing: Any,
    *,
    user: User | None,
    contact: Contact | None,
) -> str | None:
    """Call the confirmations service; the error message if it refused."""
    data = form.cleaned_data
    party: dict[str, Any] = {
        "user": user,
        "contact": contact,
        "ip": request.META.get("REMOTE_ADDR"),
    }
    try:
        if data["answer"] == AnswerForm.AGREES:
            statement_confirm(
                document=document, name=data["name"], comment=data["comment"], **party
            )
            messages.success(request, gettext("Thank you: you confirmed the balance."))
        else:
            statement_dispute(
                document=document,
                name=data["name"],
                comment=data["comment"],
                lines=[
                    LineDispute(entry_id=entry_id, comment=_line_note(request, entry_id))
                    for entry_id in data["lines"]
                ],
                missing=[
                    MissingEntry(
                        date=entry.cleaned_data["date"],
                        amount=entry.signed_amount(),
                        reference=entry.cleaned_data["reference"],
                        description=entry.cleaned_data["description"],
                        comment=entry.cleaned_data["comment"],
                    )
                    for entry in missing.forms
                    if entry.has_changed() and entry.cleaned_data
                ],
                attachments=data["attachments"],
                **party,
            )
            messages.success(
                request, gettext("Thank you: we received your answer and will look into it.")
            )
    except (ConfirmationError, AttachmentRefusedError, ValidationError) as error:
        return str(error)
    return None
