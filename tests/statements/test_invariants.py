"""The balance invariants on any ledger, not only the worked example."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from duizhang.engine.records import Entry
from duizhang.statements.model import AGING_BUCKETS
from tests.statements.conftest import build

START = date(2026, 1, 1)
amounts = st.integers(min_value=-500_000, max_value=500_000).map(
    lambda cents: Decimal(cents).scaleb(-2)
)
rows = st.lists(
    st.tuples(st.integers(0, 180), amounts, st.sampled_from(["", "A", "B", "C"])), max_size=40
)


def _ledger(drawn: list[tuple[int, Decimal, str]]) -> list[Entry]:
    return [
        Entry(id=f"e{index}", date=START + timedelta(days=day), amount=amount, reference=reference)
        for index, (day, amount, reference) in enumerate(drawn)
    ]


@settings(max_examples=150, deadline=None)
@given(rows, st.booleans())
def test_balances_add_up(drawn: list[tuple[int, Decimal, str]], hide_reversed: bool) -> None:
    ledger = _ledger(drawn)
    statement = build(ledger, hide_reversed=hide_reversed)
    start, end = statement.period_start, statement.period_end
    assert statement.opening == sum((e.amount for e in ledger if e.date < start), Decimal(0))
    in_period = sum((e.amount for e in ledger if start <= e.date <= end), Decimal(0))
    assert statement.closing == statement.opening + in_period
    balance = statement.opening
    for line in statement.lines:
        balance += line.debit - line.credit
        assert line.balance == balance
    assert statement.closing == statement.opening + statement.total_debit - statement.total_credit
    assert sum(statement.aging) == statement.closing
    assert len(statement.aging) == len(AGING_BUCKETS)
    assert all(item.open != 0 and item.age_days >= 0 for item in statement.open_items)
    assert all(item.date <= end for item in statement.open_items)
