"""Declared layouts of ERP ledger exports: 应收账款明细账 / 应付账款明细账 (Kingdee, Yonyou style).

Ledgers read 借方 as a debit (+) and 贷方 as a credit (-) in the file owner's books, with an
unsigned 余额 and its 方向 (借/贷/平). 期初余额/上年结转/承前页 and 本月合计/本年累计/过次页 rows
are not entries: the converter skips them with the reason and checks the stated opening plus the
lines against the stated closing. The customer's 应付账款 ledger is read the same way and flipped by
`load(..., side=Side.CUSTOMER)`.
"""

from __future__ import annotations

from duizhang.ingest.tables.mapping import Layout, Meaning, layout

BOOKS = Meaning.BOOKS
_COMMON = {
    "meaning": BOOKS,
    "debit": "借方",
    "credit": "贷方",
    "balance": "余额",
    "balance_direction": "方向",
    "description": ("摘要",),
    "customer": "客户",
    "reference": "发票号码",
}

LEDGER_LAYOUTS: tuple[Layout, ...] = (
    layout(
        "ledger-dated",
        "明细账 (日期, 凭证字号, 摘要, 借方, 贷方, 方向, 余额) — Kingdee style",
        ("日期", "凭证字号", "摘要", "借方", "贷方", "方向", "余额"),
        date="日期", serial="凭证字号", **_COMMON,
    ),
    layout(
        "ledger-ymd",
        "明细账 (年, 月, 日, 凭证号, 摘要, 借方, 贷方, 方向, 余额) — Yonyou style",
        ("年", "月", "日", "凭证号", "摘要", "借方", "贷方", "方向", "余额"),
        year="年", month="月", day="日", serial="凭证号", **_COMMON,
    ),
    layout(
        "ledger-md",
        "明细账 (月, 日, 凭证号, 摘要, 借方, 贷方, 方向, 余额; year above the header)",
        ("月", "日", "凭证号", "摘要", "借方", "贷方", "方向", "余额"),
        month="月", day="日", serial="凭证号", **_COMMON,
    ),
)  # fmt: skip

# Rows that carry a balance or a total rather than an entry, by the label they start with.
OPENING_LABELS = ("期初余额", "上年结转", "承前页", "上期结转", "年初余额")
TOTAL_LABELS = ("本月合计", "本年累计", "本期合计", "过次页", "本页小计", "期末余额")
