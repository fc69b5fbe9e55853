"""The customer's overview, open items and payments: figures from our ledger and the clearing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from duizhang.apps.portal.selectors import customer_account


def test_account_from_the_ledger_and_the_clearing(booked, customer):
    account = customer_account(customer, as_of=date(2026, 10, 31))

    assert account.balances == [("CNY", Decimal("69400.0000"))]
    # ICBC001 names FP001 (100,000.00 of it); ICBC005 goes oldest first: FP001's last 28,500.00
    assert [
        (i.entry.reference, i.open_amount, i.due, i.overdue_days) for i in account.open_items
    ] == [
        ("FP006", Decimal("45600.00"), date(2026, 10, 5), 26),
        ("FP008", Decimal("23800.00"), date(2026, 10, 18), 13),
    ]
    assert [
        (
            p.entry.reference,
            p.paid,
            [(s.invoice.reference, s.amount) for s in p.settled],
            p.unapplied,
        )
        for p in account.payments
    ] == [
        ("ICBC005", Decimal("28500.0000"), [("FP001", Decimal("28500.00"))], Decimal("0.0000")),
        ("ICBC001", Decimal("100000.0000"), [("FP001", Decimal("100000.00"))], Decimal("0.0000")),
    ]
    assert account.overdue == [("CNY", Decimal("69400.00"))]


def test_pages_show_only_the_customers_own_figures(booked, customer1, client_for):
    client = client_for(customer1)

    home = client.get("/portal/").content.decode()
    items = client.get("/portal/open-items/").content.decode()
    payments = client.get("/portal/payments/").content.decode()

    assert "69,400.00 CNY" in home and "上海明远贸易有限公司" in home
    assert "FP006" in items and "45,600.00 CNY" in items and "FP003" not in items
    assert "ICBC005" in payments and "28,500.00 CNY" in payments
    for page in (home, items, payments):
        assert "苏州恒通" not in page and "86,000.00" not in page


def test_help_page_shows_how_to_reach_the_cashier(customer1, client_for, settings):
    settings.PORTAL_CASHIER = {"name": "周芳", "phone": "0571-8888 6666", "email": "", "hours": ""}

    page = client_for(customer1).get("/portal/help/").content.decode()

    assert "杭州云帆科技有限公司" in page and "周芳" in page and 'href="tel:0571-8888 6666"' in page
    assert "如何联系我们的出纳" in page
    assert '在<a href="/portal/statements/">对账单</a>页面打开对账单' in page


def test_english_on_request(booked, customer1, client_for):
    client = client_for(customer1)
    client.post("/i18n/setlang/", {"language": "en", "next": "/portal/"})

    page = client.get("/portal/").content.decode()

    assert '<html lang="en">' in page and "Your account with us" in page
    assert "贵公司往来概况" not in page
