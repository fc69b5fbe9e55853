"""The demo's statements and dispute, which the portal shows after `make run`."""

from __future__ import annotations

from decimal import Decimal

import pytest

from duizhang.apps.confirmations.models import Dispute
from duizhang.apps.statements.models import StatementDocument
from duizhang.demo.loader import demo_load


@pytest.mark.django_db
def test_demo_statements_and_dispute_once() -> None:
    demo_load()
    demo_load()

    documents = StatementDocument.objects.order_by("number")
    assert [(d.label, d.status, d.closing, d.line_count) for d in documents] == [
        ("DZ-2026-09-C001-0001-v1", "disputed", Decimal("23815.0000"), 2),
        ("DZ-2026-10-C001-0001-v1", "sent", Decimal("23815.0000"), 2),
        ("DZ-2026-10-C002-0001-v1", "sent", Decimal("0.0000"), 1),
    ]
    dispute = Dispute.objects.get()
    assert dispute.opened_by is not None
    assert (dispute.customer.code, dispute.status, dispute.opened_by.username) == (
        "C001",
        "waiting_us",
        "customer1",
    )
    assert list(dispute.lines.values_list("reference", "amount")) == [
        ("ICBC202609020005", Decimal("-45585.0000"))
    ]
