"""The pages over HTTP: who may do what (403 and nothing changed), the review lists, the status
endpoint and the two exports read back."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from duizhang.apps.accounts.roles import Role
from duizhang.apps.audit.models import AuditRecord
from duizhang.apps.reconciliations.models import (
    Line,
    MatchGroup,
    Reconciliation,
    Resolution,
    Suggestion,
)
from duizhang.apps.reconciliations.services import (
    difference_resolve,
    lines_match,
    reconciliation_approve,
    reconciliation_submit,
)
from tests.apps.reconciliations.conftest import line_of


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _state(recon: Reconciliation) -> tuple:
    """Everything a write could change, to compare before and after a refused request."""
    fresh = Reconciliation.objects.get(pk=recon.pk)
    return (
        fresh.status,
        fresh.run_number,
        fresh.submission,
        sorted(MatchGroup.objects.filter(reconciliation=recon).values_list("label", flat=True)),
        sorted(
            Line.objects.filter(reconciliation=recon).values_list("entry_id", "group_id", "reason")
        ),
        sorted(Suggestion.objects.filter(reconciliation=recon).values_list("label", "state")),
        Resolution.objects.count(),
        AuditRecord.objects.count(),
    )


def _posts(recon: Reconciliation) -> dict[str, tuple[str, dict]]:
    group = MatchGroup.objects.get(reconciliation=recon, label="M00001")
    suggestion = Suggestion.objects.get(reconciliation=recon, label="S00001")
    base = f"/reconciliations/{recon.pk}"
    pair = [line_of(recon, "记-004").pk, line_of(recon, "付-004").pk]
    return {
        "match": (f"{base}/match/", {"line": pair, "comment": "手续费"}),
        "unmatch": (f"{base}/groups/{group.pk}/unmatch/", {"comment": "x"}),
        "accept": (f"{base}/suggestions/{suggestion.pk}/accept/", {"comment": "x"}),
        "reject": (f"{base}/suggestions/{suggestion.pk}/reject/", {"comment": "x"}),
        "resolve": (
            f"{base}/resolve/",
            {"line": line_of(recon, "记-005").pk, "kind": "timing", "comment": "x"},
        ),
        "run": (f"{base}/run/", {}),
        "submit": (f"{base}/submit/", {}),
        "approve": (f"{base}/review/approve/", {}),
        "return": (f"{base}/review/return/", {"comment": "x"}),
        "reopen": (f"{base}/reopen/", {"comment": "x"}),
    }


PREPARING = ("match", "unmatch", "accept", "reject", "resolve", "run", "submit")


@pytest.mark.parametrize(
    ("role", "refused"),
    [
        (Role.AUDITOR, (*PREPARING, "approve", "return", "reopen")),
        (Role.REVIEWER, (*PREPARING, "reopen")),
        (Role.CASHIER, ("approve", "return", "reopen")),
        (Role.MANAGER, ("approve", "return")),
    ],
)
def test_each_role_is_refused_what_it_may_not_do(recon, users, role, refused):
    client = _client(users[role])
    posts = _posts(recon)
    before = _state(recon)

    for name in refused:
        url, data = posts[name]
        assert client.post(url, data).status_code == 403, name

    assert _state(recon) == before


def test_a_customer_portal_user_sees_nothing(recon, make_user, customer):
    client = _client(make_user(Role.CUSTOMER, name="portal", customer=customer))
    before = _state(recon)

    for url in (
        "/reconciliations/",
        f"/reconciliations/{recon.pk}/",
        f"/reconciliations/{recon.pk}/status.json",
        f"/reconciliations/{recon.pk}/export.pdf",
    ):
        assert client.get(url).status_code == 403, url
    url, data = _posts(recon)["match"]
    assert client.post(url, data).status_code == 403
    assert _state(recon) == before


def test_anonymous_is_sent_to_login(recon):
    response = Client().get(f"/reconciliations/{recon.pk}/")
    assert (response.status_code, response["Location"]) == (
        302,
        f"/login/?next=/reconciliations/{recon.pk}/",
    )


def test_unknown_things_are_404(recon, users):
    client = _client(users[Role.CASHIER])
    assert client.get("/reconciliations/999999/").status_code == 404
    assert client.post("/reconciliations/999999/match/", {"comment": "x"}).status_code == 404
    assert client.get(f"/reconciliations/{recon.pk}/export.csv").status_code == 404
    assert client.post(f"/reconciliations/{recon.pk}/review/maybe/").status_code in (403, 404)


def test_an_auditor_reads_every_tab_and_sees_no_forms(recon, users):
    client = _client(users[Role.AUDITOR])
    for tab in ("unmatched", "matched", "differences", "suggestions", "statement", "history"):
        page = client.get(f"/reconciliations/{recon.pk}/?view={tab}")
        assert page.status_code == 200, tab
        assert 'method="post"' not in page.content.decode().split("<main>")[1], tab


def test_match_by_hand_over_http_then_locked_after_approval(recon, users):
    cashier = _client(users[Role.CASHIER])
    url, data = _posts(recon)["match"]

    response = cashier.post(url, data)

    assert response.status_code == 302
    group = MatchGroup.objects.get(reconciliation=recon, origin="manual")
    assert (group.label, group.difference, group.comment) == (
        "H0001",
        Decimal("600.0000"),
        "手续费",
    )
    assert "已手工匹配为 H0001。" in cashier.get(response["Location"]).content.decode()

    reconciliation_submit(reconciliation=recon, by=users[Role.CASHIER])
    reconciliation_approve(reconciliation=recon, by=users[Role.REVIEWER])
    before = _state(recon)
    url, data = _posts(recon)["resolve"]
    response = cashier.post(url, data, follow=True)
    assert "已复核的对账已锁定，需由经理重新打开。" in response.content.decode()
    assert _state(recon) == before


def test_a_match_without_comment_is_refused_with_a_message(recon, users):
    client = _client(users[Role.CASHIER])
    url, data = _posts(recon)["match"]
    before = _state(recon)

    response = client.post(url, {**data, "comment": ""}, follow=True)

    assert "每项手工处理都必须填写备注。" in response.content.decode()
    assert _state(recon) == before


def test_create_over_http_runs_in_the_background(
    imported, customer, users, django_capture_on_commit_callbacks
):
    ours, theirs = imported
    client = _client(users[Role.CASHIER])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/reconciliations/new/",
            {
                "customer": customer.pk,
                "ours": ours.pk,
                "theirs": theirs.pk,
                "period_end": "2026-09-30",
            },
        )
    recon = Reconciliation.objects.get()
    assert response["Location"] == f"/reconciliations/{recon.pk}/"
    status = client.get(f"/reconciliations/{recon.pk}/status.json").json()
    assert status == {
        "state": "done",
        "progress": 100,
        "step": "done",
        "error": "",
        "finished": True,
        "status": "draft",
    }
    assert (recon.period_start, recon.period_end, recon.prepared_by) == (
        None,
        date(2026, 9, 30),
        users[Role.CASHIER],
    )


def test_status_while_queued(recon, users):
    Reconciliation.objects.filter(pk=recon.pk).update(
        run_state="running", run_progress=30, run_step="matching"
    )
    client = _client(users[Role.AUDITOR])

    status = client.get(f"/reconciliations/{recon.pk}/status.json").json()
    page = client.get(f"/reconciliations/{recon.pk}/").content.decode()

    assert (status["state"], status["progress"], status["finished"]) == ("running", 30, False)
    assert 'id="run"' in page and 'data-running="1"' in page and 'max="100" value="30"' in page


def test_review_lists_filter_and_paginate(recon, users):
    client = _client(users[Role.CASHIER])

    theirs_only = client.get(f"/reconciliations/{recon.pk}/?view=unmatched&side=right").context[
        "page"
    ]
    found = client.get(f"/reconciliations/{recon.pk}/?view=unmatched&q=45000").context["page"]
    groups = client.get(f"/reconciliations/{recon.pk}/?view=matched&q=FP006").context["rows"]
    suggestions = client.get(f"/reconciliations/{recon.pk}/?view=suggestions").context[
        "suggestions"
    ]

    assert [line.entry.natural_key for line in theirs_only] == ["付-004", "付-005"]
    assert [line.entry.natural_key for line in found] == ["记-004"]
    assert [
        (group.label, [line.entry.natural_key for line in lines]) for group, lines in groups
    ] == [("M00002", ["记-003", "付-003"])]
    assert [(s.label, [line.entry.natural_key for line in lines]) for s, lines in suggestions] == [
        ("S00001", ["记-007", "付-005"]),
        ("S00002", ["记-008", "付-005"]),
    ]


def test_the_review_page_documents_its_keys(recon, users):
    page = _client(users[Role.CASHIER]).get(f"/reconciliations/{recon.pk}/").content.decode()
    for key in ("j", "k", "x", "m", "/", "?"):
        assert f"<kbd>{key}</kbd>" in page
    assert page.count('form="match-form"') == 6  # one checkbox per unmatched line


@pytest.fixture
def explained(recon, users) -> Reconciliation:
    cashier = users[Role.CASHIER]
    group = lines_match(
        reconciliation=recon,
        by=cashier,
        line_ids=[line_of(recon, "记-004").pk, line_of(recon, "付-004").pk],
        comment="差额 600.00",
    )
    difference_resolve(
        reconciliation=recon,
        by=cashier,
        group_id=group.pk,
        kind="our_error",
        comment="少记折让",
        adjustment_text="补记销售折让",
    )
    difference_resolve(
        reconciliation=recon,
        by=cashier,
        line_id=line_of(recon, "记-005").pk,
        kind="timing",
        comment="客户 10 月入账",
    )
    return recon


def test_excel_export_reads_back(explained, users):
    response = _client(users[Role.AUDITOR]).get(f"/reconciliations/{explained.pk}/export.xlsx")

    assert (
        response["Content-Disposition"]
        == 'attachment; filename="reconciliation-C001-20260930.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["概览", "已匹配", "差异", "未匹配", "调整分录"]
    summary = [tuple(row) for row in book["概览"].iter_rows(values_only=True)]
    assert summary[0][0] == "余额调节表"
    assert ("客户", "上海明远贸易有限公司（C001）", None) in summary
    assert ("账面余额", 14400, -5000) in summary
    assert ("加：对方已记、我方未记", -5000, None) in summary
    assert ("加：我方已记、对方未记", None, 13800) in summary
    assert ("减：已匹配组内差额", -600, None) in summary
    assert ("调节后余额", 8800, 8800) in summary
    matched = list(book["已匹配"].iter_rows(values_only=True))
    assert matched[0][:3] == ("组", "规则", "匹配依据")
    assert len(matched) == 1 + 2 * 4  # four groups of two lines
    differences = list(book["差异"].iter_rows(values_only=True))
    assert [row[0] for row in differences[1:]] == ["H0001", None]
    assert differences[1][9:11] == (600, "我方差错")
    unmatched = list(book["未匹配"].iter_rows(values_only=True))
    assert len(unmatched) == 1 + 4
    assert ("我方", "记-005", 23800, "时间性差异", "客户 10 月入账") in {
        (row[0], row[2], row[5], row[8], row[9]) for row in unmatched[1:]
    }
    adjustments = list(book["调整分录"].iter_rows(values_only=True))
    assert adjustments[1][:3] == ("H0001", -600, "补记销售折让")
    balance = next(row for row in book["概览"].iter_rows() if row[0].value == "账面余额")
    assert (balance[1].number_format, balance[2].number_format) == ("#,##0.00", "#,##0.00")


def test_pdf_export_names_the_customer_and_the_adjusted_balances(explained, users):
    response = _client(users[Role.AUDITOR]).get(f"/reconciliations/{explained.pk}/export.pdf")

    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "上海明远贸易有限公司" in text
    assert "调节后余额 8,800.00 8,800.00" in text
    assert "调节后余额相符。" in text
    assert "补记销售折让" in text
