"""entries_import: one transaction per file, idempotent, exact counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from duizhang.apps.accounts.roles import Role
from duizhang.apps.audit.models import AuditRecord
from duizhang.apps.ledger.models import Entry, ImportBatch
from duizhang.apps.ledger.services import entries_import
from duizhang.ingest.base import IngestError

LEDGER_ROWS = (
    "记-001,2026-07-03,128500.00,CNY,FP001,上海明远,开票,C001",
    "记-002,2026-07-15,86000.00,CNY,FP002,苏州恒通,开票,C002",
    "记-003,2026-07-28,-128500.00,CNY,B001,上海明远,收款,C001",
    "记-004,2026-08-05,45600.10,CNY,FP003,上海明远,开票,C001",
)


def test_import_assigns_customers_by_code_and_counts(ledger, customer, other_customer, csv_file):
    path = csv_file("ledger.csv", *LEDGER_ROWS)

    result = entries_import(source=ledger, path=path, uploaded_by=None)

    assert (result.already_imported, result.row_count, result.new_count) == (False, 4, 4)
    assert result.present_count == 0
    assert result.totals == {"CNY": Decimal("131600.10")}
    batch = ImportBatch.objects.get()
    assert (batch.file_name, batch.format, batch.side, batch.status) == (
        "ledger.csv",
        "canonical",
        "ours",
        "imported",
    )
    assert batch.totals == {"CNY": "131600.10"}
    assert len(batch.sha256) == 64
    rows = list(
        Entry.objects.order_by("natural_key").values_list(
            "natural_key", "customer__code", "amount", "source_line", "batch_id"
        )
    )
    assert rows == [
        ("记-001", "C001", Decimal("128500.0000"), 2, batch.pk),
        ("记-002", "C002", Decimal("86000.0000"), 3, batch.pk),
        ("记-003", "C001", Decimal("-128500.0000"), 4, batch.pk),
        ("记-004", "C001", Decimal("45600.1000"), 5, batch.pk),
    ]


def test_bad_row_writes_nothing_and_names_file_line_column_value(ledger, customer, csv_file):
    path = csv_file("ledger.csv", LEDGER_ROWS[0], "记-002,2026-07-15,86.000,00,CNY,FP002,,,C001")

    with pytest.raises(IngestError) as caught:
        entries_import(source=ledger, path=path, uploaded_by=None)

    assert (caught.value.line, caught.value.column) == (3, None)
    assert str(caught.value).startswith("ledger.csv, line 3")
    assert (ImportBatch.objects.count(), Entry.objects.count(), AuditRecord.objects.count()) == (
        0,
        0,
        0,
    )


def test_bad_amount_names_the_value(ledger, customer, csv_file):
    path = csv_file("ledger.csv", LEDGER_ROWS[0], "记-002,2026-07-15,1.2.3,CNY,FP002,,,C001")

    with pytest.raises(IngestError) as caught:
        entries_import(source=ledger, path=path, uploaded_by=None)

    assert (caught.value.line, caught.value.column, caught.value.value) == (3, "amount", "1.2.3")
    assert (ImportBatch.objects.count(), Entry.objects.count()) == (0, 0)


def test_unknown_customer_code_writes_nothing(ledger, customer, csv_file):
    path = csv_file("ledger.csv", LEDGER_ROWS[0], "记-009,2026-07-15,10.00,CNY,X,,,C999")

    with pytest.raises(IngestError) as caught:
        entries_import(source=ledger, path=path, uploaded_by=None)

    assert (caught.value.line, caught.value.column, caught.value.value) == (3, "customer", "C999")
    assert (ImportBatch.objects.count(), Entry.objects.count()) == (0, 0)


def test_amount_too_large_for_the_database_is_refused_by_row(bank, csv_file):
    path = csv_file("bank.csv", "B1,2026-07-01,12345678901234567.00,CNY,,,,")

    with pytest.raises(IngestError) as caught:
        entries_import(source=bank, path=path, uploaded_by=None)

    assert (caught.value.line, caught.value.column) == (2, "amount")
    assert Entry.objects.count() == 0


def test_same_file_twice_adds_nothing_and_says_so(ledger, customer, other_customer, csv_file):
    path = csv_file("ledger.csv", *LEDGER_ROWS)
    first = entries_import(source=ledger, path=path, uploaded_by=None)

    second = entries_import(source=ledger, path=path, uploaded_by=None)

    assert second.already_imported is True
    assert second.batch.pk == first.batch.pk
    assert (second.row_count, second.new_count, second.present_count) == (4, 0, 4)
    assert "already imported" in second.summary() and "nothing added" in second.summary()
    assert (ImportBatch.objects.count(), Entry.objects.count()) == (1, 4)


def test_overlapping_statements_add_only_new_lines(bank, csv_file):
    july = csv_file(
        "july.csv",
        "B1,2026-07-01,-100.00,CNY,,甲,,",
        "B2,2026-07-15,-200.00,CNY,,乙,,",
        "B3,2026-07-31,-300.00,CNY,,丙,,",
    )
    mid = csv_file(
        "mid.csv",
        "B2,2026-07-15,-200.00,CNY,,乙,,",
        "B3,2026-07-31,-300.00,CNY,,丙,,",
        "B4,2026-08-01,-400.00,CNY,,丁,,",
        "B5,2026-08-09,25.00,CNY,,银行,手续费,",
    )
    entries_import(source=bank, path=july, uploaded_by=None)

    result = entries_import(source=bank, path=mid, uploaded_by=None)

    assert (result.row_count, result.new_count, result.present_count) == (4, 2, 2)
    assert result.batch.status == "imported"
    assert sorted(Entry.objects.values_list("natural_key", flat=True)) == [
        "B1",
        "B2",
        "B3",
        "B4",
        "B5",
    ]
    assert list(Entry.objects.filter(natural_key="B2").values_list("batch__file_name")) == [
        ("july.csv",)
    ]
    assert Entry.objects.filter(customer__isnull=False).count() == 0  # a bank has no customer


def test_statement_wholly_inside_an_earlier_one_is_nothing_new(bank, csv_file):
    entries_import(
        source=bank,
        path=csv_file("a.csv", "B1,2026-07-01,-1.00,CNY,,,,", "B2,2026-07-02,-2.00,CNY,,,,"),
        uploaded_by=None,
    )

    result = entries_import(
        source=bank, path=csv_file("b.csv", "B2,2026-07-02,-2.00,CNY,,,,"), uploaded_by=None
    )

    assert (result.new_count, result.present_count, result.batch.status) == (0, 1, "nothing_new")
    assert Entry.objects.count() == 2


def test_customer_source_gives_its_customer_and_refuses_another(
    customer_books, other_customer, csv_file
):
    ok = csv_file("ok.csv", "M1,2026-07-03,100.00,CNY,FP001,,,", "M2,2026-07-04,5.00,CNY,,,,C001")
    entries_import(source=customer_books, path=ok, uploaded_by=None)
    assert set(Entry.objects.values_list("customer__code", flat=True)) == {"C001"}

    wrong = csv_file("wrong.csv", "M3,2026-07-05,1.00,CNY,,,,C002")
    with pytest.raises(IngestError) as caught:
        entries_import(source=customer_books, path=wrong, uploaded_by=None)
    assert (caught.value.line, caught.value.column, caught.value.value) == (2, "customer", "C002")
    assert Entry.objects.count() == 2


def test_auditor_may_not_import_and_nothing_is_written(ledger, customer, csv_file, make_user):
    path = csv_file("ledger.csv", LEDGER_ROWS[0])

    with pytest.raises(PermissionDenied):
        entries_import(source=ledger, path=path, uploaded_by=make_user(Role.AUDITOR))

    assert (ImportBatch.objects.count(), Entry.objects.count()) == (0, 0)


def test_cashier_import_is_recorded_in_the_audit_log(ledger, customer, csv_file, make_user):
    cashier = make_user(Role.CASHIER)

    result = entries_import(
        source=ledger, path=csv_file("l.csv", LEDGER_ROWS[0]), uploaded_by=cashier
    )

    record = AuditRecord.objects.get(action="import")
    assert (record.actor_name, record.target_id) == ("cashier", str(result.batch.pk))
    assert result.batch.uploaded_by == cashier


def test_entry_converts_to_the_engine_record(ledger, customer, csv_file):
    entries_import(source=ledger, path=csv_file("l.csv", LEDGER_ROWS[3]), uploaded_by=None)

    record = Entry.objects.get().to_record()

    assert (record.id, record.amount, record.customer, record.source_file) == (
        "记-004",
        Decimal("45600.1000"),
        "C001",
        "l.csv",
    )
    assert (record.source_line, record.reference, record.raw["description"]) == (2, "FP003", "开票")


def test_source_records_feed_the_engine_one_customer_at_a_time(
    ledger, customer, other_customer, csv_file
):
    from duizhang.apps.ledger.selectors import source_records

    entries_import(source=ledger, path=csv_file("l.csv", *LEDGER_ROWS), uploaded_by=None)

    mine = source_records(ledger, customer=customer)

    assert [(r.id, r.amount, r.customer) for r in mine] == [
        ("记-001", Decimal("128500.0000"), "C001"),
        ("记-003", Decimal("-128500.0000"), "C001"),
        ("记-004", Decimal("45600.1000"), "C001"),
    ]
    assert len(source_records(ledger)) == 4


def test_statement_balance_gap_is_a_warning_naming_statement_and_amount(bank):
    from tests.conftest import REPO

    sample = REPO / "tests/ingest/samples/mt940/WoLpH-mt940__jejik__ing.sta"

    result = entries_import(source=bank, path=sample, uploaded_by=None)

    gap = (
        "statement 0001234567 EUR no. 000: opening 0.00 + lines -45.59 "
        "differs from stated closing 3.47 by 49.06"
    )
    assert (result.new_count, result.batch.format, result.warnings) == (7, "mt940", [gap])
    assert result.batch.warnings == [gap]
    assert set(Entry.objects.values_list("currency", flat=True)) == {"EUR"}
