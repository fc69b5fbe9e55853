"""Manual decisions, explanations and maker-checker, each with its audit record."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.utils import translation

from duizhang.apps.accounts.roles import Role
from duizhang.apps.audit.models import AuditRecord
from duizhang.apps.reconciliations.models import (
    Line,
    MatchGroup,
    Reconciliation,
    Resolution,
    Review,
    Status,
    Suggestion,
)
from duizhang.apps.reconciliations.selectors import balance_statements, history
from duizhang.apps.reconciliations.services import (
    ReconciliationError,
    difference_resolve,
    group_unmatch,
    lines_match,
    reconciliation_approve,
    reconciliation_create,
    reconciliation_reopen,
    reconciliation_rerun,
    reconciliation_return,
    reconciliation_submit,
    suggestion_accept,
    suggestion_reject,
)
from tests.apps.reconciliations.conftest import line_of


@pytest.fixture(autouse=True)
def _english():
    """Messages in English, so that the tests read them."""
    with translation.override("en"):
        yield


def _last(action: str) -> dict:
    record = AuditRecord.objects.filter(action=action).order_by("-seq").first()
    assert record is not None
    return {"actor": record.actor_name, "customer": record.customer, **json.loads(record.data)}


def _fee_group(recon, cashier) -> MatchGroup:
    return lines_match(
        reconciliation=recon,
        by=cashier,
        line_ids=[line_of(recon, "记-004").pk, line_of(recon, "付-004").pk],
        comment="差额为手续费",
    )


def test_match_by_hand_several_to_several_with_its_difference(recon, users):
    cashier = users[Role.CASHIER]
    ids = [line_of(recon, key).pk for key in ("记-004", "记-007", "付-004", "付-005")]

    group = lines_match(reconciliation=recon, by=cashier, line_ids=ids, comment="九月两笔回款合并")

    assert (group.label, group.origin, group.rule, group.pinned) == (
        "H0001",
        "manual",
        "manual",
        True,
    )
    assert group.difference == Decimal("600.0000")  # (-45000 - 5000) - (-45600 - 5000)
    assert group.method == "九月两笔回款合并" and group.created_by == cashier
    assert set(Line.objects.filter(group=group).values_list("pk", flat=True)) == set(ids)
    # Both open suggestions used 付-005 or 记-007; they are gone.
    assert not Suggestion.objects.filter(reconciliation=recon).exists()
    audit = _last("match")
    assert audit["actor"] == "cashier" and audit["customer"] == "C001"
    assert audit["group"] == "H0001" and audit["difference"] == "600.0000"
    assert audit["comment"] == "九月两笔回款合并"
    (statement,) = balance_statements(recon)
    assert statement.group_differences == Decimal("600.00")
    assert statement.agrees


@pytest.mark.parametrize("comment", ["", "   "])
def test_every_manual_decision_needs_a_comment(recon, users, comment):
    cashier = users[Role.CASHIER]
    records = AuditRecord.objects.count()
    group = MatchGroup.objects.get(reconciliation=recon, label="M00001")
    suggestion = Suggestion.objects.get(reconciliation=recon, label="S00001")
    calls = [
        lambda: lines_match(
            reconciliation=recon,
            by=cashier,
            line_ids=[line_of(recon, "记-004").pk, line_of(recon, "付-004").pk],
            comment=comment,
        ),
        lambda: group_unmatch(reconciliation=recon, by=cashier, group_id=group.pk, comment=comment),
        lambda: suggestion_accept(
            reconciliation=recon, by=cashier, suggestion_id=suggestion.pk, comment=comment
        ),
        lambda: suggestion_reject(
            reconciliation=recon, by=cashier, suggestion_id=suggestion.pk, comment=comment
        ),
        lambda: difference_resolve(
            reconciliation=recon,
            by=cashier,
            line_id=line_of(recon, "记-005").pk,
            kind="timing",
            comment=comment,
        ),
    ]
    for call in calls:
        with pytest.raises(ReconciliationError, match="comment is required"):
            call()

    assert AuditRecord.objects.count() == records
    assert MatchGroup.objects.filter(reconciliation=recon).count() == 3
    assert Suggestion.objects.filter(reconciliation=recon, state="open").count() == 2
    assert not Resolution.objects.exists()


def test_match_refuses_matched_lines_and_one_sided_lines_that_do_not_cancel(recon, users):
    cashier = users[Role.CASHIER]
    with pytest.raises(ReconciliationError, match="already matched"):
        lines_match(
            reconciliation=recon,
            by=cashier,
            line_ids=[line_of(recon, "记-001").pk, line_of(recon, "付-004").pk],
            comment="x",
        )
    with pytest.raises(ReconciliationError, match="add up to zero"):
        lines_match(
            reconciliation=recon,
            by=cashier,
            line_ids=[line_of(recon, "记-004").pk, line_of(recon, "记-005").pk],
            comment="x",
        )
    assert MatchGroup.objects.filter(reconciliation=recon).count() == 3


def test_unmatch_holds_the_lines_out(recon, users):
    group = MatchGroup.objects.get(reconciliation=recon, label="M00003")

    group_unmatch(
        reconciliation=recon, by=users[Role.CASHIER], group_id=group.pk, comment="单号不一致"
    )

    assert not MatchGroup.objects.filter(pk=group.pk).exists()
    assert (line_of(recon, "记-002").reason, line_of(recon, "付-002").reason) == ("held", "held")
    audit = _last("unmatch")
    assert (audit["group"], audit["rule"], audit["origin"], audit["comment"]) == (
        "M00003",
        "reference",
        "auto",
        "单号不一致",
    )


def test_accept_and_reject_suggestions(recon, users):
    cashier = users[Role.CASHIER]
    first = Suggestion.objects.get(reconciliation=recon, label="S00001")
    second = Suggestion.objects.get(reconciliation=recon, label="S00002")

    suggestion_reject(
        reconciliation=recon, by=cashier, suggestion_id=second.pk, comment="日期差一天"
    )
    group = suggestion_accept(
        reconciliation=recon, by=cashier, suggestion_id=first.pk, comment="回单号一致"
    )

    assert (group.origin, group.rule, group.difference, group.comment) == (
        "suggestion",
        "amount_date",
        Decimal(0),
        "回单号一致",
    )
    assert line_of(recon, "记-007").group == group and line_of(recon, "付-005").group == group
    second.refresh_from_db()
    assert (second.state, second.decided_by, second.comment) == ("rejected", cashier, "日期差一天")
    assert not Suggestion.objects.filter(pk=first.pk).exists()
    assert _last("suggestion-reject")["suggestion"] == "S00002"
    assert _last("match")["suggestion"] == "S00001"


def test_explain_a_group_difference_as_a_fee(recon, users):
    cashier = users[Role.CASHIER]
    group = _fee_group(recon, cashier)

    resolution = difference_resolve(
        reconciliation=recon, by=cashier, group_id=group.pk, kind="fee", comment="工行手续费"
    )

    assert (resolution.amount, resolution.adjustment_amount) == (Decimal("600.0000"), None)
    with pytest.raises(ReconciliationError, match="explained already"):
        difference_resolve(
            reconciliation=recon, by=cashier, group_id=group.pk, kind="fee", comment="again"
        )
    exact = MatchGroup.objects.get(reconciliation=recon, label="M00001")
    with pytest.raises(ReconciliationError, match="no difference"):
        difference_resolve(
            reconciliation=recon, by=cashier, group_id=exact.pk, kind="fee", comment="x"
        )
    assert Resolution.objects.count() == 1
    assert _last("resolve")["explanation"] == "fee"


def test_an_error_on_our_side_proposes_the_closing_entry(recon, users):
    cashier = users[Role.CASHIER]
    group = _fee_group(recon, cashier)
    line = line_of(recon, "记-005")

    on_group = difference_resolve(
        reconciliation=recon,
        by=cashier,
        group_id=group.pk,
        kind="our_error",
        comment="少记收款",
        adjustment_text="补记收款差额",
    )
    on_line = difference_resolve(
        reconciliation=recon,
        by=cashier,
        line_id=line.pk,
        kind="our_error",
        comment="重复开票",
    )

    assert (on_group.adjustment_amount, on_group.adjustment_text) == (
        Decimal("-600.0000"),
        "补记收款差额",
    )
    assert on_line.adjustment_amount == Decimal("-23800.0000")  # only we booked it: reverse it


def test_maker_checker_round_trip(recon, users):
    cashier, reviewer, manager = users[Role.CASHIER], users[Role.REVIEWER], users[Role.MANAGER]

    reconciliation_submit(reconciliation=recon, by=cashier, comment="请复核")
    returned = reconciliation_return(reconciliation=recon, by=reviewer, comment="手续费请说明")
    assert (returned.status, returned.submission) == (Status.DRAFT, 1)
    reconciliation_submit(reconciliation=recon, by=cashier)
    approved = reconciliation_approve(reconciliation=recon, by=reviewer, comment="无误")
    assert (approved.status, approved.reviewed_by, approved.submission) == (
        Status.APPROVED,
        reviewer,
        2,
    )
    reopened = reconciliation_reopen(reconciliation=recon, by=manager, reason="客户补充 9 月发票")
    assert reopened.status == Status.DRAFT

    assert list(Review.objects.filter(reconciliation=recon).values_list("round", "decision")) == [
        (1, "returned"),
        (2, "approved"),
    ]
    actions = [record.action for record in history(recon)]
    assert actions == [
        "reconciliation-create",
        "reconciliation-run",
        "submit",
        "reject",
        "submit",
        "approve",
        "reopen",
    ]
    assert _last("reopen")["reason"] == "客户补充 9 月发票"


def test_approved_work_is_locked_for_every_change(recon, users):
    cashier, reviewer, manager = users[Role.CASHIER], users[Role.REVIEWER], users[Role.MANAGER]
    reconciliation_submit(reconciliation=recon, by=cashier)
    reconciliation_approve(reconciliation=recon, by=reviewer)
    records = AuditRecord.objects.count()
    group = MatchGroup.objects.get(reconciliation=recon, label="M00001")
    suggestion = Suggestion.objects.get(reconciliation=recon, label="S00001")
    line = line_of(recon, "记-005")

    def attempts(by):
        return (
            lambda: lines_match(
                reconciliation=recon,
                by=by,
                line_ids=[line_of(recon, "记-004").pk, line_of(recon, "付-004").pk],
                comment="x",
            ),
            lambda: group_unmatch(reconciliation=recon, by=by, group_id=group.pk, comment="x"),
            lambda: suggestion_accept(
                reconciliation=recon, by=by, suggestion_id=suggestion.pk, comment="x"
            ),
            lambda: suggestion_reject(
                reconciliation=recon, by=by, suggestion_id=suggestion.pk, comment="x"
            ),
            lambda: difference_resolve(
                reconciliation=recon, by=by, line_id=line.pk, kind="dispute", comment="x"
            ),
            lambda: reconciliation_rerun(reconciliation=recon, by=by),
            lambda: reconciliation_submit(reconciliation=recon, by=by),
        )

    for call in (*attempts(cashier), *attempts(manager)):
        with pytest.raises(ReconciliationError, match="locked"):
            call()
    with pytest.raises(ReconciliationError, match="Only submitted"):
        reconciliation_approve(reconciliation=recon, by=reviewer)

    assert AuditRecord.objects.count() == records
    assert MatchGroup.objects.filter(reconciliation=recon).count() == 3
    assert Suggestion.objects.filter(reconciliation=recon, state="open").count() == 2
    assert Reconciliation.objects.get(pk=recon.pk).status == Status.APPROVED


def test_submitted_work_cannot_be_changed_by_its_preparer(recon, users):
    reconciliation_submit(reconciliation=recon, by=users[Role.CASHIER])
    group = MatchGroup.objects.get(reconciliation=recon, label="M00001")

    with pytest.raises(ReconciliationError, match="waits for review"):
        group_unmatch(reconciliation=recon, by=users[Role.CASHIER], group_id=group.pk, comment="x")
    assert MatchGroup.objects.filter(pk=group.pk).exists()


def test_a_reviewer_cannot_approve_work_they_prepared(create, users, make_user):
    boss = make_user(Role.REVIEWER, name="boss")
    boss.groups.add(*users[Role.CASHIER].groups.all())  # reviewer and cashier at once
    recon = create(by=boss)
    reconciliation_submit(reconciliation=recon, by=boss)

    with pytest.raises(ReconciliationError, match="prepared"):
        reconciliation_approve(reconciliation=recon, by=boss)
    with pytest.raises(ReconciliationError, match="prepared"):
        reconciliation_return(reconciliation=recon, by=boss, comment="x")
    assert Reconciliation.objects.get(pk=recon.pk).status == Status.SUBMITTED
    assert not Review.objects.exists()


def test_returning_needs_a_reason_and_reopening_too(recon, users):
    reconciliation_submit(reconciliation=recon, by=users[Role.CASHIER])
    with pytest.raises(ReconciliationError, match="comment is required"):
        reconciliation_return(reconciliation=recon, by=users[Role.REVIEWER], comment=" ")
    reconciliation_approve(reconciliation=recon, by=users[Role.REVIEWER])
    with pytest.raises(ReconciliationError, match="comment is required"):
        reconciliation_reopen(reconciliation=recon, by=users[Role.MANAGER], reason="")
    assert Reconciliation.objects.get(pk=recon.pk).status == Status.APPROVED


def test_create_checks_the_sources(imported, customer, other_customer, users, bank):
    from datetime import date

    ours, theirs = imported
    cashier = users[Role.CASHIER]
    with pytest.raises(ReconciliationError, match="another customer"):
        reconciliation_create(
            by=cashier,
            customer=other_customer,
            ours=ours,
            theirs=theirs,
            period_end=date(2026, 9, 30),
        )
    with pytest.raises(ReconciliationError, match="receivables ledger"):
        reconciliation_create(
            by=cashier, customer=customer, ours=bank, theirs=theirs, period_end=date(2026, 9, 30)
        )
    with pytest.raises(ReconciliationError, match="starts after"):
        reconciliation_create(
            by=cashier,
            customer=customer,
            ours=ours,
            theirs=theirs,
            period_start=date(2026, 10, 1),
            period_end=date(2026, 9, 30),
        )
    assert not Reconciliation.objects.exists()


def test_services_refuse_roles_whatever_calls_them(recon, users):
    from django.core.exceptions import PermissionDenied

    auditor, reviewer, cashier = users[Role.AUDITOR], users[Role.REVIEWER], users[Role.CASHIER]
    records = AuditRecord.objects.count()
    pair = [line_of(recon, "记-004").pk, line_of(recon, "付-004").pk]

    for by in (auditor, reviewer):
        with pytest.raises(PermissionDenied):
            lines_match(reconciliation=recon, by=by, line_ids=pair, comment="x")
        with pytest.raises(PermissionDenied):
            reconciliation_submit(reconciliation=recon, by=by)
    reconciliation_submit(reconciliation=recon, by=cashier)
    for by in (auditor, cashier):
        with pytest.raises(PermissionDenied):
            reconciliation_approve(reconciliation=recon, by=by)
    with pytest.raises(PermissionDenied):
        reconciliation_reopen(reconciliation=recon, by=reviewer, reason="x")

    assert AuditRecord.objects.count() == records + 1  # the cashier's submission only
    assert not MatchGroup.objects.filter(reconciliation=recon, origin="manual").exists()
    assert Reconciliation.objects.get(pk=recon.pk).status == Status.SUBMITTED
