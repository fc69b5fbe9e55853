"""The cashier's dispute inbox and thread pages, and staff downloads of attachments."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duizhang.apps.accounts.roles import PREPARERS, has_role
from duizhang.apps.confirmations import selectors
from duizhang.apps.confirmations.attachments import AttachmentRefusedError
from duizhang.apps.confirmations.forms import InboxFilterForm, ReplyForm, ResolveForm, StatusForm
from duizhang.apps.confirmations.models import Attachment, Dispute
from duizhang.apps.confirmations.services import (
    AdjustmentInput,
    ConfirmationError,
    dispute_message_post,
    dispute_resolve,
    dispute_status_set,
)
from duizhang.apps.web.access import staff_only, staff_user


@staff_only()
def dispute_inbox(request: HttpRequest) -> HttpResponse:
    filters = InboxFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    disputes = selectors.dispute_inbox(
        state=criteria.get("state") or "open",
        customer=criteria.get("customer"),
        older_than_days=criteria.get("older_than"),
        query=(criteria.get("q") or "").strip(),
    )
    page = Paginator(disputes, 50).get_page(request.GET.get("page"))
    return render(request, "confirmations/inbox.html", {"page": page, "filters": filters})


@staff_only()
def dispute_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = get_object_or_404(
        Dispute.objects.select_related("customer", "document", "confirmation"), pk=pk
    )
    can_act = has_role(request.user, *PREPARERS)
    return render(
        request,
        "confirmations/dispute.html",
        {
            "dispute": dispute,
            "thread": selectors.dispute_thread(dispute),
            "lines": dispute.lines.all(),
            "adjustments": dispute.adjustments.all(),
            "can_act": can_act,
            "reply_form": ReplyForm() if can_act and dispute.is_open else None,
            "status_form": StatusForm(initial={"status": dispute.status}) if can_act else None,
            "resolve_form": ResolveForm() if can_act and dispute.is_open else None,
        },
    )


@require_POST
@staff_only(*PREPARERS)
def dispute_reply(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = get_object_or_404(Dispute, pk=pk)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Write a message first."))
        return redirect("confirmations:dispute", pk=pk)
    data = form.cleaned_data
    try:
        dispute_message_post(
            dispute=dispute,
            user=staff_user(request),
            body=data["body"],
            channel=data["channel"],
            inbound=data["inbound"],
            attachments=[data["attachment"]] if data["attachment"] else [],
        )
    except (ConfirmationError, AttachmentRefusedError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Message added."))
    return redirect("confirmations:dispute", pk=pk)


@require_POST
@staff_only(*PREPARERS)
def dispute_status(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = get_object_or_404(Dispute, pk=pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            dispute_status_set(
                dispute=dispute, by=staff_user(request), status=form.cleaned_data["status"]
            )
        except ConfirmationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Status changed."))
    return redirect("confirmations:dispute", pk=pk)


@require_POST
@staff_only(*PREPARERS)
def dispute_close(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = get_object_or_404(Dispute, pk=pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
        return redirect("confirmations:dispute", pk=pk)
    data = form.cleaned_data
    adjustments = (
        [
            AdjustmentInput(
                data["adjustment_date"], data["adjustment_amount"], data["adjustment_description"]
            )
        ]
        if data["adjustment_date"]
        else []
    )
    try:
        dispute_resolve(
            dispute=dispute,
            by=staff_user(request),
            outcome=data["outcome"],
            note=data["note"],
            adjustments=adjustments,
        )
    except ConfirmationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The dispute is resolved."))
    return redirect("confirmations:dispute", pk=pk)


@staff_only()
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(Attachment, pk=pk)
    response = HttpResponse(
        selectors.attachment_open(attachment), content_type=attachment.content_type
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(attachment.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
