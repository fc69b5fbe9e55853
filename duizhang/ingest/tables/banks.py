"""Declared layouts of Chinese bank statement exports (personal and 企业网银).

Each layout is a header signature plus a mapping; no code per bank. All use `Meaning.BANK`:
the bank's 贷方/收入 is money in (+), its 借方/支出 money out (-). Account and currency come from
a column where the export has one, else from the key/value lines above the header (卡号:, 账号:,
币种:), which the converter reads for every layout.
"""

from __future__ import annotations

from duizhang.ingest.tables.mapping import Layout, Meaning, layout

BANK = Meaning.BANK

BANK_LAYOUTS: tuple[Layout, ...] = (
    # --- personal accounts (files in shared/realdata/cn_bank) ---
    layout(
        "icbc-debit",
        "工商银行 借记卡 明细查询文件下载",
        ("交易日期", "摘要", "钞/汇", "记账金额(收入)", "记账金额(支出)", "记账币种", "余额"),
        meaning=BANK, date="交易日期", credit="记账金额(收入)", debit="记账金额(支出)",
        currency="记账币种", balance="余额", description=("摘要", "交易详情", "交易场所"),
        counterparty="对方户名", counterparty_account="对方账户",
    ),
    layout(
        "icbc-credit",
        "工商银行 信用卡 明细查询文件下载",
        ("交易日期", "记账日期", "摘要", "记账金额(收入)", "记账金额(支出)", "记账币种"),
        meaning=BANK, date="记账日期", credit="记账金额(收入)", debit="记账金额(支出)",
        currency="记账币种", balance="余额", description=("摘要", "交易场所"),
        counterparty="对方户名",
    ),
    layout(
        "ccb-debit",
        "建设银行 借记卡 交易明细 (.xls)",
        ("记账日", "交易日期", "交易时间", "支出", "收入", "账户余额", "币种", "摘要"),
        meaning=BANK, date="记账日", time="交易时间", debit="支出", credit="收入",
        balance="账户余额", currency="币种", description=("摘要", "交易地点"),
        counterparty="对方户名", counterparty_account="对方账号",
    ),
    layout(
        "boc-debit",
        "中国银行 借记卡 交易流水明细单",
        ("记账日期", "记账时间", "币别", "金额", "余额", "交易名称", "对方账户名"),
        meaning=BANK, date="记账日期", time="记账时间", amount="金额", currency="币别",
        balance="余额", description=("交易名称", "附言"), counterparty="对方账户名",
        counterparty_account="对方卡号/账号", account="借记卡号",
    ),
    layout(
        "cmb-debit",
        "招商银行 储蓄卡 交易明细",
        ("记账日期", "货币", "交易金额", "联机余额", "交易摘要", "对手信息"),
        meaning=BANK, date="记账日期", amount="交易金额", currency="货币", balance="联机余额",
        description=("交易摘要", "客户摘要"), counterparty="对手信息",
    ),
    layout(
        "abc-debit",
        "农业银行 储蓄卡 交易明细",
        ("交易日期", "交易时间", "交易摘要", "交易金额", "本次余额", "对手信息", "日志号"),
        meaning=BANK, date="交易日期", time="交易时间", amount="交易金额", balance="本次余额",
        description=("交易摘要", "交易附言"), counterparty="对手信息", serial="日志号",
    ),
    layout(
        "bocom-debit",
        "交通银行 储蓄卡 交易明细 (借贷 = 借 Dr / 贷 Cr)",
        ("序号", "交易日期", "交易时间", "交易类型", "借贷", "交易金额", "余额", "对方户名"),
        meaning=BANK, date="交易日期", time="交易时间", amount="交易金额", direction="借贷",
        balance="余额", description=("交易类型", "摘要"), counterparty="对方户名",
        counterparty_account="对方账号",
    ),
    layout(
        "spdb-debit",
        "浦发银行 借记卡 交易明细 (.xls, 存入金额/取出金额)",
        ("顺序号", "交易日期", "交易类型", "存入金额", "取出金额", "余额", "交易对手名称"),
        meaning=BANK, date="交易日期", credit="存入金额", debit="取出金额", balance="余额",
        description=("交易类型", "附言"), counterparty="交易对手名称",
        counterparty_account="交易对手账号",
    ),
    layout(
        "boc-credit",
        "中国银行 信用卡账单 (存入/支出)",
        ("交易日", "银行记账日", "卡号后四位", "交易描述", "存入", "支出", "币种"),
        meaning=BANK, date="银行记账日", credit="存入", debit="支出", currency="币种",
        description=("交易描述",), account="卡号后四位",
    ),
    layout(
        "citic-credit",
        "中信银行 信用卡 本期账单明细 (.xls; + is spending)",
        ("交易日期", "入账日期", "交易描述", "卡末四位", "交易币种", "结算币种", "结算金额"),
        meaning=BANK, date="入账日期", amount="结算金额", negate=True, currency="结算币种",
        description=("交易描述",), account="卡末四位",
    ),
    layout(
        "cmb-credit",
        "招商银行 信用卡对账单 (MM/DD dates, year from the title; + is spending)",
        ("交易日", "记账日", "交易摘要", "人民币金额", "卡号末四位"),
        meaning=BANK, date="记账日", amount="人民币金额", negate=True,
        description=("交易摘要",), account="卡号末四位",
    ),
    layout(
        "cgb-credit",
        "广发银行 信用卡 (+ is spending)",
        ("交易日期", "入账日期", "交易摘要", "交易金额", "交易货币", "入账金额", "入账货币"),
        meaning=BANK, date="入账日期", amount="入账金额", negate=True, currency="入账货币",
        description=("交易摘要",),
    ),
    # --- corporate online banking (企业网银), layouts described in realdata README §4c ---
    layout(
        "icbc-corporate",
        "工商银行 企业网银 [HISTORYDETAIL] (借方/贷方发生额)",
        ("凭证号", "本方账号", "对方账号", "交易时间", "借方发生额", "贷方发生额", "对方单位名称"),
        meaning=BANK, date="交易时间", debit="借方发生额", credit="贷方发生额", balance="余额",
        serial="凭证号", account="本方账号", description=("摘要", "用途", "个性化信息"),
        counterparty="对方单位名称", counterparty_account="对方账号",
    ),
    layout(
        "icbc-corporate-flag",
        "工商银行 企业网银 (发生额 + 借贷标志)",
        ("对方账号", "交易时间", "借贷标志", "对方单位", "发生额", "余额", "币种"),
        meaning=BANK, date="交易时间", amount="发生额", direction="借贷标志", balance="余额",
        currency="币种", description=("摘要", "用途", "附言"), counterparty="对方单位",
        counterparty_account="对方账号",
    ),
    layout(
        "ccb-corporate",
        "建设银行 企业网银 (借方发生额（支取）/贷方发生额（收入）)",
        ("账号", "账户名称", "交易时间", "借方发生额（支取）", "贷方发生额（收入）", "余额",
         "币种", "对方户名", "记账日期"),
        meaning=BANK, date="交易时间", debit="借方发生额（支取）", credit="贷方发生额（收入）",
        balance="余额", currency="币种", counterparty="对方户名", counterparty_account="对方账号",
        account="账号", serial="账户明细编号-交易流水号", description=("摘要", "备注"),
    ),
    layout(
        "boc-corporate",
        "中国银行 企业网银 (signed 交易金额, 付款人/收款人)",
        ("交易类型", "付款人账号", "付款人名称", "收款人账号", "收款人名称", "交易日期",
         "交易货币", "交易金额", "交易后余额"),
        meaning=BANK, date="交易日期", time="交易时间", amount="交易金额", currency="交易货币",
        balance="交易后余额", payer="付款人名称", payee="收款人名称", serial="交易流水号",
        description=("摘要", "用途"),
    ),
    layout(
        "cmb-corporate",
        "招商银行 企业网银 (借方金额/贷方金额)",
        ("账号", "账号名称", "币种", "交易日", "交易时间", "借方金额", "贷方金额", "余额"),
        meaning=BANK, date="交易日", time="交易时间", debit="借方金额", credit="贷方金额",
        balance="余额", currency="币种", account="账号", description=("交易类型", "摘要"),
    ),
    layout(
        "pingan-corporate",
        "平安银行 企业网银 (借方/贷方, 付款人/收款人)",
        ("交易日期", "传票号", "借方", "贷方", "余额", "付款人名称", "收款人名称"),
        meaning=BANK, date="交易日期", debit="借方", credit="贷方", balance="余额",
        serial="传票号", payer="付款人名称", payee="收款人名称", description=("用途", "摘要"),
    ),
    layout(
        "cmbc-corporate",
        "民生银行 企业网银 (借方发生额/贷方发生额, 交易流水号)",
        ("交易时间", "交易流水号", "借方发生额", "贷方发生额", "账户余额", "对方账号名称"),
        meaning=BANK, date="交易时间", debit="借方发生额", credit="贷方发生额",
        balance="账户余额", serial="交易流水号", description=("客户附言",),
        counterparty="对方账号名称", counterparty_account="对方账号",
    ),
)  # fmt: skip
