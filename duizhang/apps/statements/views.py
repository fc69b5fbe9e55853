"""The cashier's statement pages. Every staff role reads; cashiers and managers act (the
services refuse the others with PermissionDenied → 403). Portal users never get here."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duizhang.apps.accounts.roles import PREPARERS, has_role
from duizhang.apps.confirmations.attachments import AttachmentRefusedError
from duizhang.apps.confirmations.selectors import statement_confirmations
from duizhang.apps.confirmations.services import ConfirmationError, confirmation_record
from duizhang.apps.statements import selectors
from duizhang.apps.statements.forms import (
    RecordConfirmationForm,
    SendForm,
    StatementFilterForm,
    StatementForm,
)
from duizhang.apps.statements.models import DocumentStatus, StatementDocument
from duizhang.apps.statements.services import (
    StatementDocumentError,
    statement_generate,
    statement_mark_sent,
)
from duizhang.apps.web.access import staff_only, staff_user

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@staff_only()
def statement_list(request: HttpRequest) -> HttpResponse:
    filters = StatementFilterForm(request.GET or None)
    documents = selectors.statement_document_list()
    if filters.is_valid():
        if filters.cleaned_data["customer"]:
            documents = documents.filter(customer=filters.cleaned_data["customer"])
        if filters.cleaned_data["status"]:
            documents = documents.filter(status=filters.cleaned_data["status"])
    page = Paginator(documents, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "statements/list.html",
        {"page": page, "filters": filters, "can_prepare": has_role(request.user, *PREPARERS)},
    )


@staff_only(*PREPARERS)
def statement_new(request: HttpRequest) -> HttpResponse:
    form = StatementForm(request.POST or None, initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = statement_generate(by=staff_user(request), **form.cleaned_data)
        except StatementDocumentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Statement %(label)s generated.") % {"label": document.label},
            )
            return redirect("statements:detail", pk=document.pk)
    return render(request, "statements/new.html", {"form": form})


@staff_only()
def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(selectors.statement_document_list(), pk=pk)
    can_prepare = has_role(request.user, *PREPARERS)
    is_latest = selectors.statement_is_latest(document)
    return render(
        request,
        "statements/detail.html",
        {
            "document": document,
            "versions": selectors.statement_versions(document),
            "is_latest": is_latest,
            "confirmations": statement_confirmations(document),
            "disputes": document.disputes.order_by("opened_at"),
            "can_prepare": can_prepare,
            "send_form": SendForm() if document.status == DocumentStatus.DRAFT else None,
            "record_form": (
                RecordConfirmationForm()
                if document.status == DocumentStatus.SENT and is_latest
                else None
            ),
            "regenerate_query": urlencode(_options(document)),
        },
    )


@staff_only()
def statement_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    document = get_object_or_404(selectors.statement_document_list(), pk=pk)
    if kind == "pdf":
        data = selectors.statement_document_pdf(document)
    elif kind == "xlsx":
        data = selectors.statement_document_xlsx(document)
    else:
        raise PermissionDenied("unknown format")
    response = HttpResponse(data, content_type=CONTENT_TYPES[kind])
    filename = selectors.statement_document_filename(document, kind)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
@staff_only(*PREPARERS)
def statement_send(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(StatementDocument, pk=pk)
    form = SendForm(request.POST)
    if form.is_valid():
        try:
            statement_mark_sent(
                document=document, by=staff_user(request), channel=form.cleaned_data["channel"]
            )
        except StatementDocumentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Marked as sent."))
    return redirect("statements:detail", pk=pk)


@require_POST
@staff_only(*PREPARERS)
def statement_record_confirmation(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(StatementDocument, pk=pk)
    form = RecordConfirmationForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(
            request, _("Check the answer: %(errors)s") % {"errors": form.errors.as_text()}
        )
        return redirect("statements:detail", pk=pk)
    try:
        confirmation_record(document=document, by=staff_user(request), **form.cleaned_data)
    except (ConfirmationError, AttachmentRefusedError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The answer is recorded."))
    return redirect("statements:detail", pk=pk)


def _options(document: StatementDocument) -> dict[str, object]:
    """The query string that opens the form pre-filled to generate the next version."""
    return {
        "customer": document.customer_id,
        "period_start": document.period_start.isoformat(),
        "period_end": document.period_end.isoformat(),
        "style": document.style,
        "currency": document.currency,
        "language": document.language,
        "receivables_only": "on" if document.receivables_only else "",
        "hide_reversed": "on" if document.hide_reversed else "",
    }
