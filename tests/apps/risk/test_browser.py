"""In chromium: the manager sees the open alerts in the navigation, opens the list, and
acknowledges one with a comment."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from duizhang.apps.accounts.roles import Role
from duizhang.apps.customers.models import Customer
from duizhang.apps.ledger.models import Source
from duizhang.apps.ledger.services import entries_import
from duizhang.apps.risk.models import Alert

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"risk-{name}.png"), full_page=True)


def test_manager_acknowledges_an_alert(
    page: Any,
    live_server: Any,
    log_in: Callable[[Any, str, str], None],
    ledger: Source,
    bank: Source,
    customer: Customer,
    make_user: Callable[..., User],
    csv_file: Callable[..., Path],
) -> None:
    Customer.objects.filter(pk=customer.pk).update(credit_limit=Decimal("100000"))
    invoices = csv_file(
        "ledger.csv",
        "V1,2026-07-03,60000.00,CNY,FP2026000001,,开票：云服务器年度服务费,C001",
        "V2,2026-07-05,45600.00,CNY,FP2026000002,,开票：数据分析平台实施费,C001",
        "V3,2026-07-09,45600.00,CNY,FP2026000002,,开票：数据分析平台实施费,C001",
    )
    receipts = csv_file("bank.csv", "B1,2026-07-26,-8000.00,CNY,S1,赵红,货款,C001")
    entries_import(source=ledger, path=invoices, uploaded_by=None)
    entries_import(source=bank, path=receipts, uploaded_by=None)
    assert Alert.objects.filter(status="open").count() == 3
    make_user(Role.MANAGER, name="zhou")

    # the browser asks for English; the cashier's office uses the Chinese default
    page.context.add_cookies(
        [{"name": "django_language", "value": "zh-hans", "url": live_server.url}]
    )
    log_in(page, "zhou", "pw-for-tests")
    badge = page.locator("a.risk-nav")
    assert badge.inner_text() == "风险提示 3"
    badge.click()
    page.wait_for_url("**/risk/")
    rows = page.locator("tr.alert-row")
    assert rows.count() == 3
    _shot(page, "list")

    duplicate = Alert.objects.get(kind="duplicate_reference")
    row = page.locator(f"#alert-{duplicate.pk}")
    assert "单据号 FP2026000002 在同一来源中出现 2 次" in row.inner_text()
    row.locator("input[name=comment]").fill("第二张为重复录入，已红冲")
    row.locator("button", has_text="确认").click()
    page.wait_for_selector("p.message.success")

    assert page.locator("p.message.success").inner_text() == "已确认风险提示。"
    assert page.locator("tr.alert-row").count() == 2
    assert page.locator("a.risk-nav").inner_text() == "风险提示 2"
    stored = Alert.objects.get(pk=duplicate.pk)
    assert stored.acknowledged_by is not None
    assert (stored.status, stored.acknowledged_by.username, stored.comment) == (
        "acknowledged",
        "zhou",
        "第二张为重复录入，已红冲",
    )

    page.goto(f"/customers/{customer.pk}/")
    assert page.locator("table.risk-alerts tr.alert-row").count() == 3
    _shot(page, "customer")
