"""The manager's pages: dashboard (failed and late schedules, messages in doubt), templates with
a live preview on a real customer's data, rules, and the delivery log (every staff role reads)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duizhang.apps.accounts.roles import Role, has_role
from duizhang.apps.customers.models import Customer
from duizhang.apps.notifications import cron, sandbox, selectors, services
from duizhang.apps.notifications.defaults import COMMON, VARIABLES
from duizhang.apps.notifications.forms import LogFilterForm, PreviewForm, RuleForm, TemplateForm
from duizhang.apps.notifications.models import OutboxMessage, Rule, Template
from duizhang.apps.notifications.tasks import deliver_due_task
from duizhang.apps.web.access import staff_only, staff_user
from duizhang.config.celery import run_later

PER_PAGE = 50


@staff_only(Role.MANAGER)
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notifications/dashboard.html",
        {
            "states": selectors.rule_states(),
            "failed_runs": selectors.failed_runs(),
            "runs": selectors.recent_runs(),
            "counts": selectors.message_counts(),
            "doubtful": selectors.message_list(status=OutboxMessage.Status.UNKNOWN),
            "failed": selectors.message_list(status=OutboxMessage.Status.FAILED)[:20],
        },
    )


@staff_only(Role.MANAGER)
def template_list(request: HttpRequest) -> HttpResponse:
    services.templates_ensure()
    return render(
        request,
        "notifications/templates.html",
        {"templates": Template.objects.order_by("kind", "level", "language")},
    )


@staff_only(Role.MANAGER)
def template_edit(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    template = Template.objects.filter(
        kind=source.get("kind", ""),
        language=source.get("language", ""),
        level=source.get("level") or 0,
    ).first()
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            try:
                services.template_save(by=staff_user(request), **form.cleaned_data)
            except services.NotificationError as error:
                form.add_error("body", str(error))
            else:
                messages.success(request, _("Template saved."))
                return redirect("notifications:templates")
    elif template is not None:
        form = TemplateForm(
            initial={
                "kind": template.kind,
                "language": template.language,
                "level": template.level,
                "subject": template.subject,
                "body": template.body,
            }
        )
    else:
        form = TemplateForm(initial={key: value for key, value in source.items()})
    kind = form["kind"].value() or ""
    return render(
        request,
        "notifications/template_edit.html",
        {
            "form": form,
            "customers": Customer.objects.order_by("code"),
            "variables": [*COMMON.items(), *VARIABLES.get(kind, {}).items()],
        },
    )


@require_POST
@staff_only(Role.MANAGER)
def template_preview(request: HttpRequest) -> JsonResponse:
    """Render the text being edited for a real customer; nothing is saved."""
    form = PreviewForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": form.errors.as_text()}, status=400)
    data = form.cleaned_data
    context = selectors.preview_context(data["kind"], data["customer"], data["level"] or 0)
    draft = Template(
        kind=data["kind"], language=data["language"], subject=data["subject"], body=data["body"]
    )
    try:
        subject, body = services.render(draft, context)
    except sandbox.TemplateError as error:
        return JsonResponse({"error": str(error)})
    return JsonResponse({"subject": subject, "body": body})


@staff_only(Role.MANAGER)
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    rule = get_object_or_404(Rule, pk=pk) if pk else Rule()
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        rule = form.save(commit=False)
        rule.levels = form.cleaned_data["levels_text"]
        try:
            services.rule_save(
                by=staff_user(request), rule=rule, customers=form.cleaned_data["customers"]
            )
        except services.NotificationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Rule saved."))
            return redirect("notifications:dashboard")
    return render(request, "notifications/rule_edit.html", {"form": form, "rule": rule})


@require_POST
@staff_only(Role.MANAGER)
def rule_run_now(request: HttpRequest, pk: int) -> HttpResponse:
    """Run the rule's latest tick now (if it has not run) and send in the background."""
    rule = get_object_or_404(Rule, pk=pk)
    tick = cron.latest_tick(rule.schedule, services.local_now())
    run = services.rule_run(rule=rule, tick=tick) if tick is not None else None
    if run is None:
        messages.info(request, _("Nothing to do: this period has run already."))
    elif run.status == run.Status.FAILED:
        messages.error(request, _("The run failed: %(error)s") % {"error": run.error})
    else:
        run_later(deliver_due_task)
        messages.success(request, _("%(count)s message(s) queued.") % {"count": run.queued})
    return redirect("notifications:dashboard")


@staff_only()
def delivery_log(request: HttpRequest) -> HttpResponse:
    form = LogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = selectors.message_list(
        status=filters.get("status", ""), customer=filters.get("customer")
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "notifications/log.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@staff_only()
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(OutboxMessage.objects.defer("attachment"), pk=pk)
    return render(
        request,
        "notifications/message.html",
        {
            "message": message,
            "tries": message.tries.all(),
            "can_resolve": has_role(request.user, Role.MANAGER),
        },
    )


@require_POST
@staff_only(Role.MANAGER)
def message_resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(OutboxMessage, pk=pk)
    delivered = request.POST.get("delivered") == "yes"
    try:
        services.message_resolve(message=message, by=staff_user(request), delivered=delivered)
    except services.NotificationError as error:
        messages.error(request, str(error))
    else:
        if not delivered:
            run_later(deliver_due_task)
        messages.success(request, _("Marked as delivered.") if delivered else _("Queued again."))
    return redirect("notifications:message", pk=pk)
