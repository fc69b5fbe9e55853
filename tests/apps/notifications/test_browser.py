"""In chromium: the manager sees the month-end run on the dashboard, edits a template with the
live preview on a real customer's data, and reads the delivery log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from duizhang.apps.notifications.delivery import deliver_due
from duizhang.apps.notifications.models import Rule
from duizhang.apps.notifications.services import rule_run
from duizhang.demo.loader import PASSWORD, demo_load
from tests.apps.notifications.conftest import Sink

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"notifications-{name}.png"), full_page=True)


def test_manager_dashboard_preview_and_log(
    page: Any, log_in: Callable[[Any, str, str], None], mail_to: Sink, settings: Any
) -> None:
    settings.TASKS_RUNNER = "inline"  # the demo's reconciliation run, in this thread
    demo_load()
    rule_run(rule=Rule.objects.get(name="月末对账单"), tick=dt.datetime(2026, 11, 1, 9, 0))
    assert deliver_due().sent == 4
    log_in(page, "manager", PASSWORD)

    page.goto("/notifications/")
    rules = page.locator("table.grid").first.inner_text()
    assert "月末对账单\t月末对账单\t0 9 1 * *\t2026-11-01T09:00 · 成功 · 4 封邮件" in rules
    _shot(page, "dashboard")

    page.goto("/notifications/templates/edit/?kind=statement&language=zh-hans&level=0")
    page.select_option("#preview-customer", label="C005 南京博创软件有限公司")
    # the preview is the statement of the last month closed (in Beijing time): the demo's
    # 210,000.00 invoice less its 100,000.00 of September, and 60,000.00 more once November
    # with the payment of the 3rd is closed
    last_closed = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    closing = "50,000.00" if last_closed >= dt.date(2026, 11, 3) else "110,000.00"
    expect(page.locator("#preview-body")).to_contain_text(f"尚欠我司 CNY {closing}")
    page.fill("textarea[name=body]", "{{ customer.name }} 应付 {{ statement.closing }}")
    expect(page.locator("#preview-body")).to_have_text(f"南京博创软件有限公司 应付 {closing}")
    _shot(page, "template-preview")

    page.goto("/notifications/log/")
    assert page.locator("table.grid tbody tr").count() == 4
    _shot(page, "log")
