"""The alert list and its acknowledge form: staff read, the manager acknowledges, portal users
and strangers see nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from duizhang.apps.accounts.roles import Role
from duizhang.apps.customers.models import Customer
from duizhang.apps.ledger.models import Entry, ImportBatch, Source
from duizhang.apps.risk.models import Alert
from duizhang.apps.risk.services import alerts_detect

REASON_ZH = "单据号 FP9 在同一来源中出现 2 次"


@pytest.fixture
def alert(ledger: Source, customer: Customer) -> Alert:
    """Two invoices numbered FP9 in our ledger, checked once."""
    batch = ImportBatch.objects.create(
        source=ledger,
        file_name="ledger.csv",
        sha256="0" * 64,
        format="canonical",
        side="ours",
        row_count=2,
        new_count=2,
        present_count=0,
        status="imported",
    )
    for line, key in enumerate(("V1", "V2"), start=2):
        Entry.objects.create(
            source=ledger,
            customer=customer,
            batch=batch,
            natural_key=key,
            date=f"2026-07-0{line}",
            amount="4500.00",
            currency="CNY",
            reference="FP9",
            source_line=line,
        )
    (raised,) = alerts_detect(customers=[customer])
    return raised


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", [Role.CASHIER, Role.REVIEWER, Role.MANAGER, Role.AUDITOR])
def test_staff_read_the_list(alert: Alert, make_user: Callable[..., User], role: Role) -> None:
    response = client_for(make_user(role)).get("/risk/")

    assert response.status_code == 200
    html = response.content.decode()
    assert REASON_ZH in html
    assert (f"/risk/{alert.pk}/acknowledge/" in html) is (role == Role.MANAGER)
    assert ('<span class="risk-count"' in html) and ">1</span>" in html  # the badge


def test_portal_users_and_strangers_see_nothing(
    alert: Alert, customer: Customer, make_user: Callable[..., User]
) -> None:
    portal = client_for(make_user(Role.CUSTOMER, "customer1", customer=customer))

    assert portal.get("/risk/").status_code == 403
    assert portal.post(f"/risk/{alert.pk}/acknowledge/", {"comment": "x"}).status_code == 403
    anonymous = Client().get("/risk/")
    assert (anonymous.status_code, anonymous["Location"]) == (302, "/login/?next=/risk/")
    assert Alert.objects.get(pk=alert.pk).status == "open"


@pytest.mark.parametrize("role", [Role.CASHIER, Role.REVIEWER, Role.AUDITOR])
def test_only_the_manager_may_post_an_acknowledgement(
    alert: Alert, make_user: Callable[..., User], role: Role
) -> None:
    response = client_for(make_user(role)).post(
        f"/risk/{alert.pk}/acknowledge/", {"comment": "看过了"}
    )

    assert response.status_code == 403
    assert Alert.objects.get(pk=alert.pk).status == "open"


def test_the_manager_acknowledges_and_the_badge_goes(
    alert: Alert, make_user: Callable[..., User]
) -> None:
    manager = client_for(make_user(Role.MANAGER))

    empty = manager.post(f"/risk/{alert.pk}/acknowledge/", {"comment": " "}, follow=True)
    assert "确认风险提示必须填写备注。" in empty.content.decode()
    assert Alert.objects.get(pk=alert.pk).status == "open"

    done = manager.post(
        f"/risk/{alert.pk}/acknowledge/", {"comment": "重复录入，已冲销", "next": "/risk/"}
    )
    assert (done.status_code, done["Location"]) == (302, "/risk/")
    stored = Alert.objects.get(pk=alert.pk)
    assert (stored.status, stored.comment) == ("acknowledged", "重复录入，已冲销")
    html = manager.get("/risk/").content.decode()
    assert REASON_ZH not in html  # the list shows open alerts by default
    assert 'class="risk-count"' not in html
    assert "重复录入，已冲销" in manager.get("/risk/?status=acknowledged").content.decode()


def test_a_foreign_next_is_ignored(alert: Alert, make_user: Callable[..., User]) -> None:
    response = client_for(make_user(Role.MANAGER)).post(
        f"/risk/{alert.pk}/acknowledge/", {"comment": "ok", "next": "https://evil.example/"}
    )

    assert response["Location"] == "/risk/"


def test_filters(
    alert: Alert, customer: Customer, other_customer: Customer, make_user: Callable[..., User]
) -> None:
    auditor = client_for(make_user(Role.AUDITOR))

    def shown(query: str) -> bool:
        return REASON_ZH in auditor.get("/risk/" + query).content.decode()

    assert shown(f"?kind=duplicate_reference&status=open&customer={customer.pk}")
    assert not shown("?kind=large_amount")
    assert not shown("?status=acknowledged")
    assert not shown(f"?customer={other_customer.pk}")


def test_the_customer_page_shows_its_alerts(
    alert: Alert, customer: Customer, other_customer: Customer, make_user: Callable[..., User]
) -> None:
    auditor = client_for(make_user(Role.AUDITOR))

    assert REASON_ZH in auditor.get(f"/customers/{customer.pk}/").content.decode()
    assert "risk-alerts" not in auditor.get(f"/customers/{other_customer.pk}/").content.decode()


def test_check_again_is_for_preparers(alert: Alert, make_user: Callable[..., User]) -> None:
    assert client_for(make_user(Role.AUDITOR)).post("/risk/check/").status_code == 403

    response = client_for(make_user(Role.CASHIER)).post("/risk/check/", follow=True)

    assert "新增 0 条风险提示。" in response.content.decode()
    assert Alert.objects.count() == 1


def test_the_list_costs_the_same_queries_for_more_alerts(
    alert: Alert,
    customer: Customer,
    make_user: Callable[..., User],
    django_assert_num_queries: Callable[..., Any],
) -> None:
    auditor = client_for(make_user(Role.AUDITOR))
    auditor.get("/risk/")  # session and permissions warm
    with CaptureQueriesContext(connection) as one:
        auditor.get("/risk/")
    Customer.objects.filter(pk=customer.pk).update(credit_limit="1000")
    alerts_detect(customers=[customer])
    assert Alert.objects.count() == 2

    with django_assert_num_queries(len(one)):
        auditor.get("/risk/")
