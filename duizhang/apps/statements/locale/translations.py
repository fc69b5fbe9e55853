"""The zh_Hans catalogue of the statement and dispute pages (apps statements and confirmations),
written as django.po and compiled to django.mo with polib. Django merges every installed app's
catalogue, so one file serves both apps. After changing a string:
    python duizhang/apps/statements/locale/translations.py
"""

from __future__ import annotations

from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent
CATALOGUE = HERE / "zh_Hans" / "LC_MESSAGES" / "django.po"

# Short words whose meaning depends on the page: (context, msgid) → msgstr.
CONTEXTS = {
    ("dispute", "open"): "未处理",
    ("period", "from"): "起始日期",
    ("period", "to"): "截止日期",
    ("disputes", "all"): "全部",
}
PLURALS = {("%(days)s day open", "%(days)s days open"): "已开启 %(days)s 天"}

ZH = {
    # pages
    "Statements": "对账单",
    "Dispute inbox": "争议收件箱",
    "Generate statement": "生成对账单",
    "Filter": "筛选",
    "Number": "编号",
    "Customer": "客户",
    "Period": "期间",
    "Closing balance": "期末余额",
    "Opening balance": "期初余额",
    "Lines": "明细",
    "Status": "状态",
    "Generated": "生成时间",
    "No statements yet.": "还没有对账单。",
    "Previous": "上一页",
    "Next": "下一页",
    "Page %(number)s of %(total)s": "第 %(number)s 页，共 %(total)s 页",
    "The statement is built from our receivables ledger and stored as PDF and Excel. Generating "
    "again for the same customer and period makes a new version; earlier versions never "
    "change.": "对账单根据我方应收账款明细账生成，并保存 PDF 和 Excel 文件。对同一客户、同一期间"
    "再次生成会产生新版本；已有版本永不改变。",
    "Generate": "生成",
    "replaced by a newer version": "已有更新版本",
    "New version": "生成新版本",
    "receivables only": "仅应收账款",
    "reversed pairs hidden": "已隐藏红冲",
    "generated": "生成于",
    "sent": "已发送",
    "Debits": "借方",
    "Credits": "贷方",
    "Date": "日期",
    "Reference": "凭证/单据号",
    "Description": "摘要",
    "Debit": "借方",
    "Credit": "贷方",
    "Balance": "余额",
    "No entries in the period.": "本期没有发生额。",
    "Send": "发送",
    "Once sent, the customer sees this version and can answer it; it never changes.": (
        "发送后客户即可查看并回复此版本；此版本不再改变。"
    ),
    "Mark as sent": "标记为已发送",
    "Customer's answer": "客户回函",
    "Answer": "回复",
    "Answered by": "回复人",
    "When": "时间",
    "Channel": "渠道",
    "Comment": "备注",
    "Record a paper or phone answer": "登记纸质或电话回函",
    "Record the answer": "登记回函",
    "Disputes": "争议",
    "Versions": "版本",
    "Subject": "主题",
    "Statement": "对账单",
    "Days open": "已开启天数",
    "Messages": "消息",
    "No disputes here.": "这里没有争议。",
    "Dispute": "争议",
    "opened": "开启于",
    "Resolved": "已解决",
    "Lines in question": "涉及的明细",
    "Amount": "金额",
    "from the customer": "来自客户",
    "Reply": "回复",
    "Send reply": "发送回复",
    "Reopen": "重新打开",
    "Change status": "更改状态",
    "Resolve": "解决",
    "Resolve the dispute": "解决争议",
    "Adjustments": "调整",
    "Attachment": "附件",
    # forms and messages
    "From": "起始日期",
    "Until": "截止日期",
    "Style": "格式",
    "Currency": "币种",
    "Empty: the customer's only currency.": "留空：使用客户唯一的币种。",
    "Language": "语言",
    "Receivables (1122) only": "仅应收账款（1122）",
    "Hide reversed pairs": "隐藏相互冲销的记录",
    "every status": "全部状态",
    "every customer": "全部客户",
    "Sent by": "发送方式",
    "Received by": "收到方式",
    "Scan of the signed reply (PDF or image)": "签章回函扫描件（PDF 或图片）",
    "Statement %(label)s generated.": "已生成对账单 %(label)s。",
    "Marked as sent.": "已标记为已发送。",
    "Check the answer: %(errors)s": "请检查回函：%(errors)s",
    "The answer is recorded.": "回函已登记。",
    "every open dispute": "全部未解决",
    "Open for at least (days)": "开启至少（天）",
    "Search": "搜索",
    "Message": "消息",
    "Note of what the customer said": "记录客户所述（来电等）",
    "Attachment (PDF or image, up to 10 MB)": "附件（PDF 或图片，最大 10 MB）",
    "Outcome": "处理结果",
    "How it was resolved": "处理说明",
    "Adjustment date": "调整日期",
    "Adjustment amount": "调整金额",
    "Adjustment description": "调整摘要",
    "An adjustment needs a date, an amount and a description.": "调整需要填写日期、金额和摘要。",
    "Write a message first.": "请先填写消息。",
    "Message added.": "消息已添加。",
    "Status changed.": "状态已更改。",
    "The dispute is resolved.": "争议已解决。",
    # models
    "draft": "草稿",
    "confirmed": "已确认",
    "disputed": "有争议",
    "balance forward": "余额结转式",
    "open items": "未清项式",
    "number": "编号",
    "version": "版本",
    "status": "状态",
    "issued": "出具日期",
    "style": "格式",
    "language": "语言",
    "hide reversed pairs": "隐藏红冲",
    "opening balance": "期初余额",
    "closing balance": "期末余额",
    "debits": "借方合计",
    "credits": "贷方合计",
    "lines": "明细行数",
    "generated at": "生成时间",
    "sent at": "发送时间",
    "statement": "对账单",
    "statements": "对账单",
    "portal": "客户门户",
    "email link": "邮件链接",
    "email": "电子邮件",
    "paper": "纸质回函",
    "phone": "电话",
    "balance agrees": "余额相符",
    "does not agree": "余额不符",
    "answer": "回复",
    "channel": "渠道",
    "answered by": "回复人",
    "IP address": "IP 地址",
    "answered at": "回复时间",
    "comment": "备注",
    "confirmation": "询证回函",
    "confirmations": "询证回函",
    "waiting for the customer": "等待客户",
    "waiting for us": "等待我方",
    "resolved": "已解决",
    "corrected in our books": "我方已更正",
    "error in the customer's books": "客户方记账错误",
    "timing difference": "时间性差异",
    "written off": "已核销",
    "withdrawn by the customer": "客户撤回",
    "subject": "主题",
    "outcome": "处理结果",
    "resolution": "处理说明",
    "dispute": "争议",
    "disputes": "争议",
    "line on our statement": "对账单明细",
    "entry we do not have": "我方未记录",
    "kind": "类型",
    "entry": "记录",
    "date": "日期",
    "reference": "单据号",
    "description": "摘要",
    "amount": "金额",
    "disputed line": "争议明细",
    "disputed lines": "争议明细",
    "adjustment": "调整",
    "adjustments": "调整",
    "message": "消息",
    "time": "时间",
    "dispute message": "争议消息",
    "dispute messages": "争议消息",
    "file name": "文件名",
    "size": "大小",
    "attachment": "附件",
    "attachments": "附件",
}


def write() -> None:
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Project-Id-Version": "duizhang statements",
        "Language": "zh_Hans",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    for msgid, msgstr in ZH.items():
        flags = ["python-format"] if "%(" in msgid else []
        catalogue.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=flags))
    for (context, msgid), msgstr in CONTEXTS.items():
        catalogue.append(polib.POEntry(msgctxt=context, msgid=msgid, msgstr=msgstr))
    for (singular, plural), msgstr in PLURALS.items():
        catalogue.append(
            polib.POEntry(
                msgid=singular,
                msgid_plural=plural,
                msgstr_plural={0: msgstr},
                flags=["python-format"],
            )
        )
    CATALOGUE.parent.mkdir(parents=True, exist_ok=True)
    catalogue.save(str(CATALOGUE))
    catalogue.save_as_mofile(str(CATALOGUE.with_suffix(".mo")))


if __name__ == "__main__":
    write()
