"""A customer's period between our ledger and theirs, with users in every role. Background runs
execute inline (TASKS_RUNNER) once the creating transaction commits."""

from __future__ import annotations

from datetime import date
from typing import Protocol

import pytest
from django.contrib.auth.models import User

from duizhang.apps.accounts.roles import Role
from duizhang.apps.customers.models import Customer
from duizhang.apps.ledger.models import Source
from duizhang.apps.ledger.services import entries_import
from duizhang.apps.reconciliations.models import Line, Reconciliation
from duizhang.apps.reconciliations.services import reconciliation_create

# Our receivables ledger (C001 and one line of C002) and the customer's payables ledger.
OURS = (
    "记-001,2026-07-03,128500.00,CNY,FP001,上海明远贸易有限公司,开票：年度服务费,C001",
    "记-002,2026-07-28,-128500.00,CNY,ICBC001,上海明远贸易有限公司,收到货款,C001",
    "记-003,2026-08-05,45600.00,CNY,FP006,上海明远贸易有限公司,开票：实施费,C001",
    "记-004,2026-09-02,-45000.00,CNY,ICBC005,上海明远贸易有限公司,收到货款,C001",
    "记-005,2026-09-08,23800.00,CNY,FP008,上海明远贸易有限公司,开票：技术支持,C001",
    "记-006,2026-09-10,86000.00,CNY,FP003,苏州恒通电子有限公司,开票,C002",
    "记-007,2026-09-20,-5000.00,CNY,,,收到货款,C001",
    "记-008,2026-09-21,-5000.00,CNY,,,收到货款,C001",
)
THEIRS = (
    "付-001,2026-07-03,128500.00,CNY,FP001,杭州云帆科技有限公司,收到发票,",
    "付-002,2026-07-28,-128500.00,CNY,HD001,杭州云帆科技有限公司,支付货款,",
    "付-003,2026-08-05,45600.00,CNY,FP006,杭州云帆科技有限公司,收到发票,",
    "付-004,2026-09-02,-45600.00,CNY,HD002,杭州云帆科技有限公司,支付货款,",
    "付-005,2026-09-20,-5000.00,CNY,,,支付货款,",
)


@pytest.fixture(autouse=True)
def _inline_tasks(settings) -> None:
    settings.TASKS_RUNNER = "inline"


@pytest.fixture
def users(make_user) -> dict[Role, User]:
    return {
        role: make_user(role) for role in (Role.CASHIER, Role.REVIEWER, Role.MANAGER, Role.AUDITOR)
    }


@pytest.fixture
def imported(
    ledger: Source, customer_books: Source, other_customer, csv_file
) -> tuple[Source, Source]:
    entries_import(source=ledger, path=csv_file("ours.csv", *OURS), uploaded_by=None)
    entries_import(source=customer_books, path=csv_file("theirs.csv", *THEIRS), uploaded_by=None)
    return ledger, customer_books


class Create(Protocol):
    def __call__(
        self, *, by: User | None = None, period_end: date = ..., period_start: date | None = None
    ) -> Reconciliation: ...


@pytest.fixture
def create(
    imported: tuple[Source, Source],
    customer: Customer,
    users: dict[Role, User],
    django_capture_on_commit_callbacks,
) -> Create:
    def make(
        *,
        by: User | None = None,
        period_end: date = date(2026, 9, 30),
        period_start: date | None = None,
    ) -> Reconciliation:
        ours, theirs = imported
        with django_capture_on_commit_callbacks(execute=True):
            made = reconciliation_create(
                by=users[Role.CASHIER] if by is None else by,
                customer=customer,
                ours=ours,
                theirs=theirs,
                period_end=period_end,
                period_start=period_start,
            )
        made.refresh_from_db()
        return made

    return make


@pytest.fixture
def recon(create: Create) -> Reconciliation:
    return create()


def line_of(recon: Reconciliation, natural_key: str) -> Line:
    return Line.objects.select_related("entry").get(
        reconciliation=recon, entry__natural_key=natural_key
    )
