"""Demo rules and contacts, loaded by `duizhang demo` (idempotent).

Only the month-end statement rule is enabled, so `duizhang send-due` on the demo data sends the
last month's statements and nothing else; the reminder rules are there to be switched on.
"""

from __future__ import annotations

from django.contrib.auth.models import User

from duizhang.apps.customers.models import Contact, Customer
from duizhang.apps.notifications.models import Rule, RuleKind
from duizhang.apps.notifications.services import templates_ensure

# customer, name, email, language (all verified)
CONTACTS = (("C004", "Grace Lin", "grace.lin@lvyuan.example.cn", "en"),)

# name, kind, schedule, levels, enabled
RULES: tuple[tuple[str, str, str, list[int], bool], ...] = (
    ("月末对账单", RuleKind.STATEMENT, "0 9 1 * *", [], True),
    ("逾期提醒", RuleKind.OVERDUE, "0 10 * * 1-5", [7, 14, 30], False),
    ("新往来摘要", RuleKind.DIGEST, "0 18 * * 5", [], False),
)


def notifications_demo_load(manager: User) -> None:
    templates_ensure()
    for code, name, email, language in CONTACTS:
        Contact.objects.get_or_create(
            customer=Customer.objects.get(code=code),
            email=email,
            defaults={"name": name, "language": language, "verified": True, "role": "Finance"},
        )
    for name, kind, schedule, levels, enabled in RULES:
        Rule.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "schedule": schedule,
                "levels": levels,
                "enabled": enabled,
                "run_as": manager,
            },
        )
