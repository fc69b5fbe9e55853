"""Generating, numbering, versioning and sending stored statements."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from duizhang.apps.accounts.roles import Role
from duizhang.apps.audit.models import AuditRecord
from duizhang.apps.customers.models import CommunicationLog, Customer
from duizhang.apps.statements.models import ImmutableDocumentError, StatementDocument
from duizhang.apps.statements.selectors import statement_document_pdf, statement_document_xlsx
from duizhang.apps.statements.services import (
    StatementDocumentError,
    statement_generate,
    statement_mark_sent,
)
from tests.apps.statements.conftest import SEPTEMBER, Generate


def stored_files(media: Path) -> list[Path]:
    return sorted(path for path in media.rglob("*") if path.is_file())


def test_generate_stores_figures_and_files(
    generate: Generate, customer: Customer, media: Path
) -> None:
    document = generate(customer)

    assert (document.number, document.version, document.status) == (
        "DZ-2026-09-C001-0001",
        1,
        "draft",
    )
    assert document.opening == Decimal("28500.0000")
    assert document.closing == Decimal("69400.0000")
    assert (document.total_debit, document.total_credit) == (Decimal("69400"), Decimal("28500"))
    assert document.line_count == 3
    assert [line["reference"] for line in document.lines] == ["FP006", "ICBC005", "FP008"]
    assert document.lines[1] == {
        "entry_id": "记-004",
        "date": "2026-09-12",
        "reference": "ICBC005",
        "description": "收到货款",
        "debit": "0",
        "credit": "28500.0000",
        "balance": "45600.0000",
    }
    assert len(stored_files(media)) == 2
    pdf = statement_document_pdf(document)
    assert hashlib.sha256(pdf).hexdigest() == document.pdf_sha256
    assert statement_document_xlsx(document)[:2] == b"PK"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "杭州云帆科技有限公司" in text
    assert "上海明远贸易有限公司" in text
    assert "69,400.00" in text
    assert "DZ-2026-09-C001-0001" in text


def test_pdf_has_one_row_per_line(generate: Generate, customer: Customer) -> None:
    pdf = statement_document_pdf(generate(customer))
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert [ref for ref in ("FP006", "ICBC005", "FP008", "FP001") if ref in text] == [
        "FP006",
        "ICBC005",
        "FP008",
    ]


def test_regenerate_makes_version_2_and_keeps_version_1(
    generate: Generate, customer: Customer, cashier: User, media: Path
) -> None:
    first = statement_mark_sent(document=generate(customer), by=cashier)
    first_pdf = (media / first.pdf_file).read_bytes()

    second = generate(customer, hide_reversed=True)

    assert (second.number, second.version, second.status) == (first.number, 2, "draft")
    assert second.pdf_file != first.pdf_file
    first.refresh_from_db()
    assert first.status == "sent"
    assert (media / first.pdf_file).read_bytes() == first_pdf
    assert statement_document_pdf(first) == first_pdf
    assert len(stored_files(media)) == 4


def test_numbers_count_per_customer_and_month(
    generate: Generate, customer: Customer, other_customer: Customer
) -> None:
    assert generate(other_customer).number == "DZ-2026-09-C002-0001"
    assert generate(customer).number == "DZ-2026-09-C001-0001"
    half = generate(customer, period_start=SEPTEMBER["period_start"].replace(day=16))
    assert (half.number, half.version) == ("DZ-2026-09-C001-0002", 1)


def test_a_stored_document_cannot_change(sent: StatementDocument) -> None:
    sent.closing = Decimal("1")
    with pytest.raises(ImmutableDocumentError):
        sent.save()
    with pytest.raises(ImmutableDocumentError):
        StatementDocument.objects.filter(pk=sent.pk).update(closing=Decimal("1"))
    sent.refresh_from_db()
    assert sent.closing == Decimal("69400.0000")


def test_number_and_version_are_unique_in_the_database(sent: StatementDocument) -> None:
    copy = dict(StatementDocument.objects.filter(pk=sent.pk).values().get())
    del copy["id"]
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementDocument.objects.create(**copy)


def test_mark_sent_once_with_log_and_audit(sent: StatementDocument, cashier: User) -> None:
    assert sent.status == "sent"
    assert sent.sent_by == cashier
    note = CommunicationLog.objects.get(customer=sent.customer)
    assert (note.channel, note.direction) == ("email", "out")
    assert note.summary.startswith("对账单 DZ-2026-09-C001-0001-v1 已发送")
    actions = AuditRecord.objects.filter(action__startswith="statement-")
    assert [(r.action, r.target_id) for r in actions] == [
        ("statement-generate", str(sent.pk)),
        ("statement-sent", str(sent.pk)),
    ]
    with pytest.raises(StatementDocumentError):
        statement_mark_sent(document=sent, by=cashier)
    assert CommunicationLog.objects.count() == 1


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.AUDITOR])
def test_readers_cannot_generate(
    booked: object, staff: dict[Role, User], customer: Customer, media: Path, role: Role
) -> None:
    with pytest.raises(PermissionDenied):
        statement_generate(customer=customer, by=staff[role], **SEPTEMBER)
    assert not StatementDocument.objects.exists()
    assert stored_files(media) == []


def test_customer_user_cannot_generate(
    booked: object, make_user, customer: Customer, media: Path
) -> None:
    user = make_user(Role.CUSTOMER, "c1", customer=customer)
    with pytest.raises(PermissionDenied):
        statement_generate(customer=customer, by=user, **SEPTEMBER)
    assert not StatementDocument.objects.exists()


def test_builder_refusal_stores_nothing(
    generate: Generate, customer: Customer, media: Path
) -> None:
    with pytest.raises(StatementDocumentError, match="after it ends"):
        generate(
            customer, period_start=SEPTEMBER["period_end"], period_end=SEPTEMBER["period_start"]
        )
    assert not StatementDocument.objects.exists()
    assert not AuditRecord.objects.filter(action__startswith="statement-").exists()
    assert stored_files(media) == []


def test_nothing_booked_gives_a_zero_statement_in_the_customers_currency(
    booked: object, make_user, company, cashier: User
) -> None:
    quiet = Customer.objects.create(company=company, code="C009", name="新客户", currency="USD")
    document = statement_generate(customer=quiet, by=cashier, **SEPTEMBER)
    assert (document.currency, document.opening, document.closing, document.line_count) == (
        "USD",
        Decimal(0),
        Decimal(0),
        0,
    )
