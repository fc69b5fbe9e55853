"""The alert list. Every staff role reads; only the manager acknowledges (the service checks)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from duizhang.apps.accounts.roles import PREPARERS, Role, has_role
from duizhang.apps.customers.models import Customer
from duizhang.apps.risk.forms import AcknowledgeForm, AlertFilterForm
from duizhang.apps.risk.models import Alert
from duizhang.apps.risk.selectors import alert_list as select_alerts
from duizhang.apps.risk.services import AlertError, alert_acknowledge, alerts_detect
from duizhang.apps.web.access import staff_only, staff_user

PER_PAGE = 50


@staff_only()
def alert_list(request: HttpRequest) -> HttpResponse:
    """Open alerts unless the filter says otherwise."""
    form = AlertFilterForm(request.GET if request.GET else {"status": Alert.Status.OPEN})
    filters = form.cleaned_data if form.is_valid() else {}
    alerts = select_alerts(
        kind=filters.get("kind", ""),
        status=filters.get("status", ""),
        customer=filters.get("customer"),
    )
    page = Paginator(alerts, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "risk/alert_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_acknowledge": has_role(request.user, Role.MANAGER),
            "can_check": has_role(request.user, *PREPARERS),
            "acknowledge_form": AcknowledgeForm(),
        },
    )


@require_POST
@staff_only(Role.MANAGER)
def alert_acknowledge_view(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(Alert, pk=pk)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Acknowledging an alert needs a comment."))
    else:
        try:
            alert_acknowledge(
                alert=alert, by=staff_user(request), comment=form.cleaned_data["comment"]
            )
        except AlertError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Alert acknowledged."))
    return _back(request)


@require_POST
@staff_only(*PREPARERS)
def alert_check(request: HttpRequest) -> HttpResponse:
    """Run the rules over every customer again (after a credit limit or the settings changed)."""
    raised = alerts_detect(customers=Customer.objects.all(), by=staff_user(request))
    messages.success(
        request,
        ngettext("%(count)s new alert.", "%(count)s new alerts.", len(raised))
        % {"count": len(raised)},
    )
    return _back(request)


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("risk:alerts")
