"""The database itself refuses what would break the ledger, whatever code writes to it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, transaction

from duizhang.apps.customers.models import Customer
from duizhang.apps.ledger.models import Entry, ImportBatch, Source


def _batch(source: Source, sha: str = "a" * 64) -> ImportBatch:
    return ImportBatch.objects.create(
        source=source,
        file_name="f.csv",
        sha256=sha,
        format="canonical",
        side="bank",
        row_count=1,
        new_count=1,
        present_count=0,
    )


def _entry(source: Source, batch: ImportBatch, key: str = "B1", currency: str = "CNY") -> Entry:
    return Entry.objects.create(
        source=source,
        batch=batch,
        natural_key=key,
        date=date(2026, 7, 1),
        amount=Decimal("-100.00"),
        currency=currency,
        source_line=2,
    )


def _refused(create) -> None:
    # PostgreSQL refuses an over-long value as DataError (varchar length) before any CHECK runs.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        create()


def test_duplicate_natural_key_in_one_source_is_refused(bank):
    batch = _batch(bank)
    _entry(bank, batch)

    _refused(lambda: _entry(bank, batch))

    assert Entry.objects.count() == 1


def test_same_natural_key_in_another_source_is_fine(bank, company):
    other = Source.objects.create(company=company, kind="bank", name="建设银行")
    _entry(bank, _batch(bank))

    _entry(other, _batch(other))

    assert Entry.objects.count() == 2


def test_same_file_twice_into_one_source_is_refused(bank):
    _batch(bank)

    _refused(lambda: _batch(bank))

    assert ImportBatch.objects.count() == 1


def test_batch_counts_must_add_up(bank):
    _refused(
        lambda: ImportBatch.objects.create(
            source=bank,
            file_name="f.csv",
            sha256="b" * 64,
            format="canonical",
            side="bank",
            row_count=3,
            new_count=1,
            present_count=1,
        )
    )


@pytest.mark.parametrize("currency", ["cny", "CN", "C1Y", "12A", "CNYY"])
def test_currency_must_be_three_capital_letters(bank, currency):
    batch = _batch(bank)

    _refused(lambda: _entry(bank, batch, currency=currency))

    assert Entry.objects.count() == 0


def test_zero_amounts_are_allowed(bank):
    entry = _entry(bank, _batch(bank))
    Entry.objects.filter(pk=entry.pk).update(amount=Decimal(0))

    assert Entry.objects.get().amount == 0


def test_credit_limit_cannot_be_negative(company):
    _refused(
        lambda: Customer.objects.create(
            company=company, code="C9", name="x", credit_limit=Decimal("-0.01")
        )
    )


def test_customer_code_unique_per_company(company, customer):
    _refused(lambda: Customer.objects.create(company=company, code="C001", name="again"))


def test_customer_ledger_source_needs_a_customer(company):
    _refused(lambda: Source.objects.create(company=company, kind="customer", name="客户账"))


def test_source_names_unique_among_shared_sources(company, bank):
    _refused(lambda: Source.objects.create(company=company, kind="bank", name=bank.name))
