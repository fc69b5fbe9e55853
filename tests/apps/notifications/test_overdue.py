"""Overdue reminders in levels: one consolidated email per customer, what is left of each item."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from duizhang.apps.accounts.roles import Role
from duizhang.apps.customers.models import Contact, Customer
from duizhang.apps.ledger.models import Source
from duizhang.apps.ledger.services import entries_import
from duizhang.apps.notifications.models import OutboxMessage, Rule, RuleKind, TemplateKind
from duizhang.apps.notifications.services import (
    NotificationError,
    rule_run,
    rule_save,
    template_save,
    templates_ensure,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule(customer: Customer, ledger: Source, csv_file: Callable[..., Path], make_user: Any) -> Rule:
    templates_ensure()
    Contact.objects.create(customer=customer, name="王丽", email="wl@example.cn", verified=True)
    entries_import(
        source=ledger,
        uploaded_by=None,
        path=csv_file(
            "ours.csv",
            "1,2026-09-01,1000.00,CNY,FP1,明远,开票,C001",
            "2,2026-09-20,500.00,CNY,FP2,明远,开票,C001",
            "3,2026-10-05,-400.00,CNY,FP1,明远,收款,C001",
            "4,2026-09-02,300.00,CNY,FP3,明远,开票,C001",
            "5,2026-09-25,-300.00,CNY,FP3,明远,收款,C001",
        ),
    )
    manager = make_user(Role.MANAGER)
    template_save(
        by=manager,
        kind=TemplateKind.OVERDUE,
        language="zh-hans",
        level=14,
        subject="第二次提醒：{{ total_open }}",
        body="{% for item in items %}{{ item.reference }} {{ item.open }}/{{ item.original }};{% endfor %}",
    )
    return rule_save(
        by=manager,
        rule=Rule(name="逾期", kind=RuleKind.OVERDUE, schedule="0 9 * * *", levels=[30, 7, 14]),
        customers=[customer],
    )


def run(rule: Rule, day: str) -> list[OutboxMessage]:
    done = rule_run(rule=rule, tick=dt.datetime.fromisoformat(f"{day}T09:00"))
    assert done is not None
    return list(done.messages.all())


def test_levels_consolidated_and_never_repeated(rule: Rule) -> None:
    assert rule.levels == [7, 14, 30]
    assert run(rule, "2026-10-05") == []  # FP1 due 10-01: 4 days, below the first level
    [first] = run(rule, "2026-10-10")  # FP1 9 days over; FP3 was paid; FP2 not due
    assert first.subject == "付款提醒：上海明远贸易有限公司 逾期款项 CNY 600.00"
    assert (
        "FP1  开票 2026-09-01  到期 2026-10-01  逾期 9 天  未付 600.00（原金额 1,000.00）"
        in first.body
    )
    assert "FP2" not in first.body and "FP3" not in first.body
    assert run(rule, "2026-10-11") == []  # nothing reached a new level

    [second] = run(rule, "2026-10-28")  # FP1 at 27 days (level 14), FP2 at 8 days (level 7)
    assert second.subject == "第二次提醒：1,100.00"
    assert second.body == "FP1 600.00/1,000.00;FP2 500.00/500.00;"
    assert OutboxMessage.objects.count() == 2


def test_opted_out_contacts_get_no_reminder(rule: Rule, customer: Customer) -> None:
    customer.contacts.update(reminders_opt_out=True)
    assert run(rule, "2026-10-10") == []
    assert rule.runs.get().skipped == ["C001: no contact accepts reminders"]


def test_a_manager_only_saves_templates_that_compile(make_user: Any) -> None:
    manager = make_user(Role.MANAGER, "m2")
    with pytest.raises(NotificationError, match="load"):
        template_save(
            by=manager, kind="overdue", language="en", level=0, subject="x", body="{% load i18n %}"
        )
    with pytest.raises(NotificationError, match="five fields"):
        rule_save(by=manager, rule=Rule(name="bad", kind=RuleKind.DIGEST, schedule="0 9 * *"))
