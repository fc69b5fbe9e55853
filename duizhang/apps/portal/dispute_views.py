"""The customer's disputes: the list, one thread with its attachments, a reply, a new dispute
about a statement line, and attachment downloads (only the customer's own, else 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext

from duizhang.apps.confirmations.attachments import AttachmentRefusedError
from duizhang.apps.confirmations.selectors import (
    attachment_open,
    customer_attachment,
    customer_dispute,
    customer_disputes,
    dispute_thread,
)
from duizhang.apps.confirmations.services import (
    ConfirmationError,
    LineDispute,
    dispute_message_post,
    dispute_open,
)
from duizhang.apps.customers.models import Customer
from duizhang.apps.portal.access import customer_only
from duizhang.apps.portal.forms import DisputeForm, MessageForm
from duizhang.apps.portal.statement_views import statement_lines
from duizhang.apps.statements.selectors import customer_statement


@customer_only
def dispute_list(request: HttpRequest, customer: Customer) -> HttpResponse:
    return render(
        request,
        "portal/disputes.html",
        {"customer": customer, "disputes": customer_disputes(customer)},
    )


@customer_only
def dispute_detail(request: HttpRequest, customer: Customer, pk: int) -> HttpResponse:
    dispute = customer_dispute(customer, pk)
    if dispute is None:
        raise Http404("no such dispute")
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            dispute_message_post(
                dispute=dispute,
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"],
                user=_user(request),
            )
        except (ConfirmationError, AttachmentRefusedError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, gettext("Your message was sent."))
            return redirect("portal:dispute", pk=dispute.pk)
    return render(
        request,
        "portal/dispute.html",
        {
            "customer": customer,
            "dispute": dispute,
            "thread": dispute_thread(dispute),
            "lines": dispute.lines.all(),
            "form": form if dispute.is_open else None,
        },
    )


@customer_only
def dispute_new(request: HttpRequest, customer: Customer, statement: int) -> HttpResponse:
    """A new dispute about a statement, naming the lines picked on the statement page."""
    document = customer_statement(customer, statement)
    if document is None:
        raise Http404("no such statement")
    lines = statement_lines(document)
    known = {line["entry_id"] for line in lines if line["entry_id"]}
    picked = [entry_id for entry_id in request.GET.getlist("line") + request.POST.getlist("line")]
    if any(entry_id not in known for entry_id in picked):
        raise Http404("no such line on this statement")
    form = DisputeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            dispute = dispute_open(
                document=document,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                lines=[LineDispute(entry_id=entry_id) for entry_id in dict.fromkeys(picked)],
                attachments=form.cleaned_data["attachments"],
                user=_user(request),
            )
        except (ConfirmationError, AttachmentRefusedError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, gettext("Your dispute was opened; the cashier will answer."))
            return redirect("portal:dispute", pk=dispute.pk)
    return render(
        request,
        "portal/dispute_new.html",
        {
            "customer": customer,
            "document": document,
            "picked": [line for line in lines if line["entry_id"] in picked],
            "form": form,
        },
    )


@customer_only
def attachment_download(request: HttpRequest, customer: Customer, pk: int) -> HttpResponse:
    attachment = customer_attachment(customer, pk)
    if attachment is None:
        raise Http404("no such attachment")
    response = HttpResponse(attachment_open(attachment), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.name)
    response["Cache-Control"] = "private, no-store"
    return response


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user
