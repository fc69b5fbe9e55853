"""The audit log in the browser: newest first, filtered by user, customer, action and date."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from duizhang.apps.audit.forms import AuditFilterForm
from duizhang.apps.audit.selectors import audit_records_filtered
from duizhang.apps.web.access import staff_only

PER_PAGE = 50


@staff_only()
def record_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    records = audit_records_filtered(
        user=filters.get("user", ""),
        customer=filters.get("customer", ""),
        action=filters.get("action", ""),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(records, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/record_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
