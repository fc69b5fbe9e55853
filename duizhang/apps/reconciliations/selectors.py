"""Reads for reconciliations: the entries in scope, the review lists, the balance statement."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from duizhang.apps.audit.models import AuditRecord
from duizhang.apps.ledger.models import Entry, Source
from duizhang.apps.ledger.sums import exact_sum, from_units
from duizhang.apps.reconciliations.models import (
    Explanation,
    Line,
    MatchGroup,
    Reason,
    Reconciliation,
    Resolution,
    Side,
    Suggestion,
)
from duizhang.engine.statement import BalanceStatement


def scope_entries(reconciliation: Reconciliation) -> tuple[QuerySet[Entry], QuerySet[Entry]]:
    """Our ledger's entries for the customer, and the other source's: all of a customer's own
    ledger, or the bank lines that name the customer (by code, name or another name)."""
    period = Q(date__lte=reconciliation.period_end)
    if reconciliation.period_start is not None:
        period &= Q(date__gte=reconciliation.period_start)
    customer = reconciliation.customer
    ours = Entry.objects.filter(period, source=reconciliation.ours, customer=customer)
    theirs = Entry.objects.filter(period, source=reconciliation.theirs)
    if reconciliation.theirs.kind == Source.Kind.BANK:
        names = [customer.name, *customer.aliases]
        theirs = theirs.filter(
            Q(customer=customer) | Q(customer__isnull=True, counterparty__in=names)
        )
    related = ("customer", "batch")
    return ours.select_related(*related), theirs.select_related(*related)


def reconciliation_list() -> QuerySet[Reconciliation]:
    return Reconciliation.objects.select_related(
        "customer", "ours", "theirs", "prepared_by", "reviewed_by"
    )


@dataclass(frozen=True, slots=True)
class Counts:
    groups: int
    differences: int
    unresolved_differences: int
    unmatched: int
    unmatched_unresolved: int
    suggestions: int
    by_reason: dict[str, int]


def review_counts(reconciliation: Reconciliation) -> Counts:
    groups = MatchGroup.objects.filter(reconciliation=reconciliation).aggregate(
        total=Count("id"),
        differences=Count("id", filter=~Q(difference=0)),
        unresolved=Count("id", filter=~Q(difference=0) & Q(resolution__isnull=True)),
    )
    unmatched = Line.objects.filter(reconciliation=reconciliation, group__isnull=True)
    by_reason = dict(
        unmatched.values_list("reason").annotate(n=Count("id")).values_list("reason", "n")
    )
    return Counts(
        groups=groups["total"],
        differences=groups["differences"],
        unresolved_differences=groups["unresolved"],
        unmatched=sum(by_reason.values()),
        unmatched_unresolved=unmatched.filter(resolution__isnull=True).count(),
        suggestions=Suggestion.objects.filter(
            reconciliation=reconciliation, state=Suggestion.State.OPEN
        ).count(),
        by_reason=by_reason,
    )


def groups_for_review(
    reconciliation: Reconciliation, *, differences_only: bool = False, rule: str = "", q: str = ""
) -> QuerySet[MatchGroup]:
    groups = MatchGroup.objects.filter(reconciliation=reconciliation)
    if differences_only:
        groups = groups.exclude(difference=0)
    if rule:
        groups = groups.filter(rule=rule)
    if q:
        groups = groups.filter(
            Q(label__icontains=q)
            | Q(lines__entry__reference__icontains=q)
            | Q(lines__entry__description__icontains=q)
            | _amount(q, "lines__entry__amount")
        ).distinct()
    return groups.select_related("resolution", "created_by").order_by("label", "id")


def lines_of_groups(groups: list[MatchGroup]) -> dict[int, list[Line]]:
    """The lines of a page of groups, in one query."""
    by_group: dict[int, list[Line]] = defaultdict(list)
    lines = (
        Line.objects.filter(group__in=groups)
        .select_related("entry")
        .order_by("side", "entry__date", "entry_id")
    )
    for line in lines:
        assert line.group_id is not None
        by_group[line.group_id].append(line)
    return by_group


def unmatched_for_review(
    reconciliation: Reconciliation, *, side: str = "", reason: str = "", q: str = ""
) -> QuerySet[Line]:
    lines = Line.objects.filter(reconciliation=reconciliation, group__isnull=True)
    if side in Side.values:
        lines = lines.filter(side=side)
    if reason in Reason.values:
        lines = lines.filter(reason=reason)
    if q:
        lines = lines.filter(
            Q(entry__reference__icontains=q)
            | Q(entry__description__icontains=q)
            | Q(entry__counterparty__icontains=q)
            | Q(entry__natural_key__icontains=q)
            | _amount(q, "entry__amount")
        )
    return lines.select_related("entry", "resolution").order_by("entry__date", "side", "entry_id")


def suggestions_for_review(reconciliation: Reconciliation) -> list[tuple[Suggestion, list[Line]]]:
    suggestions = list(
        Suggestion.objects.filter(reconciliation=reconciliation, state=Suggestion.State.OPEN)
    )
    ids = {pk for s in suggestions for pk in (*s.left_entries, *s.right_entries)}
    lines = {
        line.entry_id: line
        for line in Line.objects.filter(reconciliation=reconciliation, entry_id__in=ids)
        .select_related("entry")
        .order_by("side")
    }
    return [
        (s, [lines[pk] for pk in (*s.left_entries, *s.right_entries) if pk in lines])
        for s in suggestions
    ]


def _amount(text: str, field: str) -> Q:
    """An amount typed in the search box finds the amount with either sign."""
    try:
        value = Decimal(text.replace(",", ""))
    except ArithmeticError:
        return Q(pk__in=[])
    if not value.is_finite():
        return Q(pk__in=[])
    return Q(**{field: value}) | Q(**{field: -value})


def balance_statements(reconciliation: Reconciliation) -> list[BalanceStatement]:
    """The 余额调节表 per currency, from the lines as they stand now (manual decisions included)."""
    lines = Line.objects.filter(reconciliation=reconciliation)
    balances: dict[tuple[str, str], Decimal] = {
        (side, currency): from_units(total)
        for side, currency, total in lines.values_list("side", "entry__currency")
        .annotate(total=exact_sum("entry__amount"))
        .values_list("side", "entry__currency", "total")
    }
    unmatched: dict[tuple[str, str, str], Decimal] = {
        (side, currency, reason): from_units(total)
        for side, currency, reason, total in lines.filter(group__isnull=True)
        .values_list("side", "entry__currency", "reason")
        .annotate(total=exact_sum("entry__amount"))
        .values_list("side", "entry__currency", "reason", "total")
    }
    differences = {
        currency: from_units(total)
        for currency, total in MatchGroup.objects.filter(reconciliation=reconciliation)
        .values_list("currency")
        .annotate(total=exact_sum("difference"))
        .values_list("currency", "total")
    }
    currencies = sorted({currency for _, currency in balances})
    return [
        BalanceStatement(
            currency=currency,
            left_balance=_exact(balances.get((Side.LEFT, currency))),
            right_balance=_exact(balances.get((Side.RIGHT, currency))),
            unmatched_left={
                reason: _exact(unmatched.get((Side.LEFT, currency, reason)))
                for reason in Reason.values
            },
            unmatched_right={
                reason: _exact(unmatched.get((Side.RIGHT, currency, reason)))
                for reason in Reason.values
            },
            group_differences=_exact(differences.get(currency)),
        )
        for currency in currencies
    ]


def _exact(value: Decimal | None) -> Decimal:
    """Database sums come back with the column's four decimals; show two where two suffice."""
    if not value:
        return Decimal(0)
    cents = value.quantize(Decimal("0.01"))
    return cents if cents == value else value.normalize()


@dataclass(frozen=True, slots=True)
class ExplainedTotal:
    kind: str
    label: str
    count: int
    amount: Decimal


def explained_totals(reconciliation: Reconciliation) -> list[ExplainedTotal]:
    rows = (
        Resolution.objects.filter(reconciliation=reconciliation)
        .values_list("kind")
        .annotate(n=Count("id"), total=exact_sum("amount"))
        .values_list("kind", "n", "total")
    )
    found = {kind: (n, from_units(total)) for kind, n, total in rows}
    return [
        ExplainedTotal(kind, str(label), found[kind][0], _exact(found[kind][1]))
        for kind, label in Explanation.choices
        if kind in found
    ]


def adjustments(reconciliation: Reconciliation) -> QuerySet[Resolution]:
    """The adjusting entries proposed for errors on our side."""
    return (
        Resolution.objects.filter(reconciliation=reconciliation, kind=Explanation.OUR_ERROR)
        .select_related("group", "line__entry", "created_by")
        .order_by("created_at", "id")
    )


def resolutions(reconciliation: Reconciliation) -> QuerySet[Resolution]:
    return (
        Resolution.objects.filter(reconciliation=reconciliation)
        .select_related("group", "line__entry", "created_by")
        .order_by("created_at", "id")
    )


def history(reconciliation: Reconciliation) -> QuerySet[AuditRecord]:
    """Everything the audit log holds about this reconciliation, oldest first."""
    about = Q(target_type=Reconciliation._meta.label_lower, target_id=str(reconciliation.pk)) | Q(
        data__regex=rf'"reconciliation":{reconciliation.pk}[,}}]'
    )
    return AuditRecord.objects.filter(about).order_by("seq")


@dataclass(frozen=True, slots=True)
class ReportLine:
    side: str
    day: date
    key: str
    reference: str
    description: str
    amount: Decimal
    currency: str
    reason: str = ""
    explanation: str = ""
    comment: str = ""


@dataclass(frozen=True, slots=True)
class ReportGroup:
    label: str
    rule: str
    origin: str
    method: str
    ours: list[ReportLine]
    theirs: list[ReportLine]
    difference: Decimal
    currency: str
    explanation: str
    comment: str

    @property
    def ours_total(self) -> Decimal:
        return sum((line.amount for line in self.ours), Decimal(0))

    @property
    def theirs_total(self) -> Decimal:
        return sum((line.amount for line in self.theirs), Decimal(0))


@dataclass(frozen=True, slots=True)
class ReportAdjustment:
    about: str
    amount: Decimal
    text: str
    comment: str
    by: str


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the exports print, read once."""

    reconciliation: Reconciliation
    statements: list[BalanceStatement]
    groups: list[ReportGroup]
    unmatched: list[ReportLine]
    adjustments: list[ReportAdjustment]
    explained: list[ExplainedTotal]
    counts: Counts

    @property
    def differences(self) -> list[ReportGroup]:
        return [group for group in self.groups if group.difference != 0]


def report(reconciliation: Reconciliation) -> Report:
    groups = list(
        MatchGroup.objects.filter(reconciliation=reconciliation)
        .select_related("resolution")
        .order_by("label", "id")
    )
    lines_by_group = lines_of_groups(groups)
    kinds = dict(Explanation.choices)
    reasons = dict(Reason.choices)

    def plain(line: Line) -> ReportLine:
        explained = getattr(line, "resolution", None) if line.group_id is None else None
        return ReportLine(
            side=line.side,
            day=line.entry.date,
            key=line.entry.natural_key,
            reference=line.entry.reference,
            description=line.entry.description,
            amount=_exact(line.entry.amount),
            currency=line.entry.currency,
            reason=str(reasons.get(line.reason, "")) if line.reason else "",
            explanation=str(kinds[explained.kind]) if explained else "",
            comment=explained.comment if explained else "",
        )

    report_groups = []
    for group in groups:
        lines = [plain(line) for line in lines_by_group.get(group.pk, [])]
        explained = getattr(group, "resolution", None)
        report_groups.append(
            ReportGroup(
                label=group.label,
                rule=group.rule,
                origin=str(group.get_origin_display()),
                method=group.method,
                ours=[line for line in lines if line.side == Side.LEFT],
                theirs=[line for line in lines if line.side == Side.RIGHT],
                difference=_exact(group.difference),
                currency=group.currency,
                explanation=str(kinds[explained.kind]) if explained else "",
                comment=explained.comment if explained else group.comment,
            )
        )
    unmatched = [
        plain(line) for line in unmatched_for_review(reconciliation).select_related("resolution")
    ]
    proposals = [
        ReportAdjustment(
            about=resolution.group.label
            if resolution.group
            else (resolution.line.entry.natural_key if resolution.line else ""),
            amount=_exact(resolution.adjustment_amount),
            text=resolution.adjustment_text,
            comment=resolution.comment,
            by=resolution.created_by.get_username(),
        )
        for resolution in adjustments(reconciliation)
    ]
    return Report(
        reconciliation=reconciliation,
        statements=balance_statements(reconciliation),
        groups=report_groups,
        unmatched=unmatched,
        adjustments=proposals,
        explained=explained_totals(reconciliation),
        counts=review_counts(reconciliation),
    )
