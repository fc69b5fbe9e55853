"""Alerts raised by imports (in the import's transaction), stored once, acknowledged by the
manager only, with a comment, on the audit log."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.utils import translation

from duizhang.apps.accounts.roles import Role
from duizhang.apps.audit.models import AuditRecord
from duizhang.apps.customers.models import Customer
from duizhang.apps.ledger.models import Entry, Source
from duizhang.apps.ledger.services import entries_import
from duizhang.apps.risk.models import Alert
from duizhang.apps.risk.services import AlertError, alert_acknowledge, alerts_detect

CsvFile = Callable[..., Path]

LEDGER = (
    "V1,2026-07-03,128500.00,CNY,FP2026000001,,开票：云服务器年度服务费,C001",
    "V2,2026-07-05,45600.00,CNY,FP2026000002,,开票：数据分析平台实施费,C001",
    "V3,2026-07-09,45600.00,CNY,FP2026000002,,开票：数据分析平台实施费,C001",
    "V4,2026-07-28,-128500.00,CNY,FP2026000001,,收到货款,C001",
    "V5,2026-07-29,9800.00,CNY,FP2026000003,,开票：运维服务费,C002",
)


@pytest.fixture
def manager(make_user: Callable[..., User]) -> User:
    return make_user(Role.MANAGER)


@pytest.fixture
def duplicate(
    ledger: Source, customer: Customer, other_customer: Customer, csv_file: CsvFile
) -> Alert:
    entries_import(source=ledger, path=csv_file("ledger.csv", *LEDGER), uploaded_by=None)
    return Alert.objects.get()


def test_an_import_raises_the_alerts_of_the_customers_it_touched(duplicate: Alert) -> None:
    assert (duplicate.kind, duplicate.severity, duplicate.status) == (
        "duplicate_reference",
        "high",
        "open",
    )
    assert duplicate.customer.code == "C001"
    assert list(duplicate.entries.order_by("date").values_list("natural_key", flat=True)) == [
        "V2",
        "V3",
    ]
    assert duplicate.reason == (
        "单据号 FP2026000002 在同一来源中出现 2 次："
        "2026-07-05 45,600.00 CNY (#3); 2026-07-09 45,600.00 CNY (#4)。"
    )
    with translation.override("en"):
        assert duplicate.reason == (
            "Document number FP2026000002 appears on 2 lines of the same source: "
            "2026-07-05 45,600.00 CNY (#3); 2026-07-09 45,600.00 CNY (#4)."
        )


def test_running_the_rules_again_raises_nothing_new(
    duplicate: Alert,
    ledger: Source,
    customer: Customer,
    other_customer: Customer,
    csv_file: CsvFile,
) -> None:
    assert alerts_detect(customers=[customer, other_customer]) == []
    more = csv_file("more.csv", "V6,2026-08-01,1200.00,CNY,FP2026000004,,开票,C001")
    entries_import(source=ledger, path=more, uploaded_by=None)

    assert list(Alert.objects.values_list("pk", flat=True)) == [duplicate.pk]


def test_a_third_copy_is_news(duplicate: Alert, ledger: Source, csv_file: CsvFile) -> None:
    third = csv_file("third.csv", "V7,2026-08-02,45600.00,CNY,FP2026000002,,开票,C001")
    entries_import(source=ledger, path=third, uploaded_by=None)

    newest = Alert.objects.exclude(pk=duplicate.pk).get()
    assert sorted(newest.entries.values_list("natural_key", flat=True)) == ["V2", "V3", "V7"]


def test_a_failed_import_leaves_no_alert(
    ledger: Source,
    customer: Customer,
    other_customer: Customer,
    csv_file: CsvFile,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("audit log unavailable")

    # the audit record is the import's last write, after the alerts
    monkeypatch.setattr("duizhang.apps.ledger.services.audit_record", broken)
    with pytest.raises(RuntimeError):
        entries_import(source=ledger, path=csv_file("ledger.csv", *LEDGER), uploaded_by=None)

    assert (Entry.objects.count(), Alert.objects.count()) == (0, 0)


def test_bank_payments_over_limit_and_from_a_stranger(
    ledger: Source, bank: Source, customer: Customer, csv_file: CsvFile
) -> None:
    Customer.objects.filter(pk=customer.pk).update(
        credit_limit=Decimal("100000"), aliases=["明远贸易"]
    )
    invoices = csv_file(
        "invoices.csv",
        "V1,2026-07-03,60000.00,CNY,FP1,,开票,C001",
        "V2,2026-07-20,70000.00,CNY,FP2,,开票,C001",
    )
    # canonical CSV is in the receivable view already: a payment received is negative
    receipts = csv_file(
        "bank.csv",
        "B1,2026-07-25,-5000.00,CNY,S1,明远贸易,货款,C001",
        "B2,2026-07-26,-8000.00,CNY,S2,赵红,货款,C001",
    )
    entries_import(source=ledger, path=invoices, uploaded_by=None)
    entries_import(source=bank, path=receipts, uploaded_by=None)

    alerts = {alert.kind: alert for alert in Alert.objects.all()}
    assert sorted(alerts) == ["name_mismatch", "over_credit_limit"]
    assert alerts["over_credit_limit"].reason == (
        "应收余额 130,000.00 CNY 超出信用额度 100,000.00 CNY，超出 30,000.00；"
        "自 2026-07-20（FP2）起超限。"
    )
    assert alerts["name_mismatch"].reason == (
        "付款人 赵红 与客户名称不符：最接近的名称 上海明远贸易有限公司 相似度 0，低于 85。"
    )
    assert [entry.natural_key for entry in alerts["name_mismatch"].entries.all()] == ["B2"]


def test_the_manager_acknowledges_with_a_comment(duplicate: Alert, manager: User) -> None:
    done = alert_acknowledge(alert=duplicate, by=manager, comment="  两张发票已作废一张，已核实  ")

    stored = Alert.objects.get(pk=duplicate.pk)
    assert (stored.status, stored.acknowledged_by, stored.comment) == (
        "acknowledged",
        manager,
        "两张发票已作废一张，已核实",
    )
    assert stored.acknowledged_at == done.acknowledged_at
    record = AuditRecord.objects.get(action="risk-acknowledge")
    assert (record.actor_name, record.customer, record.target_type, record.target_id) == (
        "manager",
        "C001",
        "risk.alert",
        str(duplicate.pk),
    )
    assert "两张发票已作废一张" in record.data
    with pytest.raises(AlertError, match="该风险提示已被确认"):
        alert_acknowledge(alert=duplicate, by=manager, comment="again")


@pytest.mark.parametrize("role", [Role.CASHIER, Role.REVIEWER, Role.AUDITOR])
def test_only_the_manager_acknowledges(
    duplicate: Alert, make_user: Callable[..., User], role: Role
) -> None:
    with pytest.raises(PermissionDenied):
        alert_acknowledge(alert=duplicate, by=make_user(role), comment="看过了")

    assert Alert.objects.get(pk=duplicate.pk).status == "open"
    assert not AuditRecord.objects.filter(action="risk-acknowledge").exists()


def test_no_comment_no_acknowledgement(duplicate: Alert, manager: User) -> None:
    with pytest.raises(AlertError):
        alert_acknowledge(alert=duplicate, by=manager, comment="   ")

    assert Alert.objects.get(pk=duplicate.pk).status == "open"
    assert not AuditRecord.objects.filter(action="risk-acknowledge").exists()


def test_checking_again_is_for_preparers(
    customer: Customer, make_user: Callable[..., User]
) -> None:
    with pytest.raises(PermissionDenied):
        alerts_detect(customers=[customer], by=make_user(Role.AUDITOR))
    assert alerts_detect(customers=[customer], by=make_user(Role.CASHIER)) == []
