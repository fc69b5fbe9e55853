"""The worked example of conftest.py, figure by figure."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from duizhang.statements.build import entries_of_customer, reversed_pairs
from duizhang.statements.model import Statement, StatementError, Style
from tests.statements.conftest import LEDGER, build, entry, march

D = Decimal


def test_opening_is_the_sum_before_the_period_and_closing_adds_the_period(
    statement: Statement,
) -> None:
    assert statement.opening == D("9000.00")  # 10,000.00 + 5,000.00 − 6,000.00
    assert [line.entry_id for line in statement.lines] == ["e4", "e5", "e6", "e7", "e8"]
    assert [line.balance for line in statement.lines] == [
        D("11345.67"),
        D("12345.67"),
        D("11345.67"),
        D("6845.67"),
        D("7645.67"),
    ]
    assert statement.total_debit == D("4145.67")
    assert statement.total_credit == D("5500.00")
    assert statement.closing == D("7645.67")
    assert statement.closing == statement.opening + statement.total_debit - statement.total_credit


def test_debits_and_credits_split_by_sign(statement: Statement) -> None:
    reversal = statement.lines[2]
    assert (reversal.reference, reversal.debit, reversal.credit) == ("INV-0305", D(0), D("1000.00"))
    invoice = statement.lines[0]
    assert (invoice.debit, invoice.credit) == (D("2345.67"), D(0))


def test_open_items_at_the_period_end_add_up_to_the_closing_balance(
    statement: Statement,
) -> None:
    # INV-1201 is paid by its own −6,000.00 and 4,000.00 of the unreferenced −4,500.00; the other
    # 500.00 goes to the next oldest, INV-0120. INV-0305 is cleared by its reversal.
    assert [(i.reference, i.original, i.open, i.age_days) for i in statement.open_items] == [
        ("INV-0120", D("5000.00"), D("4500.00"), 70),
        ("INV-0302", D("2345.67"), D("2345.67"), 29),
        ("INV-0331", D("800.00"), D("800.00"), 0),
    ]
    assert statement.open_items[0].due_date == date(2026, 2, 19)
    assert statement.aging == (D("3145.67"), D(0), D("4500.00"), D(0))
    assert sum(statement.aging) == statement.closing


def test_hidden_reversed_pair_leaves_every_balance_as_it_was() -> None:
    statement = march(hide_reversed=True)
    assert [line.entry_id for line in statement.lines] == ["e4", "e7", "e8"]
    assert [line.balance for line in statement.lines] == [
        D("11345.67"),
        D("6845.67"),
        D("7645.67"),
    ]
    assert statement.hidden_reversed == 2
    assert (statement.opening, statement.closing) == (D("9000.00"), D("7645.67"))
    assert (statement.total_debit, statement.total_credit) == (D("3145.67"), D("4500.00"))


def test_reversed_pairs_need_the_same_reference_and_the_exact_negative() -> None:
    entries = [
        entry("a", "2026-03-01", "100.00", "R1"),
        entry("b", "2026-03-02", "-100.00", "R2"),  # other reference
        entry("c", "2026-03-03", "-99.99", "R1"),  # not the exact negative
        entry("d", "2026-03-04", "100.00", ""),
        entry("e", "2026-03-05", "-100.00", ""),  # no reference: never a pair
        entry("f", "2026-03-06", "-100.00", "R1"),  # pairs with a
        entry("g", "2026-03-07", "-100.00", "R1"),  # a is taken: stays
    ]
    assert reversed_pairs(entries) == {"a", "f"}


def test_a_pair_straddling_the_period_start_is_shown() -> None:
    ledger = [
        entry("x", "2026-02-27", "500.00", "INV-X"),
        entry("y", "2026-03-03", "-500.00", "INV-X"),
    ]
    statement = build(ledger, hide_reversed=True)
    assert [line.entry_id for line in statement.lines] == ["y"]
    assert (statement.opening, statement.closing) == (D("500.00"), D(0))


def test_open_item_style_keeps_the_figures() -> None:
    statement = march(style="open-item")  # the option's text, as a command line gives it
    assert statement.style is Style.OPEN_ITEM
    assert statement.closing == D("7645.67")
    assert len(statement.open_items) == 3


def test_one_currency_per_statement() -> None:
    ledger = [*LEDGER, entry("u1", "2026-03-10", "100.00", "USD-1", currency="USD")]
    with pytest.raises(StatementError, match="CNY, USD"):
        build(ledger)
    dollars = build(ledger, currency="usd")
    assert dollars.currency == "USD"
    assert [line.entry_id for line in dollars.lines] == ["u1"]
    assert (dollars.opening, dollars.closing) == (D(0), D("100.00"))
    assert march(currency="CNY").closing == D("7645.67")


def test_receivables_only_leaves_other_accounts_out_of_every_figure() -> None:
    ledger = [
        entry("r1", "2026-02-01", "1000.00", "INV-1", account="1122.01 应收账款"),
        entry("p1", "2026-02-15", "-300.00", "ADV-1", account="2203 预收账款"),
        entry("r2", "2026-03-05", "200.00", "INV-2", account="应收账款-明远"),
        entry("o1", "2026-03-06", "50.00", "OTH-1", account="1221 其他应收款"),
        entry("n1", "2026-03-07", "-100.00", "PAY-1"),  # no account: a receivables ledger line
    ]
    everything = build(ledger)
    assert (everything.opening, everything.closing) == (D("700.00"), D("850.00"))
    receivables = build(ledger, receivables_only=True)
    assert receivables.hidden_other_accounts == 2
    assert (receivables.opening, receivables.closing) == (D("1000.00"), D("1100.00"))
    assert [line.entry_id for line in receivables.lines] == ["r2", "n1"]
    assert sum(receivables.aging) == D("1100.00")


def test_entries_of_another_customer_are_refused() -> None:
    ledger = [*LEDGER, entry("z", "2026-03-03", "1.00", "Z", customer="C999")]
    with pytest.raises(StatementError, match="C999"):
        build(ledger)


def test_entries_of_customer() -> None:
    mixed = [replace(LEDGER[0], customer="C001"), replace(LEDGER[1], customer="C002")]
    assert [e.id for e in entries_of_customer(mixed, "C001")] == ["e1"]
    assert [e.id for e in entries_of_customer(LEDGER, "C001")] == [e.id for e in LEDGER]
    assert entries_of_customer(mixed, "C003") == []


def test_an_empty_period_carries_the_balance() -> None:
    statement = build(
        LEDGER,
        period_start=date(2026, 2, 11),
        period_end=date(2026, 2, 28),
    )
    assert statement.lines == ()
    assert statement.opening == statement.closing == D("9000.00")


def test_bad_period_and_language_are_refused() -> None:
    with pytest.raises(StatementError, match="after it ends"):
        build(
            LEDGER,
            period_start=date(2026, 4, 1),
            period_end=date(2026, 3, 31),
        )
    with pytest.raises(StatementError, match="language"):
        march(language="fr")
