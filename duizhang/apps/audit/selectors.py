"""Reading the audit log: the filtered list the auditor browses, and the chain check."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet

from duizhang.apps.audit.chain import VerifyResult, verify_chain
from duizhang.apps.audit.models import AuditHead, AuditRecord


@contextmanager
def consistent_read() -> Iterator[None]:
    """One transaction that sees a single snapshot of the whole database, however long it reads.

    PostgreSQL needs REPEATABLE READ for that (its default only fixes each statement); SQLite's
    read transaction is a snapshot already. Inside a caller's transaction the caller decides.
    """
    if connection.in_atomic_block:
        with transaction.atomic():
            yield
        return
    connection.close_if_health_check_failed()  # its query must not open the transaction
    connection.ensure_connection()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def audit_head_keys() -> list[str]:
    return [str(settings.SECRET_KEY), *map(str, getattr(settings, "SECRET_KEY_FALLBACKS", []))]


def audit_chain_verify() -> VerifyResult:
    """Recompute the whole chain from the database, in one snapshot so appends made meanwhile
    cannot look like tampering."""
    with consistent_read():
        head = AuditHead.objects.filter(pk=AuditHead.ROW).first()
        records = (
            record.to_plain()
            for record in AuditRecord.objects.order_by("seq").iterator(chunk_size=2000)
        )
        return verify_chain(records, head.to_plain() if head else None, keys=audit_head_keys())


def audit_records_filtered(
    *,
    user: str = "",
    customer: str = "",
    action: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditRecord]:
    """Newest first. `user` and `customer` match exactly, as stored (user name, customer code)."""
    records = AuditRecord.objects.order_by("-seq")
    if user:
        records = records.filter(actor_name=user)
    if customer:
        records = records.filter(customer=customer)
    if action:
        records = records.filter(action=action)
    if since:
        records = records.filter(at__date__gte=since)
    if until:
        records = records.filter(at__date__lte=until)
    return records


def audit_filter_choices() -> dict[str, list[str]]:
    """The users, customers and actions that occur in the log, for the filter's choices."""
    columns = {"user": "actor_name", "customer": "customer", "action": "action"}
    return {
        name: list(
            AuditRecord.objects.exclude(**{column: ""})
            .order_by(column)
            .values_list(column, flat=True)
            .distinct()
        )
        for name, column in columns.items()
    }
