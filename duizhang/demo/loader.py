"""Demo data: one company, six customers, their contacts, and three files imported THROUGH the
import service, so the demo walks the same path a cashier's upload does. Running it twice changes
nothing. It refuses to run unless settings.DEMO_DATA_ALLOWED (dev and tests only): the demo users
share a published password."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from duizhang.apps.accounts.models import CustomerUser
from duizhang.apps.accounts.roles import Role, role_group
from duizhang.apps.customers.models import CommunicationLog, Company, Contact, Customer
from duizhang.apps.ledger.models import Entry, ImportBatch, Source
from duizhang.apps.ledger.services import ImportResult, entries_import
from duizhang.apps.notifications.demo import notifications_demo_load
from duizhang.demo.reconciliation import demo_reconciliation
from duizhang.demo.statements import statements_demo_load

DATA = Path(__file__).parent / "data"
PASSWORD = "duizhang-demo"
SHANGHAI = ZoneInfo("Asia/Shanghai")

COMPANY = ("杭州云帆科技有限公司", "91330100MA2KX7B40F")

# code, name, aliases, USCC, credit limit, payment terms, status
CUSTOMERS = (
    ("C001", "上海明远贸易有限公司", ("明远贸易",), "91310000MA1FL8XQ0X", "300000", 30, "active"),
    ("C002", "苏州恒通电子有限公司", ("恒通电子",), "91320500MA1XY7G20M", "150000", 45, "active"),
    ("C003", "宁波海联物流有限公司", ("海联物流",), "91330200MA2GHK3L0R", "100000", 30, "active"),
    ("C004", "杭州绿源食品有限公司", (), "91330100MA28D7P50C", "50000", 30, "active"),
    ("C005", "南京博创软件有限公司", ("博创软件",), "91320100MA1N5K2R0C", "250000", 60, "active"),
    ("C006", "温州华美服饰有限公司", (), "91330300MA2HT6LW02", "0", 0, "inactive"),
)

# customer, name, email, phone, language, role, verified
CONTACTS = (
    ("C001", "王丽", "wangli@mingyuan.example.cn", "021-5888 1234", "zh-hans", "财务经理", True),
    ("C001", "David Chen", "david.chen@mingyuan.example.cn", "", "en", "CFO", False),
    ("C002", "李强", "liqiang@hengtong.example.cn", "0512-6655 7788", "zh-hans", "会计", True),
    ("C003", "张敏", "zhangmin@hailian.example.cn", "0574-8765 4321", "zh-hans", "出纳", True),
    ("C004", "陈静", "chenjing@lvyuan.example.cn", "0571-8123 4567", "zh-hans", "财务", False),
    ("C005", "刘洋", "liuyang@bochuang.example.cn", "025-8456 7890", "zh-hans", "应付主管", True),
    ("C006", "赵红", "zhaohong@huamei.example.cn", "0577-8899 0011", "zh-hans", "老板", False),
)

# customer, when (Shanghai time), channel, direction, summary
NOTES = (
    (
        "C001",
        "2026-09-03 10:15",
        "phone",
        "out",
        "王丽确认 9 月 2 日付款 45,585.00，差额 15.00 为银行手续费。",
    ),
    (
        "C005",
        "2026-10-20 14:30",
        "email",
        "out",
        "发送 8 月发票催款邮件，对方答复 11 月初再付 60,000.00。",
    ),
    ("C003", "2026-11-18 09:40", "wechat", "in", "张敏询问二期开发里程碑款的发票是否已寄出。"),
)

STAFF = (Role.CASHIER, Role.REVIEWER, Role.MANAGER, Role.AUDITOR)
PORTAL_USERS = (("customer1", "C001"), ("customer2", "C002"))

# source name, kind, customer code (None: several customers or a bank), account, file
SOURCES = (
    ("应收账款明细账", Source.Kind.OURS, None, "1122", "our_receivables.csv"),
    ("工商银行基本户", Source.Kind.BANK, None, "1202 0210 0910 0123 456", "bank_icbc.csv"),
    ("上海明远应付账款（客户提供）", Source.Kind.CUSTOMER, "C001", "", "c001_customer_ledger.csv"),
)


@dataclass(frozen=True, slots=True)
class DemoSummary:
    companies: int
    customers: int
    contacts: int
    sources: int
    batches: int
    entries: int
    users: int
    imports: tuple[ImportResult, ...]

    def counts(self) -> dict[str, int]:
        return {
            "companies": self.companies,
            "customers": self.customers,
            "contacts": self.contacts,
            "sources": self.sources,
            "batches": self.batches,
            "entries": self.entries,
            "users": self.users,
        }


def logins() -> list[tuple[str, str]]:
    """(user name, what it is) for every demo login; all share PASSWORD."""
    staff = [(role.value, role.value) for role in STAFF]
    portal = [(name, f"customer portal, {code}") for name, code in PORTAL_USERS]
    return staff + portal


def demo_load() -> DemoSummary:
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise ImproperlyConfigured(
            "demo data is for development only (DEMO_DATA_ALLOWED is off in these settings)"
        )
    with transaction.atomic():
        company = _company()
        customers = _customers(company)
        _contacts(customers)
        users = _users(customers)
        _notes(customers, users[Role.CASHIER.value])
        sources = _sources(company, customers)
        notifications_demo_load(users[Role.MANAGER.value])
    imports = tuple(
        entries_import(source=source, path=DATA / file, uploaded_by=users[Role.CASHIER.value])
        for source, file in sources
    )
    statements_demo_load(cashier=users[Role.CASHIER.value], customer_user=users["customer1"])
    demo_reconciliation(users[Role.CASHIER.value])
    return DemoSummary(
        companies=Company.objects.count(),
        customers=Customer.objects.count(),
        contacts=Contact.objects.count(),
        sources=Source.objects.count(),
        batches=ImportBatch.objects.count(),
        entries=Entry.objects.count(),
        users=User.objects.count(),
        imports=imports,
    )


def _company() -> Company:
    name, uscc = COMPANY
    company, _ = Company.objects.get_or_create(name=name, defaults={"uscc": uscc})
    return company


def _customers(company: Company) -> dict[str, Customer]:
    customers = {}
    for code, name, aliases, uscc, limit, terms, status in CUSTOMERS:
        customer, _ = Customer.objects.get_or_create(
            company=company,
            code=code,
            defaults={
                "name": name,
                "aliases": list(aliases),
                "uscc": uscc,
                "credit_limit": Decimal(limit),
                "payment_terms_days": terms,
                "status": status,
            },
        )
        customer.full_clean()
        customers[code] = customer
    return customers


def _contacts(customers: dict[str, Customer]) -> None:
    for code, name, email, phone, language, role, verified in CONTACTS:
        Contact.objects.get_or_create(
            customer=customers[code],
            name=name,
            defaults={
                "email": email,
                "phone": phone,
                "language": language,
                "role": role,
                "verified": verified,
            },
        )


def _users(customers: dict[str, Customer]) -> dict[str, User]:
    users = {}
    for role in STAFF:
        users[role.value] = _user(role.value, role)
    for name, code in PORTAL_USERS:
        users[name] = _user(name, Role.CUSTOMER)
        CustomerUser.objects.update_or_create(
            user=users[name], defaults={"customer": customers[code]}
        )
    return users


def _user(name: str, role: Role) -> User:
    user, created = User.objects.get_or_create(username=name)
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    user.groups.add(role_group(role))
    return user


def _notes(customers: dict[str, Customer], by: User) -> None:
    for code, when, channel, direction, summary in NOTES:
        at = datetime.strptime(when, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)
        CommunicationLog.objects.get_or_create(
            customer=customers[code],
            at=at,
            summary=summary,
            defaults={"channel": channel, "direction": direction, "by": by},
        )


def _sources(company: Company, customers: dict[str, Customer]) -> list[tuple[Source, str]]:
    sources = []
    for name, kind, code, account, file in SOURCES:
        source, _ = Source.objects.get_or_create(
            company=company,
            customer=customers[code] if code else None,
            name=name,
            defaults={"kind": kind, "account_number": account},
        )
        sources.append((source, file))
    return sources
