"""The reconciliation pages' zh_Hans catalogue, written as django.po and compiled to django.mo.

The app keeps its own catalogue (Django reads every installed app's locale/) so that its strings
do not collide with edits to the shared one. After changing a string:
    python duizhang/apps/reconciliations/locale/translations.py
"""

from __future__ import annotations

from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent
CATALOGUE = HERE / "zh_Hans" / "LC_MESSAGES" / "django.po"

PLURALS = {
    ("%(n)s line", "%(n)s lines"): "%(n)s 行",
    (
        "%(n)s more matched group is listed in the Excel workbook.",
        "%(n)s more matched groups are listed in the Excel workbook.",
    ): "另有 %(n)s 个已匹配组见 Excel 工作簿。",
}

ZH = {
    "Page %(number)s of %(total)s": "第 %(number)s 页，共 %(total)s 页",
    "Explain": "说明差异",
    "Save": "保存",
    "Explanation": "差异说明",
    "Comment (required)": "备注（必填）",
    "Adjusting entry text (errors on our side)": "调整分录摘要（我方差错时）",
    "Balance reconciliation statement": "余额调节表",
    "Ours": "我方",
    "Theirs": "对方",
    "The adjusted balances agree.": "调节后余额相符。",
    "The adjusted balances do not agree.": "调节后余额不相符。",
    "Excel": "导出 Excel",
    "PDF": "导出 PDF",
    "Run again": "重新匹配",
    "from the first entry": "自首笔记录起",
    "Prepared by": "编制人",
    "Reviewed by": "复核人",
    "The last run failed:": "上次匹配失败：",
    "Matching in progress": "正在匹配",
    "This page refreshes by itself when the run is finished.": "匹配完成后本页会自动刷新。",
    "Matched groups": "已匹配组",
    "Differences to explain": "待说明差异",
    "Unmatched lines": "未匹配记录",
    "Suggestions": "建议",
    "Adjusted balances": "调节后余额",
    "agree": "相符",
    "do not agree": "不相符",
    "Submit for review": "提交复核",
    "In preparation by the cashier.": "出纳编制中。",
    "Approve": "复核通过",
    "Return to preparer": "退回编制人",
    "Reopen": "重新打开",
    "Unmatched": "未匹配",
    "Matched": "已匹配",
    "Differences": "差异",
    "Statement": "余额调节表",
    "History": "操作记录",
    "Keyboard": "快捷键",
    "Keyboard shortcuts": "键盘快捷键",
    "next / previous line": "下一行 / 上一行",
    "select or unselect the line": "选中或取消选中当前行",
    "match the selected lines (asks for the comment first)": "匹配所选记录（先填写备注）",
    "search": "搜索",
    "show or hide this help": "显示或隐藏本帮助",
    "Run the matching again after new imports; manual decisions are kept.": (
        "导入新数据后重新匹配；手工处理的结果会保留。"
    ),
    "Note for the reviewer (optional)": "给复核人的说明（选填）",
    "Comment (optional when approving, required when returning)": "意见（通过时选填，退回时必填）",
    "Why reopen? (required)": "重新打开的原因（必填）",
    "%(n)s not explained": "%(n)s 条未说明",
    "Submitted by %(who)s; waiting for a reviewer who did not prepare it.": (
        "%(who)s 已提交，等待非编制人的复核人复核。"
    ),
    "Approved by %(who)s on %(when)s; locked.": "%(who)s 于 %(when)s 复核通过，已锁定。",
    "Reconciliations": "对账",
    "New reconciliation": "新建对账",
    "Compared with": "对账对象",
    "Period": "期间",
    "Created": "创建时间",
    "No reconciliations yet.": "还没有对账。",
    "The matching runs in the background; you can follow its progress on the next page.": (
        "匹配在后台进行，下一页可查看进度。"
    ),
    "Create and run": "创建并匹配",
    "Our ledger": "我方账簿",
    "Printed": "打印时间",
    "Item": "项目",
    "Group": "组",
    "Method": "匹配依据",
    "Difference": "差额",
    "No differences within matched groups.": "已匹配组内没有差额。",
    "Side": "方",
    "Entry": "凭证/单号",
    "Reason": "原因",
    "Nothing unmatched.": "没有未匹配记录。",
    "Proposed adjusting entries": "建议调整分录",
    "For": "针对",
    "Entry text": "分录摘要",
    "Comment": "备注",
    "Proposed by": "提出人",
    "No adjusting entries proposed.": "没有建议的调整分录。",
    "Rule": "规则",
    "No matched groups.": "没有已匹配组。",
    "Customer confirmation (seal)": "客户确认（盖章）",
    "Filter": "筛选",
    "Adjusting entry": "调整分录",
    "Unmatch": "取消匹配",
    "No groups here.": "这里没有匹配组。",
    "Search group, reference, text or amount": "搜索组号、参考号、摘要或金额",
    "Why are these not the same? (required)": "为什么不是同一笔？（必填）",
    "Time": "时间",
    "User": "用户",
    "Action": "操作",
    "Details": "详情",
    "Nothing recorded yet.": "暂无记录。",
    "Differences explained": "已说明的差异",
    "Count": "笔数",
    "Nothing explained yet.": "尚未说明任何差异。",
    "Suggestion": "建议",
    "Decision": "处理",
    "Accept": "接受",
    "Reject": "拒绝",
    "No open suggestions.": "没有待处理的建议。",
    "Both sides": "双方",
    "Every reason": "全部原因",
    "Nothing unmatched here.": "这里没有未匹配记录。",
    "selected": "条已选",
    "Match selected": "匹配所选",
    "Search reference, text or amount": "搜索参考号、摘要或金额",
    "Select": "选择",
    "Why do these belong together? (required)": "为什么是同一笔？（必填）",
    "Balance per books": "账面余额",
    "Add: booked by them, not by us": "加：对方已记、我方未记",
    "Add: booked by us, not by them": "加：我方已记、对方未记",
    "Less: differences within matched groups": "减：已匹配组内差额",
    "Adjusted balance": "调节后余额",
    "Summary": "汇总",
    "Adjustments": "调整分录",
    "Review": "复核",
    "Groups with a difference": "有差额的组",
    "Differences not yet explained": "未说明的差额",
    "Unmatched lines not yet explained": "未说明的未匹配记录",
    "Open suggestions": "待处理建议",
    "The customer's ledger or one of our bank accounts.": "客户的账簿或我方的银行账户。",
    "From": "起始日期",
    "Empty: from the first entry, so the statement shows the full balance.": (
        "留空：自首笔记录起，调节表显示完整余额。"
    ),
    "Until": "截止日期",
    "Adjusting entry amount": "调整分录金额",
    "Errors on our side: empty proposes the amount that closes the difference.": (
        "我方差错：留空则建议能消除差额的金额。"
    ),
    "Adjusting entry text": "调整分录摘要",
    "in preparation": "编制中",
    "submitted for review": "待复核",
    "approved": "已复核",
    "queued": "排队中",
    "running": "匹配中",
    "done": "已完成",
    "failed": "失败",
    "our ledger": "我方账簿",
    "compared with": "对账对象",
    "from": "起始日期",
    "Empty: from the first entry.": "留空：自首笔记录起。",
    "until": "截止日期",
    "prepared by": "编制人",
    "created": "创建时间",
    "How many times it was submitted; each review decides one.": "提交次数；每次复核处理一次提交。",
    "reviewed by": "复核人",
    "reconciliation": "对账",
    "reconciliations": "对账",
    "returned": "已退回",
    "ours": "我方",
    "theirs": "对方",
    "automatic": "自动",
    "by hand": "手工",
    "accepted suggestion": "采纳的建议",
    "rule": "规则",
    "method": "匹配依据",
    "difference": "差额",
    "Ours less theirs.": "我方减对方。",
    "no counterpart on the other side": "对方无对应记录",
    "timing (near the period end)": "时间性差异（期末前后）",
    "possible duplicate": "疑似重复",
    "unmatched by hand": "手工取消匹配",
    "open": "待处理",
    "rejected": "已拒绝",
    "timing difference": "时间性差异",
    "bank or platform fee": "银行或平台手续费",
    "discount": "折扣",
    "error on our side": "我方差错",
    "error on the customer's side": "对方差错",
    "open dispute": "争议未决",
    "explanation": "差异说明",
    "comment": "备注",
    "adjusting entry amount": "调整分录金额",
    "adjusting entry text": "调整分录摘要",
    "The first source must be our receivables ledger.": "第一个来源必须是我方应收账款账簿。",
    "Compare with the customer's ledger or a bank account.": "请选择客户的账簿或银行账户作为对账对象。",
    "That ledger belongs to another customer.": "该账簿属于其他客户。",
    "The period starts after it ends.": "起始日期晚于截止日期。",
    "Choose lines of this reconciliation.": "请选择本次对账中的记录。",
    "Some of the chosen lines are already matched.": "所选记录中有已匹配的。",
    "The chosen lines are in different currencies.": "所选记录币种不同。",
    "Choose lines on both sides, or lines of one side that add up to zero.": (
        "请选择双方的记录，或同一方合计为零的记录。"
    ),
    "Some of the suggested lines are matched already.": "建议中的部分记录已被匹配。",
    "Choose an explanation.": "请选择差异说明。",
    "Explain either a matched group or an unmatched line.": "请说明一个匹配组或一条未匹配记录。",
    "This group has no difference to explain.": "该组没有需要说明的差额。",
    "Only an unmatched line can be explained.": "只能说明未匹配的记录。",
    "This difference is explained already.": "该差异已说明。",
    "The last run did not finish; run it again first.": "上次匹配未完成，请先重新匹配。",
    "Only submitted work can be reviewed.": "只能复核已提交的对账。",
    "A reviewer cannot review work they prepared.": "复核人不能复核自己编制的对账。",
    "This submission has been reviewed already.": "该次提交已被复核。",
    "Only approved work is reopened.": "只有已复核的对账才能重新打开。",
    "Approved work is locked; a manager can reopen it.": "已复核的对账已锁定，需由经理重新打开。",
    "Submitted work waits for review and cannot be changed.": "已提交的对账等待复核，不能修改。",
    "A run is in progress; wait until it finishes.": "正在匹配，请等待完成。",
    "A comment is required for every manual decision.": "每项手工处理都必须填写备注。",
    "No such group in this reconciliation.": "本次对账中没有该组。",
    "No such open suggestion in this reconciliation.": "本次对账中没有该待处理建议。",
    "The reconciliation is running again; manual decisions are kept.": (
        "正在重新匹配；手工处理的结果会保留。"
    ),
    "Matched by hand as %(label)s.": "已手工匹配为 %(label)s。",
    "The group is unmatched; its lines stay out of automatic matching.": (
        "已取消匹配；这些记录不再参与自动匹配。"
    ),
    "Suggestion accepted as %(label)s.": "已接受建议，匹配为 %(label)s。",
    "Suggestion rejected; it will not be proposed again.": "已拒绝建议，以后不会再次提出。",
    "The difference is explained.": "差异已说明。",
    "Submitted for review.": "已提交复核。",
    "Approved; the reconciliation is locked.": "复核通过，对账已锁定。",
    "Returned to the preparer.": "已退回编制人。",
    "Reopened.": "已重新打开。",
}


def write() -> None:
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Project-Id-Version": "duizhang reconciliations",
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
