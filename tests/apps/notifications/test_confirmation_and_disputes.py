"""Reminders while a statement awaits confirmation; nothing reminded for disputed items."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from duizhang.apps.accounts.roles import Role
from duizhang.apps.confirmations.services import LineDispute, dispute_open, statement_confirm
from duizhang.apps.customers.models import Contact, Customer
from duizhang.apps.ledger.models import Source
from duizhang.apps.ledger.services import entries_import
from duizhang.apps.notifications.models import OutboxMessage, Rule, RuleKind
from duizhang.apps.notifications.services import rule_run, rule_save, templates_ensure
from duizhang.apps.statements.links import statement_link_read
from duizhang.apps.statements.models import StatementDocument
from duizhang.apps.statements.services import statement_generate, statement_mark_sent

pytestmark = pytest.mark.django_db

SENT = dt.datetime(2026, 11, 2, 10, 0)


@pytest.fixture
def sent(
    customer: Customer, ledger: Source, csv_file: Callable[..., Path], make_user: Any
) -> StatementDocument:
    templates_ensure()
    Contact.objects.create(
        customer=customer, name="David", email="d@example.cn", verified=True, language="en"
    )
    entries_import(
        source=ledger,
        uploaded_by=None,
        path=csv_file(
            "ours.csv",
            "1,2026-09-01,1000.00,CNY,FP1,明远,开票,C001",
            "2,2026-09-05,800.00,CNY,FP2,明远,开票,C001",
        ),
    )
    cashier = make_user(Role.CASHIER)
    document = statement_generate(
        customer=customer,
        by=cashier,
        period_start=dt.date(2026, 9, 1),
        period_end=dt.date(2026, 10, 31),
    )
    statement_mark_sent(document=document, by=cashier)
    StatementDocument.objects.filter(pk=document.pk).update(sent_at=timezone.make_aware(SENT))
    document.refresh_from_db()
    return document


def rule_of(kind: str, levels: list[int], make_user: Any) -> Rule:
    return rule_save(
        by=make_user(Role.MANAGER),
        rule=Rule(name=kind, kind=kind, schedule="0 9 * * *", levels=levels),
    )


def run(rule: Rule, day: str) -> list[OutboxMessage]:
    done = rule_run(rule=rule, tick=dt.datetime.fromisoformat(f"{day}T09:00"))
    assert done is not None
    return list(done.messages.all())


def test_reminders_while_a_statement_awaits_confirmation(
    sent: StatementDocument, make_user: Any
) -> None:
    rule = rule_of(RuleKind.CONFIRMATION, [7, 14], make_user)
    assert run(rule, "2026-11-08") == []  # six days
    [first] = run(rule, "2026-11-09")
    assert first.subject == f"Reminder: please confirm statement {sent.label}"
    assert "sent on 2026-11-02" in first.body
    [token] = re.findall(r"/portal/link/(\S+)/", first.body)
    assert statement_link_read(token)[0] == sent
    assert run(rule, "2026-11-10") == []
    assert len(run(rule, "2026-11-16")) == 1  # the second level

    statement_confirm(document=sent, name="David", contact=sent.customer.contacts.get())
    assert run(rule, "2026-12-30") == []  # answered: no more reminders


def test_no_overdue_reminder_for_a_disputed_item(sent: StatementDocument, make_user: Any) -> None:
    fp2 = next(line for line in sent.lines if line["reference"] == "FP2")
    dispute_open(
        document=sent,
        body="FP2 was cancelled",
        lines=[LineDispute(entry_id=fp2["entry_id"])],
        user=make_user(Role.CASHIER, "c2"),
    )
    rule = rule_of(RuleKind.OVERDUE, [7], make_user)
    [message] = run(rule, "2026-11-20")
    assert "FP1" in message.body and "FP2" not in message.body
    assert message.subject == "Payment reminder: CNY 1,000.00 overdue"
