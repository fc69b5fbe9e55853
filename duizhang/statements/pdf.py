"""The statement as an A4 PDF a finance department signs and seals.

The HTML comes from a Django template rendered by a standalone `Engine` (no settings, no
`django.setup()`), fed with text only: every amount and date is formatted here, so nothing in
the template reaches Django's settings-dependent localisation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template import Context, Engine

from duizhang.documents.pdf import render_pdf
from duizhang.statements.capital import capital_amount
from duizhang.statements.labels import bucket_names, day, labels, money, money_or_blank, title
from duizhang.statements.model import Statement, Style

TEMPLATES = Path(__file__).parent / "templates"
_ENGINE = Engine(dirs=[str(TEMPLATES)], autoescape=True)
_CSS = (TEMPLATES / "statements" / "statement.css").read_text(encoding="utf-8")


def statement_pdf(statement: Statement) -> bytes:
    return render_pdf(statement_html(statement), stylesheets=(_CSS, _page_numbers(statement)))


def statement_html(statement: Statement) -> str:
    template = _ENGINE.get_template("statements/statement.html")
    return template.render(Context(_context(statement), autoescape=True))


def _page_numbers(statement: Statement) -> str:
    """第 1 页 共 N 页 / Page 1 of N at the foot of every page."""
    words = labels(statement.language)
    parts = (words["page_of_prefix"], words["page_of_middle"], words["page_of_suffix"])
    quoted = [f'"{part}"' for part in parts]
    content = f"{quoted[0]} counter(page) {quoted[1]} counter(pages) {quoted[2]}"
    return f"@page {{ @bottom-center {{ content: {content}; }} }}"


def _context(statement: Statement) -> dict[str, Any]:
    words = labels(statement.language)
    currency = statement.currency

    def amount(value: Any) -> str:
        return money(value, currency)

    closing = amount(statement.closing)
    owed = statement.closing >= 0
    facts = {
        "end": day(statement.period_end),
        "currency": currency,
        "closing": amount(abs(statement.closing)) if not owed else closing,
        "number": statement.number,
        "company": statement.company.name,
    }
    capital = capital_amount(statement.closing) if currency == "CNY" else ""
    return {
        "lang": "en" if statement.language == "en" else "zh-Hans",
        "w": words,
        "title": title(statement),
        "company": statement.company,
        "customer": statement.customer,
        "number": statement.number,
        "version": str(statement.version) if statement.version else "",
        "issued": day(statement.issued),
        "period_start": day(statement.period_start),
        "period_end": day(statement.period_end),
        "currency": currency,
        "balance_forward": statement.style is Style.BALANCE_FORWARD,
        "opening": amount(statement.opening),
        "total_debit": amount(statement.total_debit),
        "total_credit": amount(statement.total_credit),
        "closing": closing,
        "capital": (("人民币" if statement.language != "en" else "RMB ") + capital)
        if capital
        else f"{currency} {closing}",
        "lines": [
            {
                "date": day(line.date),
                "reference": line.reference,
                "description": line.description,
                "debit": money_or_blank(line.debit, currency),
                "credit": money_or_blank(line.credit, currency),
                "balance": amount(line.balance),
            }
            for line in statement.lines
        ],
        "hidden_reversed": words["hidden_reversed"].format(count=statement.hidden_reversed)
        if statement.hidden_reversed
        else "",
        "bucket_names": bucket_names(statement.language),
        "aging": [amount(total) for total in statement.aging],
        "open_items": [
            {
                "date": day(item.date),
                "reference": item.reference,
                "description": item.description,
                "due_date": day(item.due_date),
                "original": amount(item.original),
                "open": amount(item.open),
                "age": str(item.age_days),
            }
            for item in statement.open_items
        ],
        "note": (words["note"] if owed else words["note_credit"]).format(**facts),
        "our_seal": words["our_seal"].format(**facts),
        "slip_to": words["slip_to"].format(**facts),
        "slip_text": words["slip_text"].format(**{**facts, "closing": closing}),
    }
