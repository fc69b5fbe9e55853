"""In chromium, on a phone-sized screen: a customer logs in, reads the statement, downloads the
PDF and disputes a line with an attachment; the cashier sees the dispute and answers; the
customer reads the answer. A second customer, using the first one's URLs, gets 404 for all."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from duizhang.apps.confirmations.models import Attachment, Dispute
from duizhang.apps.customers.models import Customer
from duizhang.apps.statements.models import StatementDocument

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
SLIP = b"%PDF-1.4\n% bank payment slip\n%%EOF\n"


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"portal-{name}.png"), full_page=True)


@pytest.fixture
def open_tab(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """A new browser context (its own cookies) in Chinese, phone-sized unless told otherwise."""
    contexts: list[Any] = []

    def open_(viewport: dict[str, int] = PHONE) -> Any:
        context = browser.new_context(
            base_url=live_server.url, accept_downloads=True, viewport=viewport
        )
        context.set_default_timeout(15_000)
        context.add_cookies(
            [{"name": "django_language", "value": "zh-hans", "url": live_server.url}]
        )
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def test_customer_disputes_a_line_and_the_cashier_answers(
    open_tab: Callable[..., Any],
    log_in: Callable[[Any, str, str], None],
    send_statement: Callable[[Customer], StatementDocument],
    customer: Customer,
    other_customer: Customer,
    customer1: User,
    customer2: User,
    cashier: User,
    tmp_path: Path,
) -> None:
    document = send_statement(customer)
    send_statement(other_customer)
    slip = tmp_path / "付款回单.pdf"
    slip.write_bytes(SLIP)

    phone = open_tab()
    log_in(phone, "customer1", "pw-for-tests")
    assert phone.url.endswith("/portal/")
    assert phone.locator("h1").inner_text() == "贵公司往来概况"
    _shot(phone, "home-phone")

    phone.click(f"text={document.label}")
    phone.wait_for_url(f"**/portal/statements/{document.pk}/")
    assert phone.locator("table.lines tbody tr").count() == 3
    _shot(phone, "statement-phone")

    with phone.expect_download() as download:
        phone.click("text=下载 PDF")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    assert download.value.suggested_filename == f"{document.label}.pdf"

    phone.locator("table.lines tbody tr", has_text="FP006").locator("a.dispute-line").click()
    phone.fill("input[name=subject]", "FP006 金额不符")
    phone.fill("textarea[name=body]", "合同金额为 45,000.00，请核对。")
    phone.set_input_files("input[name=attachments]", str(slip))
    phone.click("form button.primary")
    dispute = Dispute.objects.get()
    phone.wait_for_url(f"**/portal/disputes/{dispute.pk}/")
    assert "争议已提交，出纳会尽快答复。" in phone.inner_text("main")
    assert phone.locator(".attachment a").inner_text().endswith("付款回单.pdf")
    _shot(phone, "dispute-phone")

    desk = open_tab({"width": 1360, "height": 900})
    log_in(desk, "cashier", "pw-for-tests")
    desk.goto(f"/disputes/{dispute.pk}/")
    assert "合同金额为 45,000.00" in desk.inner_text("#thread")
    assert desk.locator("#thread a", has_text="付款回单.pdf").count() == 1
    desk.fill("#reply-form textarea[name=body]", "已核对：合同金额 45,600.00，附补充协议。")
    desk.click("#reply-form button.primary")
    desk.wait_for_selector("#thread li.ours")

    phone.reload()
    assert "已核对：合同金额 45,600.00" in phone.inner_text(".thread")
    _shot(phone, "dispute-answered-phone")

    other = open_tab()
    log_in(other, "customer2", "pw-for-tests")
    attachment = Attachment.objects.get()
    for url in (
        f"/portal/statements/{document.pk}/",
        f"/portal/statements/{document.pk}/download.pdf",
        f"/portal/statements/{document.pk}/dispute/?line=记-003",
        f"/portal/disputes/{dispute.pk}/",
        f"/portal/attachments/{attachment.pk}/",
    ):
        response = other.request.get(url)
        assert response.status == 404, url
        assert b"FP006" not in response.body() and SLIP not in response.body()
    other.goto("/portal/disputes/")
    assert "FP006 金额不符" not in other.inner_text("main")


def test_customer_turns_on_two_step_login_and_then_needs_the_code(
    open_tab: Callable[..., Any],
    log_in: Callable[[Any, str, str], None],
    customer1: User,
) -> None:
    phone = open_tab()
    refused: list[str] = []  # what the Content-Security-Policy blocked, from the console
    phone.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    log_in(phone, "customer1", "pw-for-tests")
    phone.click("a.who")
    phone.wait_for_url("**/account/two-factor/")
    assert phone.locator(".qr svg").count() == 1
    _shot(phone, "two-factor-phone")
    device = TOTPDevice.objects.get(user=customer1)
    phone.fill("input[name=token]", _token(device))
    phone.click("form button.primary")
    assert "两步登录已开启" in phone.inner_text("main")
    phone.click("header button.link")  # log out

    phone.goto("/login/")
    phone.fill("input[name=username]", "customer1")
    phone.fill("input[name=password]", "pw-for-tests")
    phone.click("form button.primary")
    phone.wait_for_url("**/login/token/")
    phone.fill("input[name=token]", _token(device, steps_ahead=1))
    phone.click("form button.primary")
    phone.wait_for_url("**/portal/")
    assert refused == []


def _token(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"
