"""Writes to the ledger. Every import is one transaction: all of a file, or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from duizhang.apps.accounts.roles import PREPARERS, require_role
from duizhang.apps.audit.services import Action, acting_user, audit_record
from duizhang.apps.ledger.models import Entry, ImportBatch, Source
from duizhang.apps.ledger.reading import ReadFile, file_sha256, present_keys, read_for_source
from duizhang.apps.risk.services import alerts_detect_for_batch
from duizhang.engine.records import Side
from duizhang.ingest.base import Skipped
from duizhang.ingest.tables import ColumnMapping


@dataclass(slots=True)
class ImportResult:
    """What an import did. `already_imported` means this very file was imported before (into
    `batch`) and nothing was added; otherwise `batch` is the new batch."""

    batch: ImportBatch
    already_imported: bool
    row_count: int
    new_count: int
    present_count: int
    totals: dict[str, Decimal]
    warnings: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def summary(self) -> str:
        name = self.batch.file_name
        if self.already_imported:
            return (
                f"{name}: already imported on {timezone.localtime(self.batch.created_at):%Y-%m-%d %H:%M} "
                f"(batch {self.batch.pk}); nothing added"
            )
        return (
            f"{name}: {self.row_count} lines, {self.new_count} new, "
            f"{self.present_count} already present"
        )


def entries_import(
    *,
    source: Source,
    path: Path,
    uploaded_by: User | None,
    format: str = "auto",
    side: Side | None = None,
    mapping: ColumnMapping | None = None,
    file_name: str = "",
) -> ImportResult:
    """Import one file into `source`.

    Raises `IngestError` (file, line, column, value) on bad input, having written nothing.
    `uploaded_by` None is the command-line operator, who holds the database already; any web or
    API caller passes its user and must be a preparer (cashier or manager). A column `mapping`
    that imports a file becomes the source's saved mapping, in the same transaction.
    """
    if uploaded_by is not None:
        require_role(uploaded_by, *PREPARERS)
    name = file_name or path.name
    earlier = ImportBatch.objects.filter(source=source, sha256=file_sha256(path)).first()
    if earlier is not None:
        return _already_imported(earlier)
    read = read_for_source(source, path, format=format, side=side, mapping=mapping)
    try:
        with transaction.atomic():
            return _write(source, read, name, uploaded_by)
    except IntegrityError:
        # Someone imported the same file at the same moment: theirs won, ours adds nothing.
        earlier = ImportBatch.objects.filter(source=source, sha256=read.sha256).first()
        if earlier is None:
            raise
        return _already_imported(earlier)


def _write(source: Source, read: ReadFile, name: str, uploaded_by: User | None) -> ImportResult:
    Source.objects.select_for_update().filter(pk=source.pk).first()  # one import per source at once
    present = present_keys(source, (entry.id for entry in read.entries))
    new = [
        (entry, customer)
        for entry, customer in zip(read.entries, read.customers, strict=True)
        if entry.id not in present
    ]
    loaded = read.loaded
    totals = read.totals()
    batch = ImportBatch.objects.create(
        source=source,
        file_name=name,
        sha256=read.sha256,
        format=loaded.format,
        side=loaded.side.value,
        uploaded_by=uploaded_by,
        row_count=len(read.entries),
        new_count=len(new),
        present_count=len(present),
        totals={currency: str(amount) for currency, amount in totals.items()},
        status=ImportBatch.Status.IMPORTED if new else ImportBatch.Status.NOTHING_NEW,
        warnings=loaded.warnings,
        skipped=[
            {"line": item.line, "reason": item.reason, "text": item.text} for item in loaded.skipped
        ],
        mapping=read.mapping.to_dict() if read.mapping else None,
    )
    if batch.mapping is not None and source.mapping_preset != batch.mapping:
        Source.objects.filter(pk=source.pk).update(mapping_preset=batch.mapping)
        source.mapping_preset = batch.mapping
    Entry.objects.bulk_create(
        [
            Entry.from_record(entry, source=source, batch=batch, customer=customer)
            for entry, customer in new
        ],
        batch_size=500,
    )
    alerts_detect_for_batch(batch=batch)  # same transaction: a failed import raises none
    audit_record(
        actor=uploaded_by or acting_user(),
        action=Action.IMPORT,
        customer=source.customer,
        target=batch,
        data={
            "source": source.name,
            "file": name,
            "sha256": read.sha256,
            "format": loaded.format,
            "lines": batch.row_count,
            "new": batch.new_count,
            "present": batch.present_count,
            "totals": batch.totals,
        },
    )
    return ImportResult(
        batch=batch,
        already_imported=False,
        row_count=batch.row_count,
        new_count=batch.new_count,
        present_count=batch.present_count,
        totals=totals,
        warnings=loaded.warnings,
        skipped=loaded.skipped,
    )


def _already_imported(batch: ImportBatch) -> ImportResult:
    return ImportResult(
        batch=batch,
        already_imported=True,
        row_count=batch.row_count,
        new_count=0,
        present_count=batch.row_count,
        totals={currency: Decimal(amount) for currency, amount in batch.totals.items()},
    )
