"""Two customers with entries in our receivables ledger, a sent statement each, one portal user
each, a cashier, and MEDIA_ROOT in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypedDict

import pytest
from django.contrib.auth.models import User
from django.test import Client

from duizhang.apps.accounts.roles import Role
from duizhang.apps.customers.models import Customer
from duizhang.apps.ledger.models import Source
from duizhang.apps.ledger.services import entries_import
from duizhang.apps.statements.models import StatementDocument
from duizhang.apps.statements.services import statement_generate, statement_mark_sent

# C001 in September 2026: opening 28,500.00; FP006 and FP008 invoiced, ICBC005 paid
# (by reference FP001 is already settled in July by ICBC001 + ICBC002).
OURS = (
    "记-001,2026-07-03,128500.00,CNY,FP001,上海明远贸易有限公司,开票：年度服务费,C001",
    "记-002,2026-07-28,-100000.00,CNY,ICBC001,上海明远贸易有限公司,收到货款 FP001,C001",
    "记-003,2026-09-05,45600.00,CNY,FP006,上海明远贸易有限公司,开票：实施费,C001",
    "记-004,2026-09-12,-28500.00,CNY,ICBC005,上海明远贸易有限公司,收到货款,C001",
    "记-005,2026-09-18,23800.00,CNY,FP008,上海明远贸易有限公司,开票：技术支持,C001",
    "记-006,2026-09-10,86000.00,CNY,FP003,苏州恒通电子有限公司,开票,C002",
)


class Period(TypedDict):
    period_start: date
    period_end: date


SEPTEMBER: Period = {"period_start": date(2026, 9, 1), "period_end": date(2026, 9, 30)}
PASSWORD = "pw-for-tests"


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def cashier(make_user) -> User:
    return make_user(Role.CASHIER)


@pytest.fixture
def booked(ledger: Source, customer: Customer, other_customer: Customer, csv_file) -> Source:
    entries_import(source=ledger, path=csv_file("ours.csv", *OURS), uploaded_by=None)
    return ledger


@pytest.fixture
def send_statement(booked: Source, cashier: User) -> Callable[[Customer], StatementDocument]:
    def send(customer: Customer) -> StatementDocument:
        document = statement_generate(customer=customer, by=cashier, **SEPTEMBER)
        return statement_mark_sent(document=document, by=cashier)

    return send


@pytest.fixture
def customer1(make_user, customer: Customer) -> User:
    return make_user(Role.CUSTOMER, name="customer1", customer=customer)


@pytest.fixture
def customer2(make_user, other_customer: Customer) -> User:
    return make_user(Role.CUSTOMER, name="customer2", customer=other_customer)


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture(scope="session", autouse=True)
def _serialized_contents_for_every_connection(django_db_setup: None) -> None:
    """Keep `serialized_rollback` working once Playwright has started: after its sync API is
    running, Django's context-local `connections` hands the test a new connection object,
    without the `_test_serialized_contents` captured at setup (seen: present before, absent
    after), so the second browser test after a plain `db` test started from an empty database
    (no role groups). On the connection class every connection object finds them."""
    from django.db import connections

    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            # A private attribute of Django's test setup that django-stubs does not declare.
            setattr(type(connection), "_test_serialized_contents", contents)  # noqa: B010
