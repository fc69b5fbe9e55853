"""The templates a new installation starts with, and the variables each kind may use.

Amounts arrive as formatted text (12,345.00), dates as dates (use |date:"Y-m-d").
"""

from __future__ import annotations

from duizhang.apps.notifications.models import Language, TemplateKind

COMMON = {
    "company.name": "our company",
    "customer.code": "the customer's code",
    "customer.name": "the customer's name",
    "contact.name": "the name of the contact written to",
    "today": "the date the message is written",
}

ITEM = "reference, date, due_date, days_overdue, original, open (what is left after payments)"

VARIABLES: dict[str, dict[str, str]] = {
    TemplateKind.STATEMENT: {
        "statement.period_start": "first day of the period",
        "statement.period_end": "last day of the period",
        "statement.closing": "balance owed at the period end",
        "statement.currency": "currency code",
        "statement.open_items": f"documents still open at the period end: {ITEM}",
        "attached": "true when the PDF is attached",
        "link": "signed link to confirm the statement online (empty when there is none)",
    },
    TemplateKind.CONFIRMATION_REMINDER: {
        "statement.number": "the statement's number",
        "statement.period_end": "last day of the period",
        "statement.sent_on": "when it was sent",
        "link": "signed link to confirm the statement online",
    },
    TemplateKind.OVERDUE: {
        "level": "days past due this reminder is for (7, 14, 30 …)",
        "items": f"every overdue document: {ITEM}",
        "total_open": "total overdue",
        "currency": "currency code",
    },
    TemplateKind.DIGEST: {
        "entries": "the new lines: date, reference, description, amount",
        "count": "how many",
    },
    TemplateKind.DISPUTE_REPLY: {
        "dispute.number": "the dispute's number",
        "dispute.subject": "what it is about",
        "reply": "our answer",
        "link": "link to the dispute in the portal",
    },
    TemplateKind.ACCOUNT: {
        "subject": "what the message is about",
        "text": "the message",
        "link": "the link to follow",
    },
}

_ZH = Language.CHINESE
_EN = Language.ENGLISH

DEFAULTS: dict[tuple[str, str], tuple[str, str]] = {
    (TemplateKind.STATEMENT, _ZH): (
        "{{ company.name }} 对账单（{{ statement.period_start|date:'Y年n月j日' }}至{{ statement.period_end|date:'Y年n月j日' }}）",
        """{{ contact.name }}，您好：

贵司（{{ customer.name }}）截至 {{ statement.period_end|date:'Y年n月j日' }} 尚欠我司 {{ statement.currency }} {{ statement.closing }}。
{% if statement.open_items %}
未结清单据：
{% for item in statement.open_items %}  {{ item.reference }}  {{ item.date|date:'Y-m-d' }}  到期 {{ item.due_date|date:'Y-m-d' }}  原金额 {{ item.original }}  未付 {{ item.open }}
{% endfor %}{% endif %}
{% if attached %}对账单 PDF 见附件。{% endif %}{% if link %}请点击以下链接在线确认或提出异议：
{{ link }}{% endif %}

如有疑问，请直接回复本邮件。

{{ company.name }} 财务部
""",
    ),
    (TemplateKind.STATEMENT, _EN): (
        "{{ company.name }} statement {{ statement.period_start|date:'Y-m-d' }} to {{ statement.period_end|date:'Y-m-d' }}",
        """Dear {{ contact.name }},

As of {{ statement.period_end|date:'j F Y' }}, {{ customer.name }} owes us {{ statement.currency }} {{ statement.closing }}.
{% if statement.open_items %}
Open documents:
{% for item in statement.open_items %}  {{ item.reference }}  {{ item.date|date:'Y-m-d' }}  due {{ item.due_date|date:'Y-m-d' }}  original {{ item.original }}  open {{ item.open }}
{% endfor %}{% endif %}
{% if attached %}The statement is attached as a PDF. {% endif %}{% if link %}Please confirm it or tell us what differs here:
{{ link }}{% endif %}

Reply to this email with any question.

{{ company.name }}, Finance
""",
    ),
    (TemplateKind.CONFIRMATION_REMINDER, _ZH): (
        "提醒：请确认对账单 {{ statement.number }}",
        """{{ contact.name }}，您好：

我司于 {{ statement.sent_on|date:'Y年n月j日' }} 发送的对账单 {{ statement.number }}（截至 {{ statement.period_end|date:'Y年n月j日' }}）尚未收到贵司确认。
请点击以下链接确认或提出异议：
{{ link }}

{{ company.name }} 财务部
""",
    ),
    (TemplateKind.CONFIRMATION_REMINDER, _EN): (
        "Reminder: please confirm statement {{ statement.number }}",
        """Dear {{ contact.name }},

We have not yet received your confirmation of statement {{ statement.number }} (to {{ statement.period_end|date:'Y-m-d' }}), sent on {{ statement.sent_on|date:'Y-m-d' }}.
Please confirm it or tell us what differs here:
{{ link }}

{{ company.name }}, Finance
""",
    ),
    (TemplateKind.OVERDUE, _ZH): (
        "付款提醒：{{ customer.name }} 逾期款项 {{ currency }} {{ total_open }}",
        """{{ contact.name }}，您好：

以下款项已逾期（逾期 {{ level }} 天以上），合计 {{ currency }} {{ total_open }}：
{% for item in items %}  {{ item.reference }}  开票 {{ item.date|date:'Y-m-d' }}  到期 {{ item.due_date|date:'Y-m-d' }}  逾期 {{ item.days_overdue }} 天  未付 {{ item.open }}{% if item.open != item.original %}（原金额 {{ item.original }}）{% endif %}
{% endfor %}
如已付款请忽略本提醒，并告知付款日期以便核对。

{{ company.name }} 财务部
""",
    ),
    (TemplateKind.OVERDUE, _EN): (
        "Payment reminder: {{ currency }} {{ total_open }} overdue",
        """Dear {{ contact.name }},

The following documents are overdue (more than {{ level }} days), {{ currency }} {{ total_open }} in all:
{% for item in items %}  {{ item.reference }}  dated {{ item.date|date:'Y-m-d' }}  due {{ item.due_date|date:'Y-m-d' }}  {{ item.days_overdue }} days overdue  open {{ item.open }}{% if item.open != item.original %} (of {{ item.original }}){% endif %}
{% endfor %}
If you have paid already, please ignore this reminder and tell us the payment date.

{{ company.name }}, Finance
""",
    ),
    (TemplateKind.DIGEST, _ZH): (
        "{{ company.name }}：{{ count }} 笔新的往来记录",
        """{{ contact.name }}，您好：

我司账上新增以下与贵司的往来记录：
{% for entry in entries %}  {{ entry.date|date:'Y-m-d' }}  {{ entry.reference }}  {{ entry.description }}  {{ entry.amount }}
{% endfor %}
{{ company.name }} 财务部
""",
    ),
    (TemplateKind.DIGEST, _EN): (
        "{{ company.name }}: {{ count }} new transaction{{ count|pluralize }}",
        """Dear {{ contact.name }},

These transactions with you were booked in our ledger:
{% for entry in entries %}  {{ entry.date|date:'Y-m-d' }}  {{ entry.reference }}  {{ entry.description }}  {{ entry.amount }}
{% endfor %}
{{ company.name }}, Finance
""",
    ),
    (TemplateKind.DISPUTE_REPLY, _ZH): (
        "关于异议 {{ dispute.number }} 的答复",
        """{{ contact.name }}，您好：

关于贵司提出的异议“{{ dispute.subject }}”，我司答复如下：

{{ reply }}

查看详情：{{ link }}

{{ company.name }} 财务部
""",
    ),
    (TemplateKind.DISPUTE_REPLY, _EN): (
        "Our reply on dispute {{ dispute.number }}",
        """Dear {{ contact.name }},

About your query "{{ dispute.subject }}", our answer:

{{ reply }}

Details: {{ link }}

{{ company.name }}, Finance
""",
    ),
    (TemplateKind.ACCOUNT, _ZH): (
        "{{ company.name }} 客户门户：{{ subject }}",
        """{{ contact.name }}，您好：

{{ text }}

{{ link }}

{{ company.name }}
""",
    ),
    (TemplateKind.ACCOUNT, _EN): (
        "{{ company.name }} customer portal: {{ subject }}",
        """Dear {{ contact.name }},

{{ text }}

{{ link }}

{{ company.name }}
""",
    ),
}
