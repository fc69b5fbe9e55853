"""The engine run: what a first run stores, and what a re-run after new imports keeps."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from duizhang.apps.accounts.roles import Role
from duizhang.apps.audit.models import AuditRecord
from duizhang.apps.ledger.services import entries_import
from duizhang.apps.reconciliations.models import (
    Line,
    MatchGroup,
    Reconciliation,
    RunState,
    Suggestion,
)
from duizhang.apps.reconciliations.runs import reconciliation_compute
from duizhang.apps.reconciliations.selectors import balance_statements
from duizhang.apps.reconciliations.services import (
    difference_resolve,
    group_unmatch,
    lines_match,
    reconciliation_rerun,
    suggestion_reject,
)
from tests.apps.reconciliations.conftest import line_of


def _groups(recon: Reconciliation) -> dict[str, tuple[str, list[str], list[str], Decimal]]:
    found = {}
    for group in MatchGroup.objects.filter(reconciliation=recon):
        lines = list(group.lines.select_related("entry").order_by("entry__natural_key"))
        found[group.label] = (
            group.rule,
            [line.entry.natural_key for line in lines if line.side == "left"],
            [line.entry.natural_key for line in lines if line.side == "right"],
            group.difference,
        )
    return found


def _unmatched(recon: Reconciliation) -> dict[str, str]:
    return dict(
        Line.objects.filter(reconciliation=recon, group__isnull=True).values_list(
            "entry__natural_key", "reason"
        )
    )


def test_first_run_stores_groups_leftovers_and_suggestions(recon):
    assert (recon.run_state, recon.run_progress, recon.run_error) == (RunState.DONE, 100, "")
    assert _groups(recon) == {
        "M00001": ("exact", ["记-001"], ["付-001"], Decimal(0)),
        "M00002": ("exact", ["记-003"], ["付-003"], Decimal(0)),
        "M00003": ("reference", ["记-002"], ["付-002"], Decimal(0)),
    }
    assert MatchGroup.objects.get(reconciliation=recon, label="M00001").evidence == {
        "agreed": ["reference", "amount"],
        "date_gap": 0,
        "reference": "FP001",
    }
    # C002's line is not in scope; every line of C001 in the period is placed exactly once.
    assert _unmatched(recon) == {
        "记-004": "missing",
        "记-005": "missing",
        "记-007": "missing",
        "记-008": "missing",
        "付-004": "missing",
        "付-005": "missing",
    }
    assert Line.objects.filter(reconciliation=recon).count() == 12
    suggestions = Suggestion.objects.filter(reconciliation=recon).order_by("label")
    assert [(s.label, s.rule, s.key) for s in suggestions] == [
        (
            "S00001",
            "amount_date",
            f"L{line_of(recon, '记-007').entry_id}|R{line_of(recon, '付-005').entry_id}",
        ),
        (
            "S00002",
            "amount_date",
            f"L{line_of(recon, '记-008').entry_id}|R{line_of(recon, '付-005').entry_id}",
        ),
    ]
    assert recon.summary["groups"] == 3 and recon.summary["unmatched"] == 6
    assert (
        AuditRecord.objects.filter(action="reconciliation-run", target_id=str(recon.pk)).count()
        == 1
    )


def test_statement_from_the_stored_lines(recon):
    (statement,) = balance_statements(recon)

    assert statement.currency == "CNY"
    assert (statement.left_balance, statement.right_balance) == (
        Decimal("14400.00"),
        Decimal("-5000.00"),
    )
    assert statement.unmatched_left["missing"] == Decimal("-31200.00")
    assert statement.unmatched_right["missing"] == Decimal("-50600.00")
    assert (statement.adjusted_left, statement.adjusted_right) == (
        Decimal("-36200.00"),
        Decimal("-36200.00"),
    )
    assert statement.agrees


def test_period_start_limits_the_scope(create):
    recon = create(period_start=date(2026, 9, 1))

    keys = Line.objects.filter(reconciliation=recon).values_list("entry__natural_key", flat=True)
    assert sorted(keys) == ["付-004", "付-005", "记-004", "记-005", "记-007", "记-008"]


def test_rerun_keeps_every_manual_decision_and_recomputes_the_rest(
    recon, users, imported, csv_file, django_capture_on_commit_callbacks
):
    cashier = users[Role.CASHIER]
    manual = lines_match(
        reconciliation=recon,
        by=cashier,
        line_ids=[line_of(recon, "记-004").pk, line_of(recon, "付-004").pk],
        comment="王丽确认：差额 600.00 为现金折扣",
    )
    held = MatchGroup.objects.get(reconciliation=recon, label="M00003")
    group_unmatch(reconciliation=recon, by=cashier, group_id=held.pk, comment="单号不一致，待查")
    explained = line_of(recon, "记-005")
    difference_resolve(
        reconciliation=recon, by=cashier, line_id=explained.pk, kind="timing", comment="10 月入账"
    )
    rejected = Suggestion.objects.get(reconciliation=recon, label="S00002")
    suggestion_reject(
        reconciliation=recon, by=cashier, suggestion_id=rejected.pk, comment="日期不符"
    )
    # The customer sends their September invoice booking; then the cashier runs again.
    _, theirs = imported
    entries_import(
        source=theirs,
        path=csv_file(
            "more.csv", "付-006,2026-09-08,23800.00,CNY,FP008,杭州云帆科技有限公司,收到发票,"
        ),
        uploaded_by=None,
    )

    with django_capture_on_commit_callbacks(execute=True):
        reconciliation_rerun(reconciliation=recon, by=cashier)
    recon.refresh_from_db()

    assert (recon.run_state, recon.run_number) == (RunState.DONE, 2)
    groups = _groups(recon)
    assert groups[manual.label] == ("manual", ["记-004"], ["付-004"], Decimal("600.0000"))
    # 记-005 is explained (pinned), so the new 付-006 cannot take it; it stays unmatched.
    assert _unmatched(recon) == {
        "记-002": "held",
        "付-002": "held",
        "记-005": "missing",
        "付-006": "missing",
        "记-007": "missing",
        "记-008": "missing",
        "付-005": "missing",
    }
    assert line_of(recon, "记-005").resolution.kind == "timing"
    assert sorted(label for label, group in groups.items() if group[0] != "manual") == [
        "M00001",
        "M00002",
    ]
    states = dict(Suggestion.objects.filter(reconciliation=recon).values_list("key", "state"))
    assert states[rejected.key] == "rejected"
    assert list(states.values()).count("open") == 1  # S00001 again; the rejected one not again
    assert Line.objects.filter(reconciliation=recon).count() == 13


def test_rerun_without_manual_decisions_picks_up_new_entries(
    recon, users, imported, csv_file, django_capture_on_commit_callbacks
):
    _, theirs = imported
    entries_import(
        source=theirs,
        path=csv_file(
            "more.csv", "付-006,2026-09-08,23800.00,CNY,FP008,杭州云帆科技有限公司,收到发票,"
        ),
        uploaded_by=None,
    )
    with django_capture_on_commit_callbacks(execute=True):
        reconciliation_rerun(reconciliation=recon, by=users[Role.CASHIER])
    recon.refresh_from_db()

    assert ("exact", ["记-005"], ["付-006"], Decimal(0)) in _groups(recon).values()
    assert "记-005" not in _unmatched(recon)


def test_a_superseded_run_writes_nothing(recon):
    Reconciliation.objects.filter(pk=recon.pk).update(run_number=2, run_state=RunState.QUEUED)
    before = list(Line.objects.filter(reconciliation=recon).values_list("pk", flat=True))

    reconciliation_compute(reconciliation_id=recon.pk, run_number=1)

    recon.refresh_from_db()
    assert (recon.run_state, recon.run_progress) == (RunState.QUEUED, 100)
    assert list(Line.objects.filter(reconciliation=recon).values_list("pk", flat=True)) == before


def test_a_failing_run_is_marked_failed(recon, monkeypatch):
    Reconciliation.objects.filter(pk=recon.pk).update(run_number=2, run_state=RunState.QUEUED)

    def broken(*args, **kwargs):
        raise ValueError("engine exploded")

    monkeypatch.setattr("duizhang.apps.reconciliations.runs.match", broken)
    with pytest.raises(ValueError):
        reconciliation_compute(reconciliation_id=recon.pk, run_number=2)

    recon.refresh_from_db()
    assert (recon.run_state, recon.run_error) == (RunState.FAILED, "ValueError: engine exploded")
    assert MatchGroup.objects.filter(reconciliation=recon).count() == 3  # the last results stay
