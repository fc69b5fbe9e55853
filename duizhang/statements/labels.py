"""What the printed statement and the workbook say, in Chinese (default) or English, and how
they write amounts and dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from duizhang.engine.money import quantize
from duizhang.statements.model import AGING_BUCKETS, Statement, Style

ZH = {
    "colon": "：",
    "open_paren": "（",
    "close_paren": "）",
    "title": "对账单",
    "title_open_item": "往来对账函（未结清单据）",
    "company_address": "地址",
    "company_phone": "电话",
    "company_tax_id": "纳税人识别号",
    "company_bank": "开户银行",
    "company_account": "银行账号",
    "customer_name": "客户名称",
    "customer_code": "客户编码",
    "customer_uscc": "统一社会信用代码",
    "number": "对账单编号",
    "version": "版本",
    "issued": "对账日期",
    "period": "对账期间",
    "period_to": "至",
    "currency": "币种",
    "opening": "期初余额",
    "period_debit": "本期借方",
    "period_credit": "本期贷方",
    "closing": "期末余额",
    "date": "日期",
    "reference": "单据号",
    "description": "摘要",
    "debit": "借方",
    "credit": "贷方",
    "balance": "余额",
    "totals": "本期合计",
    "capital": "期末余额（大写）",
    "lines_sheet": "对账单",
    "open_items": "未结清单据",
    "aging": "账龄分析",
    "as_of": "截至",
    "due_date": "到期日",
    "original": "原始金额",
    "open": "未结金额",
    "age": "账龄（天）",
    "total": "合计",
    "bucket": "{first}–{last} 天",
    "bucket_open": "{over} 天以上",
    "no_lines": "本期无发生额",
    "no_open_items": "无未结清单据",
    "hidden_reversed": "已隐藏 {count} 笔互相冲销的分录（不影响余额）",
    "note": (
        "截至 {end}，贵公司尚欠我公司 {currency} {closing}。请核对上述往来明细；"
        "如有不符，请在回函中列明差异，盖章后于收到本对账单之日起 15 日内寄回或扫描发送我公司。"
    ),
    "note_credit": (
        "截至 {end}，我公司尚欠贵公司 {currency} {closing}。请核对上述往来明细；"
        "如有不符，请在回函中列明差异，盖章后于收到本对账单之日起 15 日内寄回或扫描发送我公司。"
    ),
    "our_seal": "{company}（盖章）",
    "slip_title": "询证回函",
    "slip_cut": "请沿此线剪下，盖章后寄回",
    "slip_to": "致 {company}：",
    "slip_text": (
        "贵公司编号为 {number} 的对账单已收悉。截至 {end}，对账单所列我公司余额为 "
        "{currency} {closing}，经核对："
    ),
    "slip_agree": "上述余额相符",
    "slip_disagree": "上述余额不符，差异如下：",
    "slip_seal": "客户盖章",
    "slip_signature": "经办人签字",
    "slip_date": "日期：　　　　年　　月　　日",
    "page_of_prefix": "第 ",
    "page_of_middle": " 页 共 ",
    "page_of_suffix": " 页",
}

EN = {
    "colon": ": ",
    "open_paren": " (",
    "close_paren": ")",
    "title": "Statement of Account",
    "title_open_item": "Statement of Open Items",
    "company_address": "Address",
    "company_phone": "Phone",
    "company_tax_id": "Tax ID",
    "company_bank": "Bank",
    "company_account": "Account no.",
    "customer_name": "Customer",
    "customer_code": "Customer code",
    "customer_uscc": "USCC",
    "number": "Statement no.",
    "version": "Version",
    "issued": "Date",
    "period": "Period",
    "period_to": "to",
    "currency": "Currency",
    "opening": "Opening balance",
    "period_debit": "Debits",
    "period_credit": "Credits",
    "closing": "Closing balance",
    "date": "Date",
    "reference": "Reference",
    "description": "Description",
    "debit": "Debit",
    "credit": "Credit",
    "balance": "Balance",
    "totals": "Period totals",
    "capital": "Closing balance in words (大写)",
    "lines_sheet": "Statement",
    "open_items": "Open items",
    "aging": "Aging",
    "as_of": "as of",
    "due_date": "Due date",
    "original": "Original",
    "open": "Open",
    "age": "Age (days)",
    "total": "Total",
    "bucket": "{first}–{last} days",
    "bucket_open": "over {over} days",
    "no_lines": "No transactions in the period",
    "no_open_items": "No open items",
    "hidden_reversed": "{count} entries that reverse each other are not shown (no effect on the balance)",
    "note": (
        "As of {end} you owe us {currency} {closing}. Please check the items above and, if they "
        "do not agree with your books, state the differences on the confirmation below and "
        "return it signed and sealed within 15 days."
    ),
    "note_credit": (
        "As of {end} we owe you {currency} {closing}. Please check the items above and, if they "
        "do not agree with your books, state the differences on the confirmation below and "
        "return it signed and sealed within 15 days."
    ),
    "our_seal": "{company} (seal)",
    "slip_title": "Balance Confirmation",
    "slip_cut": "Cut here, sign, seal and return",
    "slip_to": "To {company}:",
    "slip_text": (
        "We have received your statement no. {number}. Its balance as of {end} is "
        "{currency} {closing}, and having checked it:"
    ),
    "slip_agree": "the balance above agrees with our books",
    "slip_disagree": "the balance above does not agree; differences:",
    "slip_seal": "Company seal",
    "slip_signature": "Signature",
    "slip_date": "Date:",
    "page_of_prefix": "Page ",
    "page_of_middle": " of ",
    "page_of_suffix": "",
}


def labels(language: str) -> dict[str, str]:
    return EN if language == "en" else ZH


def money(amount: Decimal, currency: str) -> str:
    """Thousands separators and the currency's decimals: 12,345.67, -1,000.00."""
    value = quantize(amount, currency)
    if value == 0:
        value = abs(value)  # no "-0.00"
    return f"{value:,f}"


def money_or_blank(amount: Decimal, currency: str) -> str:
    return money(amount, currency) if amount else ""


def day(value: date) -> str:
    return value.isoformat()


def title(statement: Statement) -> str:
    words = labels(statement.language)
    return words["title_open_item"] if statement.style is Style.OPEN_ITEM else words["title"]


def bucket_names(language: str) -> list[str]:
    words = labels(language)
    names = []
    for first, last in AGING_BUCKETS:
        if last is None:
            names.append(words["bucket_open"].format(over=first - 1))
        else:
            names.append(words["bucket"].format(first=first, last=last))
    return names
