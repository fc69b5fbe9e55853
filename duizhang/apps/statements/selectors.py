"""Reads of statement documents. Functions named `customer_…` take the customer first and never
return another customer's rows: the portal calls them with the logged-in user's customer."""

from __future__ import annotations

from django.db.models import QuerySet

from duizhang.apps.customers.models import Customer
from duizhang.apps.ledger.models import Source
from duizhang.apps.ledger.selectors import customer_sources, source_records
from duizhang.apps.statements.files import file_read
from duizhang.apps.statements.models import DocumentStatus, StatementDocument
from duizhang.engine import records


def customer_ledger_records(customer: Customer) -> list[records.Entry]:
    """The customer's entries in our own receivables ledger(s), as the engine's records."""
    ours = customer_sources(customer).filter(kind=Source.Kind.OURS)
    return [entry for source in ours for entry in source_records(source, customer=customer)]


def statement_document_list(*, customer: Customer | None = None) -> QuerySet[StatementDocument]:
    """Every version, newest period first (staff pages)."""
    documents = StatementDocument.objects.select_related("customer", "created_by", "sent_by")
    if customer is not None:
        documents = documents.filter(customer=customer)
    return documents.order_by("-period_end", "-number", "-version")


def customer_statements(customer: Customer) -> QuerySet[StatementDocument]:
    """What the customer may see: the versions sent to them (never drafts), newest first."""
    return (
        StatementDocument.objects.filter(customer=customer)
        .exclude(status=DocumentStatus.DRAFT)
        .order_by("-period_end", "-number", "-version")
    )


def customer_statement(customer: Customer, pk: int) -> StatementDocument | None:
    return customer_statements(customer).filter(pk=pk).first()


def customer_latest_statement(customer: Customer) -> StatementDocument | None:
    return customer_statements(customer).order_by("-sent_at", "-pk").first()


def statement_versions(document: StatementDocument) -> QuerySet[StatementDocument]:
    """Every version of the document's number, newest first."""
    return StatementDocument.objects.filter(
        customer=document.customer_id, number=document.number
    ).order_by("-version")


def statement_is_latest(document: StatementDocument) -> bool:
    return not statement_versions(document).filter(version__gt=document.version).exists()


def statement_document_pdf(document: StatementDocument) -> bytes:
    """The PDF exactly as stored when this version was generated (digest checked)."""
    return file_read(document.pdf_file, document.pdf_sha256)


def statement_document_xlsx(document: StatementDocument) -> bytes:
    return file_read(document.xlsx_file, document.xlsx_sha256)


def statement_document_filename(document: StatementDocument, extension: str) -> str:
    return f"{document.label}.{extension}"
