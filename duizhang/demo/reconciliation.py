"""Demo addition: one reconciliation for C001 (our ledger against the customer's own ledger), run
through the same services a cashier uses, with the two decisions the demo notes tell of: the
July payment matched by hand (the two ledgers give it different references), and the September
payment's 15.00 explained as a bank fee. Running it again changes nothing."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User

from duizhang.apps.customers.models import Customer
from duizhang.apps.ledger.models import Source
from duizhang.apps.reconciliations.models import Line, Reconciliation, Resolution
from duizhang.apps.reconciliations.runs import reconciliation_compute
from duizhang.apps.reconciliations.services import (
    difference_resolve,
    lines_match,
    reconciliation_create,
)

PERIOD_END = date(2026, 11, 30)
CUSTOMER = "C001"
JULY_PAYMENT = ("记-202607-005", "明远-付-002")
SEPTEMBER_PAYMENT = ("记-202609-012", "明远-付-004")


def demo_reconciliation(cashier: User) -> Reconciliation:
    customer = Customer.objects.get(code=CUSTOMER)
    theirs = Source.objects.get(kind=Source.Kind.CUSTOMER, customer=customer)
    existing = Reconciliation.objects.filter(customer=customer, theirs=theirs).first()
    if existing is not None:
        return existing
    recon = reconciliation_create(
        by=cashier,
        customer=customer,
        ours=Source.objects.get(kind=Source.Kind.OURS, name="应收账款明细账"),
        theirs=theirs,
        period_end=PERIOD_END,
    )
    # The decisions below need the first run's results: run it here rather than wait for the
    # background (which finds it done and does nothing).
    recon.refresh_from_db()
    if recon.is_running:
        reconciliation_compute(reconciliation_id=recon.pk, run_number=recon.run_number)
    _match_if_open(recon, cashier, JULY_PAYMENT, "7 月 28 日货款：双方金额、日期一致，回单号不同。")
    _match_if_open(recon, cashier, SEPTEMBER_PAYMENT, "9 月 2 日货款，王丽电话确认。")
    group = _line(recon, SEPTEMBER_PAYMENT[0]).group
    if group is not None and group.difference and not Resolution.objects.filter(group=group):
        difference_resolve(
            reconciliation=recon,
            by=cashier,
            group_id=group.pk,
            kind="fee",
            comment="王丽确认差额 15.00 为银行手续费。",
        )
    return recon


def _line(recon: Reconciliation, natural_key: str) -> Line:
    return Line.objects.select_related("group").get(
        reconciliation=recon, entry__natural_key=natural_key
    )


def _match_if_open(
    recon: Reconciliation, cashier: User, keys: tuple[str, str], comment: str
) -> None:
    lines = [_line(recon, key) for key in keys]
    if all(line.group_id is None for line in lines):
        lines_match(
            reconciliation=recon, by=cashier, line_ids=[line.pk for line in lines], comment=comment
        )
