"""What a customer sees of its own account: every read takes the customer and filters by it.

Open items and payments come from our receivables ledger (sources of kind "ours") cleared by the
engine (核销, `duizhang.engine.clearing`), so the portal shows the same open items as the
statement and the cashier's aging.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from duizhang.apps.accounts.models import CustomerUser
from duizhang.apps.customers.models import Customer
from duizhang.apps.ledger.models import Entry, Source
from duizhang.engine.clearing import Clearing, OpenItem, clear


def portal_customer(user: AbstractBaseUser | AnonymousUser) -> Customer | None:
    """The one customer a portal login may see, or None."""
    if not user.is_authenticated:
        return None
    link = (
        CustomerUser.objects.select_related("customer", "customer__company")
        .filter(user_id=user.pk)
        .first()
    )
    return link.customer if link else None


def ledger_entries(customer: Customer) -> list[Entry]:
    """The customer's lines in our own receivables ledger, oldest first."""
    return list(
        Entry.objects.filter(customer=customer, source__kind=Source.Kind.OURS)
        .select_related("batch", "customer")
        .order_by("date", "batch_id", "source_line", "id")
    )


@dataclass(frozen=True, slots=True)
class Item:
    """An open invoice (or an unapplied payment or credit, negative) with its due date."""

    entry: Entry
    open_amount: Decimal
    due: date
    age_days: int

    @property
    def overdue_days(self) -> int:
        return max(0, self.age_days - (self.due - self.entry.date).days)


@dataclass(frozen=True, slots=True)
class Settled:
    invoice: Entry
    amount: Decimal


@dataclass(slots=True)
class Payment:
    """A payment or credit from the customer and the invoices the clearing applied it to."""

    entry: Entry
    settled: list[Settled] = field(default_factory=list)

    @property
    def paid(self) -> Decimal:
        return -self.entry.amount

    @property
    def unapplied(self) -> Decimal:
        return self.paid - sum((part.amount for part in self.settled), Decimal(0))


@dataclass(frozen=True, slots=True)
class Account:
    customer: Customer
    as_of: date
    balances: list[tuple[str, Decimal]]  # (currency, balance) by currency
    open_items: list[Item]
    payments: list[Payment]  # newest first

    @property
    def overdue(self) -> list[tuple[str, Decimal]]:
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for item in self.open_items:
            if item.overdue_days > 0 and item.open_amount > 0:
                totals[item.entry.currency] += item.open_amount
        return sorted(totals.items())


def customer_account(customer: Customer, *, as_of: date | None = None) -> Account:
    """Balance, open items and payment history of one customer, from two queries."""
    entries = ledger_entries(customer)
    today = as_of or date.today()
    by_id = {entry.natural_key: entry for entry in entries}
    clearings: list[Clearing] = []
    for currency in sorted({entry.currency for entry in entries}):
        records = [entry.to_record() for entry in entries if entry.currency == currency]
        clearings.append(clear(records, as_of=today))
    terms = timedelta(days=customer.payment_terms_days)
    items = [
        _item(by_id[item.id], item, terms)
        for clearing in clearings
        for item in clearing.open_items
        if item.id in by_id
    ]
    payments = {entry.natural_key: Payment(entry) for entry in entries if entry.amount < 0}
    for clearing in clearings:
        for application in clearing.applications:
            payments[application.payment_id].settled.append(
                Settled(by_id[application.invoice_id], application.amount)
            )
    balances: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        balances[entry.currency] += entry.amount
    return Account(
        customer=customer,
        as_of=today,
        balances=sorted(balances.items()),
        open_items=sorted(items, key=lambda item: (item.entry.date, item.entry.pk)),
        payments=sorted(payments.values(), key=lambda p: (p.entry.date, p.entry.pk), reverse=True),
    )


def _item(entry: Entry, item: OpenItem, terms: timedelta) -> Item:
    due = entry.date + terms if item.open_amount > 0 else entry.date
    return Item(entry=entry, open_amount=item.open_amount, due=due, age_days=item.age_days)
