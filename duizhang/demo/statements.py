"""Demo statements: September and October 2026 sent to 上海明远 (C001), October to 苏州恒通 (C002),
and one open dispute from customer1 about September (they paid 45,600.00; we booked 45,585.00),
so the portal and the dispute inbox show something after `make run`. Running it twice adds nothing."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction

from duizhang.apps.confirmations.models import Dispute
from duizhang.apps.confirmations.services import LineDispute, statement_dispute
from duizhang.apps.customers.models import Customer
from duizhang.apps.statements.models import StatementDocument
from duizhang.apps.statements.services import statement_generate, statement_mark_sent

SEPTEMBER = (date(2026, 9, 1), date(2026, 9, 30))
OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))
SENT = (("C001", SEPTEMBER), ("C001", OCTOBER), ("C002", OCTOBER))
DISPUTED_LINE = "记-202609-012"  # 2026-09-02 收到货款 45,585.00
DISPUTE_TEXT = (
    "9 月 2 日我司付款 45,600.00（电汇回单号 HD2026090201），贵司只记了 45,585.00，请核对。"
)


def statements_demo_load(*, cashier: User, customer_user: User) -> None:
    with transaction.atomic():
        for code, (start, end) in SENT:
            customer = Customer.objects.get(code=code)
            if StatementDocument.objects.filter(
                customer=customer, period_start=start, period_end=end
            ).exists():
                continue
            document = statement_generate(
                customer=customer, by=cashier, period_start=start, period_end=end
            )
            statement_mark_sent(document=document, by=cashier)
        september = StatementDocument.objects.get(
            customer__code="C001", period_start=SEPTEMBER[0], version=1
        )
        if september.status == StatementDocument.Status.SENT and not Dispute.objects.exists():
            statement_dispute(
                document=september,
                user=customer_user,
                name="王丽",
                comment=DISPUTE_TEXT,
                lines=[LineDispute(entry_id=DISPUTED_LINE, comment="实付 45,600.00")],
            )
