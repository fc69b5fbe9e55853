"""Two customers' entries in our receivables ledger, users in every role, and MEDIA_ROOT in a
temporary folder so stored files can be counted."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Protocol, TypedDict, Unpack

import pytest
from django.contrib.auth.models import User

from duizhang.apps.accounts.roles import Role
from duizhang.apps.customers.models import Customer
from duizhang.apps.ledger.models import Source
from duizhang.apps.ledger.services import entries_import
from duizhang.apps.statements.models import StatementDocument
from duizhang.apps.statements.services import statement_generate, statement_mark_sent

# C001: opening 128,500.00 (July) − 128,500.00 paid; the period is September 2026.
OURS = (
    "记-001,2026-07-03,128500.00,CNY,FP001,上海明远贸易有限公司,开票：年度服务费,C001",
    "记-002,2026-07-28,-100000.00,CNY,ICBC001,上海明远贸易有限公司,收到货款,C001",
    "记-003,2026-09-05,45600.00,CNY,FP006,上海明远贸易有限公司,开票：实施费,C001",
    "记-004,2026-09-12,-28500.00,CNY,ICBC005,上海明远贸易有限公司,收到货款,C001",
    "记-005,2026-09-18,23800.00,CNY,FP008,上海明远贸易有限公司,开票：技术支持,C001",
    "记-006,2026-09-10,86000.00,CNY,FP003,苏州恒通电子有限公司,开票,C002",
)


class Period(TypedDict):
    period_start: date
    period_end: date


class StatementOptions(TypedDict, total=False):
    """The optional keywords of `statement_generate` besides the period."""

    currency: str | None
    style: str
    language: str
    receivables_only: bool
    hide_reversed: bool


class Generate(Protocol):
    def __call__(
        self,
        customer: Customer,
        /,
        *,
        period_start: date = ...,
        period_end: date = ...,
        **options: Unpack[StatementOptions],
    ) -> StatementDocument: ...


SEPTEMBER: Period = {"period_start": date(2026, 9, 1), "period_end": date(2026, 9, 30)}


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def staff(make_user) -> dict[Role, User]:
    return {
        role: make_user(role) for role in (Role.CASHIER, Role.REVIEWER, Role.MANAGER, Role.AUDITOR)
    }


@pytest.fixture
def cashier(staff: dict[Role, User]) -> User:
    return staff[Role.CASHIER]


@pytest.fixture
def booked(ledger: Source, customer: Customer, other_customer: Customer, csv_file) -> Source:
    entries_import(source=ledger, path=csv_file("ours.csv", *OURS), uploaded_by=None)
    return ledger


@pytest.fixture
def generate(booked: Source, cashier: User) -> Generate:
    def make(
        customer: Customer,
        /,
        *,
        period_start: date = SEPTEMBER["period_start"],
        period_end: date = SEPTEMBER["period_end"],
        **options: Unpack[StatementOptions],
    ) -> StatementDocument:
        return statement_generate(
            customer=customer,
            by=cashier,
            period_start=period_start,
            period_end=period_end,
            **options,
        )

    return make


@pytest.fixture
def sent(generate: Generate, customer: Customer, cashier: User) -> StatementDocument:
    return statement_mark_sent(document=generate(customer), by=cashier)
