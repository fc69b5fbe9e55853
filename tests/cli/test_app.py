"""`duizhang import` and `duizhang demo` against the test database."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.core.exceptions import ImproperlyConfigured

from duizhang.apps.ledger.models import Entry, ImportBatch
from duizhang.cli.main import cli
from duizhang.demo.loader import demo_load

ROWS = ("B1,2026-07-01,-100.00,CNY,,甲,,", "B2,2026-07-02,-200.50,CNY,,乙,,")


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_import_into_a_source(bank, csv_file):
    path = csv_file("july.csv", *ROWS)

    first = _run("import", str(path), "--source", "工商银行基本户")
    again = _run("import", str(path), "--source", "工商银行基本户")

    assert (first.exit_code, first.output) == (0, "july.csv: 2 lines, 2 new, 0 already present\n")
    assert again.exit_code == 0 and "already imported" in again.output
    assert (ImportBatch.objects.count(), Entry.objects.count()) == (1, 2)


def test_import_bad_file_exits_1_and_writes_nothing(bank, csv_file):
    path = csv_file("bad.csv", ROWS[0], "B2,2026-13-02,-200.50,CNY,,乙,,")

    result = _run("import", str(path), "--source", "工商银行基本户")

    assert result.exit_code == 1
    assert "bad.csv, line 3, column date: date must be YYYY-MM-DD: '2026-13-02'" in result.output
    assert "nothing was imported" in result.output
    assert (ImportBatch.objects.count(), Entry.objects.count()) == (0, 0)


def test_import_unknown_source_exits_1(bank, csv_file):
    result = _run("import", str(csv_file("x.csv", *ROWS)), "--source", "nope")

    assert result.exit_code == 1
    assert "no source named 'nope'; sources: 工商银行基本户" in result.output


@pytest.mark.django_db
def test_demo_is_idempotent_and_prints_logins():
    first = _run("demo")
    counts = {
        "batches": ImportBatch.objects.count(),
        "entries": Entry.objects.count(),
    }
    second = _run("demo")

    line = (
        "Demo data: 1 companies, 6 customers, 8 contacts, 3 sources, 3 batches, 46 entries, 6 users"
    )
    assert first.exit_code == 0 and line in first.output
    assert second.exit_code == 0 and line in second.output
    assert counts == {"batches": ImportBatch.objects.count(), "entries": Entry.objects.count()}
    assert "our_receivables.csv: 26 lines, 26 new, 0 already present" in first.output
    assert "our_receivables.csv: already imported" in second.output
    for login in ("cashier", "reviewer", "manager", "auditor", "customer1", "customer2"):
        assert f"  {login} " in first.output
    assert "duizhang-demo" in first.output


def test_demo_refuses_without_permission(settings, db):
    settings.DEMO_DATA_ALLOWED = False

    with pytest.raises(ImproperlyConfigured):
        demo_load()
    assert ImportBatch.objects.count() == 0


@pytest.mark.django_db
def test_demo_data_holds_the_story():
    from decimal import Decimal

    from django.contrib.auth.models import User

    from duizhang.apps.accounts.models import CustomerUser
    from duizhang.apps.accounts.roles import Role, user_roles
    from duizhang.apps.customers.models import Customer
    from duizhang.apps.ledger.selectors import receivable_balances

    demo_load()

    customers = list(Customer.objects.order_by("code"))
    balances = receivable_balances(customers)
    assert [balances.get(c.pk) for c in customers] == [
        [("CNY", Decimal("47615.0000"))],  # 15.00 short (bank fee) + two monthly invoices
        [("CNY", Decimal("9800.0000"))],
        [("CNY", Decimal("31250.0000"))],
        [("CNY", Decimal("7150.0000"))],  # after a 500.00 credit note
        [("CNY", Decimal("50000.0000"))],
        [("CNY", Decimal("0.0000"))],  # paid in full
    ]
    links = dict(CustomerUser.objects.values_list("user__username", "customer__code"))
    assert links == {"customer1": "C001", "customer2": "C002"}
    assert user_roles(User.objects.get(username="auditor")) == {Role.AUDITOR}


@pytest.mark.django_db
def test_manage_passes_arguments_to_django():
    result = _run("manage", "showmigrations", "ledger", "--plan")

    assert result.exit_code == 0
    assert "[X]  ledger.0001_initial" in result.output
