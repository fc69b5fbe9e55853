"""Invariants that hold for any input: every entry once, differences add up, the statement agrees,
and the Entry API and the canonical-CSV fast path give the same result."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duizhang.engine.frames import read_canonical_frame
from duizhang.engine.match import _as_result, match, match_frames
from duizhang.engine.options import MatchOptions
from duizhang.engine.records import Entry
from duizhang.ingest.canonical import canonical_text

AMOUNTS = st.sampled_from(
    [
        "-100.00",
        "-250.50",
        "-350.50",
        "-600.00",
        "-1000.00",
        "-999.99",
        "-15.00",
        "120.00",
        "-1234.5678",
    ]
)
REFERENCES = st.sampled_from(["", "INV-2026-000001", "000001", "FP2", "INV-2026-000003", "x-9"])
NAMES = st.sampled_from(["", "上海宏达机械有限公司", "宏达机械", "北京恒通电子有限公司"])


@st.composite
def ledgers(draw: st.DrawFn, prefix: str) -> list[Entry]:
    count = draw(st.integers(0, 12))
    return [
        Entry(
            id=f"{prefix}{n}",
            date=date(2026, 10, 1) + timedelta(days=draw(st.integers(0, 30))),
            amount=Decimal(draw(AMOUNTS)),
            reference=draw(REFERENCES),
            counterparty=draw(NAMES),
            customer=draw(st.sampled_from(["", "C1", "C2"])),
            currency=draw(st.sampled_from(["CNY", "CNY", "USD"])),
        )
        for n in range(count)
    ]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(left=ledgers("L"), right=ledgers("R"))
def test_every_entry_once_differences_add_up_and_the_statement_agrees(
    left: list[Entry], right: list[Entry]
) -> None:
    result = match(left, right, MatchOptions(period_end=date(2026, 10, 31)))
    seen_left = [i for g in result.groups for i in g.left_ids] + [
        u.id for u in result.unmatched if u.side == "left"
    ]
    seen_right = [i for g in result.groups for i in g.right_ids] + [
        u.id for u in result.unmatched if u.side == "right"
    ]
    assert sorted(seen_left) == sorted(e.id for e in left)
    assert sorted(seen_right) == sorted(e.id for e in right)
    amounts = {("L", e.id): e.amount for e in left} | {("R", e.id): e.amount for e in right}
    for group in result.groups:
        total_left = sum((amounts["L", i] for i in group.left_ids), Decimal(0))
        total_right = sum((amounts["R", i] for i in group.right_ids), Decimal(0))
        assert group.difference == total_left - total_right
        assert len(group.left_ids) == 1 or len(group.right_ids) == 1
    assert all(statement.agrees for statement in result.statements)
    assert result.summary["agrees"] is True
    open_ids = {(u.side, u.id) for u in result.unmatched}
    for suggestion in result.suggestions:
        assert all(("left", i) in open_ids for i in suggestion.left_ids)
        assert all(("right", i) in open_ids for i in suggestion.right_ids)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(left=ledgers("L"), right=ledgers("R"))
def test_the_csv_fast_path_and_the_entry_api_agree(
    tmp_path: Path, left: list[Entry], right: list[Entry]
) -> None:
    options = MatchOptions(period_end=date(2026, 10, 31))
    (tmp_path / "l.csv").write_text(canonical_text(left), encoding="utf-8")
    (tmp_path / "r.csv").write_text(canonical_text(right), encoding="utf-8")
    fast = match_frames(
        read_canonical_frame(tmp_path / "l.csv"), read_canonical_frame(tmp_path / "r.csv"), options
    )
    assert _as_result(fast) == match(left, right, options)
