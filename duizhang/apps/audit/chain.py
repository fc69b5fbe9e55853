"""The hash chain of the audit log, with no Django in it.

Each record's hash covers its own content and the hash of the record before it, so changing,
removing or reordering a record breaks the chain at that record. The chain alone cannot show
that records were cut off its end: the new last record is still perfectly linked. So a separate
*head* (the last sequence number and hash) is written in the same transaction as every append,
and signed with an HMAC of the deployment's secret. Deleting the last rows then disagrees with
the head; rewriting the head to match needs the secret; and because the head's hash commits to
every record before it, an attacker who recomputes the whole chain is caught by the head too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any
from uuid import UUID

GENESIS = "0" * 64  # the prev_hash of the first record


def _encode(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot put {type(value).__name__} into an audit record: {value!r}")


def canonical_json(data: Mapping[str, Any]) -> str:
    """Sorted keys, no spaces, Decimal as a string: one text for one value, whatever the dict order."""
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_encode
    )


def format_at(at: datetime) -> str:
    """The moment in UTC with microseconds, the way it is hashed."""
    if at.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True, slots=True)
class PlainRecord:
    """One audit record as stored, with `data` already as its canonical JSON text."""

    seq: int
    at: datetime
    actor: str
    actor_id: int | None
    action: str
    customer: str
    target_type: str
    target_id: str
    data: str
    prev_hash: str
    hash: str

    def describe(self) -> str:
        when = self.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        return f"record #{self.seq} ({when}, {self.actor or '-'}, {self.action})"


@dataclass(frozen=True, slots=True)
class ChainHead:
    seq: int
    hash: str
    mac: str


def record_hash(
    *,
    seq: int,
    at: datetime,
    actor: str,
    actor_id: int | None,
    action: str,
    customer: str,
    target_type: str,
    target_id: str,
    data: str,
    prev_hash: str,
) -> str:
    payload = {
        "seq": seq,
        "at": format_at(at),
        "actor": actor,
        "actor_id": actor_id,
        "action": action,
        "customer": customer,
        "target_type": target_type,
        "target_id": target_id,
        "data": data,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def recompute_hash(record: PlainRecord) -> str:
    return record_hash(
        seq=record.seq,
        at=record.at,
        actor=record.actor,
        actor_id=record.actor_id,
        action=record.action,
        customer=record.customer,
        target_type=record.target_type,
        target_id=record.target_id,
        data=record.data,
        prev_hash=record.prev_hash,
    )


def head_mac(seq: int, hash_: str, key: str | bytes) -> str:
    secret = key.encode("utf-8") if isinstance(key, str) else key
    message = f"duizhang.audit.head:{seq}:{hash_}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


class Problem(StrEnum):
    ALTERED = "altered"  # a record's content no longer matches its hash
    REWRITTEN = "rewritten"  # a record's hash was recomputed; the next one still links to the old
    REMOVED = "removed"  # a record is missing from the middle or the end
    OUT_OF_ORDER = "out_of_order"
    ADDED = "added"  # a record beyond the head, written around the service
    HEAD_MISSING = "head_missing"
    HEAD_FORGED = "head_forged"  # the head's signature does not match


@dataclass(frozen=True, slots=True)
class VerifyResult:
    checked: int
    problem: Problem | None = None
    seq: int | None = None  # the first record that was altered or removed
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_chain(
    records: Iterable[PlainRecord], head: ChainHead | None, *, keys: Sequence[str | bytes] = ()
) -> VerifyResult:
    """Walk `records` in sequence order and name the first one that was altered or removed.

    `keys` are the secrets the head may be signed with (the current one first); with no keys the
    signature is not checked, only the head's sequence number and hash.
    """
    expected_seq = 1
    previous: PlainRecord | None = None
    checked = 0
    for record in records:
        if record.seq < expected_seq:
            return VerifyResult(
                checked,
                Problem.OUT_OF_ORDER,
                record.seq,
                f"{record.describe()} is out of order: expected #{expected_seq} next",
            )
        if record.seq > expected_seq:
            return VerifyResult(
                checked,
                Problem.REMOVED,
                expected_seq,
                f"record #{expected_seq} was removed: the chain jumps from "
                f"#{expected_seq - 1} to #{record.seq}",
            )
        if recompute_hash(record) != record.hash:
            return VerifyResult(
                checked,
                Problem.ALTERED,
                record.seq,
                f"{record.describe()} was altered: its content does not match its hash",
            )
        expected_prev = previous.hash if previous else GENESIS
        if record.prev_hash != expected_prev:
            culprit = previous.seq if previous else record.seq
            return VerifyResult(
                checked,
                Problem.REWRITTEN,
                culprit,
                f"record #{culprit} was altered and its hash recomputed: "
                f"record #{record.seq} still links to a different hash",
            )
        previous = record
        checked += 1
        expected_seq += 1

    last_seq = previous.seq if previous else 0
    last_hash = previous.hash if previous else GENESIS
    if head is None:
        if previous is None:
            return VerifyResult(0)
        return VerifyResult(
            checked,
            Problem.HEAD_MISSING,
            None,
            "the audit head is missing, so records removed from the end cannot be ruled out",
        )
    if keys and not any(
        hmac.compare_digest(head.mac, head_mac(head.seq, head.hash, key)) for key in keys
    ):
        return VerifyResult(
            checked,
            Problem.HEAD_FORGED,
            None,
            "the audit head's signature does not match: the head was rewritten, "
            "or SECRET_KEY changed since (list the old key in SECRET_KEY_FALLBACKS)",
        )
    if head.seq > last_seq:
        return VerifyResult(
            checked,
            Problem.REMOVED,
            last_seq + 1,
            f"record #{last_seq + 1} was removed: the log ends at #{last_seq} "
            f"but the head says #{head.seq}",
        )
    if head.seq < last_seq:
        return VerifyResult(
            checked,
            Problem.ADDED,
            head.seq + 1,
            f"record #{head.seq + 1} was added around the audit service: "
            f"the head says the log ends at #{head.seq}",
        )
    if head.hash != last_hash:
        return VerifyResult(
            checked,
            Problem.REWRITTEN,
            last_seq,
            f"record #{last_seq} was altered and its hash recomputed: the head holds a different hash",
        )
    return VerifyResult(checked)
