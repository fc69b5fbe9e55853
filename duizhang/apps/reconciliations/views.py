"""Reconciliation pages. Every staff role reads; the services refuse what a role may not change
(PermissionDenied → 403), and what the reconciliation's state does not allow (a message)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duizhang.apps.accounts.roles import PREPARERS, Role, has_role
from duizhang.apps.reconciliations import exports, selectors, services
from duizhang.apps.reconciliations.forms import (
    CommentForm,
    ReconciliationForm,
    ResolveForm,
    line_ids,
)
from duizhang.apps.reconciliations.models import (
    Explanation,
    Reason,
    Reconciliation,
    Side,
    Status,
)
from duizhang.apps.web.access import staff_only, staff_user

PER_PAGE = 100
TABS = ("unmatched", "matched", "differences", "suggestions", "statement", "history")


@staff_only()
def reconciliation_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.reconciliation_list(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reconciliations/list.html",
        {"page": page, "can_prepare": has_role(request.user, *PREPARERS)},
    )


@staff_only(*PREPARERS)
def reconciliation_new(request: HttpRequest) -> HttpResponse:
    form = ReconciliationForm(request.POST or None, initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.reconciliation_create(by=staff_user(request), **form.cleaned_data)
        except services.ReconciliationError as error:
            form.add_error(None, str(error))
        else:
            return redirect("reconciliations:detail", pk=made.pk)
    return render(request, "reconciliations/new.html", {"form": form})


@staff_only()
def reconciliation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recon = get_object_or_404(selectors.reconciliation_list(), pk=pk)
    tab = request.GET.get("view", "unmatched")
    tab = tab if tab in TABS else "unmatched"
    q = request.GET.get("q", "").strip()
    can_edit = (
        has_role(request.user, *PREPARERS) and recon.status == Status.DRAFT and not recon.is_running
    )
    context: dict[str, Any] = {
        "recon": recon,
        "tab": tab,
        "tabs": TABS,
        "q": q,
        "counts": selectors.review_counts(recon),
        "can_edit": can_edit,
        "can_rerun": has_role(request.user, *PREPARERS) and recon.status == Status.DRAFT,
        "can_review": has_role(request.user, Role.REVIEWER)
        and recon.status == Status.SUBMITTED
        and request.user.pk not in (recon.prepared_by_id, recon.submitted_by_id),
        "can_reopen": has_role(request.user, Role.MANAGER) and recon.status == Status.APPROVED,
        "explanations": Explanation.choices,
        "reasons": Reason.choices,
        "sides": Side.choices,
        "statements": selectors.balance_statements(recon),
        "comment_form": CommentForm(),
    }
    if tab in ("matched", "differences"):
        groups = selectors.groups_for_review(
            recon,
            differences_only=tab == "differences",
            rule=request.GET.get("rule", ""),
            q=q,
        )
        page = Paginator(groups, PER_PAGE).get_page(request.GET.get("page"))
        by_group = selectors.lines_of_groups(list(page))
        context["page"] = page
        context["rows"] = [(group, by_group.get(group.pk, [])) for group in page]
    elif tab == "unmatched":
        side, reason = request.GET.get("side", ""), request.GET.get("reason", "")
        lines = selectors.unmatched_for_review(recon, side=side, reason=reason, q=q)
        context["page"] = Paginator(lines, PER_PAGE).get_page(request.GET.get("page"))
        context.update(side=side, reason=reason)
    elif tab == "suggestions":
        context["suggestions"] = selectors.suggestions_for_review(recon)
    elif tab == "statement":
        context["statement_rows"] = [
            (statement, exports.statement_rows(statement)) for statement in context["statements"]
        ]
        context["explained"] = selectors.explained_totals(recon)
        context["adjustments"] = selectors.adjustments(recon)
    else:
        context["history"] = selectors.history(recon)
    return render(request, "reconciliations/detail.html", context)


@staff_only()
def reconciliation_status(request: HttpRequest, pk: int) -> JsonResponse:
    recon = get_object_or_404(Reconciliation, pk=pk)
    return JsonResponse(
        {
            "state": recon.run_state,
            "progress": recon.run_progress,
            "step": recon.run_step,
            "error": recon.run_error,
            "finished": not recon.is_running,
            "status": recon.status,
        }
    )


def _action(
    request: HttpRequest, pk: int, act: Callable[[Reconciliation], str], tab: str = ""
) -> HttpResponse:
    """Run one service for a POST; a refusal by state becomes a message on the review page."""
    recon = get_object_or_404(Reconciliation, pk=pk)
    try:
        done = act(recon)
    except services.ReconciliationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    back = request.POST.get("next", "")
    if back.startswith("?"):
        return redirect(reverse("reconciliations:detail", args=[pk]) + back)
    suffix = f"?view={tab}" if tab else ""
    return redirect(reverse("reconciliations:detail", args=[pk]) + suffix)


@require_POST
@staff_only(*PREPARERS)
def rerun(request: HttpRequest, pk: int) -> HttpResponse:
    def act(recon: Reconciliation) -> str:
        services.reconciliation_rerun(reconciliation=recon, by=staff_user(request))
        return _("The reconciliation is running again; manual decisions are kept.")

    return _action(request, pk, act)


@require_POST
@staff_only(*PREPARERS)
def match(request: HttpRequest, pk: int) -> HttpResponse:
    def act(recon: Reconciliation) -> str:
        group = services.lines_match(
            reconciliation=recon,
            by=staff_user(request),
            line_ids=line_ids(request.POST.getlist("line")),
            comment=request.POST.get("comment", ""),
        )
        return _("Matched by hand as %(label)s.") % {"label": group.label}

    return _action(request, pk, act, "unmatched")


@require_POST
@staff_only(*PREPARERS)
def unmatch(request: HttpRequest, pk: int, group: int) -> HttpResponse:
    def act(recon: Reconciliation) -> str:
        services.group_unmatch(
            reconciliation=recon,
            by=staff_user(request),
            group_id=group,
            comment=request.POST.get("comment", ""),
        )
        return _("The group is unmatched; its lines stay out of automatic matching.")

    return _action(request, pk, act, "matched")


@require_POST
@staff_only(*PREPARERS)
def suggestion_decide(
    request: HttpRequest, pk: int, suggestion: int, decision: str
) -> HttpResponse:
    if decision not in ("accept", "reject"):
        raise Http404

    def act(recon: Reconciliation) -> str:
        arguments = {
            "reconciliation": recon,
            "by": staff_user(request),
            "suggestion_id": suggestion,
            "comment": request.POST.get("comment", ""),
        }
        if decision == "accept":
            group = services.suggestion_accept(**arguments)  # type: ignore[arg-type]
            return _("Suggestion accepted as %(label)s.") % {"label": group.label}
        services.suggestion_reject(**arguments)  # type: ignore[arg-type]
        return _("Suggestion rejected; it will not be proposed again.")

    return _action(request, pk, act, "suggestions")


@require_POST
@staff_only(*PREPARERS)
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    form = ResolveForm(request.POST)

    def act(recon: Reconciliation) -> str:
        if not form.is_valid():
            problems = "; ".join(
                f"{form[name].label}: {' '.join(map(str, errors))}"
                for name, errors in form.errors.items()
                if name != "__all__"
            )
            raise services.ReconciliationError(problems)
        services.difference_resolve(
            reconciliation=recon,
            by=staff_user(request),
            kind=form.cleaned_data["kind"],
            comment=form.cleaned_data["comment"],
            group_id=form.cleaned_data["group"],
            line_id=form.cleaned_data["line"],
            adjustment_amount=form.adjustment(),
            adjustment_text=form.cleaned_data.get("adjustment_text") or "",
        )
        return _("The difference is explained.")

    return _action(request, pk, act)


@require_POST
@staff_only(*PREPARERS)
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    def act(recon: Reconciliation) -> str:
        services.reconciliation_submit(
            reconciliation=recon, by=staff_user(request), comment=request.POST.get("comment", "")
        )
        return _("Submitted for review.")

    return _action(request, pk, act, "statement")


@require_POST
@staff_only(Role.REVIEWER)
def review(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    if decision not in ("approve", "return"):
        raise Http404

    def act(recon: Reconciliation) -> str:
        comment = request.POST.get("comment", "")
        if decision == "approve":
            services.reconciliation_approve(
                reconciliation=recon, by=staff_user(request), comment=comment
            )
            return _("Approved; the reconciliation is locked.")
        services.reconciliation_return(
            reconciliation=recon, by=staff_user(request), comment=comment
        )
        return _("Returned to the preparer.")

    return _action(request, pk, act, "statement")


@require_POST
@staff_only(Role.MANAGER)
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    def act(recon: Reconciliation) -> str:
        services.reconciliation_reopen(
            reconciliation=recon, by=staff_user(request), reason=request.POST.get("comment", "")
        )
        return _("Reopened.")

    return _action(request, pk, act, "statement")


@staff_only()
def export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in ("xlsx", "pdf"):
        raise Http404
    recon = get_object_or_404(selectors.reconciliation_list(), pk=pk)
    report = selectors.report(recon)
    name = f"reconciliation-{recon.customer.code}-{recon.period_end:%Y%m%d}"
    if kind == "xlsx":
        body = exports.report_xlsx(report)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = exports.report_pdf(report)
        content_type = "application/pdf"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response
