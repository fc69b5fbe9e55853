"""The chain check alone, without Django: build a chain by hand, damage it, name the record."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from duizhang.apps.audit.chain import (
    GENESIS,
    ChainHead,
    PlainRecord,
    Problem,
    canonical_json,
    head_mac,
    recompute_hash,
    record_hash,
    verify_chain,
)

KEY = "k"


def build(count: int) -> tuple[list[PlainRecord], ChainHead]:
    records: list[PlainRecord] = []
    prev = GENESIS
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    for seq in range(1, count + 1):
        fields = {
            "seq": seq,
            "at": start + timedelta(minutes=seq),
            "actor": "alice",
            "actor_id": 7,
            "action": "match",
            "customer": "C001",
            "target_type": "ledger.match",
            "target_id": str(seq),
            "data": canonical_json({"amount": Decimal("10.50"), "n": seq}),
            "prev_hash": prev,
        }
        digest = record_hash(**fields)  # type: ignore[arg-type]
        records.append(PlainRecord(**fields, hash=digest))  # type: ignore[arg-type]
        prev = digest
    return records, ChainHead(count, prev, head_mac(count, prev, KEY))


def test_intact_chain_verifies():
    records, head = build(5)
    result = verify_chain(records, head, keys=[KEY])
    assert result.ok and result.checked == 5 and result.seq is None


def test_empty_log_without_head_is_intact():
    assert verify_chain([], None).ok


def test_canonical_json_sorts_keys_and_keeps_decimals_as_text():
    assert canonical_json({"b": Decimal("1.50"), "a": "对账", "c": {2, 1}}) == (
        '{"a":"对账","b":"1.50","c":[1,2]}'
    )
    with pytest.raises(TypeError, match="object"):
        canonical_json({"x": object()})


def test_hash_does_not_depend_on_the_time_zone_the_moment_is_given_in():
    records, _ = build(1)
    shanghai = records[0].at.astimezone(timezone(timedelta(hours=8)))
    assert recompute_hash(dataclasses.replace(records[0], at=shanghai)) == records[0].hash


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("actor", "bob"),
        ("actor_id", 8),
        ("actor_id", None),
        ("action", "approve"),
        ("customer", "C002"),
        ("target_type", "x"),
        ("target_id", "9"),
        ("data", '{"n":3}'),
    ],
)
def test_changed_content_names_the_record(field, value):
    records, head = build(5)
    records[2] = dataclasses.replace(records[2], **{field: value})
    result = verify_chain(records, head, keys=[KEY])
    assert (result.problem, result.seq, result.checked) == (Problem.ALTERED, 3, 2)
    assert "record #3 (2026-03-01 09:03:00 UTC, " in result.message


def test_changed_time_names_the_record():
    records, head = build(3)
    records[1] = dataclasses.replace(records[1], at=records[1].at + timedelta(microseconds=1))
    assert verify_chain(records, head).seq == 2


def test_recomputed_hash_names_the_changed_record_not_its_successor():
    records, head = build(4)
    forged = dataclasses.replace(records[1], data='{"amount":"0.01"}')
    records[1] = dataclasses.replace(forged, hash=recompute_hash(forged))
    result = verify_chain(records, head)
    assert (result.problem, result.seq) == (Problem.REWRITTEN, 2)


def test_recomputed_last_record_is_caught_by_the_head():
    records, head = build(3)
    forged = dataclasses.replace(records[2], data="{}")
    records[2] = dataclasses.replace(forged, hash=recompute_hash(forged))
    result = verify_chain(records, head, keys=[KEY])
    assert (result.problem, result.seq) == (Problem.REWRITTEN, 3)


def test_removed_middle_record_is_named():
    records, head = build(5)
    del records[2]
    result = verify_chain(records, head)
    assert (result.problem, result.seq) == (Problem.REMOVED, 3)
    assert result.message == "record #3 was removed: the chain jumps from #2 to #4"


def test_removed_first_record_is_named():
    records, head = build(3)
    result = verify_chain(records[1:], head)
    assert (result.problem, result.seq) == (Problem.REMOVED, 1)


def test_removed_last_record_is_caught_by_the_head():
    records, head = build(5)
    result = verify_chain(records[:-1], head, keys=[KEY])
    assert (result.problem, result.seq) == (Problem.REMOVED, 5)
    assert result.message == "record #5 was removed: the log ends at #4 but the head says #5"


def test_everything_removed_is_caught_by_the_head():
    _, head = build(2)
    assert verify_chain([], head).seq == 1


def test_swapped_sequence_numbers_name_the_first_moved_record():
    records, head = build(5)
    second, fourth = records[1], records[3]
    records[1] = dataclasses.replace(fourth, seq=2)
    records[3] = dataclasses.replace(second, seq=4)
    result = verify_chain(records, head)
    assert (result.problem, result.seq) == (Problem.ALTERED, 2)


def test_records_out_of_order_are_named():
    records, head = build(3)
    result = verify_chain([records[0], records[1], records[1], records[2]], head)
    assert (result.problem, result.seq) == (Problem.OUT_OF_ORDER, 2)


def test_record_appended_around_the_head_is_named():
    records, _ = build(4)
    head = ChainHead(3, records[2].hash, head_mac(3, records[2].hash, KEY))
    result = verify_chain(records, head, keys=[KEY])
    assert (result.problem, result.seq) == (Problem.ADDED, 4)


def test_truncation_with_a_rewritten_head_is_caught_by_the_signature():
    records, _ = build(5)
    head = ChainHead(4, records[3].hash, head_mac(4, records[3].hash, "not the secret"))
    result = verify_chain(records[:4], head, keys=[KEY])
    assert result.problem is Problem.HEAD_FORGED
    assert verify_chain(records[:4], head).ok  # without keys only the links are checked


def test_old_key_still_verifies_the_head():
    records, head = build(2)
    assert verify_chain(records, head, keys=["new", KEY]).ok


def test_missing_head_with_records_fails():
    records, _ = build(2)
    result = verify_chain(records, None)
    assert result.problem is Problem.HEAD_MISSING and result.checked == 2
