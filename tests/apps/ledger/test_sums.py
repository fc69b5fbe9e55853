from decimal import Decimal

import pytest

from duizhang.apps.ledger.models import Entry
from duizhang.apps.ledger.selectors import receivable_balances
from duizhang.apps.ledger.services import entries_import

pytestmark = pytest.mark.django_db

# 0.1 + 0.2 is 0.30000000000000004 in floating point; ten thousand of them drift visibly.
ROWS = [f"L{n},2026-10-05,{'0.1' if n % 2 else '0.2'},CNY,,,,C001" for n in range(10_000)]


def test_balances_add_up_to_the_cent_however_many_lines(ledger, customer, csv_file) -> None:
    entries_import(source=ledger, path=csv_file("ours.csv", *ROWS), uploaded_by=None)

    assert Entry.objects.count() == 10_000
    assert receivable_balances([customer])[customer.pk] == [("CNY", Decimal("1500.0000"))]
