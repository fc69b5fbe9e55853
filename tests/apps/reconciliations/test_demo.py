"""The demo's reconciliation for C001: populated after `duizhang demo`, once."""

from __future__ import annotations

import pytest

from duizhang.apps.reconciliations.models import Line, Reconciliation, Resolution, RunState
from duizhang.apps.reconciliations.selectors import balance_statements
from duizhang.demo.loader import demo_load


@pytest.mark.django_db
def test_demo_reconciliation_is_populated_once() -> None:
    demo_load()
    demo_load()

    recon = Reconciliation.objects.get()
    assert (recon.customer.code, recon.theirs.name, recon.run_state) == (
        "C001",
        "上海明远应付账款（客户提供）",
        RunState.DONE,
    )
    assert Line.objects.filter(reconciliation=recon, side="left").count() == 8
    assert Line.objects.filter(reconciliation=recon, side="right").count() == 7
    july = Line.objects.filter(
        reconciliation=recon, entry__natural_key__in=("记-202607-005", "明远-付-002")
    )
    assert {line.group_id for line in july} != {None} and len({line.group_id for line in july}) == 1
    (fee,) = Resolution.objects.filter(reconciliation=recon)
    assert (fee.kind, fee.amount, fee.comment) == ("fee", 15, "王丽确认差额 15.00 为银行手续费。")
    assert all(statement.agrees for statement in balance_statements(recon))
