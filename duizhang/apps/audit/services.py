"""Appending to the audit log. Call `audit_record` inside the transaction of the change it
records, so a change that rolls back leaves no audit record behind."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models, transaction
from django.utils import timezone

from duizhang.apps.audit.chain import GENESIS, canonical_json, head_mac, record_hash
from duizhang.apps.audit.models import AuditHead, AuditRecord


class Action(StrEnum):
    """The actions other apps record. Any slug is accepted; these are the shared ones."""

    IMPORT = "import"
    MATCH = "match"
    UNMATCH = "unmatch"
    COMMENT = "comment"
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    REOPEN = "reopen"
    LOGIN = "login"
    LOGOUT = "logout"
    LOGIN_FAILED = "login-failed"
    PERMISSION_CHANGE = "permission-change"


class AuditChainBrokenError(Exception):
    """The head row is gone while records exist: appending would hide the damage."""


Actor = AbstractBaseUser | AnonymousUser | str | None
Target = models.Model | tuple[str, object] | None

_acting_user: ContextVar[Actor] = ContextVar("audit_acting_user", default=None)
_paused: ContextVar[bool] = ContextVar("audit_paused", default=False)


@contextmanager
def acting_as(actor: Actor) -> Iterator[None]:
    """Who changes things for as long as the block runs (a request, a command); signal
    receivers, which see no request, record this actor."""
    token = _acting_user.set(actor)
    try:
        yield
    finally:
        _acting_user.reset(token)


def acting_user() -> Actor:
    return _acting_user.get()


@contextmanager
def signals_paused() -> Iterator[None]:
    """Signal receivers record nothing inside the block (a restore replays rows, not actions)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def signals_are_paused() -> bool:
    return _paused.get()


def _actor_fields(actor: Actor) -> tuple[int | None, str]:
    if actor is None or isinstance(actor, AnonymousUser):
        return None, ""
    if isinstance(actor, str):
        return None, actor
    return actor.pk, actor.get_username()


def _customer_text(customer: object) -> str:
    if customer is None:
        return ""
    if isinstance(customer, str):
        return customer
    return str(getattr(customer, "code", None) or getattr(customer, "pk", customer))


def _target_fields(target: Target) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk)
    kind, ident = target
    return kind, str(ident)


def _head_key() -> str:
    return str(settings.SECRET_KEY)


def _locked_head() -> AuditHead:
    """The head row, locked until the transaction ends: appends happen one at a time, so two
    writers cannot both link to the same previous record (SQLite serialises writers anyway).
    The lock is held until the caller commits, so record at the end of a long transaction."""
    head = AuditHead.objects.select_for_update().filter(pk=AuditHead.ROW).first()
    if head is not None:
        return head
    # The first append creates the head. A concurrent first append's insert makes this one wait
    # and then find that row, so only a head that is truly gone while records exist is damage.
    _, created = AuditHead.objects.get_or_create(
        pk=AuditHead.ROW,
        defaults={"seq": 0, "hash": GENESIS, "mac": head_mac(0, GENESIS, _head_key())},
    )
    if created and AuditRecord.objects.exists():
        raise AuditChainBrokenError(
            "the audit head is missing while records exist; run `duizhang audit verify`"
        )
    return AuditHead.objects.select_for_update().get(pk=AuditHead.ROW)


def audit_record(
    *,
    actor: Actor,
    action: str,
    customer: object = None,
    target: Target = None,
    data: Mapping[str, Any] | None = None,
) -> AuditRecord:
    """Append one record. `actor` is a user, a user name (e.g. a failed login's) or None for
    the system; `customer` a customer or its code; `target` a model instance or (type, id);
    `data` anything JSON can hold plus Decimal, dates and enums."""
    actor_id, actor_name = _actor_fields(actor)
    customer_text = _customer_text(customer)
    target_type, target_id = _target_fields(target)
    data_text = canonical_json(data or {})
    with transaction.atomic(savepoint=False):  # a failed append fails the caller's change
        head = _locked_head()
        seq = head.seq + 1
        at = timezone.now()
        digest = record_hash(
            seq=seq,
            at=at,
            actor=actor_name,
            actor_id=actor_id,
            action=action,
            customer=customer_text,
            target_type=target_type,
            target_id=target_id,
            data=data_text,
            prev_hash=head.hash,
        )
        record = AuditRecord.objects.create(
            seq=seq,
            at=at,
            actor_id=actor_id,
            actor_name=actor_name,
            action=action,
            customer=customer_text,
            target_type=target_type,
            target_id=target_id,
            data=data_text,
            prev_hash=head.hash,
            hash=digest,
        )
        head.seq, head.hash, head.mac = seq, digest, head_mac(seq, digest, _head_key())
        head.save(update_fields=["seq", "hash", "mac"])
    return record
