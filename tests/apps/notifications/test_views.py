"""The manager's pages through the test client: who may see what, the live preview, saving a
template, a failed schedule on the dashboard, deciding a message in doubt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from duizhang.apps.accounts.roles import Role
from duizhang.apps.audit.models import AuditRecord
from duizhang.apps.customers.models import Contact, Customer
from duizhang.apps.ledger.models import Source
from duizhang.apps.ledger.services import entries_import
from duizhang.apps.notifications.models import (
    OutboxMessage,
    Rule,
    RuleKind,
    ScheduleRun,
    Template,
    TemplateKind,
)
from duizhang.apps.notifications.services import notify_customer, rule_run, templates_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user: Callable[..., User]) -> Client:
    client = Client()
    client.force_login(make_user(Role.MANAGER))
    return client


@pytest.fixture
def cashier(make_user: Callable[..., User]) -> Client:
    client = Client()
    client.force_login(make_user(Role.CASHIER))
    return client


def test_only_the_manager_sees_the_dashboard_and_templates(
    manager: Client, cashier: Client
) -> None:
    for name in ("notifications:dashboard", "notifications:templates", "notifications:rule-new"):
        assert cashier.get(reverse(name)).status_code == 403
        assert manager.get(reverse(name)).status_code == 200
    assert cashier.get(reverse("notifications:log")).status_code == 200  # staff read the log
    assert Template.objects.count() == 12  # the defaults, created on first visit


def test_live_preview_renders_the_draft_for_a_real_customer(
    manager: Client, customer: Customer
) -> None:
    Contact.objects.create(customer=customer, name="王丽", email="w@example.cn", verified=True)
    url = reverse("notifications:template-preview")
    data = {
        "kind": "account",
        "language": "zh-hans",
        "customer": customer.pk,
        "subject": "{{ customer.code }}",
        "body": "{{ contact.name }} / {{ customer.name }}",
    }
    assert manager.post(url, data).json() == {
        "subject": "C001",
        "body": "王丽 / 上海明远贸易有限公司",
    }
    refused = manager.post(url, {**data, "body": "{% load static %}"}).json()
    assert refused["error"].startswith("Invalid block tag on line 1: 'load'")
    assert Template.objects.count() == 0  # a preview saves nothing


def test_saving_a_template_is_audited_and_refuses_what_does_not_compile(manager: Client) -> None:
    url = reverse("notifications:template-edit")
    data = {
        "kind": "overdue",
        "language": "en",
        "level": 30,
        "subject": "Final notice",
        "body": "{{ total_open }}",
    }
    assert manager.post(url, data).status_code == 302
    template = Template.objects.get(kind="overdue", language="en", level=30)
    assert (template.subject, template.body) == ("Final notice", "{{ total_open }}")
    assert AuditRecord.objects.filter(action="notification-template-save").count() == 1
    page = manager.post(url, {**data, "body": "{% include 'x' %}"})
    assert page.status_code == 200 and "Invalid block tag" in page.content.decode()
    template.refresh_from_db()
    assert template.body == "{{ total_open }}"


def test_a_failed_schedule_shows_on_the_dashboard(
    manager: Client, customer: Customer, ledger: Source, csv_file: Callable[..., Path]
) -> None:
    Contact.objects.create(customer=customer, name="王丽", email="w@example.cn", verified=True)
    path = csv_file("ours.csv", "1,2026-10-03,100.00,CNY,FP1,明远,开票,C001")
    entries_import(source=ledger, path=path, uploaded_by=None)
    rule = Rule.objects.create(name="月末", kind=RuleKind.STATEMENT, schedule="0 9 1 * *")
    run = rule_run(rule=rule, tick=dt.datetime(2026, 11, 1, 9, 0))  # no one to act for
    assert run is not None and run.status == ScheduleRun.Status.FAILED
    page = manager.get(reverse("notifications:dashboard")).content.decode()
    assert "names no one to issue statements on behalf of" in page
    assert "2026-11-01T09:00" in page


def test_the_manager_decides_a_message_in_doubt(
    manager: Client, cashier: Client, customer: Customer
) -> None:
    templates_ensure()
    Contact.objects.create(customer=customer, name="王丽", email="w@example.cn", verified=True)
    message = notify_customer(kind=TemplateKind.ACCOUNT, customer=customer, key="k", context={})
    assert message is not None
    OutboxMessage.objects.update(status=OutboxMessage.Status.UNKNOWN)
    url = reverse("notifications:message-resolve", args=[message.pk])
    assert cashier.post(url, {"delivered": "yes"}).status_code == 403
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.UNKNOWN
    assert manager.post(url, {"delivered": "yes"}).status_code == 302
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_rule_form_saves_levels_and_refuses_a_bad_schedule(
    manager: Client, customer: Customer, settings: Any
) -> None:
    url = reverse("notifications:rule-new")
    data = {
        "name": "逾期",
        "kind": "overdue",
        "schedule": "0 10 * * 1-5",
        "levels_text": "30，7, 14",
        "customers": [customer.pk],
        "enabled": "on",
    }
    assert manager.post(url, data).status_code == 302
    rule = Rule.objects.get()
    assert (rule.levels, list(rule.customers.all()), rule.run_as is not None) == (
        [7, 14, 30],
        [customer],
        True,
    )
    page = manager.post(url, {**data, "name": "x", "schedule": "every day"})
    assert "five fields" in page.content.decode()
    assert Rule.objects.count() == 1
