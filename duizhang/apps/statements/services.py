"""Writes for statement documents: generate (a new number or a new version), mark as sent.

Numbers read DZ-<year>-<month of the period end>-<customer code>-<sequence>, e.g.
DZ-2026-10-C001-0001. Generating again for the same customer, period and currency makes the next
version of that number; earlier versions and their files are never touched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from duizhang.apps.accounts.roles import PREPARERS, require_role
from duizhang.apps.audit.services import Actor, audit_record
from duizhang.apps.customers.models import CommunicationLog, Customer
from duizhang.apps.customers.services import communication_log_add
from duizhang.apps.statements.files import file_remove, file_write
from duizhang.apps.statements.models import DocumentStatus, StatementDocument
from duizhang.apps.statements.selectors import customer_ledger_records
from duizhang.statements import model as plain
from duizhang.statements.build import build_statement
from duizhang.statements.excel import statement_xlsx
from duizhang.statements.pdf import statement_pdf


class StatementDocumentError(Exception):
    """The statement cannot be generated or cannot move to the asked status."""


def statement_generate(
    *,
    customer: Customer,
    by: User,
    period_start: dt.date,
    period_end: dt.date,
    currency: str | None = None,
    style: str = plain.Style.BALANCE_FORWARD,
    language: str = "zh-Hans",
    receivables_only: bool = False,
    hide_reversed: bool = False,
) -> StatementDocument:
    """Build the statement from our receivables ledger, store its PDF and Excel and record it.

    The same customer, period and currency as an earlier statement → the next version of its
    number; otherwise a new number. Raises StatementDocumentError when the builder refuses
    (several currencies and none chosen, a reversed period …); nothing is stored then.
    """
    require_role(by, *PREPARERS)
    entries = customer_ledger_records(customer)
    if not currency and not entries:
        currency = customer.currency  # nothing booked yet: a zero statement in their currency
    try:
        statement = build_statement(
            entries,
            company=plain.Company(name=customer.company.name, tax_id=customer.company.uscc),
            customer=plain.Customer(code=customer.code, name=customer.name, uscc=customer.uscc),
            period_start=period_start,
            period_end=period_end,
            issued=timezone.localdate(),
            currency=currency or None,
            style=plain.Style(style),
            language=language,
            receivables_only=receivables_only,
            hide_reversed=hide_reversed,
            payment_terms_days=customer.payment_terms_days,
        )
    except plain.StatementError as error:
        raise StatementDocumentError(str(error)) from error
    written: list[str] = []
    try:
        with transaction.atomic():
            Customer.objects.select_for_update().get(pk=customer.pk)  # one numbering at a time
            number, version = _next_number(customer, statement)
            stamped = _stamped(statement, number, version)
            folder = f"statements/{customer.pk}"
            pdf_file, pdf_sha = file_write(folder, ".pdf", statement_pdf(stamped))
            written.append(pdf_file)
            xlsx_file, xlsx_sha = file_write(folder, ".xlsx", statement_xlsx(stamped))
            written.append(xlsx_file)
            document = StatementDocument.objects.create(
                company=customer.company,
                customer=customer,
                number=number,
                version=version,
                period_start=period_start,
                period_end=period_end,
                issued=stamped.issued,
                currency=stamped.currency,
                style=stamped.style.value,
                language=language,
                receivables_only=receivables_only,
                hide_reversed=hide_reversed,
                opening=stamped.opening,
                closing=stamped.closing,
                total_debit=stamped.total_debit,
                total_credit=stamped.total_credit,
                line_count=len(stamped.lines),
                lines=[_line_json(line) for line in stamped.lines],
                pdf_file=pdf_file,
                pdf_sha256=pdf_sha,
                xlsx_file=xlsx_file,
                xlsx_sha256=xlsx_sha,
                created_by=by,
            )
            audit_record(
                actor=by,
                action="statement-generate",
                customer=customer,
                target=document,
                data=_figures(document),
            )
    except BaseException:
        for relative in written:
            file_remove(relative)
        raise
    return document


def statement_mark_sent(
    *, document: StatementDocument, by: User, channel: str = CommunicationLog.Channel.EMAIL
) -> StatementDocument:
    """Draft → sent, noted in the customer's communication log. From now on the customer sees
    the document and may answer it; a change needs a new version."""
    require_role(by, *PREPARERS)
    with transaction.atomic():
        now = timezone.now()
        statement_status_move(
            document=document,
            from_status=DocumentStatus.DRAFT,
            to_status=DocumentStatus.SENT,
            actor=by,
            extra={"sent_at": now, "sent_by": by},
        )
        communication_log_add(
            customer=document.customer,
            by=by,
            channel=channel,
            direction=CommunicationLog.Direction.OUTBOUND,
            summary=f"对账单 {document.label} 已发送（{document.period_start} 至 "
            f"{document.period_end}，期末余额 {document.closing:,.2f} {document.currency}）",
        )
    return document


def statement_status_move(
    *,
    document: StatementDocument,
    from_status: str,
    to_status: str,
    actor: Actor,
    extra: dict[str, Any] | None = None,
) -> None:
    """Move the status only if it still is `from_status` (a conditional UPDATE, so two answers
    arriving at once cannot both win), and audit the move. For the confirmation services."""
    changed = StatementDocument.objects.filter(pk=document.pk, status=from_status).update(
        status=to_status, **(extra or {})
    )
    if changed != 1:
        raise StatementDocumentError(
            f"{document.label} is not {from_status} (it is {_current_status(document)})"
        )
    document.refresh_from_db()
    audit_record(
        actor=actor,
        action=f"statement-{to_status}",
        customer=document.customer,
        target=document,
        data={"number": document.number, "version": document.version, "from": from_status},
    )


def _current_status(document: StatementDocument) -> str:
    row = StatementDocument.objects.filter(pk=document.pk).values_list("status", flat=True)
    return str(row.first() or "gone")


def _next_number(customer: Customer, statement: plain.Statement) -> tuple[str, int]:
    same = (
        StatementDocument.objects.filter(
            customer=customer,
            period_start=statement.period_start,
            period_end=statement.period_end,
            currency=statement.currency,
        )
        .order_by("-version")
        .values_list("number", "version")
        .first()
    )
    if same is not None:
        return same[0], same[1] + 1
    prefix = f"DZ-{statement.period_end:%Y-%m}-{customer.code}-"
    taken = StatementDocument.objects.filter(number__startswith=prefix).values("number").distinct()
    return f"{prefix}{taken.count() + 1:04d}", 1


def _stamped(statement: plain.Statement, number: str, version: int) -> plain.Statement:
    return replace(statement, number=number, version=version)


def _line_json(line: plain.Line) -> dict[str, str]:
    return {
        "entry_id": line.entry_id,
        "date": line.date.isoformat(),
        "reference": line.reference,
        "description": line.description,
        "debit": str(line.debit),
        "credit": str(line.credit),
        "balance": str(line.balance),
    }


def _figures(document: StatementDocument) -> dict[str, Any]:
    return {
        "number": document.number,
        "version": document.version,
        "period": [document.period_start, document.period_end],
        "currency": document.currency,
        "opening": Decimal(document.opening),
        "closing": Decimal(document.closing),
        "lines": document.line_count,
        "pdf_sha256": document.pdf_sha256,
        "xlsx_sha256": document.xlsx_sha256,
        "options": {
            "style": document.style,
            "language": document.language,
            "receivables_only": document.receivables_only,
            "hide_reversed": document.hide_reversed,
        },
    }
