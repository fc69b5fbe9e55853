"""Writes to reconciliations. Every one checks the role, locks the reconciliation row, checks its
status, changes it and records the change in the audit log — all in one transaction.

Preparers (cashier, manager) run and decide; a reviewer who did not prepare the work approves or
returns it; approved work is locked until a manager reopens it with a reason; an auditor changes
nothing. Every manual decision needs a comment.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from duizhang.apps.accounts.roles import PREPARERS, Role, require_role
from duizhang.apps.audit.services import Action, audit_record
from duizhang.apps.customers.models import Customer
from duizhang.apps.ledger.models import Source
from duizhang.apps.reconciliations import tasks
from duizhang.apps.reconciliations.models import (
    Explanation,
    Line,
    MatchGroup,
    Origin,
    Reason,
    Reconciliation,
    Resolution,
    Review,
    RunState,
    Side,
    Status,
    Suggestion,
)
from duizhang.config.celery import run_later

CREATE_ACTION = "reconciliation-create"
RESOLVE_ACTION = "resolve"
SUGGESTION_REJECT_ACTION = "suggestion-reject"


class ReconciliationError(Exception):
    """A request the reconciliation's state does not allow (locked, running, bad selection)."""


def reconciliation_create(
    *,
    by: User,
    customer: Customer,
    ours: Source,
    theirs: Source,
    period_end: date,
    period_start: date | None = None,
) -> Reconciliation:
    """Create a reconciliation and queue its first run."""
    require_role(by, *PREPARERS)
    if ours.kind != Source.Kind.OURS:
        raise ReconciliationError(_("The first source must be our receivables ledger."))
    if theirs.kind == Source.Kind.OURS:
        raise ReconciliationError(_("Compare with the customer's ledger or a bank account."))
    if theirs.kind == Source.Kind.CUSTOMER and theirs.customer_id != customer.pk:
        raise ReconciliationError(_("That ledger belongs to another customer."))
    if period_start is not None and period_start > period_end:
        raise ReconciliationError(_("The period starts after it ends."))
    with transaction.atomic():
        reconciliation = Reconciliation.objects.create(
            company=customer.company,
            customer=customer,
            ours=ours,
            theirs=theirs,
            period_start=period_start,
            period_end=period_end,
            prepared_by=by,
            run_number=1,
        )
        audit_record(
            actor=by,
            action=CREATE_ACTION,
            customer=customer,
            target=reconciliation,
            data={
                "ours": ours.name,
                "theirs": theirs.name,
                "period_start": period_start,
                "period_end": period_end,
            },
        )
        run_later(tasks.run_reconciliation, reconciliation.pk, reconciliation.run_number)
    return reconciliation


def reconciliation_rerun(*, reconciliation: Reconciliation, by: User) -> Reconciliation:
    """Run the engine again (after new imports); manual decisions stay as they are."""
    with transaction.atomic():
        locked = _editable(reconciliation, by)
        locked.run_number += 1
        locked.run_state = RunState.QUEUED
        locked.run_progress = 0
        locked.run_step = ""
        locked.run_error = ""
        locked.save()
        run_later(tasks.run_reconciliation, locked.pk, locked.run_number)
    return locked


def lines_match(
    *, reconciliation: Reconciliation, by: User, line_ids: Sequence[int], comment: str
) -> MatchGroup:
    """Match unmatched lines by hand, several to several. One side alone may be matched only if
    it sums to zero (an invoice and its red-letter reversal)."""
    note = _comment(comment)
    with transaction.atomic():
        locked = _editable(reconciliation, by)
        lines = list(
            Line.objects.select_for_update()
            .filter(reconciliation=locked, pk__in=set(line_ids))
            .select_related("entry")
        )
        if not lines or len(lines) != len(set(line_ids)):
            raise ReconciliationError(_("Choose lines of this reconciliation."))
        if any(line.group_id is not None for line in lines):
            raise ReconciliationError(_("Some of the chosen lines are already matched."))
        currencies = {line.entry.currency for line in lines}
        if len(currencies) != 1:
            raise ReconciliationError(_("The chosen lines are in different currencies."))
        left = [line for line in lines if line.side == Side.LEFT]
        right = [line for line in lines if line.side == Side.RIGHT]
        difference = _total(left) - _total(right)
        if not (left and right) and (len(lines) < 2 or difference != 0):
            raise ReconciliationError(
                _("Choose lines on both sides, or lines of one side that add up to zero.")
            )
        dropped = list(
            Resolution.objects.filter(line__in=lines).values("line__entry_id", "kind", "comment")
        )
        Resolution.objects.filter(line__in=lines).delete()
        group = MatchGroup.objects.create(
            reconciliation=locked,
            label=_next_label(locked, "H"),
            origin=Origin.MANUAL,
            rule="manual",
            method=note,
            evidence={"by": by.get_username(), "lines": len(lines)},
            difference=difference,
            currency=currencies.pop(),
            pinned=True,
            comment=note,
            created_by=by,
        )
        Line.objects.filter(pk__in=[line.pk for line in lines]).update(group=group, reason="")
        _drop_overlapping_suggestions(locked, {line.entry_id for line in lines})
        audit_record(
            actor=by,
            action=Action.MATCH,
            customer=locked.customer,
            target=group,
            data={
                "reconciliation": locked.pk,
                "group": group.label,
                "left": sorted(line.entry_id for line in left),
                "right": sorted(line.entry_id for line in right),
                "difference": difference,
                "comment": note,
                "dropped_explanations": dropped,
            },
        )
    return group


def group_unmatch(
    *, reconciliation: Reconciliation, by: User, group_id: int, comment: str
) -> list[Line]:
    """Break a group: its lines become unmatched by hand and stay out of automatic matching."""
    note = _comment(comment)
    with transaction.atomic():
        locked = _editable(reconciliation, by)
        group = _group(locked, group_id)
        lines = list(group.lines.select_related("entry"))
        explanation = Resolution.objects.filter(group=group).values("kind", "comment").first()
        Resolution.objects.filter(group=group).delete()
        Line.objects.filter(group=group).update(group=None, reason=Reason.HELD)
        audit_record(
            actor=by,
            action=Action.UNMATCH,
            customer=locked.customer,
            target=group,
            data={
                "reconciliation": locked.pk,
                "group": group.label,
                "rule": group.rule,
                "origin": group.origin,
                "left": sorted(line.entry_id for line in lines if line.side == Side.LEFT),
                "right": sorted(line.entry_id for line in lines if line.side == Side.RIGHT),
                "comment": note,
                "dropped_explanation": explanation,
            },
        )
        group.delete()
    return lines


def suggestion_accept(
    *, reconciliation: Reconciliation, by: User, suggestion_id: int, comment: str
) -> MatchGroup:
    note = _comment(comment)
    with transaction.atomic():
        locked = _editable(reconciliation, by)
        suggestion = _open_suggestion(locked, suggestion_id)
        entry_ids = [*suggestion.left_entries, *suggestion.right_entries]
        lines = list(
            Line.objects.select_for_update()
            .filter(reconciliation=locked, entry_id__in=entry_ids)
            .select_related("entry")
        )
        if len(lines) != len(entry_ids) or any(line.group_id for line in lines):
            raise ReconciliationError(_("Some of the suggested lines are matched already."))
        left = [line for line in lines if line.side == Side.LEFT]
        right = [line for line in lines if line.side == Side.RIGHT]
        group = MatchGroup.objects.create(
            reconciliation=locked,
            label=_next_label(locked, "H"),
            origin=Origin.SUGGESTION,
            rule=suggestion.rule,
            method=suggestion.method,
            evidence={"suggestion": suggestion.label, "by": by.get_username()},
            difference=_total(left) - _total(right),
            currency=lines[0].entry.currency,
            pinned=True,
            comment=note,
            created_by=by,
        )
        Resolution.objects.filter(line__in=lines).delete()
        Line.objects.filter(pk__in=[line.pk for line in lines]).update(group=group, reason="")
        audit_record(
            actor=by,
            action=Action.MATCH,
            customer=locked.customer,
            target=group,
            data={
                "reconciliation": locked.pk,
                "group": group.label,
                "suggestion": suggestion.label,
                "rule": suggestion.rule,
                "left": suggestion.left_entries,
                "right": suggestion.right_entries,
                "difference": group.difference,
                "comment": note,
            },
        )
        suggestion.delete()
        _drop_overlapping_suggestions(locked, set(entry_ids))
    return group


def _drop_overlapping_suggestions(reconciliation: Reconciliation, entry_ids: set[int]) -> None:
    """Open suggestions that use a line just matched can no longer be accepted."""
    stale = [
        suggestion.pk
        for suggestion in Suggestion.objects.filter(
            reconciliation=reconciliation, state=Suggestion.State.OPEN
        )
        if entry_ids & {*suggestion.left_entries, *suggestion.right_entries}
    ]
    Suggestion.objects.filter(pk__in=stale).delete()


def suggestion_reject(
    *, reconciliation: Reconciliation, by: User, suggestion_id: int, comment: str
) -> Suggestion:
    """A rejected suggestion is kept, so that later runs do not propose it again."""
    note = _comment(comment)
    with transaction.atomic():
        locked = _editable(reconciliation, by)
        suggestion = _open_suggestion(locked, suggestion_id)
        suggestion.state = Suggestion.State.REJECTED
        suggestion.decided_by = by
        suggestion.comment = note
        suggestion.save(update_fields=["state", "decided_by", "comment"])
        audit_record(
            actor=by,
            action=SUGGESTION_REJECT_ACTION,
            customer=locked.customer,
            target=suggestion,
            data={
                "reconciliation": locked.pk,
                "suggestion": suggestion.label,
                "left": suggestion.left_entries,
                "right": suggestion.right_entries,
                "comment": note,
            },
        )
    return suggestion


def difference_resolve(
    *,
    reconciliation: Reconciliation,
    by: User,
    kind: str,
    comment: str,
    group_id: int | None = None,
    line_id: int | None = None,
    adjustment_amount: Decimal | None = None,
    adjustment_text: str = "",
) -> Resolution:
    """Explain a difference: a group whose sides differ, or one unmatched line. An error on our
    side proposes an adjusting entry (by default, the amount that closes the difference)."""
    note = _comment(comment)
    if kind not in Explanation.values:
        raise ReconciliationError(_("Choose an explanation."))
    if (group_id is None) == (line_id is None):
        raise ReconciliationError(_("Explain either a matched group or an unmatched line."))
    with transaction.atomic():
        locked = _editable(reconciliation, by)
        group: MatchGroup | None = None
        line: Line | None = None
        if group_id is not None:
            group = _group(locked, group_id)
            if group.difference == 0:
                raise ReconciliationError(_("This group has no difference to explain."))
            amount = group.difference
            target: MatchGroup | Line = group
        else:
            assert line_id is not None
            line = (
                Line.objects.select_related("entry")
                .filter(reconciliation=locked, pk=line_id, group__isnull=True)
                .first()
            )
            if line is None:
                raise ReconciliationError(_("Only an unmatched line can be explained."))
            amount = line.entry.amount
            target = line
        if Resolution.objects.filter(Q(group=group) if group else Q(line=line)).exists():
            raise ReconciliationError(_("This difference is explained already."))
        proposal = None
        if kind == Explanation.OUR_ERROR:
            proposal = (
                adjustment_amount if adjustment_amount is not None else _closing(amount, line)
            )
        resolution = Resolution.objects.create(
            reconciliation=locked,
            group=group,
            line=line,
            kind=kind,
            amount=amount,
            comment=note,
            adjustment_amount=proposal,
            adjustment_text=adjustment_text.strip() if proposal is not None else "",
            created_by=by,
        )
        if group is not None and not group.pinned:
            group.pinned = True
            group.save(update_fields=["pinned"])
        audit_record(
            actor=by,
            action=RESOLVE_ACTION,
            customer=locked.customer,
            target=target,
            data={
                "reconciliation": locked.pk,
                "group": group.label if group else None,
                "entry": line.entry_id if line else None,
                "explanation": kind,
                "amount": amount,
                "adjustment": proposal,
                "comment": note,
            },
        )
    return resolution


def _closing(amount: Decimal, line: Line | None) -> Decimal:
    """The adjusting entry that closes the gap in our books: a group's difference is ours less
    theirs, so we book its negative; a line only they booked we book as it is; a line only we
    booked we reverse."""
    if line is None:
        return -amount
    return amount if line.side == Side.RIGHT else -amount


def reconciliation_submit(
    *, reconciliation: Reconciliation, by: User, comment: str = ""
) -> Reconciliation:
    with transaction.atomic():
        locked = _editable(reconciliation, by)
        if locked.run_state != RunState.DONE:
            raise ReconciliationError(_("The last run did not finish; run it again first."))
        locked.status = Status.SUBMITTED
        locked.submission += 1
        locked.submitted_by = by
        locked.submitted_at = timezone.now()
        locked.save()
        audit_record(
            actor=by,
            action=Action.SUBMIT,
            customer=locked.customer,
            target=locked,
            data={"submission": locked.submission, "comment": comment.strip()},
        )
    return locked


def reconciliation_approve(
    *, reconciliation: Reconciliation, by: User, comment: str = ""
) -> Reconciliation:
    return _review(reconciliation, by, Review.Decision.APPROVED, comment.strip())


def reconciliation_return(
    *, reconciliation: Reconciliation, by: User, comment: str
) -> Reconciliation:
    """Send the work back to its preparer; the reviewer says why."""
    return _review(reconciliation, by, Review.Decision.RETURNED, _comment(comment))


def _review(
    reconciliation: Reconciliation, by: User, decision: str, comment: str
) -> Reconciliation:
    require_role(by, Role.REVIEWER)
    try:
        with transaction.atomic():
            locked = Reconciliation.objects.select_for_update().get(pk=reconciliation.pk)
            if locked.status != Status.SUBMITTED:
                raise ReconciliationError(_("Only submitted work can be reviewed."))
            if by.pk in (locked.prepared_by_id, locked.submitted_by_id):
                raise ReconciliationError(_("A reviewer cannot review work they prepared."))
            Review.objects.create(
                reconciliation=locked,
                round=locked.submission,
                decision=decision,
                by=by,
                comment=comment,
            )
            approved = decision == Review.Decision.APPROVED
            locked.status = Status.APPROVED if approved else Status.DRAFT
            locked.reviewed_by = by
            locked.reviewed_at = timezone.now()
            locked.save()
            audit_record(
                actor=by,
                action=Action.APPROVE if approved else Action.REJECT,
                customer=locked.customer,
                target=locked,
                data={"submission": locked.submission, "comment": comment},
            )
    except IntegrityError as error:
        raise ReconciliationError(_("This submission has been reviewed already.")) from error
    return locked


def reconciliation_reopen(
    *, reconciliation: Reconciliation, by: User, reason: str
) -> Reconciliation:
    require_role(by, Role.MANAGER)
    note = _comment(reason)
    with transaction.atomic():
        locked = Reconciliation.objects.select_for_update().get(pk=reconciliation.pk)
        if locked.status != Status.APPROVED:
            raise ReconciliationError(_("Only approved work is reopened."))
        locked.status = Status.DRAFT
        locked.save()
        audit_record(
            actor=by,
            action=Action.REOPEN,
            customer=locked.customer,
            target=locked,
            data={"submission": locked.submission, "reason": note},
        )
    return locked


def _editable(reconciliation: Reconciliation, by: User) -> Reconciliation:
    """The row, locked for this transaction, if a preparer may change it now."""
    require_role(by, *PREPARERS)
    locked = (
        Reconciliation.objects.select_for_update()
        .select_related("customer")
        .get(pk=reconciliation.pk)
    )
    if locked.status == Status.APPROVED:
        raise ReconciliationError(_("Approved work is locked; a manager can reopen it."))
    if locked.status == Status.SUBMITTED:
        raise ReconciliationError(_("Submitted work waits for review and cannot be changed."))
    if locked.is_running:
        raise ReconciliationError(_("A run is in progress; wait until it finishes."))
    return locked


def _comment(text: str) -> str:
    note = (text or "").strip()
    if not note:
        raise ReconciliationError(_("A comment is required for every manual decision."))
    return note


def _group(reconciliation: Reconciliation, group_id: int) -> MatchGroup:
    group = MatchGroup.objects.filter(reconciliation=reconciliation, pk=group_id).first()
    if group is None:
        raise ReconciliationError(_("No such group in this reconciliation."))
    return group


def _open_suggestion(reconciliation: Reconciliation, suggestion_id: int) -> Suggestion:
    suggestion = Suggestion.objects.filter(
        reconciliation=reconciliation, pk=suggestion_id, state=Suggestion.State.OPEN
    ).first()
    if suggestion is None:
        raise ReconciliationError(_("No such open suggestion in this reconciliation."))
    return suggestion


def _total(lines: Sequence[Line]) -> Decimal:
    return sum((line.entry.amount for line in lines), Decimal(0))


def _next_label(reconciliation: Reconciliation, prefix: str) -> str:
    taken = set(
        MatchGroup.objects.filter(
            reconciliation=reconciliation, label__startswith=prefix
        ).values_list("label", flat=True)
    )
    number = len(taken) + 1
    while f"{prefix}{number:04d}" in taken:
        number += 1
    return f"{prefix}{number:04d}"
