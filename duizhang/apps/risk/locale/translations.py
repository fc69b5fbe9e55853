"""The risk alerts' zh_Hans catalogue, written as django.po and compiled to django.mo.

The app keeps its own catalogue (Django reads every installed app's locale/), as the
reconciliations app does. The rules' reasons (`duizhang.risk.MESSAGES`) are translated here too.
After changing a string:
    python duizhang/apps/risk/locale/translations.py
"""

from __future__ import annotations

from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent
CATALOGUE = HERE / "zh_Hans" / "LC_MESSAGES" / "django.po"

# Words Django's own catalogues translate otherwise ("Filter" is 过滤器 in the admin's).
CONTEXTUAL = {("alert list", "Filter"): "筛选"}

PLURALS = {("%(count)s new alert.", "%(count)s new alerts."): "新增 %(count)s 条风险提示。"}

REASONS = {
    "Payment of %(amount)s %(currency)s is %(ratio)s times the median %(median)s of this "
    "customer's %(count)s earlier payments: robust z-score of the log amount %(score)s (MAD"
    " %(mad)s) is above %(threshold)s.": (
        "本笔回款 %(amount)s %(currency)s 是该客户此前 %(count)s 笔回款中位数 %(median)s 的 "
        "%(ratio)s 倍：对数金额的稳健 z 分数 %(score)s（MAD %(mad)s）高于阈值 %(threshold)s。"
    ),
    "Document number %(reference)s appears on %(count)s lines of the same source: %(lines)s.": (
        "单据号 %(reference)s 在同一来源中出现 %(count)s 次：%(lines)s。"
    ),
    "%(amount)s %(currency)s was paid on %(first)s and again on %(second)s, %(days)s days "
    "apart (the limit is %(limit)s days).": (
        "%(first)s 与 %(second)s 两次支付相同金额 %(amount)s %(currency)s，"
        "相隔 %(days)s 天（阈值 %(limit)s 天）。"
    ),
    "Payer %(payer)s does not match the customer: the closest of its names, %(closest)s, "
    "scores %(score)s, below %(threshold)s.": (
        "付款人 %(payer)s 与客户名称不符：最接近的名称 %(closest)s 相似度 %(score)s，"
        "低于 %(threshold)s。"
    ),
    "Payment of %(amount)s %(currency)s is a multiple of %(unit)s; only %(hits)s of this "
    "customer's %(count)s earlier payments were (%(share)s%%).": (
        "本笔回款 %(amount)s %(currency)s 是 %(unit)s 的整数倍；该客户此前 %(count)s 笔回款中"
        "只有 %(hits)s 笔如此（%(share)s%%）。"
    ),
    "Payment of %(amount)s %(currency)s arrived at %(time)s (Asia/Shanghai), outside "
    "%(start)s–%(end)s; only %(hits)s of this customer's %(count)s earlier payments with a "
    "time did (%(share)s%%).": (
        "本笔回款 %(amount)s %(currency)s 于北京时间 %(time)s 到账，不在 %(start)s–%(end)s "
        "之内；该客户此前 %(count)s 笔有时间记录的回款中只有 %(hits)s 笔如此（%(share)s%%）。"
    ),
    "Open receivable of %(balance)s %(currency)s is over the credit limit of %(limit)s "
    "%(currency)s by %(excess)s; over the limit since %(date)s (%(reference)s).": (
        "应收余额 %(balance)s %(currency)s 超出信用额度 %(limit)s %(currency)s，"
        "超出 %(excess)s；自 %(date)s（%(reference)s）起超限。"
    ),
}

ZH = {
    **REASONS,
    "unusually large payment": "异常大额回款",
    "duplicate document number": "单据号重复",
    "same amount paid twice": "短期内重复付款",
    "payer is not the customer": "付款人与客户不符",
    "unusual round amount": "异常整数金额",
    "unusual time of day": "异常到账时间",
    "over the credit limit": "超出信用额度",
    "low": "低",
    "medium": "中",
    "high": "高",
    "open": "待处理",
    "acknowledged": "已确认",
    "customer": "客户",
    "kind": "类型",
    "severity": "风险等级",
    "entries": "分录",
    "raised at": "提示时间",
    "status": "状态",
    "acknowledged by": "确认人",
    "acknowledged at": "确认时间",
    "comment": "备注",
    "risk alert": "风险提示",
    "risk alerts": "风险提示",
    "Kind": "类型",
    "Status": "状态",
    "Customer": "客户",
    "all": "全部",
    "Comment": "备注",
    "What was checked or done": "核实情况或处理措施",
    "Acknowledging an alert needs a comment.": "确认风险提示必须填写备注。",
    "This alert was acknowledged already.": "该风险提示已被确认。",
    "Alert acknowledged.": "已确认风险提示。",
    "Risk alerts": "风险提示",
    "open alerts": "待处理的风险提示",
    "Check all customers again": "重新检查所有客户",
    "Clear": "清除",
    "Raised": "提示时间",
    "Severity": "风险等级",
    "Reason and entries": "原因及相关记录",
    "Acknowledge": "确认",
    "No alerts.": "没有风险提示。",
    "all alerts of this customer": "该客户的全部风险提示",
    "Previous": "上一页",
    "Next": "下一页",
    "Page %(number)s of %(total)s": "第 %(number)s 页，共 %(total)s 页",
}


def write() -> None:
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Project-Id-Version": "duizhang risk",
        "Language": "zh_Hans",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    for msgid, msgstr in ZH.items():
        flags = ["python-format"] if "%(" in msgid else []
        catalogue.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=flags))
    for (context, msgid), msgstr in CONTEXTUAL.items():
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
