"""The whole workflow in chromium: log in, create, the background run finishes, review, match by
hand with a comment, submit, approve as the reviewer, download the Excel and the PDF."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from duizhang.apps.accounts.roles import Role
from duizhang.apps.reconciliations.models import MatchGroup, Reconciliation, Status

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


@pytest.fixture
def _threads(settings, transactional_db) -> None:
    settings.TASKS_RUNNER = "thread"  # the run really happens outside the request


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"reconciliation-{name}.png"), full_page=True)


def test_prepare_review_approve_and_export(
    page, log_in, imported, customer, make_user, _threads, tmp_path
):
    ours, theirs = imported
    make_user(Role.CASHIER, name="wang")
    make_user(Role.REVIEWER, name="li")

    log_in(page, "wang", "pw-for-tests")
    page.goto("/reconciliations/new/")
    page.select_option("select[name=customer]", str(customer.pk))
    page.select_option("select[name=ours]", str(ours.pk))
    page.select_option("select[name=theirs]", str(theirs.pk))
    page.fill("input[name=period_end]", "2026-09-30")
    page.click("form button.primary")

    # The run finishes in the background; the page polls and reloads itself.
    page.wait_for_selector("#run", state="detached", timeout=60_000)
    recon = Reconciliation.objects.get()
    assert page.url.endswith(f"/reconciliations/{recon.pk}/")
    assert page.locator("tr[data-row]").count() == 6
    _shot(page, "unmatched")

    # Select 记-004 and 付-004 with the keyboard: j moves, x selects; the running difference shows.
    keys = [page.locator("tr[data-row] td.key").nth(i).inner_text() for i in range(6)]
    for index in range(keys.index("付-004") + 1):
        page.keyboard.press("j")
        if keys[index] in ("记-004", "付-004"):
            page.keyboard.press("x")
    assert page.inner_text("#sel-count") == "2"
    assert page.inner_text("#sel-diff") == "600.00"
    page.keyboard.press("m")  # no comment yet: m puts the cursor in the comment box
    page.keyboard.type("王丽确认：差额 600.00 为现金折扣")
    page.keyboard.press("Escape")
    with page.expect_navigation():
        page.keyboard.press("m")
    page.wait_for_selector("text=已手工匹配为 H0001。")
    group = MatchGroup.objects.get(reconciliation=recon, label="H0001")
    assert group.comment == "王丽确认：差额 600.00 为现金折扣"
    assert sorted(group.lines.values_list("entry__natural_key", flat=True)) == ["付-004", "记-004"]

    page.goto(f"/reconciliations/{recon.pk}/?view=matched")
    _shot(page, "matched")
    page.goto(f"/reconciliations/{recon.pk}/?view=statement")
    page.click("#submit-review")
    page.wait_for_selector("text=已提交复核。")
    _shot(page, "statement")

    page.click("form[action='/logout/'] button")
    log_in(page, "li", "pw-for-tests")
    page.goto(f"/reconciliations/{recon.pk}/?view=statement")
    page.fill(".workflow input[name=comment]", "已核对")
    page.click("#approve")
    page.wait_for_selector("text=复核通过，对账已锁定。")
    recon.refresh_from_db()
    assert recon.reviewed_by is not None
    assert (recon.status, recon.reviewed_by.username) == (Status.APPROVED, "li")
    _shot(page, "approved")

    with page.expect_download() as excel:
        page.click("#export-xlsx")
    assert excel.value.suggested_filename == "reconciliation-C001-20260930.xlsx"
    workbook = load_workbook(io.BytesIO(Path(excel.value.path()).read_bytes()))
    assert workbook.sheetnames[1:] == ["已匹配", "差异", "未匹配", "调整分录"]
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert ("调节后余额", 8800, 8800) in rows
    with page.expect_download() as pdf:
        page.click("#export-pdf")
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(Path(pdf.value.path()).read_bytes())).pages
    )
    assert "上海明远贸易有限公司" in text
    assert "调节后余额 8,800.00 8,800.00" in text
