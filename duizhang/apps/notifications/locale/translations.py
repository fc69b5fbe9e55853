"""The notification pages' zh_Hans catalogue, written as django.po and compiled to django.mo.

The app keeps its own catalogue (Django reads every installed app's locale/). After changing a
string:
    python duizhang/apps/notifications/locale/translations.py
"""

from __future__ import annotations

from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent
CATALOGUE = HERE / "zh_Hans" / "LC_MESSAGES" / "django.po"

PLURALS = {("%(counter)s email", "%(counter)s emails"): "%(counter)s 封邮件"}

ZH = {
    "%(count)s message(s) queued.": "已排队 %(count)s 封邮件。",
    "Attachment": "附件",
    "Attempts": "发送记录",
    "Cancel": "取消",
    "Cc": "抄送",
    "Changed": "修改时间",
    "Customer": "客户",
    "Days past due": "逾期天数",
    "Delivery log": "发送日志",
    "Edit email template": "编辑邮件模板",
    "Email templates": "邮件模板",
    "Emails": "邮件数",
    "Error or server's answer": "错误或服务器答复",
    "Filter": "筛选",
    "It arrived": "已送达",
    "Kind": "类型",
    "Language": "语言",
    "Last run": "上次运行",
    "Levels are whole numbers of days.": "提醒级别须为整数天数。",
    "Marked as delivered.": "已标记为送达。",
    "Message-ID": "Message-ID",
    "Month-end statements cover the calendar month before the run. Overdue reminders go out "
    "once per document and level; the copy address receives every email of the rule.": (
        "月末对账单覆盖运行日前一个自然月。逾期提醒对每张单据每个级别只发一次；"
        "抄送地址会收到该规则的每封邮件。"
    ),
    "Needs attention": "需要处理",
    "New reminder level": "新增提醒级别",
    "New rule": "新建规则",
    "Next": "下一页",
    "Next due": "下次到期",
    "No emails.": "没有邮件。",
    "No rules yet.": "尚无规则。",
    "Not tried yet.": "尚未发送。",
    "Nothing has run yet.": "尚未运行。",
    "Nothing to do: this period has run already.": "无需运行：本期已运行过。",
    "Notifications": "通知",
    "Outcome": "结果",
    "Outcome unknown": "结果未知",
    "Period": "期间",
    "Preview": "预览",
    "Previous": "上一页",
    "Queued": "排队时间",
    "Queued again.": "已重新排队。",
    "Recent runs": "最近运行",
    "Rule": "规则",
    "Rule saved.": "规则已保存。",
    "Rules": "规则",
    "Run now": "立即运行",
    "Save": "保存",
    "Schedule": "计划",
    "Schedule failed": "计划运行失败",
    "Schedules": "计划",
    "Send again": "重新发送",
    "Server's answer": "服务器答复",
    "Skipped": "跳过",
    "Status": "状态",
    "Subject": "主题",
    "Tags: if, for, comment. Filters: default, length, upper, lower, title, truncatechars, join, "
    "first, last, date, yesno, pluralize.": (
        "可用标签：if、for、comment。可用过滤器：default、length、upper、lower、title、"
        "truncatechars、join、first、last、date、yesno、pluralize。"
    ),
    "Template saved.": "模板已保存。",
    "The run failed: %(error)s": "运行失败：%(error)s",
    "The sender stopped after handing this email to the mail server: it may or may not have "
    "arrived. Ask the customer or check the server's log, then decide. Sending again uses the "
    "same Message-ID, so most mail programs show one copy.": (
        "发送程序在把邮件交给邮件服务器后中断：邮件可能已送达，也可能没有。"
        "请向客户确认或查看服务器日志后再决定。重新发送使用相同的 Message-ID，"
        "多数邮件客户端只显示一封。"
    ),
    "The sender stopped after handing the message to the server.": "发送程序在把邮件交给服务器后中断。",
    "This email failed. Correct the address or the server, then queue it again.": (
        "这封邮件发送失败。请更正地址或服务器设置后重新排队。"
    ),
    "To": "收件人",
    "Variables": "可用变量",
    "What": "事项",
    "When": "时间",
    "With the data of": "使用以下客户的数据",
    "attach the statement PDF": "附上对账单 PDF",
    "attempts": "尝试次数",
    "body": "正文",
    "cc": "抄送",
    "changed": "修改时间",
    "confirmation reminder": "确认提醒",
    "copy to (account manager)": "抄送（客户经理）",
    "customer": "客户",
    "customers (none: all active)": "客户（不选：全部有效客户）",
    "customers skipped": "跳过的客户",
    "days past due": "逾期天数",
    "days past due (overdue reminders; 0: every level)": "逾期天数（逾期提醒用；0：所有级别）",
    "decided by a manager": "经理已处理",
    "digest of new transactions": "新往来摘要",
    "dispute reply": "异议答复",
    "email": "邮件",
    "email template": "邮件模板",
    "email templates": "邮件模板",
    "enabled": "启用",
    "error": "错误",
    "failed": "失败",
    "finished": "结束时间",
    "idempotency key": "幂等键",
    "kind": "类型",
    "language": "语言",
    "late": "逾时未运行",
    "messages queued": "排队邮件数",
    "minute hour day-of-month month day-of-week, e.g. 0 9 1 * * (9:00 on the 1st)": (
        "分 时 日 月 星期，例如 0 9 1 * *（每月 1 日 9:00）"
    ),
    "month-end statement": "月末对账单",
    "name": "名称",
    "new transactions": "新往来",
    "next attempt": "下次尝试",
    "notification rule": "通知规则",
    "notification rules": "通知规则",
    "notifications": "通知",
    "off": "已停用",
    "on behalf of": "代表",
    "outbox": "发件箱",
    "outcome unknown": "结果未知",
    "overdue reminder": "逾期提醒",
    "overdue reminders": "逾期提醒",
    "period": "期间",
    "portal account": "门户账户",
    "queued": "排队中",
    "queued at": "排队时间",
    "reminder levels (days)": "提醒级别（天数）",
    "confirmation reminders": "确认提醒",
    "reminder levels (days past due, e.g. 7, 14, 30)": "提醒级别（逾期天数，例如 7, 14, 30）",
    "schedule": "计划",
    "schedule run": "计划运行",
    "schedule runs": "计划运行",
    "schedule runs and emails that need attention": "需要处理的计划运行和邮件",
    "sender stopped after handing over": "交给服务器后中断",
    "sender stopped before sending; queued again": "发送前中断，已重新排队",
    "sending": "发送中",
    "sent": "已发送",
    "server's answer": "服务器答复",
    "started": "开始时间",
    "statement ready": "对账单已出",
    "status": "状态",
    "subject": "主题",
    "succeeded": "成功",
    "temporary failure": "暂时失败",
    "to": "收件人",
}


def write() -> None:
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Project-Id-Version": "duizhang notifications",
        "Language": "zh_Hans",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    for msgid, msgstr in ZH.items():
        flags = ["python-format"] if "%(" in msgid else []
        catalogue.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=flags))
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
