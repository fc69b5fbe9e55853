"""The month-end statement run on the demo data, delivered to a real SMTP server."""

from __future__ import annotations

import datetime as dt
import re
from email.message import EmailMessage

import pytest
from pypdf import PdfReader

from duizhang.apps.customers.models import CommunicationLog
from duizhang.apps.notifications.delivery import deliver_due
from duizhang.apps.notifications.models import OutboxMessage, Rule, ScheduleRun
from duizhang.apps.notifications.services import rule_run, schedules_run_due
from duizhang.apps.statements.links import statement_link_read
from duizhang.apps.statements.models import DocumentStatus
from duizhang.demo.loader import demo_load
from tests.apps.notifications.conftest import Sink

pytestmark = pytest.mark.django_db


def plain_text(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert isinstance(text, str)
    return text


@pytest.fixture
def demo(db: None) -> Rule:
    demo_load()
    return Rule.objects.get(name="月末对账单")


def test_month_end_run_one_message_per_customer_with_something_due(
    demo: Rule, mail_to: Sink
) -> None:
    [run] = schedules_run_due(now=dt.datetime(2026, 11, 29, 4, 45))  # the other rules are off
    assert (run.rule, run.period, run.status, run.queued) == (
        demo,
        "2026-11-01T09:00",
        ScheduleRun.Status.SUCCEEDED,
        4,
    )
    assert run.skipped == ["C002: nothing due"]  # C006 is inactive, never considered
    report = deliver_due()
    assert (report.sent, report.failed, report.retried) == (4, 0, 0)

    by_recipient = {item.recipients[0]: item.message for item in mail_to.received}
    assert sorted(by_recipient) == [
        "grace.lin@lvyuan.example.cn",  # C004: the verified contact, English
        "liuyang@bochuang.example.cn",
        "wangli@mingyuan.example.cn",  # C001: David Chen is not verified, so not written to
        "zhangmin@hailian.example.cn",
    ]
    english = by_recipient["grace.lin@lvyuan.example.cn"]
    assert english["Subject"].strip() == "杭州云帆科技有限公司 statement 2026-10-01 to 2026-10-31"
    assert english["Content-Language"] == "en"
    body = plain_text(english)
    assert "杭州绿源食品有限公司 owes us CNY 7,150.00" in body
    assert "FP2026000010  2026-09-30  due 2026-10-30  original 7,650.00  open 7,150.00" in body

    chinese = by_recipient["liuyang@bochuang.example.cn"]
    assert (
        chinese["Subject"].strip() == "杭州云帆科技有限公司 对账单（2026年10月1日至2026年10月31日）"
    )
    assert chinese["Content-Language"] == "zh-hans"
    text = plain_text(chinese)
    assert "刘洋，您好" in text and "尚欠我司 CNY 110,000.00" in text

    for recipient, message in by_recipient.items():
        [attachment] = list(message.iter_attachments())
        filename = attachment.get_filename()
        assert filename is not None
        assert re.fullmatch(r"DZ-2026-10-C00\d-0001-v\d+\.pdf", filename)
        pdf = PdfReader(__import__("io").BytesIO(attachment.get_content()))
        assert len(pdf.pages) >= 1
        [link] = re.findall(r"http://\S+/portal/link/(\S+)/", plain_text(message))
        document, contact = statement_link_read(link)
        assert contact.email == recipient
        assert document.status == DocumentStatus.SENT
        assert attachment.get_filename() == f"{document.label}.pdf"

    sent_notes = CommunicationLog.objects.filter(summary__startswith="Email sent:")
    assert sorted(note.customer.code for note in sent_notes) == ["C001", "C003", "C004", "C005"]


def test_running_the_same_month_end_again_sends_nothing(demo: Rule, mail_to: Sink) -> None:
    tick = dt.datetime(2026, 11, 1, 9, 0)
    assert rule_run(rule=demo, tick=tick) is not None
    assert deliver_due().sent == 4
    assert rule_run(rule=demo, tick=tick) is None
    assert schedules_run_due(now=dt.datetime(2026, 11, 29, 4, 45)) == []
    assert deliver_due().sent == 0
    assert len(mail_to.received) == 4
    assert OutboxMessage.objects.count() == 4
    assert ScheduleRun.objects.count() == 1


def test_a_failing_run_is_recorded_as_failed_and_queues_nothing(demo: Rule) -> None:
    demo.run_as = None
    demo.save()
    run = rule_run(rule=demo, tick=dt.datetime(2026, 11, 1, 9, 0))
    assert run is not None and run.status == ScheduleRun.Status.FAILED
    assert (
        run.error
        == "NotificationError: rule 月末对账单 names no one to issue statements on behalf of"
    )
    assert OutboxMessage.objects.count() == 0
