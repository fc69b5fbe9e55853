"""Appending through the service, and tampering with the table behind its back."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections, transaction

from duizhang.apps.audit.chain import GENESIS, Problem
from duizhang.apps.audit.models import AppendOnlyError, AuditHead, AuditRecord
from duizhang.apps.audit.selectors import audit_chain_verify, audit_records_filtered
from duizhang.apps.audit.services import AuditChainBrokenError, audit_record

pytestmark = pytest.mark.django_db


def append(count: int) -> list[AuditRecord]:
    return [
        audit_record(actor=f"user{n % 2}", action="match", customer=f"C{n % 3}", data={"n": n})
        for n in range(1, count + 1)
    ]


def sql(statement: str, *params: str | int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_records_link_into_a_chain_and_the_head_follows():
    alice = User.objects.create_user("alice")
    first = audit_record(
        actor=alice,
        action="import",
        customer="C001",
        target=("ledger.batch", 7),
        data={"total": Decimal("1234.50"), "file": "对账单.xlsx"},
    )
    second = audit_record(actor=None, action="match", target=alice)
    assert (first.seq, first.prev_hash, second.seq, second.prev_hash) == (1, GENESIS, 2, first.hash)
    stored = AuditRecord.objects.get(seq=1)
    assert (stored.actor_id, stored.actor_name, stored.customer) == (alice.pk, "alice", "C001")
    assert (stored.target_type, stored.target_id) == ("ledger.batch", "7")
    assert stored.data == '{"file":"对账单.xlsx","total":"1234.50"}'
    assert (second.actor_name, second.target_type, second.target_id) == (
        "",
        "auth.user",
        str(alice.pk),
    )
    head = AuditHead.objects.get()
    assert (head.seq, head.hash) == (2, second.hash)
    assert audit_chain_verify().ok


def test_rolled_back_change_leaves_no_record():
    append(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor="bob", action="import")
        raise RuntimeError("import failed")
    assert list(AuditRecord.objects.values_list("seq", flat=True)) == [1, 2]
    assert AuditHead.objects.get().seq == 2
    assert audit_chain_verify().ok


def test_the_orm_refuses_to_change_or_delete_records():
    record = append(1)[0]
    record.action = "approve"
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.filter(seq=1).update(action="approve")
    assert AuditRecord.objects.get(seq=1).action == "match"


def test_deleting_a_user_keeps_their_records_and_the_chain():
    bob = User.objects.create_user("bob")
    audit_record(actor=bob, action="comment")
    bob_id = bob.pk
    bob.delete()
    record = AuditRecord.objects.get()
    assert (record.actor_id, record.actor_name) == (bob_id, "bob")
    assert audit_chain_verify().ok


def test_changed_data_is_named():
    append(5)
    sql("UPDATE audit_auditrecord SET data = %s WHERE seq = 3", '{"n":99}')
    result = audit_chain_verify()
    assert (result.problem, result.seq, result.checked) == (Problem.ALTERED, 3, 2)


def test_deleted_middle_record_is_named():
    append(5)
    sql("DELETE FROM audit_auditrecord WHERE seq = 3")
    result = audit_chain_verify()
    assert (result.problem, result.seq) == (Problem.REMOVED, 3)


def test_deleted_last_record_is_named():
    append(5)
    sql("DELETE FROM audit_auditrecord WHERE seq = 5")
    result = audit_chain_verify()
    assert (result.problem, result.seq) == (Problem.REMOVED, 5)


def test_changed_actor_is_named():
    alice, bob = User.objects.create_user("alice"), User.objects.create_user("bob")
    for _ in range(3):
        audit_record(actor=alice, action="approve")
    sql("UPDATE audit_auditrecord SET actor_id = %s WHERE seq = 2", bob.pk)
    result = audit_chain_verify()
    assert (result.problem, result.seq) == (Problem.ALTERED, 2)


def test_reordered_records_are_named():
    append(5)
    sql("UPDATE audit_auditrecord SET seq = 1000 WHERE seq = 2")
    sql("UPDATE audit_auditrecord SET seq = 2 WHERE seq = 4")
    sql("UPDATE audit_auditrecord SET seq = 4 WHERE seq = 1000")
    result = audit_chain_verify()
    assert (result.problem, result.seq) == (Problem.ALTERED, 2)


def test_rewritten_head_is_caught_by_its_signature():
    records = append(3)
    sql("DELETE FROM audit_auditrecord WHERE seq = 3")
    sql("UPDATE audit_audithead SET seq = 2, hash = %s", records[1].hash)
    assert audit_chain_verify().problem is Problem.HEAD_FORGED


def test_appending_refuses_when_the_head_was_deleted():
    append(2)
    sql("DELETE FROM audit_audithead")
    assert audit_chain_verify().problem is Problem.HEAD_MISSING
    with pytest.raises(AuditChainBrokenError), transaction.atomic():
        audit_record(actor="x", action="match")
    assert AuditRecord.objects.count() == 2


def test_filters_match_user_customer_and_action():
    append(6)
    audit_record(actor="user1", action="approve", customer="C1")
    seqs = lambda **kw: list(audit_records_filtered(**kw).values_list("seq", flat=True))  # noqa: E731
    assert seqs(user="user1") == [7, 5, 3, 1]
    assert seqs(user="user1", customer="C1") == [7, 1]
    assert seqs(action="approve") == [7]
    assert seqs(customer="C2", action="match") == [5, 2]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_do_not_fork_the_chain():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the lock matters on PostgreSQL")
    per_thread = 150
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def writer(name: str) -> None:
        try:
            start.wait()
            for n in range(per_thread):
                with transaction.atomic():
                    audit_record(actor=name, action="match", data={"n": n})
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert list(AuditRecord.objects.values_list("seq", flat=True)) == list(range(1, 301))
    assert AuditRecord.objects.filter(actor_name="a").count() == per_thread
    result = audit_chain_verify()
    assert result.ok and result.checked == 2 * per_thread
