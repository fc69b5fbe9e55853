"""One run of the matching engine over a reconciliation (the body of the background task).

Entries pinned by a manual decision are left out of the engine's input and keep their place;
everything else is recomputed and replaced in one transaction, so a reader sees the previous
results or the new ones, never half. Progress is committed step by step for the status endpoint.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from duizhang.apps.audit.services import audit_record
from duizhang.apps.ledger.models import Entry
from duizhang.apps.reconciliations.models import (
    Line,
    MatchGroup,
    Origin,
    Reason,
    Reconciliation,
    RunState,
    Side,
    Status,
    Suggestion,
)
from duizhang.apps.reconciliations.selectors import scope_entries
from duizhang.engine import records
from duizhang.engine.match import MatchResult, match
from duizhang.engine.options import MatchOptions

RUN_ACTION = "reconciliation-run"
BATCH = 2000


def reconciliation_compute(*, reconciliation_id: int, run_number: int) -> None:
    """Run the engine for run `run_number`; a newer run or a submitted reconciliation wins."""
    if not _step(reconciliation_id, run_number, 5, "loading", state=RunState.RUNNING):
        return
    try:
        reconciliation = Reconciliation.objects.select_related("customer", "ours", "theirs").get(
            pk=reconciliation_id
        )
        pinned = set(
            Line.objects.filter(reconciliation=reconciliation)
            .filter(pinned_lines())
            .values_list("entry_id", flat=True)
        )
        ours, theirs = scope_entries(reconciliation)
        left = _records(ours, pinned, reconciliation.customer.code)
        right = _records(theirs, pinned, reconciliation.customer.code)
        _step(reconciliation_id, run_number, 30, "matching")
        result = match(left, right, MatchOptions(period_end=reconciliation.period_end))
        _step(reconciliation_id, run_number, 70, "saving")
        _store(reconciliation_id, run_number, result)
    except Exception as error:
        Reconciliation.objects.filter(
            pk=reconciliation_id,
            run_number=run_number,
            run_state__in=(RunState.QUEUED, RunState.RUNNING),
        ).update(
            run_state=RunState.FAILED,
            run_error=f"{type(error).__name__}: {error}"[:2000],
            run_finished_at=timezone.now(),
        )
        raise


def pinned_lines() -> Q:
    """Lines a manual decision placed: in a group made or confirmed by hand, unmatched by hand,
    or explained."""
    return Q(group__pinned=True) | Q(reason=Reason.HELD) | Q(resolution__isnull=False)


def _step(
    reconciliation_id: int, run_number: int, progress: int, step: str, state: str = ""
) -> bool:
    changes: dict[str, object] = {"run_progress": progress, "run_step": step}
    if state:
        changes["run_state"] = state
    return bool(
        Reconciliation.objects.filter(
            pk=reconciliation_id,
            run_number=run_number,
            run_state__in=(RunState.QUEUED, RunState.RUNNING),
        ).update(**changes)
    )


def _records(entries: Iterable[Entry], pinned: set[int], customer_code: str) -> list[records.Entry]:
    """Engine records named by the ledger row's id (unique across sources, unlike natural keys);
    every entry in scope is this customer's, whatever its source line said."""
    return [
        replace(entry.to_record(), id=str(entry.pk), customer=customer_code)
        for entry in entries.iterator(chunk_size=BATCH)  # type: ignore[attr-defined]
        if entry.pk not in pinned
    ]


def _store(reconciliation_id: int, run_number: int, result: MatchResult) -> None:
    with transaction.atomic():
        reconciliation = Reconciliation.objects.select_for_update().get(pk=reconciliation_id)
        if (
            reconciliation.run_number != run_number
            or reconciliation.run_state != RunState.RUNNING
            or reconciliation.status != Status.DRAFT
        ):
            return  # a newer run was asked for, or this one was stored already
        recomputed = Line.objects.filter(reconciliation=reconciliation).exclude(pinned_lines())
        recomputed.delete()
        MatchGroup.objects.filter(reconciliation=reconciliation, pinned=False).delete()
        Suggestion.objects.filter(
            reconciliation=reconciliation, state=Suggestion.State.OPEN
        ).delete()
        groups = _store_groups(reconciliation, result)
        _store_unmatched(reconciliation, result)
        suggestions = _store_suggestions(reconciliation, result)
        summary = {
            "groups": groups,
            "unmatched": len(result.unmatched),
            "suggestions": suggestions,
            "by_rule": result.summary.get("by_rule", {}),
            "entries": result.summary.get("entries", {}),
        }
        reconciliation.run_state = RunState.DONE
        reconciliation.run_progress = 100
        reconciliation.run_step = "done"
        reconciliation.run_error = ""
        reconciliation.run_finished_at = timezone.now()
        reconciliation.summary = summary
        reconciliation.save()
        audit_record(
            actor=None,
            action=RUN_ACTION,
            customer=reconciliation.customer,
            target=reconciliation,
            data={"run": run_number, **summary},
        )


def _free_labels(prefix: str, taken: set[str], width: int) -> Iterable[str]:
    number = 0
    while True:
        number += 1
        label = f"{prefix}{number:0{width}d}"
        if label not in taken:
            yield label


def _store_groups(reconciliation: Reconciliation, result: MatchResult) -> int:
    taken = set(
        MatchGroup.objects.filter(reconciliation=reconciliation).values_list("label", flat=True)
    )
    labels = iter(_free_labels("M", taken, 5))
    amounts = _amounts([int(i) for g in result.groups for i in (*g.left_ids, *g.right_ids)])
    made = MatchGroup.objects.bulk_create(
        [
            MatchGroup(
                reconciliation=reconciliation,
                label=next(labels),
                origin=Origin.AUTO,
                rule=group.rule,
                method=group.method,
                evidence=group.evidence,
                difference=group.difference,
                currency=amounts[int(group.left_ids[0] if group.left_ids else group.right_ids[0])][
                    1
                ],
            )
            for group in result.groups
        ],
        batch_size=BATCH,
    )
    Line.objects.bulk_create(
        [
            Line(reconciliation=reconciliation, entry_id=int(pk), side=side, group=stored)
            for stored, group in zip(made, result.groups, strict=True)
            for side, ids in ((Side.LEFT, group.left_ids), (Side.RIGHT, group.right_ids))
            for pk in ids
        ],
        batch_size=BATCH,
    )
    return len(made)


def _amounts(entry_ids: Sequence[int]) -> dict[int, tuple[Decimal, str]]:
    found: dict[int, tuple[Decimal, str]] = {}
    for start in range(0, len(entry_ids), BATCH):
        chunk = entry_ids[start : start + BATCH]
        for pk, amount, currency in Entry.objects.filter(pk__in=chunk).values_list(
            "pk", "amount", "currency"
        ):
            found[pk] = (amount, currency)
    return found


def _store_unmatched(reconciliation: Reconciliation, result: MatchResult) -> None:
    Line.objects.bulk_create(
        [
            Line(
                reconciliation=reconciliation,
                entry_id=int(item.id),
                side=Side.LEFT if item.side == "left" else Side.RIGHT,
                reason=item.reason,
            )
            for item in result.unmatched
        ],
        batch_size=BATCH,
    )


def suggestion_key(left: Sequence[int], right: Sequence[int]) -> str:
    return "L" + ",".join(map(str, sorted(left))) + "|R" + ",".join(map(str, sorted(right)))


def _store_suggestions(reconciliation: Reconciliation, result: MatchResult) -> int:
    rejected = set(
        Suggestion.objects.filter(reconciliation=reconciliation).values_list("key", flat=True)
    )
    taken = set(
        Suggestion.objects.filter(reconciliation=reconciliation).values_list("label", flat=True)
    )
    labels = iter(_free_labels("S", taken, 5))
    fresh = []
    for found in result.suggestions:
        left, right = [int(i) for i in found.left_ids], [int(i) for i in found.right_ids]
        key = suggestion_key(left, right)
        if key in rejected or len(key) > 400:
            continue
        rejected.add(key)
        fresh.append(
            Suggestion(
                reconciliation=reconciliation,
                label=next(labels),
                rule=found.rule,
                method=found.method,
                left_entries=sorted(left),
                right_entries=sorted(right),
                key=key,
            )
        )
    Suggestion.objects.bulk_create(fresh, batch_size=BATCH)
    return len(fresh)
