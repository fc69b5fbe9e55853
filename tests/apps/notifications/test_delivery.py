"""The sender against a real SMTP server: retries, refusals, recovery after a crash, the send
window, who is written to."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from duizhang.apps.accounts.roles import Role
from duizhang.apps.customers.models import CommunicationLog, Contact, Customer
from duizhang.apps.notifications.delivery import deliver_due
from duizhang.apps.notifications.models import DeliveryAttempt, OutboxMessage, TemplateKind
from duizhang.apps.notifications.services import (
    NotificationError,
    message_resolve,
    notify_customer,
    recipients,
)
from tests.apps.notifications.conftest import Sink, free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts(customer: Customer) -> dict[str, Contact]:
    def add(name: str, email: str, **fields: Any) -> Contact:
        return Contact.objects.create(customer=customer, name=name, email=email, **fields)

    return {
        "wang": add("王丽", "wangli@example.cn", verified=True),
        "opted": add("Li", "li@example.cn", verified=True, reminders_opt_out=True, language="en"),
        "unverified": add("Zhao", "zhao@example.cn", verified=False),
        "no-email": add("Sun", "", verified=True),
    }


@pytest.fixture
def queued(customer: Customer, contacts: dict[str, Contact]) -> OutboxMessage:
    message = notify_customer(
        kind=TemplateKind.ACCOUNT,
        customer=customer,
        key="welcome-1",
        context={"subject": "账户已开通", "text": "欢迎使用。", "link": "https://x.example/p"},
    )
    assert message is not None
    return message


def test_required_documents_reach_every_verified_contact_reminders_skip_opt_outs(
    customer: Customer, contacts: dict[str, Contact]
) -> None:
    assert recipients(customer, TemplateKind.STATEMENT) == [contacts["wang"], contacts["opted"]]
    assert recipients(customer, TemplateKind.OVERDUE) == [contacts["wang"]]


def test_an_event_queues_one_message_and_a_second_time_nothing(
    customer: Customer, queued: OutboxMessage
) -> None:
    assert queued.to == ["wangli@example.cn", "li@example.cn"]
    assert (queued.language, queued.subject) == (
        "zh-hans",
        "杭州云帆科技有限公司 客户门户：账户已开通",
    )
    assert queued.body.startswith("王丽，您好：\n\n欢迎使用。\n\nhttps://x.example/p\n")
    again = notify_customer(
        kind=TemplateKind.ACCOUNT, customer=customer, key="welcome-1", context={}
    )
    assert again is None
    assert OutboxMessage.objects.count() == 1


def test_mail_server_down_then_back_sends_once(
    settings: Any, mail_to: Sink, queued: OutboxMessage
) -> None:
    settings.EMAIL_PORT = free_port()  # nobody listens
    report = deliver_due()
    assert (report.sent, report.retried) == (0, 1)
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (OutboxMessage.Status.QUEUED, 1)
    assert queued.next_attempt_at > timezone.now() + dt.timedelta(seconds=50)  # backoff
    assert "ConnectionRefusedError" in queued.last_error
    assert deliver_due().retried == 0  # not due yet: nothing tried

    settings.EMAIL_PORT = mail_to.port
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert deliver_due().sent == 1
    assert deliver_due().sent == 0
    assert len(mail_to.received) == 1
    [received] = mail_to.received
    assert received.message["Message-ID"] == queued.message_id
    assert [attempt.outcome for attempt in queued.tries.all()] == ["retry", "sent"]
    assert queued.tries.last().answer.startswith("250 ")  # type: ignore[union-attr]


def test_a_refusal_fails_with_the_servers_answer(mail_to: Sink, queued: OutboxMessage) -> None:
    mail_to.refuse_with = "550 5.1.1 mailbox unavailable"
    report = deliver_due()
    assert (report.sent, report.failed) == (0, 1)
    queued.refresh_from_db()
    assert queued.status == OutboxMessage.Status.FAILED
    assert queued.last_error == "550 5.1.1 mailbox unavailable"
    note = CommunicationLog.objects.get(customer=queued.customer)
    assert note.summary.startswith("Email failed: ")


def test_a_message_stuck_before_hand_over_is_sent_again_after_its_lease(
    mail_to: Sink, queued: OutboxMessage
) -> None:
    OutboxMessage.objects.update(
        status=OutboxMessage.Status.SENDING, lease_until=timezone.now() - dt.timedelta(seconds=1)
    )
    report = deliver_due()
    assert (report.requeued, report.sent) == (1, 1)
    assert len(mail_to.received) == 1


def test_a_message_stuck_after_hand_over_is_left_for_a_manager(
    mail_to: Sink, queued: OutboxMessage, make_user: Any
) -> None:
    OutboxMessage.objects.update(
        status=OutboxMessage.Status.SENDING,
        handed_over_at=timezone.now(),
        lease_until=timezone.now() - dt.timedelta(seconds=1),
    )
    report = deliver_due()
    assert (report.unknown, report.sent) == (1, 0)
    assert mail_to.received == []
    queued.refresh_from_db()
    assert queued.status == OutboxMessage.Status.UNKNOWN

    cashier: User = make_user(Role.CASHIER)
    with pytest.raises(PermissionDenied):
        message_resolve(message=queued, by=cashier, delivered=False)
    manager: User = make_user(Role.MANAGER)
    message_resolve(message=queued, by=manager, delivered=False)
    assert deliver_due().sent == 1
    assert mail_to.received[0].message["Message-ID"] == queued.message_id
    with pytest.raises(NotificationError):
        message_resolve(message=queued, by=manager, delivered=True)  # it is sent now


def test_nothing_goes_out_outside_the_send_window(
    settings: Any, mail_to: Sink, queued: OutboxMessage
) -> None:
    now = timezone.localtime()
    start = (now + dt.timedelta(hours=1)).strftime("%H:%M")
    end = (now + dt.timedelta(hours=2)).strftime("%H:%M")
    settings.NOTIFY_SEND_WINDOW = f"{start}-{end}"
    report = deliver_due()
    assert report.waiting == f"outside the send window {start}-{end}"
    assert mail_to.received == []
    settings.NOTIFY_SEND_WINDOW = f"{now:%H}:00-{(now + dt.timedelta(hours=1)):%H}:00"
    assert deliver_due().sent == 1


def test_no_mail_server_configured_keeps_messages_queued(
    settings: Any, queued: OutboxMessage
) -> None:
    settings.EMAIL_CONFIGURED = False
    assert deliver_due().waiting == "no mail server configured (EMAIL_URL)"
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (OutboxMessage.Status.QUEUED, 0)
    assert DeliveryAttempt.objects.count() == 0
