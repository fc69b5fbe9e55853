"""Fixtures for the customers, ledger, accounts and web tests: one company, two customers, the
three kinds of source, users by role, and canonical CSV files written on the fly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from duizhang.apps.accounts.models import CustomerUser
from duizhang.apps.accounts.roles import Role, role_group
from duizhang.apps.customers.models import Company, Customer
from duizhang.apps.ledger.models import Source

HEADER = "id,date,amount,currency,reference,counterparty,description,customer"


@pytest.fixture
def company(db: None) -> Company:
    return Company.objects.create(name="杭州云帆科技有限公司")


@pytest.fixture
def customer(company: Company) -> Customer:
    return Customer.objects.create(company=company, code="C001", name="上海明远贸易有限公司")


@pytest.fixture
def other_customer(company: Company) -> Customer:
    return Customer.objects.create(company=company, code="C002", name="苏州恒通电子有限公司")


@pytest.fixture
def ledger(company: Company) -> Source:
    """Our receivables ledger for all customers: lines name their customer by code."""
    return Source.objects.create(company=company, kind=Source.Kind.OURS, name="应收账款明细账")


@pytest.fixture
def bank(company: Company) -> Source:
    return Source.objects.create(company=company, kind=Source.Kind.BANK, name="工商银行基本户")


@pytest.fixture
def customer_books(customer: Customer) -> Source:
    return Source.objects.create(
        company=customer.company, kind=Source.Kind.CUSTOMER, name="明远应付账款", customer=customer
    )


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(role: Role, name: str = "", customer: Customer | None = None) -> User:
        user = User.objects.create_user(name or role.value, password="pw-for-tests")
        user.groups.add(role_group(role))
        if customer is not None:
            CustomerUser.objects.create(user=user, customer=customer)
        return user

    return make


@pytest.fixture
def csv_file(tmp_path: Path) -> Callable[..., Path]:
    """Write a canonical CSV: `csv_file("name.csv", "id,date,amount,…", …)`."""

    def write(name: str, *rows: str) -> Path:
        path = tmp_path / name
        path.write_text("\n".join((HEADER, *rows)) + "\n", encoding="utf-8")
        return path

    return write
