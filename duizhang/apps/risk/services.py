"""Writes: raising alerts from the rules, and the manager acknowledging them."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duizhang.apps.accounts.roles import PREPARERS, Role, require_role
from duizhang.apps.audit.services import audit_record
from duizhang.apps.customers.models import Customer
from duizhang.apps.ledger.models import Entry, ImportBatch
from duizhang.apps.risk.models import Alert
from duizhang.engine.records import Side
from duizhang.risk import CustomerFacts, Finding, Line, RiskOptions, assess, row_time

ACKNOWLEDGE = "risk-acknowledge"  # the audit action


class AlertError(Exception):
    """What the alert's state or the input does not allow; the message is for the user."""


def risk_options() -> RiskOptions:
    """The defaults, overridden by `settings.RISK_OPTIONS` (e.g. {"repeat_days": 3})."""
    return RiskOptions(**getattr(settings, "RISK_OPTIONS", {}))


def alerts_detect(
    *,
    customers: Iterable[Customer],
    by: User | None = None,
    options: RiskOptions | None = None,
) -> list[Alert]:
    """Run the rules over the customers' entries and store the alerts not raised before.

    Runs in the caller's transaction when there is one (an import: a failed import raises
    nothing). The customers are locked in id order, so two imports touching one customer store
    its alerts one after the other. `by` None is the system (an import already checked its
    user); a person must be a preparer."""
    if by is not None:
        require_role(by, *PREPARERS)
    ids = sorted({customer.pk for customer in customers})
    options = options or risk_options()
    raised: list[Alert] = []
    with transaction.atomic():
        for customer in Customer.objects.select_for_update().filter(pk__in=ids).order_by("pk"):
            raised += _detect(customer, options)
    return raised


def alerts_detect_for_batch(*, batch: ImportBatch) -> list[Alert]:
    """After an import, inside its transaction: the rules for every customer the file touched."""
    if batch.new_count == 0:
        return []
    customers = Customer.objects.filter(
        pk__in=Entry.objects.filter(batch=batch, customer__isnull=False).values("customer_id")
    )
    return alerts_detect(customers=customers)


def _detect(customer: Customer, options: RiskOptions) -> list[Alert]:
    entry_ids: dict[str, int] = {}
    lines = []
    for entry in Entry.objects.filter(customer=customer).select_related(
        "source", "batch", "customer"
    ):
        key = f"{entry.source_id}/{entry.natural_key}"
        entry_ids[key] = entry.pk
        lines.append(
            Line(
                key=key,
                source=str(entry.source_id),
                side=Side(entry.source.kind),
                entry=entry.to_record(),
                at=row_time(entry.raw),
            )
        )
    facts = CustomerFacts(
        code=customer.code,
        name=customer.name,
        aliases=tuple(customer.aliases),
        credit_limit=customer.credit_limit,
        currency=customer.currency,
    )
    findings = assess(facts, lines, options)
    known = set(
        Alert.objects.filter(fingerprint__in=[f.fingerprint for f in findings]).values_list(
            "fingerprint", flat=True
        )
    )
    new = [finding for finding in findings if finding.fingerprint not in known]
    alerts = Alert.objects.bulk_create([_alert(customer, finding) for finding in new])
    links = Alert.entries.through
    links.objects.bulk_create(
        [
            links(alert_id=alert.pk, entry_id=entry_ids[key])
            for alert, finding in zip(alerts, new, strict=True)
            for key in finding.lines
        ]
    )
    return alerts


def _alert(customer: Customer, finding: Finding) -> Alert:
    return Alert(
        customer=customer,
        kind=finding.kind.value,
        severity=finding.severity.value,
        fingerprint=finding.fingerprint,
        message=finding.reason.message,
        params=dict(finding.reason.params),
    )


def alert_acknowledge(*, alert: Alert, by: User, comment: str) -> Alert:
    """The manager has looked at the alert and says why it is in order (or what was done)."""
    require_role(by, Role.MANAGER)
    text = comment.strip()
    if not text:
        raise AlertError(_("Acknowledging an alert needs a comment."))
    with transaction.atomic():
        locked = Alert.objects.select_for_update().select_related("customer").get(pk=alert.pk)
        if locked.status != Alert.Status.OPEN:
            raise AlertError(_("This alert was acknowledged already."))
        locked.status = Alert.Status.ACKNOWLEDGED
        locked.acknowledged_by = by
        locked.acknowledged_at = timezone.now()
        locked.comment = text
        locked.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "comment"])
        audit_record(
            actor=by,
            action=ACKNOWLEDGE,
            customer=locked.customer,
            target=locked,
            data={"kind": locked.kind, "fingerprint": locked.fingerprint, "comment": text},
        )
    return locked
