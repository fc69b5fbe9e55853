"""A customer statement (对账单) from plain entries: no database, no Django.

Invariants (tested with exact values): opening = the sum of the entries before the period,
closing = opening + the period's lines, each line's balance = the previous balance + debit −
credit, and the open items at the period end add up to the closing balance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from duizhang.engine.records import Entry
from duizhang.statements.model import (
    LANGUAGES,
    Company,
    Customer,
    Line,
    Statement,
    StatementError,
    Style,
)
from duizhang.statements.open_items import open_items

# Accounts that are receivables in the Chinese chart of accounts (企业会计准则): 1122 应收账款.
# An entry without an account is taken to be a receivable (a ledger of receivables only).
RECEIVABLE_ACCOUNTS = ("1122", "应收账款")


def build_statement(
    entries: Iterable[Entry],
    *,
    company: Company,
    customer: Customer,
    period_start: date,
    period_end: date,
    issued: date,
    currency: str | None = None,
    style: Style = Style.BALANCE_FORWARD,
    number: str = "",
    version: int = 1,
    language: str = "zh-Hans",
    receivables_only: bool = False,
    receivable_accounts: tuple[str, ...] = RECEIVABLE_ACCOUNTS,
    hide_reversed: bool = False,
    payment_terms_days: int = 30,
) -> Statement:
    """Build the statement of `customer` for the period, in one currency.

    `entries` are in the receivable view (+ raises what the customer owes) and belong to this
    customer (an empty `customer` field counts as theirs). With several currencies among them,
    `currency` must say which one; the others are left out, never added together.

    `receivables_only` leaves out the entries booked on an account that does not start with one
    of `receivable_accounts` (预收账款, 其他应收款, …) from every figure: the statement is then a
    statement of the receivable account alone. `hide_reversed` leaves out the pairs of period
    lines that cancel each other: same reference, exactly opposite amounts. Hiding them changes
    no balance; a pair that straddles the period start is shown, as its first half is already in
    the opening balance.
    """
    if period_start > period_end:
        raise StatementError(f"the period starts ({period_start}) after it ends ({period_end})")
    if language not in LANGUAGES:
        raise StatementError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    selected = list(entries)
    strangers = sorted({e.customer for e in selected if e.customer not in ("", customer.code)})
    if strangers:
        raise StatementError(
            f"entries of other customers ({', '.join(strangers)}) in the statement of {customer.code}"
        )
    chosen_currency = _currency(selected, currency)
    selected = [e for e in selected if e.currency == chosen_currency]
    hidden_accounts = 0
    if receivables_only:
        kept = [e for e in selected if _is_receivable(e, receivable_accounts)]
        hidden_accounts = len(selected) - len(kept)
        selected = kept
    booked = [e for e in selected if e.date <= period_end]
    opening = sum((e.amount for e in booked if e.date < period_start), Decimal(0))
    period = sorted((e for e in booked if e.date >= period_start), key=lambda e: e.date)
    hidden = reversed_pairs(period) if hide_reversed else set()
    lines = _lines(opening, [e for e in period if e.id not in hidden])
    closing = opening + sum((e.amount for e in period), Decimal(0))
    items = open_items(booked, as_of=period_end, terms_days=payment_terms_days)
    return Statement(
        company=company,
        customer=customer,
        number=number,
        version=version,
        issued=issued,
        period_start=period_start,
        period_end=period_end,
        currency=chosen_currency,
        style=Style(style),
        language=language,
        opening=opening,
        lines=tuple(lines),
        closing=closing,
        open_items=tuple(items),
        hidden_reversed=len(hidden),
        hidden_other_accounts=hidden_accounts,
    )


def entries_of_customer(entries: Iterable[Entry], code: str) -> list[Entry]:
    """The customer's entries from a ledger of several customers; a ledger that names no
    customer at all is taken to be one customer's ledger and is returned whole."""
    every = list(entries)
    if all(entry.customer == "" for entry in every):
        return every
    return [entry for entry in every if entry.customer == code]


def reversed_pairs(entries: Sequence[Entry]) -> set[str]:
    """Ids of the entries that pair off with an exact negative of the same reference."""
    waiting: dict[tuple[str, Decimal], list[str]] = defaultdict(list)
    hidden: set[str] = set()
    for entry in entries:
        if not entry.reference or not entry.amount:
            continue
        partner = waiting[(entry.reference, -entry.amount)]
        if partner:
            hidden.update((partner.pop(0), entry.id))
        else:
            waiting[(entry.reference, entry.amount)].append(entry.id)
    return hidden


def _currency(entries: Sequence[Entry], wanted: str | None) -> str:
    present = sorted({entry.currency for entry in entries})
    if wanted:
        return wanted.upper()
    if len(present) > 1:
        raise StatementError(
            f"the entries are in {', '.join(present)}: a statement has one currency, choose one"
        )
    return present[0] if present else "CNY"


def _is_receivable(entry: Entry, accounts: tuple[str, ...]) -> bool:
    return not entry.account or entry.account.startswith(accounts)


def _lines(opening: Decimal, entries: Sequence[Entry]) -> list[Line]:
    balance = opening
    lines = []
    for entry in entries:
        balance += entry.amount
        lines.append(
            Line(
                date=entry.date,
                reference=entry.reference,
                description=entry.description,
                debit=entry.amount if entry.amount > 0 else Decimal(0),
                credit=-entry.amount if entry.amount < 0 else Decimal(0),
                balance=balance,
                entry_id=entry.id,
            )
        )
    return lines
