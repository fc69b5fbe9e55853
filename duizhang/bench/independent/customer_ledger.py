"""Our receivables ledger against a customer's own payables ledger (往来对账), with ground truth.

Left is our receivables ledger (invoices positive, receipts negative, ids `A0000001…`); right is
each customer's payables ledger with us, flipped into the receivable view (ids `B0000001…`,
sorted by customer). The extract is 2026-04-01 – 2026-09-30; invoices from January on drive the
payments. What it models, per customer:

- our 20-digit 数电 invoice numbers, which the customer quotes in full, by the last 8 or 6
  digits (`发票号45072523`, `FP…`, `No.…`), by its purchase-order number, or not at all; their
  own voucher numbers (`记-202604-0001`, `转-…`, `YF2604-000251`) in date order;
- how they book our invoices: one by one, a few days or weeks late, split over cost centres,
  keyed wrongly (amount or number), recomputed with a cent of rounding, or as monthly totals
  (`9月采购汇总 共4张`, listing the invoices or not) in chunks by ten days;
- credit notes (红字发票), quarterly rebates, quality deductions we have not accepted, another
  supplier's invoice posted to us, our freight debit notes, goods received before our invoice;
- how they pay: per invoice (net of credit notes, in instalments, with a cash discount booked
  one of three ways), monthly, on account in round sums, or with bank acceptance bills
  endorsed in bundles; receipts we book a day or two later, a bank fee now and then, money
  paid to or received from the wrong party, entries booked twice.

A link that rests on amount and date alone must have no equally good alternative within a few
weeks; the generator rebuilds a customer until none is left (the invoice number is written into
the 摘要, or the amount redrawn), and counts what remains in gen_stats.json (`ambiguous_left`).

    python -m duizhang.bench.independent.customer_ledger --lines 100000 --seed 1 --out DIR

Files: left.csv, right.csv, truth_groups.csv, truth_leftovers.csv and gen_stats.json.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import math
import random
import re
import sys
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

PERIOD_START = dt.date(2026, 4, 1)
PERIOD_END = dt.date(2026, 9, 30)
HISTORY_START = dt.date(2026, 1, 1)  # invoices before the extract only drive payments
# Dates are day ordinals throughout.
S0, E0, P0 = PERIOD_START.toordinal(), PERIOD_END.toordinal(), HISTORY_START.toordinal()

T = TypeVar("T")
Key = tuple[
    str | int, ...
]  # what an entry belongs to, e.g. ("inv", 12): the customer's 13th invoice


def words(text: str) -> list[str]:
    return text.split()


CITIES = words(
    "北京 上海 天津 重庆 广州 深圳 杭州 宁波 温州 绍兴 嘉兴 湖州 台州 金华 苏州 无锡 常州 南京 "
    "南通 扬州 镇江 泰州 盐城 徐州 合肥 芜湖 马鞍山 济南 青岛 烟台 潍坊 淄博 临沂 威海 郑州 洛阳 "
    "武汉 襄阳 宜昌 长沙 株洲 湘潭 南昌 赣州 福州 厦门 泉州 漳州 东莞 佛山 中山 珠海 惠州 江门 "
    "成都 绵阳 德阳 西安 宝鸡 太原 石家庄 保定 唐山 沧州 廊坊 沈阳 大连 鞍山 长春 哈尔滨 昆明 贵阳 "
    "南宁 柳州 兰州 银川 昆山 江阴 张家港 常熟 义乌 慈溪 余姚 晋江 顺德"
)
ZIHAO = words(
    "华通 恒信 鑫源 永盛 宏达 金泰 东方 瑞丰 博远 中成 天元 新锐 佳和 正泰 海纳 盛世 隆兴 鼎峰 "
    "德利 汇丰 创维 长城 立信 伟业 凯达 明辉 国泰 富通 弘毅 同创 康达 华盛 嘉诚 永恒 宏图 远航 "
    "锦程 万邦 世纪 华辰 金鹏 蓝天 海天 星河 润泽 泰和 安信 巨力 精诚 联创 中联 天成 鸿运 恒昌 "
    "兴业 广源 晨光 旭日 宇通 卓越 亿丰 百川 合力 开元 振华 亚泰 新华 大成 瑞祥 中天 金桥 通达 "
    "华宇 利民 万达 银河 天和 聚源 德胜 荣昌 豪迈 伟星 金龙 福瑞 东升 昌盛 华美 协力 海鸥 松林 "
    "春晖 鼎盛 泓远 益丰 久隆 信达 汇通 祥和 顺发 正大 华联 新星 中科 海川 云峰 恒力 腾飞 睿智 "
    "远大 华强 科达 盈泰 融创 绿源 三友 五洲 九鼎 双林 宏远 金帆 源通 齐力 至诚 明远 昊天 嘉禾 "
    "众合 泰来"
)
INDUSTRY = words(
    "机械制造 精密机械 电子科技 五金制品 汽车零部件 电气设备 新材料 塑胶制品 包装材料 化工 建材 "
    "钢结构 模具 电器 自动化设备 环保科技 纺织 服饰 家具 食品 医疗器械 光电科技 通信设备 新能源 "
    "金属制品 机电 工程机械 仪器仪表 橡胶制品 印刷 照明电器 阀门 泵业 线缆 轴承 液压设备 智能装备 "
    "工业设备 家电 铝业"
)
SUFFIX = [
    ("有限公司", 60),
    ("有限责任公司", 15),
    ("股份有限公司", 15),
    ("集团有限公司", 5),
    ("实业有限公司", 5),
]

OUR_VARIANTS = [
    ("苏州瑞丰精密机械股份有限公司", 30),
    ("苏州瑞丰精密机械有限公司", 15),
    ("瑞丰精密", 15),
    ("苏州瑞丰", 8),
    ("瑞丰精密机械", 8),
    ("苏州瑞丰精密机械股份公司", 4),
    ("", 20),
]
OUR_SHORT = ["瑞丰", "瑞丰精密", "苏州瑞丰", "瑞丰公司"]

PRODUCTS = words(
    "钢材 铝型材 轴承 紧固件 液压件 电机 五金配件 包装材料 模具 齿轮 阀门 电缆 塑料粒子 油漆 "
    "精密零件 传动轴 密封件 弹簧 法兰 链条 气缸 减速机 导轨 丝杠 钣金件 铸件 锻件 刀具 控制柜 "
    "传感器 变频器 线束 冲压件 机加工件"
)
UNITS = ["件", "套", "台", "吨", "米", "个", "箱"]


def wchoice(rng: random.Random, pairs: Sequence[tuple[T, int]]) -> T:
    """One of the `(value, weight)` pairs' values, by weight (one draw)."""
    total = sum(weight for _, weight in pairs)
    x = rng.random() * total
    for value, weight in pairs:
        x -= weight
        if x < 0:
            return value
    return pairs[-1][0]


def make_names(rng: random.Random, n: int) -> list[tuple[str, str, str]]:
    """`n` customer names as (full name, 字号, city), no two alike but for the suffix."""
    seen: set[tuple[str, str, str]] = set()
    out: list[tuple[str, str, str]] = []
    while len(out) < n:
        city = rng.choice(CITIES)
        zihao = rng.choice(ZIHAO)
        industry = rng.choice(INDUSTRY)
        suffix = wchoice(rng, SUFFIX)
        if rng.random() < 0.85:
            full = f"{city}{zihao}{industry}{suffix}"
        else:
            full = f"{city}市{zihao}{industry}{suffix}"
        if (city, zihao, industry) in seen:
            continue
        seen.add((city, zihao, industry))
        out.append((full, zihao, city))
    return out


# --------------------------------------------------------------------------- helpers
def iso(day: int) -> str:
    return dt.date.fromordinal(day).isoformat()


def money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def workday(day: int, rng: random.Random | None = None, p: float = 1.0) -> int:
    """Move a weekend booking date to Monday (with probability p: one draw on weekends)."""
    wd = dt.date.fromordinal(day).weekday()
    if wd >= 5 and (rng is None or rng.random() < p):
        return day + (7 - wd)
    return day


def month_end(day: int) -> int:
    d = dt.date.fromordinal(day)
    following = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return following.toordinal() - 1


def ym(day: int) -> tuple[int, int]:
    d = dt.date.fromordinal(day)
    return d.year, d.month


def sub_rng(*key: object) -> random.Random:
    """A generator of its own for one decision, so that rebuilding a customer with one item
    changed leaves the draws of every other item as they were."""
    digest = hashlib.blake2b(repr(key).encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


def typo_amount(rng: random.Random, cents: int) -> tuple[int, str]:
    """A keying error: adjacent transposition (diff multiple of 9) or one digit off by one."""
    s = str(cents)
    for _ in range(50):
        if rng.random() < 0.6 and len(s) >= 3:
            i = rng.randrange(0, len(s) - 1)
            if s[i] == s[i + 1] or (i == 0 and s[1] == "0"):
                continue
            typed = s[:i] + s[i + 1] + s[i] + s[i + 2 :]
            kind = "transposition"
        else:
            i = rng.randrange(0, len(s))
            digit = int(s[i]) + rng.choice((-1, 1))
            if digit < 0 or digit > 9 or (i == 0 and digit == 0):
                continue
            typed = s[:i] + str(digit) + s[i + 1 :]
            kind = "digit"
        value = int(typed)
        if value != cents and value > 0:
            return value, kind
    return cents + 900, "digit"


def typo_digits(rng: random.Random, s: str) -> str:
    """One typing error inside a reference number (never the first 2 digits)."""
    for _ in range(50):
        if rng.random() < 0.5:
            i = rng.randrange(2, len(s) - 1)
            if s[i] == s[i + 1]:
                continue
            return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
        i = rng.randrange(2, len(s))
        digit = str((int(s[i]) + rng.randrange(1, 9)) % 10)
        return s[:i] + digit + s[i + 1 :]
    return s


def poisson(rng: random.Random, lam: float) -> int:
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


# --------------------------------------------------------------------------- model objects
@dataclass(eq=False)
class Entry:
    """One line of either side; identity matters (sets of members), so no value equality."""

    side: str  # L ours, R theirs
    date: int
    amount: int  # cents, receivable view
    ref: str
    counterparty: str
    description: str
    key: Key
    group: tuple[str, int] | None = None
    reason: str | None = None  # missing, timing or duplicate when in no group
    duplicate_of: Entry | None = None
    id: str = ""
    customer: str = ""
    currency: str = ""


@dataclass(eq=False)
class Invoice:
    """One of our invoices to a customer."""

    day: int
    amount: int
    product: str
    unit: str
    quantity: int
    k: int = 0  # its place among the customer's invoices by date
    number: str = ""
    po: str | None = None
    booked: int = 0  # when the customer books it
    show: bool = False  # the customer quotes its number (monthly totals)


@dataclass(eq=False)
class TrueGroup:
    kind: str
    members: list[Entry]
    evidence: bool  # a reference either side can see ties it together
    key: Key


@dataclass
class Override:
    """How a rebuild of a customer changes one item found ambiguous."""

    force_ref: bool = False  # the customer quotes the invoice number
    bump: int = 0  # the amount is redrawn this many times


class Customer:
    """Everything random about one customer's structure is drawn here, once."""

    def __init__(self, rng: random.Random, idx: int, name: tuple[str, str, str]) -> None:
        self.code = f"KH{idx + 1:05d}"
        self.name, self.zihao, self.city = name
        if rng.random() < 0.5:
            self.short = self.name[len(self.city) : len(self.city) + 2]
        else:
            self.short = self.zihao
        self.currency = "USD" if rng.random() < 0.01 else "CNY"
        self.seed = rng.getrandbits(48)
        self.inv_rate = min(45.0, max(0.4, rng.lognormvariate(math.log(3.2), 0.8)))
        self.book = wchoice(rng, [("ref", 52), ("noref", 15), ("mixed", 18), ("monthly", 15)])
        if self.book == "monthly" and self.inv_rate > 14:
            self.book = "mixed"
        self.ref_fmt = wchoice(
            rng, [("l8", 35), ("full", 25), ("fp8", 10), ("no8", 8), ("tail6", 7), ("bare8", 15)]
        )
        self.vstyle = wchoice(rng, [("ji", 60), ("sfz", 30), ("erp", 10)])
        self.pay = wchoice(
            rng, [("per_invoice", 42), ("monthly", 30), ("on_account", 16), ("bills", 12)]
        )
        self.pay_ref = rng.random() < 0.35  # their payment 摘要 names the invoice(s)
        self.our_pay_ref = rng.random() < 0.5  # our receipt 摘要 names the invoice (核销)
        self.term = rng.choice((15, 30, 30, 45, 60, 60, 90))
        self.fast = rng.random() < 0.5  # 数电 auto-import: books invoices within 0-3 days
        self.po = rng.random() < 0.12  # both sides carry the customer's PO number
        self.recurring = rng.random() < 0.3  # repeats the same order (equal amounts)
        self.cash_disc = rng.choice((0,) * 17 + (50, 100, 200))  # bp of cash discount
        # we book one line per invoice of a monthly payment
        self.our_split = self.pay == "monthly" and rng.random() < 0.15
        self.rebate = rng.random() < 0.15
        self.price_lvl = rng.lognormvariate(math.log(25000), 1.0)
        self.cp_right = wchoice(rng, OUR_VARIANTS)
        if rng.random() < 0.93:
            self.cp_left = self.name
        else:
            self.cp_left = self.name.replace("有限公司", "").replace("股份", "")
        rng.random()  # drawn, never used: kept so that each seed gives the same files


class Numbering:
    """Numbers shared by all customers: our invoices, receipts and vouchers."""

    def __init__(self, rng: random.Random, ref_style: str) -> None:
        self.ref_style = ref_style
        self.invoices: dict[tuple[str, int], str] = {}
        self.day_seq: defaultdict[int, int] = defaultdict(int)
        self.inv_base = rng.randrange(10**8, 9 * 10**8)
        self.rec_seq: defaultdict[tuple[int, int], int] = defaultdict(int)
        self.vou_seq: defaultdict[tuple[int, int], int] = defaultdict(int)

    def invoice_number(self, d: int, customer: str, k: int) -> str:
        """数电发票号码 (20 digits), increasing with the issue date."""
        key = (customer, k)
        if key not in self.invoices:
            self.day_seq[d] += 1
            number = self.inv_base + (d - P0) * 20000 + self.day_seq[d]
            self.invoices[key] = f"2632200000{number:010d}"
        return self.invoices[key]

    def our_receipt(self, d: int) -> str:
        y, m = ym(d)
        self.rec_seq[(y, m)] += 1
        return f"SKD{y}{m:02d}-{self.rec_seq[(y, m)]:05d}"

    def our_voucher(self, d: int, r: random.Random) -> str:
        y, m = ym(d)
        self.vou_seq[(y, m)] += r.randrange(1, 4)
        return f"记-{y}{m:02d}-{self.vou_seq[(y, m)]:04d}"

    @staticmethod
    def bank_serial(d: int, r: random.Random) -> str:
        return f"{dt.date.fromordinal(d):%Y%m%d}{r.randrange(10**11, 10**12)}"

    @staticmethod
    def bill_number(d: int, r: random.Random) -> str:
        bank = r.choice(("102", "103", "104", "105", "301", "302", "305", "308", "310"))
        middle = r.randrange(10**8, 10**9)
        return f"5{bank}{middle}{dt.date.fromordinal(d):%Y%m%d}{r.randrange(10**8, 10**9)}"


class CustomerBuilder:
    """Builds one customer's entries and true groups; overrides repair ambiguity."""

    def __init__(self, g: Numbering, c: Customer, overrides: dict[Key, Override]) -> None:
        self.g, self.c, self.overrides = g, c, overrides
        self.left: list[Entry] = []
        self.right: list[Entry] = []
        self.groups: dict[tuple[str, int], TrueGroup] = {}
        self.n_groups = 0
        self.vseq: dict[tuple[str, int, int], int] = {}
        self.cn_amt: defaultdict[int, int] = defaultdict(int)  # credited per invoice

    # --- references
    def their_voucher(self, o: int, kind: str, rng: random.Random) -> str:
        y, m = ym(o)
        st = self.c.vstyle
        if st == "erp":
            pfx = "YF" if kind == "inv" else "FK"
            k = (pfx, y, m)
            # the default is drawn even when the sequence exists
            self.vseq[k] = self.vseq.get(k, rng.randrange(1, 400)) + rng.randrange(1, 80)
            return f"{pfx}{y % 100:02d}{m:02d}-{self.vseq[k]:06d}"
        word = "记" if st == "ji" else {"inv": "转", "pay": "付", "adj": "转"}[kind]
        k = (word, y, m)
        self.vseq[k] = self.vseq.get(k, rng.randrange(1, 60)) + rng.randrange(1, 45)
        sep = "-" if rng.random() < 0.97 else ""
        return f"{word}{sep}{y}{m:02d}{sep}{self.vseq[k]:04d}"

    def refstr(self, num: str, rng: random.Random, fmt: str | None = None) -> str:
        """How the customer quotes our invoice number `num`."""
        if not fmt:
            if rng.random() < 0.85:
                fmt = self.c.ref_fmt
            else:
                fmt = rng.choice(("l8", "full", "fp8", "no8", "bare8"))
        if self.g.ref_style == "full":
            fmt = "full"
        if fmt == "l8":
            return rng.choice(("发票号", "发票号", "发票号:", "票号", "发票")) + num[-8:]
        if fmt == "full":
            return rng.choice(("发票号码", "数电票", "发票号码:", "电子发票")) + num
        if fmt == "fp8":
            return "FP" + num[-8:]
        if fmt == "no8":
            return "No." + num[-8:]
        if fmt == "tail6":
            return "发票尾号" + num[-6:]
        return num[-8:]

    def short(self, num: str) -> str:
        """How our invoice number is quoted in short: its last 8 digits (or all 20 with
        --ref-style full)."""
        return num if self.g.ref_style == "full" else num[-8:]

    # --- bookkeeping
    def new_group(self, kind: str, evidence: bool, key: Key, members: list[Entry]) -> None:
        self.n_groups += 1
        gid = (self.c.code, self.n_groups)
        self.groups[gid] = TrueGroup(kind, members, evidence, key)
        for e in members:
            e.group = gid

    def add(self, e: Entry) -> Entry:
        (self.left if e.side == "L" else self.right).append(e)
        return e

    def leftover(self, e: Entry, reason: str, duplicate_of: Entry | None = None) -> None:
        e.reason = reason
        e.duplicate_of = duplicate_of
        self.add(e)

    def override(self, key: Key) -> Override:
        return self.overrides.get(key, Override())

    def bump(self, key: Key, amount: int, rng_key: Key) -> int:
        """The amount, redrawn as often as an override asks."""
        times = self.override(key).bump
        if not times:
            return amount
        r = sub_rng(self.c.seed, "bump", rng_key, times)
        return max(100, int(amount * (1 + r.uniform(-0.25, 0.25))) + r.randrange(1, 99))

    # --- the customer
    def build(self) -> CustomerBuilder:
        invoices = self._invoices()
        self._book_invoices(invoices)
        self._credit_notes(invoices)
        self._payments(invoices)
        self._misc()
        return self

    def _invoices(self) -> list[Invoice]:
        """Our invoices from the start of the history, by date."""
        c, g = self.c, self.g
        rng = random.Random(c.seed)
        months = []
        o = P0
        while o <= E0:
            months.append(o)
            o = month_end(o) + 1
        invoices = []
        previous: list[int] = []
        for first in months:
            n = poisson(rng, c.inv_rate)
            last = month_end(first)
            for _ in range(n):
                d = workday(rng.randrange(first, last + 1), rng, 0.9)
                d = min(d, E0)
                if c.recurring and previous and rng.random() < 0.35:
                    a = rng.choice(previous)
                else:
                    qty = rng.choice((1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000))
                    unit = max(0.5, c.price_lvl * rng.lognormvariate(0, 0.7) / qty)
                    unit = round(unit, 2) if unit < 100 else round(unit, 1)
                    a = round(qty * unit * 113)  # cents, incl. 13% VAT
                    a = max(a, 1000)
                previous.append(a)
                invoices.append(
                    Invoice(d, a, rng.choice(PRODUCTS), rng.choice(UNITS), rng.randrange(1, 500))
                )
        invoices.sort(key=lambda iv: iv.day)
        for k, iv in enumerate(invoices):
            iv.k = k
            iv.amount = self.bump(("inv", k), iv.amount, ("inv", k))
            iv.number = g.invoice_number(iv.day, c.code, k)
            if c.po:
                y, m = ym(iv.day)
                iv.po = f"PO{y % 100:02d}{m:02d}{rng.randrange(1, 9999):04d}"
        return invoices

    # ---------------------------------------------------------------- invoices
    def our_inv_entry(self, iv: Invoice) -> Entry:
        c = self.c
        r = sub_rng(c.seed, "invdesc", iv.k)
        t = r.random()
        if t < 0.4:
            desc = f"销售{iv.product}"
        elif t < 0.7:
            desc = f"销售出库 {iv.product} {iv.quantity}{iv.unit}"
        else:
            desc = f"{iv.product}货款"
        if iv.po:
            desc += f" 客户订单{iv.po}"
        return Entry("L", iv.day, iv.amount, iv.number, c.cp_left, desc, ("inv", iv.k))

    def their_inv_desc(
        self,
        iv: Invoice,
        r: random.Random,
        show_ref: bool,
        num: str | None = None,
        po_only: bool = False,
    ) -> str:
        """The 摘要 of the customer's line for our invoice `iv`."""
        prod = iv.product
        stem = wchoice(
            r,
            [
                (f"采购{prod}", 30),
                (f"购入{prod}", 10),
                ("采购原材料", 15),
                (f"应付{r.choice(OUR_SHORT)}货款", 15),
                (f"{ym(iv.day)[1]}月材料款", 10),
                (f"入库 {prod}", 10),
                ("货款", 10),
            ],
        )
        parts = [stem]
        if iv.po and (po_only or r.random() < 0.6):
            parts.append(f"订单{iv.po}" if r.random() < 0.5 else iv.po)
        if show_ref and not po_only:
            parts.append(self.refstr(num or iv.number, r))
        return " ".join(parts)

    def _book_invoices(self, invoices: list[Invoice]) -> None:
        monthly: defaultdict[tuple[int, int], list[tuple[Invoice, Entry]]] = defaultdict(list)
        for iv in invoices:
            if iv.day >= S0:
                self._book_invoice(iv, monthly)
        for (y, m), members in sorted(monthly.items()):
            self._book_monthly(y, m, members)

    def _book_invoice(
        self, iv: Invoice, monthly: defaultdict[tuple[int, int], list[tuple[Invoice, Entry]]]
    ) -> None:
        """Our invoice and how the customer books it (monthly customers: collected in
        `monthly`)."""
        c = self.c
        k = iv.k
        key: Key = ("inv", k)
        r = sub_rng(c.seed, "book", k)
        if c.fast:
            lag = r.choice((0, 0, 1, 1, 2, 3))
        else:
            lag = wchoice(
                r, [(r.randrange(1, 4), 45), (r.randrange(4, 8), 40), (r.randrange(8, 16), 15)]
            )
        rd = workday(iv.day + lag, r, 0.9)
        iv.booked = rd
        fate = r.random()
        show_p = {"ref": 0.95, "noref": 0.05, "mixed": 0.5, "monthly": 0.5}[c.book]
        show = r.random() < show_p or self.override(key).force_ref
        po_only = bool(iv.po) and not show and r.random() < 0.7
        variant = r.random()
        tr = sub_rng(c.seed, "typo", k)
        dup = r.random() < 0.008
        dup_lag = r.choice((0, 0, 1, 2, 3, 5, 8, 13, 20))
        ours = self.add(self.our_inv_entry(iv))
        if fate < 0.008:  # customer never booked it (dispute / invoice lost)
            ours.reason = "missing"
            return
        if c.book == "monthly":
            iv.show = show
            monthly[ym(rd)].append((iv, ours))
            return
        if rd > E0:
            ours.reason = "timing"
            return
        evidence = show or po_only
        if variant < 0.03:  # split in their books (two cost centres / two vouchers)
            n = 2 if r.random() < 0.75 else 3
            cuts = sorted(r.sample(range(1, 100), n - 1))
            shares = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
            amounts = [iv.amount * share // 100 for share in shares]
            amounts[-1] = iv.amount - sum(amounts[:-1])
            if min(amounts) <= 0:
                amounts = [iv.amount]
            entries = []
            for a in amounts:
                dd = rd if r.random() < 0.7 else workday(rd + r.randrange(1, 6))
                if dd > E0:
                    dd = rd
                voucher = self.their_voucher(rd, "inv", r)
                desc = self.their_inv_desc(iv, r, show, po_only=po_only)
                entries.append(self.add(Entry("R", dd, a, voucher, c.cp_right, desc, key)))
            if len(entries) > 1:
                kind = "inv_split_o2m"
            else:
                kind = "inv_1to1_ref" if evidence else "inv_1to1_noref"
            self.new_group(kind, evidence, key, [ours, *entries])
            theirs = entries[0]
        elif variant < 0.038 and show:  # amount keyed wrongly, reference still right
            a, typo_kind = typo_amount(tr, iv.amount)
            voucher = self.their_voucher(rd, "inv", r)
            desc = self.their_inv_desc(iv, r, True)
            theirs = self.add(Entry("R", rd, a, voucher, c.cp_right, desc, key))
            self.new_group(f"inv_typo_{typo_kind}", True, key, [ours, theirs])
        elif variant < 0.048 and show:  # reference keyed wrongly, amount right
            wrong = iv.number[:14] + typo_digits(tr, "00" + iv.number[14:])[2:]
            voucher = self.their_voucher(rd, "inv", r)
            desc = self.their_inv_desc(iv, r, True, num=wrong)
            theirs = self.add(Entry("R", rd, iv.amount, voucher, c.cp_right, desc, key))
            self.new_group("inv_reftypo", True, key, [ours, theirs])
        elif variant < 0.058:  # rounding of 价税合计 recomputed from 不含税金额
            a = iv.amount + r.choice((-1, 1)) * r.randrange(1, 6)
            voucher = self.their_voucher(rd, "inv", r)
            desc = self.their_inv_desc(iv, r, show, po_only=po_only)
            theirs = self.add(Entry("R", rd, a, voucher, c.cp_right, desc, key))
            kind = "inv_rounding_ref" if evidence else "inv_rounding_noref"
            self.new_group(kind, evidence, key, [ours, theirs])
        else:
            voucher = self.their_voucher(rd, "inv", r)
            desc = self.their_inv_desc(iv, r, show, po_only=po_only)
            theirs = self.add(Entry("R", rd, iv.amount, voucher, c.cp_right, desc, key))
            kind = "inv_1to1_ref" if show else ("inv_1to1_po" if po_only else "inv_1to1_noref")
            if self.override(key).force_ref and kind == "inv_1to1_ref":
                kind = "inv_1to1_ref_recurring"
            self.new_group(kind, evidence, key, [ours, theirs])
        if dup:
            dd = theirs.date + dup_lag
            if dd <= E0:
                voucher = self.their_voucher(dd, "inv", r)
                copy = Entry(
                    "R", dd, theirs.amount, voucher, theirs.counterparty, theirs.description, key
                )
                self.leftover(copy, "duplicate", theirs)

    def _book_monthly(self, y: int, m: int, members: list[tuple[Invoice, Entry]]) -> None:
        """Monthly totals (月末汇总入账), in chunks of at most 8 by 旬."""
        c = self.c
        members.sort(key=lambda member: member[0].day)
        month_last = month_end(dt.date(y, m, 1).toordinal())
        if month_last > E0:
            for _, ours in members:
                ours.reason = "timing"
            return
        chunks = [members] if len(members) <= 8 else list(self._xun_chunks(members))
        for ci, chunk in enumerate(chunks):
            key: Key = ("mon", y, m, ci)
            r = sub_rng(c.seed, "mon", y, m, ci)
            listed = r.random() < 0.4 or self.override(key).force_ref
            total = sum(iv.amount for iv, _ in chunk)
            rounding = r.random() < 0.03
            if rounding:
                total += r.choice((-1, 1)) * r.randrange(1, 4)
            latest = max(iv.booked for iv, _ in chunk)
            if len(chunks) == 1:
                booked = month_last if r.random() < 0.8 else workday(month_last - r.randrange(0, 3))
                booked = max(booked, latest)
            else:
                booked = min(E0, latest + r.randrange(0, 3))
            if len(chunk) == 1:
                iv = chunk[0][0]
                desc = self.their_inv_desc(iv, r, iv.show or listed)
                evidence = iv.show or listed
                kind = "inv_monthly_single"
            else:
                word = r.choice(("采购汇总", "材料款汇总", "发票汇总", "货款汇总"))
                desc = f"{m}月{word} 共{len(chunk)}张"
                if listed:
                    label = r.choice(("发票号", "票号", "发票"))
                    desc += " " + label + "/".join(self.short(iv.number) for iv, _ in chunk)
                evidence = listed
                kind = "inv_monthly_m2o"
            if rounding:
                kind += "_rounding"
            voucher = self.their_voucher(booked, "inv", r)
            theirs = self.add(Entry("R", booked, total, voucher, c.cp_right, desc, key))
            self.new_group(kind, evidence, key, [*(ours for _, ours in chunk), theirs])
            if r.random() < 0.005 and booked + 1 <= E0:
                voucher = self.their_voucher(booked + 1, "inv", r)
                copy = Entry("R", booked + 1, total, voucher, theirs.counterparty, desc, key)
                self.leftover(copy, "duplicate", theirs)

    @staticmethod
    def _xun_chunks(
        members: list[tuple[Invoice, Entry]],
    ) -> Iterator[list[tuple[Invoice, Entry]]]:
        by: defaultdict[int, list[tuple[Invoice, Entry]]] = defaultdict(list)
        for iv, ours in members:
            day = dt.date.fromordinal(iv.booked).day
            by[0 if day <= 10 else 1 if day <= 20 else 2].append((iv, ours))
        for _, chunk in sorted(by.items()):
            for i in range(0, len(chunk), 8):
                yield chunk[i : i + 8]

    # ---------------------------------------------------------------- credit notes and rebates
    def _credit_notes(self, invoices: list[Invoice]) -> None:
        """Credit notes (红字发票) on a few invoices, and quarterly rebates."""
        c = self.c
        for iv in invoices:
            if iv.day < S0:
                continue
            k = iv.k
            r = sub_rng(c.seed, "cn", k)
            if r.random() >= 0.035:
                continue
            key: Key = ("cn", k)
            full = r.random() < 0.3
            a = iv.amount if full else max(100, int(iv.amount * r.uniform(0.02, 0.5)))
            a = self.bump(key, a, key)
            d = workday(iv.day + r.randrange(3, 40))
            num = self.g.invoice_number(d, c.code, 100000 + k)
            if d > E0:
                continue
            theirs_first = r.random() < 0.3
            lag = -r.randrange(1, 10) if theirs_first else r.randrange(0, 10)
            rd = workday(d + lag)
            if r.random() < 0.6:
                desc_ours = f"红字发票 冲销原发票{iv.number}"
            else:
                desc_ours = f"销售退回 {iv.product}"
            ours = Entry("L", d, -a, num, c.cp_left, desc_ours, key)
            if rd > E0:
                self.leftover(ours, "timing")
                self.cn_amt[k] += a
                continue
            show_p = {"ref": 0.9, "noref": 0.1, "mixed": 0.5, "monthly": 0.5}[c.book]
            show = r.random() < show_p or self.override(key).force_ref
            t = r.random()
            if show:
                if t < 0.5:
                    desc = f"退货 冲红 {self.refstr(num, r)}"
                elif t < 0.8:
                    desc = f"退货冲减应付 原{self.refstr(iv.number, r)}"
                else:
                    desc = f"红字发票 {self.refstr(num, r)}"
            else:
                desc = r.choice(("退货", "采购退回", "冲减应付 退货款", f"退回{iv.product}"))
            theirs = Entry("R", rd, -a, self.their_voucher(rd, "adj", r), c.cp_right, desc, key)
            if ours.date < S0 or theirs.date < S0:
                continue
            self.cn_amt[k] += a
            self.add(ours)
            self.add(theirs)
            self.new_group("cn_1to1_ref" if show else "cn_1to1_noref", show, key, [ours, theirs])
        if c.rebate:
            for quarter_end in (dt.date(2026, 6, 30).toordinal(), dt.date(2026, 9, 30).toordinal()):
                self._rebate(quarter_end)

    def _rebate(self, quarter_end: int) -> None:
        c = self.c
        key: Key = ("reb", quarter_end)
        r = sub_rng(c.seed, "reb", quarter_end)
        a = self.bump(key, int(c.price_lvl * r.uniform(0.2, 2.0)), key)
        q = "二" if quarter_end < E0 else "三"
        voucher = self.g.our_voucher(quarter_end, r)
        ours = Entry("L", quarter_end, -a, voucher, c.cp_left, f"{q}季度销售返利", key)
        rd = quarter_end + r.randrange(0, 20)
        if rd > E0:
            self.leftover(ours, "timing")
            return
        self.add(ours)
        voucher = self.their_voucher(rd, "adj", r)
        desc = r.choice((f"{q}季度返利", "供应商返利 冲减应付", "收到返利"))
        theirs = self.add(Entry("R", rd, -a, voucher, c.cp_right, desc, key))
        self.new_group("rebate", False, key, [ours, theirs])

    # ---------------------------------------------------------------- payments
    def _receipt(
        self,
        d: int,
        a: int,
        r: random.Random,
        key: Key,
        inv_nums: Sequence[str] = (),
        bill: str | None = None,
        desc: str | None = None,
    ) -> Entry:
        """Our receipt of `a` cents."""
        c = self.c
        ref = self.g.our_receipt(d) if r.random() < 0.7 else self.g.bank_serial(d, r)
        if desc is None:
            desc = r.choice(
                (
                    f"收{c.short}货款",
                    "收到货款",
                    f"电汇收款 {c.name}",
                    f"网银来账 {c.short}",
                    "收货款",
                )
            )
            if bill:
                desc = f"收银行承兑汇票 票号{bill}"
            if inv_nums and c.our_pay_ref:
                desc += " 核销发票" + ",".join(self.short(n) for n in inv_nums[:3])
        return Entry("L", d, -a, ref, c.cp_left, desc, key)

    def _payment(
        self,
        pd: int,
        a: int,
        r: random.Random,
        key: Key,
        inv_nums: Sequence[str] = (),
        bill: str | None = None,
        desc: str | None = None,
    ) -> Entry:
        """The customer's payment of `a` cents."""
        c = self.c
        if desc is None:
            m = dt.date.fromordinal(pd).month
            desc = r.choice(
                (
                    "付货款",
                    f"支付{r.choice(OUR_SHORT)}货款",
                    f"付{(m - 2) % 12 + 1}月货款",
                    "网银付款",
                    f"电汇 {r.choice(OUR_SHORT)}",
                    "支付货款",
                )
            )
            if bill:
                desc = f"背书转让银行承兑汇票 票号{bill}"
            elif inv_nums and c.pay_ref:
                more = "等" if len(inv_nums) > 1 else ""
                desc += " " + self.refstr(inv_nums[0], r, "l8") + more
        return Entry("R", pd, -a, self.their_voucher(pd, "pay", r), c.cp_right, desc, key)

    def _pair(
        self, kind: str, key: Key, pd: int, a: int, r: random.Random, inv_nums: Sequence[str] = ()
    ) -> None:
        """Their payment on pd, our receipt a few days later; handles period end, duplicates,
        fees, missing."""
        c = self.c
        if a <= 0:
            return
        lag = wchoice(r, [(0, 55), (1, 30), (2, 8), (3, 7)])
        ld = workday(pd + lag) if lag else pd
        x = r.random()
        fee = r.randrange(500, 5001) if x < 0.005 else 0
        theirs = self._payment(pd, a, r, key, inv_nums)
        ours = self._receipt(ld, a - fee, r, key, inv_nums)
        if pd < S0:  # their payment before the extract start: keep clean, drop
            return
        if ld > E0:
            self.leftover(theirs, "timing")
            return
        if 0.005 <= x < 0.008:  # paid to our other entity / wrong supplier: on their books only
            self.leftover(theirs, "missing")
            return
        if 0.008 <= x < 0.011:  # another customer's money we posted here
            self.leftover(ours, "missing")
            return
        self.add(theirs)
        self.add(ours)
        evidence = bool(inv_nums) and c.pay_ref and c.our_pay_ref
        name = ("pay_fee" if fee else kind) + ("_ref" if evidence else "")
        self.new_group(name, evidence, key, [ours, theirs])
        y = r.random()
        if y < 0.003 and ld + 1 <= E0:
            d = ld + r.randrange(0, 3)
            copy = self._receipt(d, a - fee, r, key, inv_nums, desc=ours.description)
            self.leftover(copy, "duplicate", ours)
        elif y < 0.006:
            dd = min(E0, pd + r.randrange(0, 4))
            copy = self._payment(dd, a, r, key, inv_nums, desc=theirs.description)
            self.leftover(copy, "duplicate", theirs)

    def _payments(self, invoices: list[Invoice]) -> None:
        if self.c.pay == "per_invoice":
            for iv in invoices:
                self._pay_invoice(iv)
        elif self.c.pay == "monthly":
            self._pay_monthly(invoices)
        elif self.c.pay == "on_account":
            self._pay_on_account()
        else:
            self._pay_with_bills()

    def _pay_invoice(self, iv: Invoice) -> None:
        c = self.c
        k = iv.k
        key: Key = ("pay", k)
        r = sub_rng(c.seed, "pay", k)
        if r.random() < 0.04:  # not paid yet / disputed
            return
        pd = workday(iv.day + c.term + r.randrange(-10, 15))
        if pd > E0:
            return
        a = self.bump(key, iv.amount - self.cn_amt[k], key)
        if a <= 0:
            return
        if c.cash_disc and r.random() < 0.5:
            self._pay_with_discount(iv, key, a, r)
            return
        if r.random() < 0.15 and a > 10000000:  # paid in two instalments
            first = (a * r.randrange(30, 71) // 100) // 100 * 100
            self._pair("pay_instalment", key, pd, first, r, (iv.number,))
            second_day = workday(pd + r.randrange(7, 30))
            self._pair("pay_instalment", key, second_day, a - first, r, (iv.number,))
            return
        self._pair("pay_per_invoice", key, pd, a, r, (iv.number,))

    def _pay_with_discount(self, iv: Invoice, key: Key, a: int, r: random.Random) -> None:
        """Paid early with a cash discount, booked one of three ways."""
        c, g = self.c, self.g
        disc = a * c.cash_disc // 10000
        pd = workday(iv.day + r.randrange(5, 11))
        if pd < S0 or pd > E0 - 4:
            return
        ld = pd + r.choice((0, 1))
        v = r.random()
        nums = (iv.number,)
        if v < 0.5:  # we book receipt + discount; they book full settlement
            ours = self.add(self._receipt(ld, a - disc, r, key, nums))
            voucher = g.our_voucher(ld, r)
            desc = f"现金折扣 {self.short(iv.number)}"
            discount = self.add(Entry("L", ld, -disc, voucher, c.cp_left, desc, key))
            desc = f"支付货款 {self.refstr(iv.number, r, 'l8')} 享受现金折扣"
            theirs = self.add(self._payment(pd, a, r, key, nums, desc=desc))
            self.new_group("pay_discount_m2o", True, key, [ours, discount, theirs])
        elif v < 0.8:  # they book payment + the discount they took; we ignore the discount
            ours = self.add(self._receipt(ld, a - disc, r, key, nums))
            theirs = self.add(self._payment(pd, a - disc, r, key, nums))
            evidence = c.pay_ref and c.our_pay_ref
            kind = "pay_1to1_disc_net" + ("_ref" if evidence else "")
            self.new_group(kind, evidence, key, [ours, theirs])
            voucher = self.their_voucher(pd, "adj", r)
            desc = f"现金折扣 {self.refstr(iv.number, r, 'l8')}"
            self.leftover(Entry("R", pd, -disc, voucher, c.cp_right, desc, key), "missing")
        else:  # they book the full amount in one line, we received net: difference
            desc = f"收货款 发票{self.short(iv.number)}"
            ours = self.add(self._receipt(ld, a - disc, r, key, nums, desc=desc))
            desc = f"付货款 {self.refstr(iv.number, r, 'l8')} 扣现金折扣"
            theirs = self.add(self._payment(pd, a, r, key, nums, desc=desc))
            self.new_group("pay_discount_diff", True, key, [ours, theirs])

    def _pay_monthly(self, invoices: list[Invoice]) -> None:
        c, g = self.c, self.g
        by_month: defaultdict[tuple[int, int], list[Invoice]] = defaultdict(list)
        for iv in invoices:
            by_month[ym(iv.day)].append(iv)
        for (y, m), month_invoices in sorted(by_month.items()):
            key: Key = ("paym", y, m)
            r = sub_rng(c.seed, "paym", y, m)
            base = month_end(dt.date(y, m, 1).toordinal())
            pd = workday(base + c.term - 15 + r.randrange(0, 20))
            if pd > E0:
                continue
            paid = [iv for iv in month_invoices if r.random() > 0.03]
            # what is still owed on each invoice after credit notes (a fully returned invoice
            # is not paid)
            owed = [
                replace(iv, amount=iv.amount - self.cn_amt[iv.k])
                for iv in paid
                if iv.amount - self.cn_amt[iv.k] > 0
            ]
            if not owed:
                continue
            nums = tuple(iv.number for iv in owed)
            if c.our_split and 2 <= len(owed) <= 8:
                lag = r.choice((0, 0, 1))
                ld = workday(pd + lag) if lag else pd
                if pd < S0 or ld > E0:
                    continue
                ref = g.our_receipt(ld)
                ours = []
                for iv in owed:
                    a = self.bump(key, iv.amount, (*key, iv.k))
                    desc = f"收货款 核销发票{self.short(iv.number)}"
                    ours.append(self.add(Entry("L", ld, -a, ref, c.cp_left, desc, key)))
                total = -sum(o.amount for o in ours)
                theirs = self.add(self._payment(pd, total, r, key, nums))
                self.new_group("pay_oursplit_m2o", False, key, [*ours, theirs])
                continue
            a = self.bump(key, sum(iv.amount for iv in owed), key)
            self._pair("pay_monthly", key, pd, a, r, nums)

    def _pay_on_account(self) -> None:
        """Round sums every week or few, not tied to invoices."""
        c = self.c
        r0 = sub_rng(c.seed, "onacc")
        o = P0 + r0.randrange(0, 20)
        step = r0.choice((7, 10, 14, 15, 21, 30))
        avg = max(1.0, c.inv_rate * c.price_lvl * step / 30)
        j = 0
        while o <= E0:
            key: Key = ("acc", j)
            r = sub_rng(c.seed, "acc", j)
            if avg > 500000:
                unit = 1000000
            elif avg > 50000:
                unit = 100000
            else:
                unit = 10000 if avg > 5000 else 1000
            a = max(1, round(avg * r.uniform(0.5, 1.5) / unit)) * unit * 100
            if r.random() < 0.3:
                a += r.randrange(1, 99999)
            a = self.bump(key, a, key)
            self._pair("pay_on_account", key, workday(o), a, r)
            o += step + r.randrange(-3, 4)
            j += 1

    def _pay_with_bills(self) -> None:
        """Bank acceptance bills (银行承兑汇票), endorsed in bundles."""
        c, g = self.c, self.g
        r0 = sub_rng(c.seed, "bills")
        o = P0 + r0.randrange(0, 30)
        j = 0
        while o <= E0:
            key: Key = ("bill", j)
            r = sub_rng(c.seed, "bill", j)
            nb = wchoice(r, [(1, 40), (2, 30), (3, 20), (4, 10)])
            amounts = [
                self.bump(key, int(c.price_lvl * c.inv_rate * r.uniform(0.1, 0.8)), (*key, i))
                for i in range(nb)
            ]
            nums = [g.bill_number(o, r) for _ in range(nb)]
            pd = workday(o)
            ld = workday(pd + r.choice((0, 1, 2, 3, 5, 7)))
            style = r.random()
            o += r.randrange(20, 40)
            j += 1
            if pd < S0:
                continue
            bills = list(zip(amounts, nums, strict=True))
            if ld > E0:
                for a, n in bills:
                    self.leftover(self._payment(pd, a, r, key, bill=n), "timing")
                continue
            if nb == 1 or style < 0.4:  # both sides one line per bill, number visible both sides
                for a, n in bills:
                    ours = self.add(self._receipt(ld, a, r, key, bill=n))
                    theirs = self.add(self._payment(pd, a, r, key, bill=n))
                    self.new_group("pay_bill_1to1_ref", True, key, [ours, theirs])
            elif style < 0.7:  # we book the bundle as one receipt, they one line per bill
                listed = r.random() < 0.5
                desc = f"收银行承兑汇票{nb}张" + (" 票号" + ",".join(nums) if listed else "")
                ours = self.add(self._receipt(ld, sum(amounts), r, key, desc=desc))
                their_lines = [self.add(self._payment(pd, a, r, key, bill=n)) for a, n in bills]
                self.new_group("pay_bills_o2m", listed, key, [ours, *their_lines])
            else:  # we book one line per bill, they book the bundle as one line
                our_lines = [self.add(self._receipt(ld, a, r, key, bill=n)) for a, n in bills]
                desc = f"背书转让银行承兑汇票{nb}张 支付{r.choice(OUR_SHORT)}货款"
                theirs = self.add(self._payment(pd, sum(amounts), r, key, desc=desc))
                self.new_group("pay_bills_m2o", False, key, [*our_lines, theirs])

    # ---------------------------------------------------------------- one-sided items
    def _misc(self) -> None:
        c = self.c
        r = sub_rng(c.seed, "misc")
        span = E0 - S0
        months = max(1, span // 30)
        # their quality deductions (质量扣款) we have not accepted
        for j in range(poisson(r, 0.04 * months)):
            key: Key = ("misc", "qc", j)
            rr = sub_rng(c.seed, *key)
            d = workday(S0 + rr.randrange(0, span))
            a = self.bump(key, int(c.price_lvl * rr.uniform(0.01, 0.2)) + rr.randrange(0, 100), key)
            voucher = self.their_voucher(d, "adj", rr)
            desc = rr.choice(("质量扣款", f"扣{rr.choice(OUR_SHORT)}质量罚款", "来料不良扣款"))
            self.leftover(Entry("R", d, -a, voucher, c.cp_right, desc, key), "missing")
        # another supplier's invoice posted to our account
        for j in range(poisson(r, 0.02 * months)):
            key = ("misc", "mis", j)
            rr = sub_rng(c.seed, *key)
            d = workday(S0 + rr.randrange(0, span))
            amount = int(c.price_lvl * rr.lognormvariate(0, 0.7)) + rr.randrange(0, 100)
            a = self.bump(key, amount, key)
            voucher = self.their_voucher(d, "inv", rr)
            desc = f"采购{rr.choice(PRODUCTS)} 发票号{rr.randrange(10**7, 10**8)}"
            self.leftover(Entry("R", d, a, voucher, c.cp_right, desc, key), "missing")
        # our freight debit notes (代垫运费) they have not booked
        for j in range(poisson(r, 0.03 * months)):
            key = ("misc", "frt", j)
            rr = sub_rng(c.seed, *key)
            d = workday(S0 + rr.randrange(0, span))
            a = self.bump(key, rr.randrange(20000, 500000), key)
            voucher = self.g.our_voucher(d, rr)
            self.leftover(Entry("L", d, a, voucher, c.cp_left, "代垫运费", key), "missing")
        # 暂估入账 at period end: goods received, our invoice follows next period
        if r.random() < 0.05:
            key = ("misc", "zg", 0)
            rr = sub_rng(c.seed, *key)
            a = self.bump(key, int(c.price_lvl * rr.lognormvariate(0, 0.5)), key)
            voucher = self.their_voucher(E0, "inv", rr)
            desc = f"暂估入账 {rr.choice(PRODUCTS)} 9月到货未到票"
            self.leftover(Entry("R", E0, a, voucher, c.cp_right, desc, key), "timing")


# --------------------------------------------------------------------------- fairness check
def ambiguous_keys(b: CustomerBuilder) -> dict[Key, str]:
    """Keys of items whose truth a careful cashier could not establish from the files, and how
    to repair each: `ref` (quote the invoice number) or `bump` (redraw the amount)."""
    entries = [e for e in b.left + b.right if e.date >= S0]
    by: defaultdict[tuple[str, bool], list[Entry]] = defaultdict(list)  # (side, sign)
    for e in entries:
        by[(e.side, e.amount > 0)].append(e)
    bad: dict[Key, str] = {}

    def rivals(
        side: str,
        sign: bool,
        amount: int,
        tolerance: int,
        low: int,
        high: int,
        exclude: Collection[Entry],
    ) -> bool:
        """Whether an entry without evidence of its own could stand in."""
        for e in by[(side, sign)]:
            if e in exclude or e.reason == "duplicate":
                continue
            near = abs(e.amount - amount) <= tolerance and low <= e.date <= high
            if near and not (e.group and b.groups[e.group].evidence):
                return True
        return False

    for group in b.groups.values():
        if group.evidence:
            continue
        members = set(group.members)
        lefts = [e for e in group.members if e.side == "L"]
        rights = [e for e in group.members if e.side == "R"]
        left_total, right_total = sum(e.amount for e in lefts), sum(e.amount for e in rights)
        difference = abs(left_total - right_total)
        sign = left_total > 0
        if len(lefts) == 1 and len(rights) == 1:
            ours, theirs = lefts[0], rights[0]
            tolerance = difference + (10 if difference else 0)
            hit = rivals(
                "L", sign, theirs.amount, tolerance, theirs.date - 20, theirs.date + 20, members
            ) or rivals("R", sign, ours.amount, tolerance, ours.date - 20, ours.date + 20, members)
        else:
            low = min(e.date for e in group.members) - 35
            high = max(e.date for e in group.members) + 35
            hit = any(
                rivals(m.side, sign, m.amount, 0, low, high, members) for m in group.members
            ) or any(
                rivals(many, sign, one[0].amount, difference, low, high, members)
                for one, many in ((lefts, "R"), (rights, "L"))
                if len(one) == 1
            )
        if hit:
            bad[group.key] = "ref" if group.key[0] in ("inv", "mon", "cn") else "bump"
    # leftovers that look like a counterpart of something on the other side
    for e in entries:
        if e.group is not None or e.reason == "duplicate":
            continue
        other = "R" if e.side == "L" else "L"
        if rivals(other, e.amount > 0, e.amount, 10, e.date - 20, e.date + 20, ()):
            bad.setdefault(e.key, "bump")
    return bad


# --------------------------------------------------------------------------- voucher order
VOUCHER = re.compile(r"^(记-|记|转-|转|付-|付|YF|FK|SKD)(\d{6}|\d{4})(-?)(\d+)$")


def _voucher(ref: str) -> re.Match[str]:
    match = VOUCHER.match(ref)
    assert match is not None
    return match


def renumber(entries: list[Entry], by_customer: bool) -> None:
    """Voucher numbers were handed out in creation order; give them back in date order."""
    series: defaultdict[tuple[str | None, str, str, str, int], dict[str, int]] = defaultdict(dict)
    for e in entries:
        match = VOUCHER.match(e.ref)
        if not match:
            continue
        key = (
            e.customer if by_customer else None,
            match.group(1),
            match.group(2),
            match.group(3),
            len(match.group(4)),
        )
        first = series[key]
        first[e.ref] = min(first.get(e.ref, 10**9), e.date)
    mapping = {}
    for refs in series.values():
        olds = sorted(refs, key=lambda ref: int(_voucher(ref).group(4)))
        numbers = [_voucher(ref).group(4) for ref in olds]
        in_date_order = sorted(refs, key=lambda ref: (refs[ref], int(_voucher(ref).group(4))))
        for ref, number in zip(in_date_order, numbers, strict=True):
            match = _voucher(ref)
            mapping[ref] = f"{match.group(1)}{match.group(2)}{match.group(3)}{number}"
    for e in entries:
        if e.ref in mapping:
            e.ref = mapping[e.ref]


# --------------------------------------------------------------------------- the case
@dataclass
class LedgerCase:
    left: list[Entry]
    right: list[Entry]
    groups: dict[tuple[str, int], TrueGroup]
    stats: defaultdict[str, int]  # filled while building, completed by `write`

    def write(self, out: Path) -> dict[str, int]:
        """The case's files; the statistics also written to gen_stats.json."""
        stats = self.stats
        out.mkdir(parents=True, exist_ok=True)
        columns = [
            *("id", "date", "amount", "currency", "reference", "counterparty"),
            *("description", "customer"),
        ]
        for name, rows in (("left.csv", self.left), ("right.csv", self.right)):
            with (out / name).open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(columns)
                for e in rows:
                    writer.writerow(
                        [
                            e.id,
                            iso(e.date),
                            money(e.amount),
                            e.currency,
                            e.ref,
                            e.counterparty,
                            e.description,
                            e.customer,
                        ]
                    )
        with (out / "truth_groups.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["group_id", "kind", "side", "id", "difference"])
            for n, group in enumerate(self.groups.values(), 1):
                members = group.members
                difference = sum(e.amount for e in members if e.side == "L") - sum(
                    e.amount for e in members if e.side == "R"
                )
                stats["kind:" + group.kind] += 1
                for e in sorted(members, key=lambda e: (e.side, e.id)):
                    side = "left" if e.side == "L" else "right"
                    shown = money(difference) if difference else "0"
                    writer.writerow([f"G{n:07d}", group.kind, side, e.id, shown])
        with (out / "truth_leftovers.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["side", "id", "reason", "duplicate_of"])
            for e in self.left + self.right:
                if e.group is None:
                    assert e.reason in ("missing", "timing", "duplicate"), (e.reason, e.description)
                    side = "left" if e.side == "L" else "right"
                    original = e.duplicate_of.id if e.duplicate_of else ""
                    writer.writerow([side, e.id, e.reason, original])
                    stats[f"leftover:{e.side}:{e.reason}"] += 1
                else:
                    assert e.reason is None, (e.reason, e.description, e.key)
        stats["left_lines"] = len(self.left)
        stats["right_lines"] = len(self.right)
        stats["groups"] = len(self.groups)
        with (out / "gen_stats.json").open("w", encoding="utf-8") as handle:
            json.dump(dict(sorted(stats.items())), handle, ensure_ascii=False, indent=1)
        return dict(stats)


def generate(lines: int, seed: int, ref_style: str = "mixed") -> LedgerCase:
    """Customers until about `lines` lines (both sides) fall in the extract, each rebuilt until
    its truth is decidable (at most 8 times), then ids in date order."""
    rng = random.Random(seed)
    g = Numbering(rng, ref_style)
    names = make_names(random.Random(seed * 7919 + 1), lines // 40 + 400)
    rng.shuffle(names)
    builders = []
    total = 0
    stats: defaultdict[str, int] = defaultdict(int)
    idx = 0
    while total < lines:
        c = Customer(rng, idx, names[idx % len(names)])
        if idx >= len(names):
            c.name = c.name.replace("有限公司", f"{idx // len(names)}分公司有限公司")
            c.cp_left = c.name
        b = _build_decidable(g, c, stats)
        builders.append(b)
        total += sum(1 for e in b.left + b.right if e.date >= S0)
        idx += 1
    stats["customers"] = idx

    for b in builders:
        for e in b.left + b.right:
            e.customer = b.c.code
            e.currency = b.c.currency
    renumber([e for b in builders for e in b.left], by_customer=False)
    for b in builders:
        renumber(b.right, by_customer=True)
    everything = [e for b in builders for e in b.left + b.right]
    left = [e for e in everything if e.side == "L" and S0 <= e.date <= E0]
    right = [e for e in everything if e.side == "R" and S0 <= e.date <= E0]
    groups = {}
    for b in builders:
        groups.update(b.groups)
    # a group with a member outside the extract must not exist
    kept = {id(e) for e in left + right}
    ghosts = sum(1 for group in groups.values() if any(id(e) not in kept for e in group.members))
    assert ghosts == 0, f"{ghosts} groups with a member outside the extract"
    rng.shuffle(left)
    left.sort(key=lambda e: (e.date, e.ref))
    right.sort(key=lambda e: (e.customer, e.date, e.ref))
    for i, e in enumerate(left):
        e.id = f"A{i + 1:07d}"
    for i, e in enumerate(right):
        e.id = f"B{i + 1:07d}"
    return LedgerCase(left, right, groups, stats)


def _build_decidable(g: Numbering, c: Customer, stats: defaultdict[str, int]) -> CustomerBuilder:
    """Build the customer, repairing what `ambiguous_keys` finds, up to 8 times."""
    overrides: dict[Key, Override] = {}
    for attempt in range(8):
        b = CustomerBuilder(g, c, overrides).build()
        bad = ambiguous_keys(b)
        if not bad:
            break
        if attempt == 7:
            stats["ambiguous_left"] += len(bad)
            break
        for key, how in bad.items():
            override = overrides.setdefault(key, Override())
            if how == "ref" and not override.force_ref:
                override.force_ref = True
                stats["fix_force_ref"] += 1
            else:
                override.bump += 1
                stats["fix_bump"] += 1
    return b


def write_case(directory: Path, lines: int, seed: int) -> int:
    """Generate and write a case with the default options; the number of lines written."""
    case = generate(lines, seed)
    case.write(directory)
    return len(case.left) + len(case.right)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--lines", type=int, default=100000, help="about this many lines, both sides"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--ref-style",
        choices=("mixed", "full"),
        default="mixed",
        help="mixed: customers quote our 20-digit invoice number in full or by its last 8/6 "
        "digits; full: always in full (isolates suffix matching)",
    )
    args = parser.parse_args(argv)
    stats = generate(args.lines, args.seed, args.ref_style).write(args.out)
    summary = {k: v for k, v in stats.items() if not k.startswith("kind:")}
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
