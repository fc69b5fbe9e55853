"""Two reviewers approving the same submission at the same moment: exactly one wins.

Runs on PostgreSQL only (CI's second run sets DATABASE_URL): SQLite serialises writers anyway,
so it cannot show that the row lock and the unique review round do their job.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, connection, connections, transaction

from duizhang.apps.accounts.roles import Role
from duizhang.apps.audit.models import AuditRecord
from duizhang.apps.reconciliations.models import Reconciliation, Review, RunState, Status
from duizhang.apps.reconciliations.services import (
    ReconciliationError,
    reconciliation_approve,
    reconciliation_create,
    reconciliation_submit,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgres_only(db) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    # The role groups come from a migration; an earlier transactional test may have flushed them.
    for role in Role:
        Group.objects.get_or_create(name=role.value)


@pytest.fixture
def submitted(imported, customer, users, settings) -> Reconciliation:
    settings.TASKS_RUNNER = "inline"
    ours, theirs = imported
    recon = reconciliation_create(
        by=users[Role.CASHIER],
        customer=customer,
        ours=ours,
        theirs=theirs,
        period_end=date(2026, 9, 30),
    )
    recon.refresh_from_db()
    assert recon.run_state == RunState.DONE
    return reconciliation_submit(reconciliation=recon, by=users[Role.CASHIER])


def test_two_reviewers_cannot_both_approve(submitted, users, make_user):
    reviewers = [users[Role.REVIEWER], make_user(Role.REVIEWER, name="reviewer2")]
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def approve(reviewer) -> None:
        try:
            start.wait()
            reconciliation_approve(reconciliation=submitted, by=reviewer)
            outcomes[reviewer.username] = "approved"
        except ReconciliationError as refused:
            outcomes[reviewer.username] = str(refused)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(reviewer,)) for reviewer in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(outcomes) == 2 and list(outcomes.values()).count("approved") == 1
    winner = next(name for name, outcome in outcomes.items() if outcome == "approved")
    recon = Reconciliation.objects.get(pk=submitted.pk)
    assert recon.reviewed_by is not None
    assert (recon.status, recon.reviewed_by.username) == (Status.APPROVED, winner)
    assert list(Review.objects.values_list("round", "decision", "by__username")) == [
        (1, "approved", winner)
    ]
    assert AuditRecord.objects.filter(action="approve").count() == 1


def test_the_database_refuses_a_second_review_of_one_submission(submitted, users, make_user):
    Review.objects.create(
        reconciliation=submitted, round=1, decision="approved", by=users[Role.REVIEWER]
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            reconciliation=submitted,
            round=1,
            decision="returned",
            by=make_user(Role.REVIEWER, name="r2"),
        )
    assert Review.objects.count() == 1
