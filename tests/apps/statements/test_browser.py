"""The cashier in chromium: generate a statement, send it, open the dispute inbox, answer the
customer's dispute with an attachment and resolve it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from duizhang.apps.accounts.roles import Role
from duizhang.apps.confirmations.models import Dispute
from duizhang.apps.confirmations.services import LineDispute, statement_dispute
from duizhang.apps.statements.models import StatementDocument

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"statements-{name}.png"), full_page=True)


def test_generate_send_and_answer_a_dispute(page, log_in, booked, customer, make_user, tmp_path):
    make_user(Role.CASHIER, name="wang")
    customer_user = make_user(Role.CUSTOMER, name="customer1", customer=customer)

    log_in(page, "wang", "pw-for-tests")
    page.goto("/statements/new/")
    page.select_option("select[name=customer]", str(customer.pk))
    page.fill("input[name=period_start]", "2026-09-01")
    page.fill("input[name=period_end]", "2026-09-30")
    page.check("input[name=hide_reversed]")
    _shot(page, "new")
    page.click("#statement-form button.primary")
    page.wait_for_selector("text=已生成对账单 DZ-2026-09-C001-0001-v1。")
    document = StatementDocument.objects.get()
    assert page.url.endswith(f"/statements/{document.pk}/")
    assert page.inner_text("#closing") == "69,400.00"
    assert page.inner_text("#document-status") == "草稿"

    with page.expect_download() as download:
        page.click("#download-pdf")
    pdf = Path(download.value.path()).read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "上海明远贸易有限公司" in text and "69,400.00" in text

    page.click("#send-form button.primary")
    page.wait_for_selector("text=已标记为已发送。")
    assert page.inner_text("#document-status") == "已发送"
    _shot(page, "detail")

    # The customer disputes a line in the portal (the portal's own tests drive that page).
    document.refresh_from_db()
    dispute = statement_dispute(
        document=document,
        user=customer_user,
        name="王丽",
        comment="9 月 12 日我司付款 30,000.00，不是 28,500.00。",
        lines=[LineDispute(entry_id="记-004", comment="金额不符")],
    )

    page.goto("/disputes/")
    row = page.locator("#inbox tbody tr")
    assert row.count() == 1
    assert "等待我方" in row.inner_text()
    _shot(page, "inbox")
    page.click(f"#inbox a[href='/disputes/{dispute.pk}/']")
    page.wait_for_selector("#reply-form")
    page.fill("textarea[name=body]", "请提供 9 月 12 日的付款回单。")
    scan = tmp_path / "说明.pdf"
    scan.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.set_input_files("#reply-form input[name=attachment]", str(scan))
    page.click("#reply-form button.primary")
    page.wait_for_selector("text=消息已添加。")
    assert page.inner_text("#dispute-status") == "等待客户"
    assert page.locator("#thread li").count() == 2
    assert "说明.pdf" in page.inner_text("#thread")

    page.select_option("#resolve-form select[name=outcome]", "customer_error")
    page.fill("#resolve-form textarea[name=note]", "回单显示付款 28,500.00，客户已更正。")
    page.click("#resolve-form button.primary")
    page.wait_for_selector("text=争议已解决。")
    _shot(page, "dispute")
    dispute.refresh_from_db()
    assert (dispute.status, dispute.outcome, dispute.messages.count()) == (
        "resolved",
        "customer_error",
        2,
    )
    last = Dispute.objects.get().messages.last()
    assert last is not None
    assert last.attachments.get().name == "说明.pdf"
