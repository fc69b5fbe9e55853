"""Our receivables ledger against a Chinese bank statement, with ground truth.

Left is our receivables ledger's receipt postings (voucher ids `记-2507-00001-1`); right is our
bank statement flipped into the receivable view (ids `HX20250701…`, 16-digit bank serials, a
balance column, columns in a bank's order). The period is Q3 2025. What it models:

- four invoice-number schemes, one per customer: 20-digit 数电 e-invoice numbers, 8-digit
  numbers (leading zeros lost in Excel for some), sales orders `XS2507-0001`, USD `CI25-0001`;
  the bank writes them as they are, with a prefix (`发票号:`, `No.`), stripped of zeros,
  spaced or re-punctuated, as a tail (`尾号12345678`), or not at all;
- payer names: the legal name, cut at a field length, a branch, English or pinyin, a person,
  a renamed company, a payment platform (支付宝, 财付通 …), or someone paying for the customer
  (代付); the customer code on some bank lines only;
- memos (`跨行来账 8月货款`), purchase-order and cheque noise, USD receipts with bank charges,
  chain stores paying monthly fees per site, receipts booked in bulk at month end;
- one receipt for many invoices (listed, `等N张`, or not), instalments, split receipts, fees,
  roundings, typing errors, refunds, double payments paid back, and bank lines that are not
  receivables at all (suppliers, charges, tax, salaries, interest): those are `missing`.

A link that rests on amount and date alone is kept only where a careful cashier could make it:
otherwise the group gets its reference back (`fairness`, counted in meta.json).

    python -m duizhang.bench.independent.bank --lines 100000 --seed 1 --out DIR

Files: left.csv, right.csv, truth_groups.csv, truth_leftovers.csv and meta.json.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import json
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import accumulate, count
from pathlib import Path
from typing import TypedDict

PERIOD_START = date(2025, 7, 1)
PERIOD_END = date(2025, 9, 30)  # a Tuesday
# Dates are day ordinals throughout.
START = PERIOD_START.toordinal()
END = PERIOD_END.toordinal()


def iso(day: int) -> str:
    return date.fromordinal(day).isoformat()


def weekday(day: int) -> int:
    return date.fromordinal(day).weekday()


def month(day: int) -> int:
    return date.fromordinal(day).month


def month_end(day: int) -> int:
    d = date.fromordinal(day)
    following = date(d.year + (d.month == 12), d.month % 12 + 1, 1).toordinal()
    return following - 1


def money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


# ----------------------------------------------------------------------------- names
# fmt: off
CITIES = [("北京", "Beijing"), ("上海", "Shanghai"), ("广州", "Guangzhou"), ("深圳", "Shenzhen"),
          ("杭州", "Hangzhou"), ("南京", "Nanjing"), ("苏州", "Suzhou"), ("无锡", "Wuxi"),
          ("宁波", "Ningbo"), ("温州", "Wenzhou"), ("厦门", "Xiamen"), ("福州", "Fuzhou"),
          ("成都", "Chengdu"), ("重庆", "Chongqing"), ("武汉", "Wuhan"), ("长沙", "Changsha"),
          ("郑州", "Zhengzhou"), ("西安", "Xi'an"), ("济南", "Jinan"), ("青岛", "Qingdao"),
          ("烟台", "Yantai"), ("天津", "Tianjin"), ("沈阳", "Shenyang"), ("大连", "Dalian"),
          ("长春", "Changchun"), ("哈尔滨", "Harbin"), ("合肥", "Hefei"), ("南昌", "Nanchang"),
          ("昆明", "Kunming"), ("贵阳", "Guiyang"), ("南宁", "Nanning"), ("海口", "Haikou"),
          ("石家庄", "Shijiazhuang"), ("太原", "Taiyuan"), ("兰州", "Lanzhou"),
          ("东莞", "Dongguan"), ("佛山", "Foshan"), ("中山", "Zhongshan"), ("珠海", "Zhuhai"),
          ("常州", "Changzhou"), ("嘉兴", "Jiaxing"), ("绍兴", "Shaoxing"), ("台州", "Taizhou"),
          ("金华", "Jinhua"), ("泉州", "Quanzhou"), ("潍坊", "Weifang"), ("徐州", "Xuzhou"),
          ("义乌", "Yiwu"), ("昆山", "Kunshan"), ("惠州", "Huizhou")]
SHI = {"深圳", "广州", "东莞", "佛山", "中山", "珠海", "厦门", "惠州", "苏州", "无锡", "温州"}
WORDS = [("恒达", "Hengda"), ("鑫源", "Xinyuan"), ("金盛", "Jinsheng"), ("宏图", "Hongtu"),
         ("瑞丰", "Ruifeng"), ("博远", "Boyuan"), ("汇通", "Huitong"), ("永安", "Yong'an"),
         ("嘉禾", "Jiahe"), ("天成", "Tiancheng"), ("同创", "Tongchuang"), ("东方", "Dongfang"),
         ("锦程", "Jincheng"), ("昊天", "Haotian"), ("盛世", "Shengshi"), ("海纳", "Haina"),
         ("中联", "Zhonglian"), ("华信", "Huaxin"), ("新元", "Xinyuan"), ("润泽", "Runze"),
         ("远航", "Yuanhang"), ("联创", "Lianchuang"), ("众诚", "Zhongcheng"), ("安泰", "Antai"),
         ("正阳", "Zhengyang"), ("德润", "Derun"), ("佳和", "Jiahe"), ("亿达", "Yida"),
         ("九洲", "Jiuzhou"), ("百川", "Baichuan"), ("兴业", "Xingye"), ("鼎盛", "Dingsheng"),
         ("金桥", "Jinqiao"), ("银河", "Yinhe"), ("宝丰", "Baofeng"), ("万通", "Wantong"),
         ("启明", "Qiming"), ("星辰", "Xingchen"), ("晨光", "Chenguang"), ("诚信", "Chengxin"),
         ("泰和", "Taihe"), ("和信", "Hexin"), ("凯瑞", "Kairui"), ("华茂", "Huamao"),
         ("鸿运", "Hongyun"), ("腾飞", "Tengfei"), ("飞扬", "Feiyang"), ("新锐", "Xinrui"),
         ("卓越", "Zhuoyue"), ("精诚", "Jingcheng"), ("明达", "Mingda"), ("信达", "Xinda"),
         ("天宇", "Tianyu"), ("海川", "Haichuan"), ("金鹏", "Jinpeng"), ("荣昌", "Rongchang"),
         ("利达", "Lida"), ("永盛", "Yongsheng"), ("康达", "Kangda"), ("广源", "Guangyuan"),
         ("三和", "Sanhe"), ("四方", "Sifang"), ("五洲", "Wuzhou"), ("六合", "Liuhe"),
         ("七星", "Qixing"), ("八方", "Bafang"), ("中恒", "Zhongheng"), ("国泰", "Guotai"),
         ("金诚", "Jincheng"), ("德信", "Dexin"), ("宏达", "Hongda"), ("伟业", "Weiye"),
         ("隆鑫", "Longxin"), ("富源", "Fuyuan"), ("聚源", "Juyuan"), ("裕丰", "Yufeng"),
         ("恒丰", "Hengfeng"), ("恒通", "Hengtong"), ("恒信", "Hengxin"), ("华通", "Huatong"),
         ("华达", "Huada"), ("华源", "Huayuan"), ("东升", "Dongsheng"), ("南方", "Nanfang"),
         ("北辰", "Beichen"), ("蓝天", "Lantian"), ("绿源", "Lvyuan"), ("青松", "Qingsong"),
         ("金辉", "Jinhui"), ("银丰", "Yinfeng"), ("晶华", "Jinghua"), ("协力", "Xieli"),
         ("同心", "Tongxin"), ("合力", "Heli"), ("中科", "Zhongke")]
INDS = [("贸易", "Maoyi", "Trading"), ("科技", "Keji", "Technology"),
        ("电子", "Dianzi", "Electronics"), ("机械", "Jixie", "Machinery"),
        ("化工", "Huagong", "Chemical"), ("物流", "Wuliu", "Logistics"),
        ("建材", "Jiancai", "Building Materials"), ("食品", "Shipin", "Food"),
        ("医药", "Yiyao", "Pharmaceutical"), ("包装", "Baozhuang", "Packaging"),
        ("纺织", "Fangzhi", "Textile"), ("服饰", "Fushi", "Apparel"),
        ("信息技术", "Xinxi Jishu", "Information Technology"),
        ("网络科技", "Wangluo Keji", "Network Technology"),
        ("新材料", "Xin Cailiao", "New Materials"),
        ("环保科技", "Huanbao Keji", "Environmental Technology"),
        ("精密机械", "Jingmi Jixie", "Precision Machinery"),
        ("汽车零部件", "Qiche Lingbujian", "Auto Parts"),
        ("供应链管理", "Gongyinglian Guanli", "Supply Chain Management"),
        ("餐饮管理", "Canyin Guanli", "Catering Management"),
        ("建筑工程", "Jianzhu Gongcheng", "Construction"),
        ("装饰工程", "Zhuangshi Gongcheng", "Decoration Engineering"),
        ("印务", "Yinwu", "Printing"), ("塑胶", "Sujiao", "Plastics"),
        ("五金", "Wujin", "Hardware"), ("电气", "Dianqi", "Electric"),
        ("能源", "Nengyuan", "Energy"), ("农业发展", "Nongye Fazhan", "Agricultural Development"),
        ("生物科技", "Shengwu Keji", "Biotechnology"), ("实业", "Shiye", "Industrial"),
        ("商贸", "Shangmao", "Commerce"), ("进出口", "Jinchukou", "Import & Export"),
        ("光电", "Guangdian", "Optoelectronics"),
        ("自动化设备", "Zidonghua Shebei", "Automation Equipment"),
        ("医疗器械", "Yiliao Qixie", "Medical Devices"),
        ("文化传媒", "Wenhua Chuanmei", "Culture Media"),
        ("企业管理咨询", "Qiye Guanli Zixun", "Management Consulting"),
        ("物业管理", "Wuye Guanli", "Property Management"),
        ("酒店管理", "Jiudian Guanli", "Hotel Management"), ("钢铁", "Gangtie", "Steel"),
        ("家具", "Jiaju", "Furniture"), ("陶瓷", "Taoci", "Ceramics")]
SUFS = [("有限公司", "Youxian Gongsi", "Co., Ltd.", 62),
        ("有限责任公司", "Youxian Zeren Gongsi", "Co., Ltd.", 15),
        ("股份有限公司", "Gufen Youxian Gongsi", "Co., Ltd.", 13),
        ("集团有限公司", "Jituan Youxian Gongsi", "Group Co., Ltd.", 10)]
SURN = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕"
    "丁沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹薛段雷侯龙陶黎贺顾毛郝龚邵万钱严武戴莫孔汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
    "英华玉兰萍鹏辉建文斌宇浩凯晨欣怡婷雪琳晓东海峰"
)
SITES = ["南山", "福田", "宝安", "龙华", "罗湖", "天河", "越秀", "海珠", "番禺", "浦东", "徐汇",
         "静安", "闵行", "朝阳", "海淀", "丰台", "西湖", "滨江", "萧山", "江北", "渝中", "锦江",
         "武侯", "高新", "江汉", "雨花", "鼓楼", "思明", "历下", "市南", "和平", "中山", "庐阳",
         "西山", "秀英", "蜀山"]
EN_A = ["Pacific", "Atlantic", "Global", "Evergreen", "Northstar", "Bluewater", "Summit", "Harbor",
        "Silverline", "Redwood", "Crescent", "Pioneer", "Meridian", "Oakridge", "Sunrise",
        "Keystone", "Horizon", "Lighthouse", "Granite", "Maple", "Nordic", "Baltic", "Andes",
        "Coral"]
EN_B = ["Trading", "Imports", "Sourcing", "Distribution", "Supply", "Retail", "Industries",
        "Components", "Brands", "Logistics", "Home", "Tools"]
EN_C = ["LLC", "Ltd", "Limited", "GmbH", "Pty Ltd", "Inc.", "S.A.", "B.V.", "S.r.l.", "Oy"]
PLATFORMS = ["支付宝（中国）网络技术有限公司", "财付通支付科技有限公司", "银联商务股份有限公司",
             "拉卡拉支付股份有限公司"]
# fmt: on


@dataclass(frozen=True)
class CompanyName:
    legal: str
    city: str
    word: str
    industry: tuple[str, str, str]  # Chinese, pinyin, English
    suffix: tuple[str, str, str, int]  # Chinese, pinyin, English, weight
    form: str  # A: city + word + industry, B: city市…, C: word（city）…, D: no city
    english: str
    pinyin: str


def person(rng: random.Random) -> str:
    return rng.choice(SURN) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def cn_company(rng: random.Random, used: set[str]) -> CompanyName:
    """A Chinese company name not in `used` (and now in it)."""
    while True:
        city, city_pinyin = rng.choice(CITIES)
        word, word_pinyin = rng.choice(WORDS)
        industry = rng.choice(INDS)
        suffix = rng.choices(SUFS, weights=[s[3] for s in SUFS])[0]
        form = rng.choices("ABCD", weights=[50, 25, 12, 13])[0]
        if form == "B" and city not in SHI:
            form = "A"
        if form == "A":
            legal = city + word + industry[0] + suffix[0]
        elif form == "B":
            legal = city + "市" + word + industry[0] + suffix[0]
        elif form == "C":
            legal = word + "（" + city + "）" + industry[0] + suffix[0]
        else:
            legal = word + industry[0] + suffix[0]
        if legal in used:
            continue
        used.add(legal)
        en_city = "" if form == "D" else city_pinyin + " "
        english = f"{en_city}{word_pinyin} {industry[2]} {suffix[2]}"
        pinyin = f"{en_city}{word_pinyin} {industry[1]} {suffix[1]}".upper().replace("'", "")
        return CompanyName(legal, city, word, industry, suffix, form, english, pinyin)


def list_names(n: int = 360, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    used: set[str] = set()
    return [cn_company(rng, used).legal for _ in range(n)]


def swap_suffix(name: str) -> str:
    if name.endswith("有限责任公司"):
        return name[:-6] + "有限公司"
    if name.endswith("股份有限公司"):
        return name[:-6] + "股份公司"
    if name.endswith("有限公司"):
        return name[:-4] + "有限责任公司"
    return name


# ----------------------------------------------------------------------------- model
@dataclass(eq=False)
class Customer:
    code: str
    currency: str
    bulk: bool  # books the month's receipts at month end
    excel0: bool  # our ledger lost the leading zeros of its 8-digit invoice numbers
    legal: str
    short: str
    ledger_name: str  # how our ledger names it
    payers: list[tuple[str, str, float]]  # (name on the bank line, kind, weight)
    scheme: str  # invoice numbers: sd 20-digit e-invoice, o8 8 digits, xs sales order, ci USD
    median: float  # typical amount, yuan
    amount_style: str  # vat, round or qty (price × quantity)
    fill: float  # how often the bank line carries the customer code
    new_name: str | None = None
    rename_on: int = 0
    sites: list[str] = field(default_factory=list)  # a chain's stores
    recurring: list[tuple[int, int]] = field(default_factory=list)  # (amount, day) per contract
    weight: float = 0.0


@dataclass(eq=False)
class Entry:
    """One line of either side; identity matters (sets of members), so no value equality."""

    side: str
    seq: int  # creation order, for stable sorting
    date: int = 0
    amount: int = 0  # cents, receivable view
    currency: str = ""
    customer: str = ""  # the true customer's code ("" for bank lines that are no receivable)
    site: str | None = None
    counterparty: str = ""
    # Customers a careful cashier could read from the bank line; None: anyone.
    name_codes: set[str] | None = None
    refs: list[str] = field(default_factory=list)  # our invoice numbers behind the line
    # How the invoice number is shown. Left: col, desc, vdesc, vouch or none; right: a style
    # letter of `style` (+ "1": the first of several only), None: lost.
    shown: str | None = None
    memo: str = ""
    scheme: str | None = None
    cut_memo: bool = False  # the bank cuts the description at 40 characters
    customer_column: str = ""
    group: Group | None = None
    avail: bool = True  # could stand in for another group's member (fairness)
    id: str = ""
    reference: str = ""
    description: str = ""
    payer_kind: str | None = None


@dataclass(eq=False)
class Group:
    kind: str
    seq: int
    left: list[Entry]
    right: list[Entry]
    shared_ref: bool = False  # several groups carry the same invoice number


class Meta(TypedDict):
    left: int
    right: int
    groups: int
    kinds: dict[str, int]
    leftovers: dict[str, int]
    fairness_fixes: dict[str, int]
    customers: int
    period: list[str]


# How our ledger shows the invoice number (cumulative shares): in the reference column, in the
# description, in the description with our voucher number as reference, only the voucher number
# as reference; else not at all ("none").
LEDGER_STYLES = ((0.72, "col"), (0.82, "desc"), (0.90, "vdesc"), (0.95, "vouch"))
LEFT_HAS = {"col", "desc", "vdesc"}  # the styles that show the invoice number
# fmt: off
PREFIXES = ["FP", "FP:", "INV", "INV-", "No.", "NO.", "发票号", "发票号:", "发票号码", "票号",
            "发票"]
CHANNEL = ["", "", "", "", "汇入汇款 ", "跨行来账 ", "网银跨行 ", "超级网银 ", "大额来账 ",
           "小额来账 ", "转账 ", "对公转账 "]
PURPOSE = ["货款", "货款", "支付货款", "付货款", "往来款", "合同款", "采购款", "材料款", "设备款",
           "业务款", "付款", "转账", "HK", "结算款", "{m}月货款", "{m}月份货款", "{m}月对账款",
           "还款", "付{s}款"]
LDESC = ["收{s}货款", "收到{s}回款", "{s}回款", "收{s}款", "银行收款-{s}", "收{s}往来款",
         "回款 {s}", "收{s}{m}月货款"]
PRICES = [298000, 580000, 980000, 1200000, 350000, 1980000, 666600, 880000, 450000, 1500000, 268000,
          3600000]
# fmt: on
AUTO = "auto"  # `bank_line(show=AUTO)`: lost or a drawn style


def show_ref(ref: str, scheme: str | None, style: str, rng: random.Random, prefix: bool) -> str:
    """How the bank writes one invoice number in style `style` (see `BankCase.style`)."""
    pre = rng.choice(PREFIXES) if (prefix and style == "p") else ""
    if style in ("v", "c"):
        return ref
    if style == "p":
        if not pre:
            return ref
        separator = rng.choice(["", "", " ", ":"])
        return pre + ("" if pre.endswith(":") else separator) + ref
    if style == "z":
        if scheme == "o8":
            return ref.lstrip("0")
        if scheme in ("xs", "ci"):
            head, number = ref.split("-")
            return head + "-" + (number.lstrip("0") or "0")
        return ref.lstrip("0")[-12:] if scheme == "sd" else ref
    if style == "s":
        if scheme == "o8":
            return ref[:4] + rng.choice(["-", " "]) + ref[4:]
        if scheme == "sd":
            return " ".join(ref[i : i + 4] for i in range(0, 20, 4))
        return rng.choice(
            [
                ref.replace("-", ""),
                ref.lower(),
                ref.replace("-", "/"),
                ref.replace("-", " "),
                ref.replace("-", "_"),
            ]
        )
    if style == "t":
        n = rng.choice((8, 8, 6))
        label = rng.choice(["尾号", "后8位" if n == 8 else "后6位", "票号尾"])
        return (label if prefix else "") + ref[-n:]
    return ref


def mistype(amount: int, rng: random.Random) -> int:
    """A keying error in `amount` (cents): digits swapped, one wrong, one dropped, or the cents."""
    s = str(amount)
    kind = rng.choices(["swap", "digit", "drop", "cents"], weights=[50, 30, 8, 12])[0]
    if kind == "swap":
        places = [i for i in range(len(s) - 1) if s[i] != s[i + 1] and not (i == 0 and s[1] == "0")]
        if not places:
            return amount
        i = rng.choice(places)
        s = s[:i] + s[i + 1] + s[i] + s[i + 2 :]
    elif kind == "digit":
        i = rng.randrange(len(s))
        digit = rng.choice([x for x in "0123456789" if x != s[i] and not (i == 0 and x == "0")])
        s = s[:i] + digit + s[i + 1 :]
    elif kind == "drop" and len(s) >= 6:
        i = rng.randrange(1, len(s) - 2)
        s = s[:i] + s[i + 1 :]
    elif s[-1] != s[-2]:
        s = s[:-2] + s[-1] + s[-2]
    else:
        s = s[:-1] + str((int(s[-1]) + 1) % 10)
    return int(s)


def compatible(right: Entry, left: Entry) -> bool:
    """Whether a cashier could take the bank line `right` for a receipt of `left`'s customer."""
    if right.name_codes is None:
        return True
    if left.customer not in right.name_codes:
        return False
    return right.site is None or left.site is None or right.site == left.site


class AmountIndex:
    """The entries that could stand in for another, per side and currency, by amount."""

    def __init__(self, entries: dict[str, list[Entry]]) -> None:
        rows: dict[tuple[str, str], list[tuple[int, int, Entry]]] = {}
        for side, side_entries in entries.items():
            for e in side_entries:
                if e.avail:
                    rows.setdefault((side, e.currency), []).append((e.amount, e.seq, e))
        self.keys: dict[tuple[str, str], list[int]] = {}
        self.entries: dict[tuple[str, str], list[Entry]] = {}
        for key, found in rows.items():
            found.sort(key=lambda row: (row[0], row[1]))
            self.keys[key] = [row[0] for row in found]
            self.entries[key] = [row[2] for row in found]

    def near(self, side: str, currency: str, amount: int, tolerance: int) -> list[Entry]:
        if (side, currency) not in self.keys:
            return []
        keys = self.keys[(side, currency)]
        low = bisect.bisect_left(keys, amount - tolerance)
        high = bisect.bisect_right(keys, amount + tolerance)
        return self.entries[(side, currency)][low:high]


def rivalled(group: Group, index: AmountIndex) -> bool:
    """Whether another available entry could replace a member: the same amount (within the
    group's own difference), a compatible name and a date gap at most 3 days worse."""
    left_total = sum(e.amount for e in group.left)
    right_total = sum(e.amount for e in group.right)
    difference = abs(left_total - right_total)
    tolerance = difference + (max(100, abs(right_total) // 500) if difference else 0)
    reach = max(abs(ours.date - theirs.date) for ours in group.left for theirs in group.right) + 3
    members = {id(e) for e in group.left + group.right}

    def free(e: Entry) -> bool:
        return id(e) not in members and e.avail

    for theirs in group.right:
        for other in index.near("left", theirs.currency, theirs.amount, tolerance):
            if free(other) and compatible(theirs, other) and abs(other.date - theirs.date) <= reach:
                return True
    for ours in group.left:
        for other in index.near("right", ours.currency, ours.amount, tolerance):
            if free(other) and compatible(other, ours) and abs(other.date - ours.date) <= reach:
                return True
    if len(group.left) > 1:
        for other in index.near("right", group.left[0].currency, left_total, tolerance):
            if (
                free(other)
                and any(compatible(other, ours) for ours in group.left)
                and min(abs(other.date - ours.date) for ours in group.left) <= reach
            ):
                return True
    if len(group.right) > 1:
        for other in index.near("left", group.right[0].currency, right_total, tolerance):
            if (
                free(other)
                and any(compatible(theirs, other) for theirs in group.right)
                and min(abs(other.date - theirs.date) for theirs in group.right) <= reach
            ):
                return True
    return False


# ----------------------------------------------------------------------------- the case
class BankCase:
    """Draws customers, then events (one true group or leftover each) until about `lines`
    lines, then cuts at the period end, repairs ambiguity, adds duplicates and renders."""

    def __init__(
        self, seed: int, lines: int, start_timing: float = 0.0, long_lag: float = 1.0
    ) -> None:
        self.long_lag = long_lag
        self.rng = random.Random(seed)
        self.lines = lines
        self.start_timing = start_timing
        self.left: list[Entry] = []
        self.right: list[Entry] = []
        self.groups: list[Group] = []
        self.leftovers: list[tuple[Entry, str, Entry | None]] = []  # (entry, reason, original)
        self.fixes: Counter[str] = Counter()
        self.entry_seq = count(1)
        self.group_seq = count(1)
        rng = self.rng
        self.sd_seq = rng.randint(10**6, 10**7)
        self.o8_seq = rng.randint(200000, 3000000)
        self.xs_seq: Counter[int] = Counter()
        self.ci_seq = rng.randint(100, 900)
        rng.randint(1000, 5000)  # drawn, never used: kept so that each seed gives the same files
        # Bank dates: weekends quiet, the month's ends busy.
        self.days = list(range(START, END + 5))
        weights = []
        for day in self.days:
            weight = 1.0
            if weekday(day) >= 5:
                weight = 0.3
            d = date.fromordinal(day).day
            if d >= 25:
                weight *= 1.5
            elif d <= 5:
                weight *= 1.2
            weights.append(weight)
        self.day_weights = list(accumulate(weights))
        self.make_customers()

    # ---------------------------------------------------------------- customers
    def make_customers(self) -> None:
        rng = self.rng
        used: set[str] = set()
        self.customers: list[Customer] = []
        regions: Counter[int] = Counter()
        for _ in range(max(40, self.lines // 160)):
            region = rng.randint(1, 9)
            regions[region] += 1
            code = f"{region:02d}.{regions[region]:04d}"
            currency = "USD" if rng.random() < 0.03 else "CNY"
            bulk = rng.random() < 0.025 * self.long_lag
            excel0 = rng.random() < 0.3
            if currency == "USD":
                customer = self._usd_customer(code, bulk, excel0, used)
            else:
                customer = self._cny_customer(code, bulk, excel0, used)
            self.customers.append(customer)
        # for payer names cut at a field length
        self.legals = [(c.legal, c.code) for c in self.customers] + [
            (c.legal.replace("（", "(").replace("）", ")"), c.code) for c in self.customers
        ]
        cny = [c for c in self.customers if c.currency == "CNY"]
        rng.shuffle(cny)
        n_chains = max(1, len(cny) // 120)
        for c in cny[:n_chains]:
            c.sites = rng.sample(SITES, rng.randint(4, 14))
        chains = cny[:n_chains]
        self.recurring_customers = cny[n_chains : n_chains + len(cny) // 7]
        # Zipf weights
        order = list(range(len(self.customers)))
        rng.shuffle(order)
        for rank, i in enumerate(order):
            self.customers[i].weight = 1.0 / (rank + 1) ** 0.9
        self.cny = [c for c in self.customers if c.currency == "CNY"]
        self.usd = [c for c in self.customers if c.currency == "USD"] or [self.customers[0]]
        self.cny_weights = list(accumulate(c.weight for c in self.cny))
        self.usd_weights = list(accumulate(c.weight for c in self.usd))
        self.by_code = {c.code: c for c in self.customers}
        self.pool = self._recurring_pool(chains)

    def _usd_customer(self, code: str, bulk: bool, excel0: bool, used: set[str]) -> Customer:
        rng = self.rng
        while True:
            name = f"{rng.choice(EN_A)} {rng.choice(EN_B)} {rng.choice(EN_C)}"
            if name not in used:
                break
        used.add(name)
        bank = name.upper().replace(".", "").replace(",", "")
        payers = [(bank[:35], "main", 1.0)]
        if rng.random() < 0.3:
            payers.append(((bank + " (HK) LIMITED")[:35], "branch", 0.3))
        median = rng.lognormvariate(9.2, 0.8)
        amount_style = rng.choice(["qty", "round"])
        return Customer(
            code=code,
            currency="USD",
            bulk=bulk,
            excel0=excel0,
            legal=name,
            short=name.split()[0],
            ledger_name=name,
            payers=payers,
            scheme="ci",
            median=median,
            amount_style=amount_style,
            fill=0.7,
        )

    def _cny_customer(self, code: str, bulk: bool, excel0: bool, used: set[str]) -> Customer:
        rng = self.rng
        info = cn_company(rng, used)
        legal = info.legal
        word, industry, city = info.word, info.industry[0], info.city
        short = rng.choice([word + industry[:2], city + word, word, word + industry[:2]])
        draw = rng.random()
        if draw < 0.62:
            ledger_name = legal
        elif draw < 0.78:
            ledger_name = short
        elif draw < 0.87:
            ledger_name = swap_suffix(legal)
        elif draw < 0.92:
            ledger_name = legal.replace(info.suffix[0], "")
        elif draw < 0.96:
            ledger_name = (
                legal.replace("（", "(").replace("）", ")")
                if info.form == "C"
                else legal.replace(city + "市", city)
            )
        else:
            ledger_name = ""
        payers = [(legal, "main", 1.0)]
        if len(legal) >= 11 and rng.random() < 0.25:
            k = rng.randint(len(legal) - 5, len(legal) - 2)
            payers.append((legal[:k], "trunc", 0.35))
        if info.form == "C":
            payers.append((legal.replace("（", "(").replace("）", ")"), "main", 0.5))
        if rng.random() < 0.15:
            payers.append((legal + rng.choice(CITIES)[0] + "分公司", "branch", 0.3))
        if rng.random() < 0.05:
            payers.append((rng.choice([info.english.upper(), info.pinyin])[:35], "english", 0.4))
        if rng.random() < 0.10:
            payers.append((person(rng), "person", 0.12))
        payers.append(("", "empty", 0.01))
        customer = Customer(
            code=code,
            currency="CNY",
            bulk=bulk,
            excel0=excel0,
            legal=legal,
            short=short,
            ledger_name=ledger_name,
            payers=payers,
            scheme=rng.choices(["sd", "o8", "xs"], weights=[55, 20, 25])[0],
            median=min(2e6, max(300.0, rng.lognormvariate(9.6, 1.0))),
            amount_style=rng.choices(["vat", "round", "qty"], weights=[45, 30, 25])[0],
            fill=rng.choice([0.0, 0.5, 0.7, 0.9, 1.0]),
        )
        if rng.random() < 0.012:
            while True:
                new_name = legal.replace(industry, rng.choice(INDS)[0])
                if new_name not in used:
                    break
            used.add(new_name)
            customer.new_name = new_name
            customer.rename_on = rng.randint(START + 10, END - 20)
        return customer

    def _recurring_pool(
        self, chains: list[Customer]
    ) -> list[tuple[Customer, str | None, int, int, int]]:
        """Monthly fees (customer, site, amount, month, day): every store of a chain, and
        contracts of other customers, about 6 % of the events."""
        rng = self.rng
        target = int(self.lines / 2.25 * 0.06)
        pool: list[tuple[Customer, str | None, int, int, int]] = []
        for c in chains:
            amount = rng.choice(PRICES)
            day = rng.randint(1, 15)
            for site in c.sites:
                for m in (7, 8, 9):
                    if rng.random() < 0.93:
                        pool.append((c, site, amount, m, day))
        while len(pool) < target and self.recurring_customers:
            c = rng.choice(self.recurring_customers)
            have = {contract[0] for contract in c.recurring}
            choices = [price for price in PRICES if price not in have]
            if not choices:
                continue
            amount = rng.choice(choices)
            day = rng.randint(1, 28)
            c.recurring.append((amount, day))
            for m in (7, 8, 9):
                if rng.random() < 0.92:
                    pool.append((c, None, amount, m, day))
        rng.shuffle(pool)
        return pool

    # ---------------------------------------------------------------- helpers
    def pick(self, usd: bool = False) -> Customer:
        customers, weights = (self.usd, self.usd_weights) if usd else (self.cny, self.cny_weights)
        return customers[bisect.bisect_left(weights, self.rng.random() * weights[-1])]

    def bank_date(self) -> int:
        return self.days[
            bisect.bisect_left(self.day_weights, self.rng.random() * self.day_weights[-1])
        ]

    def ledger_date(self, bank: int, c: Customer, small: bool = False) -> int:
        """When we book a receipt the bank has on `bank`; `small`: a short lag only."""
        rng = self.rng
        if c.bulk and not small:
            day = month_end(bank)
            while weekday(day) >= 5:
                day -= 1
            day = max(day, bank)
        else:
            r = rng.random()
            if small:
                lag = rng.choice((0, 0, 0, 1, 1, 2))
            elif r < 0.42:
                lag = 0
            elif r < 0.62:
                lag = 1
            elif r < 0.72:
                lag = 2
            elif r < 0.78:
                lag = 3
            elif r < 0.83:
                lag = -1
            elif r < 0.85:
                lag = -2
            elif r < 1 - 0.03 * self.long_lag:
                lag = rng.randint(4, 7)
            else:
                lag = rng.randint(8, 16)
            day = bank + lag
        while weekday(day) >= 5:
            day += 1
        if day < START:
            day = START
            while weekday(day) >= 5:
                day += 1
        if day > END and (bank <= END - 5 or (bank <= END - 1 and rng.random() < 0.6)):
            day = END  # month-end close: what the cashier has seen gets booked before closing
        return day

    def amount(self, c: Customer, scale: float = 1.0) -> int:
        """An amount in cents in the customer's style."""
        rng = self.rng
        base = c.median * scale * rng.lognormvariate(0, 0.75)
        base = max(base, 20.0)
        if c.amount_style == "vat":
            net = round(base / 1.13, 2)
            cents = round(net * 100)
            return round(cents * rng.choice((1.13, 1.13, 1.06, 1.09)))
        if c.amount_style == "round":
            unit = 1000 if base < 5000 else (10000 if base < 100000 else 100000)
            return max(unit, round(base * 100 / unit) * unit)
        price = rng.choice((0.35, 1.2, 2.8, 12.5, 38.0, 86.0, 150.0, 420.0, 999.0))
        price_cents = round(price * rng.uniform(0.6, 1.6) * 100)
        quantity = max(1, int(base * 100 / price_cents))
        return price_cents * quantity

    def new_ref(self, c: Customer) -> str:
        rng = self.rng
        if c.scheme == "sd":
            self.sd_seq += rng.randint(1, 4)
            return f"25312{self.sd_seq:015d}"
        if c.scheme == "o8":
            self.o8_seq += rng.randint(1, 3)
            return f"{self.o8_seq:08d}"
        if c.scheme == "xs":
            m = rng.choice((6, 7, 8, 9))
            self.xs_seq[m] += rng.randint(1, 2)
            return f"XS25{m:02d}-{self.xs_seq[m]:04d}"
        self.ci_seq += rng.randint(1, 3)
        return f"CI25-{self.ci_seq:04d}"

    def payer(self, c: Customer, bank: int) -> tuple[str, str]:
        """The name on the bank line and its kind."""
        rng = self.rng
        if c.new_name and bank >= c.rename_on and rng.random() < 0.9:
            return c.new_name, "renamed"
        names = [p[0] for p in c.payers]
        weights = [p[2] for p in c.payers]
        i = rng.choices(range(len(names)), weights=weights)[0]
        return names[i], c.payers[i][1]

    def name_codes(self, name: str, kind: str, c: Customer) -> set[str] | None:
        if kind in ("main", "branch", "english"):
            return {c.code}
        if kind == "trunc":
            return {code for legal, code in self.legals if legal.startswith(name)}
        return None

    def ledger_entry(
        self,
        c: Customer,
        day: int,
        amount: int,
        refs: Sequence[str],
        memo: str | None = None,
        shown: str | None = None,
        site: str | None = None,
        counterparty: str | None = None,
    ) -> Entry:
        """A line of our ledger (left)."""
        rng = self.rng
        e = Entry("left", next(self.entry_seq))
        e.date, e.amount, e.currency, e.customer, e.site = day, amount, c.currency, c.code, site
        e.counterparty = c.ledger_name if counterparty is None else counterparty
        e.refs = list(refs)
        e.scheme = c.scheme
        if shown is None:
            r = rng.random()
            shown = next((style for limit, style in LEDGER_STYLES if r < limit), "none")
        e.shown = shown
        if memo is None:
            memo = rng.choice(LDESC)
        e.memo = memo.replace("{s}", c.short or c.legal[:4]).replace("{m}", str(month(day)))
        self.left.append(e)
        return e

    def bank_line(
        self,
        c: Customer,
        bank: int,
        amount: int,
        refs: Sequence[str],
        memo: str | None = None,
        show: str | None = AUTO,
        lost: float = 0.30,
        payer: tuple[str, str] | None = None,
    ) -> Entry:
        """A line of the bank statement (right); `lost`: the chance the reference is lost when
        `show` is AUTO; `payer`: (name, kind), else drawn."""
        rng = self.rng
        e = Entry("right", next(self.entry_seq))
        e.date, e.amount, e.currency = bank, amount, c.currency
        e.customer = c.code
        name, kind = self.payer(c, bank) if payer is None else payer
        e.counterparty, e.payer_kind = name, kind
        e.name_codes = self.name_codes(name, kind, c)
        if kind in ("main", "trunc", "branch", "english"):
            fill = c.fill
        else:
            fill = 0.8 if kind == "renamed" else 0.1
        if rng.random() < fill:
            e.customer_column = c.code
            e.name_codes = {c.code}
        e.refs = list(refs)
        e.scheme = c.scheme
        if show == AUTO:
            show = None if rng.random() < lost else self.style(c.scheme)
        e.shown = show
        if memo is None:
            if c.currency == "USD":
                memo = rng.choice(
                    ["PAYMENT", "INVOICE PAYMENT", "/RFB/", "GOODS", "PMT", "PAYMENT FOR GOODS", ""]
                )
            else:
                memo = rng.choice(CHANNEL) + rng.choice(PURPOSE)
        e.memo = memo.replace("{m}", str(month(bank))).replace(
            "{s}", rng.choice(("货", "材料", "设备", ""))
        )
        if rng.random() < 0.15 and c.currency == "CNY":
            e.memo += " " + self.noise(bank)
        self.right.append(e)
        return e

    def noise(self, bank: int) -> str:
        """Other numbers a bank memo carries: purchase orders, payment requests, a clerk."""
        rng = self.rng
        k = rng.randrange(5)
        if k == 0:
            return f"PO{rng.randint(1000000, 9999999)}"
        if k == 1:
            return f"采购订单{rng.randint(100000, 999999)}"
        if k == 2:
            return f"FK{date.fromordinal(bank):%Y%m%d}{rng.randint(1, 99):02d}"
        if k == 3:
            return f"请款单{rng.randint(1000, 9999)}"
        return f"经办人{person(rng)}"

    def style(self, scheme: str | None) -> str:
        """v verbatim, p with a prefix, z zeros stripped, s re-punctuated, t the tail (e-invoice
        numbers only), c in the reference column."""
        s = self.rng.choices("vpzstc", weights=[35, 20, 12, 13, 10, 10])[0]
        if s == "t" and scheme != "sd":
            s = "p"
        return s

    def group(
        self, kind: str, left: list[Entry], right: list[Entry], shared_ref: bool = False
    ) -> Group:
        g = Group(kind, next(self.group_seq), left, right, shared_ref)
        for e in left + right:
            e.group = g
        self.groups.append(g)
        return g

    def leftover(self, e: Entry, reason: str) -> None:
        e.group = None
        self.leftovers.append((e, reason, None))

    # ---------------------------------------------------------------- events
    def ev_basic(self) -> None:
        c = self.pick()
        b = self.bank_date()
        a = self.amount(c)
        ref = self.new_ref(c)
        left = self.ledger_entry(c, self.ledger_date(b, c), -a, [ref])
        right = self.bank_line(c, b, -a, [ref])
        self.group("basic", [left], [right])

    def ev_recurring(self) -> None:
        if not self.pool:
            self.ev_basic()
            return
        rng = self.rng
        c, site, a, m, day = self.pool.pop()
        b = date(2025, m, min(day, 28)).toordinal() + rng.randint(-2, 3)
        b = max(b, START)
        ref = self.new_ref(c)
        fee = rng.choice(["技术服务费", "服务费", "管理费", "租金", "月费", "维保费"])
        if site:
            branch = f"{c.legal}{site}分店"
            if rng.random() < 0.6:
                left = self.ledger_entry(
                    c,
                    self.ledger_date(b, c, small=True),
                    -a,
                    [ref],
                    memo=f"收{site}店{m}月{fee}",
                    site=site,
                    counterparty=branch,
                )
            else:
                left = self.ledger_entry(
                    c,
                    self.ledger_date(b, c, small=True),
                    -a,
                    [ref],
                    memo=f"收{c.short}{site}店{m}月{fee}",
                    site=site,
                )
            name, kind = branch, "branch"
            if rng.random() < 0.12:
                name, kind = branch[: len(c.legal) + rng.randint(-3, 0)], "trunc"
            right = self.bank_line(
                c,
                b,
                -a,
                [ref],
                memo=rng.choice([f"{m}月{fee}", f"{site}店{m}月{fee}", fee]),
                lost=0.55,
                payer=(name, kind),
            )
            right.site = site if kind == "branch" else None
            if kind == "branch":
                right.name_codes = {c.code}
            self.group("recurring_chain", [left], [right])
        else:
            left = self.ledger_entry(
                c, self.ledger_date(b, c), -a, [ref], memo=f"收{{s}}{m}月{fee}"
            )
            right = self.bank_line(
                c,
                b,
                -a,
                [ref],
                memo=rng.choice([f"{m}月{fee}", f"2025年{m}月{fee}", fee, "付" + fee, "转账"]),
                lost=0.5,
            )
            self.group("recurring", [left], [right])

    def ev_partial(self) -> None:
        rng = self.rng
        c = self.pick()
        a = self.amount(c, 2.5)
        ref = self.new_ref(c)
        split = rng.choice([(30, 70), (50, 50), (40, 30, 30), (20, 80), (60, 40), (50, 50)])
        parts = [a * p // 100 // 100 * 100 for p in split[:-1]]
        parts.append(a - sum(parts))
        b = rng.randint(START, END - 30)
        labels = ["预付款", "首付款", "进度款", "尾款"]
        for i, part in enumerate(parts):
            if part <= 0:
                continue
            label = labels[min(i, 2)] if i < len(parts) - 1 else "尾款"
            left = self.ledger_entry(
                c,
                self.ledger_date(b, c, small=True),
                -part,
                [ref],
                memo=f"收{{s}}{label}",
                shown=rng.choice(["col", "col", "desc"]),
            )
            right = self.bank_line(c, b, -part, [ref], memo=rng.choice(CHANNEL) + label, lost=0.2)
            self.group("partial", [left], [right], shared_ref=True)
            b += rng.randint(14, 40)
            if b > END + 4:
                break

    def ev_m2o(self) -> None:
        rng = self.rng
        c = self.pick()
        k = rng.choices(
            [2, 3, 4, 5, 6, 7, 8, 9, 10, 12], weights=[38, 24, 14, 8, 6, 4, 2, 2, 1, 1]
        )[0]
        amounts = [self.amount(c, 0.6) for _ in range(k)]
        refs = [self.new_ref(c) for _ in range(k)]
        b = self.bank_date()
        booked = self.ledger_date(b, c)
        lefts = []
        for a, ref in zip(amounts, refs, strict=True):
            day = booked if rng.random() < 0.85 else max(START, booked - rng.randint(1, 3))
            while weekday(day) >= 5:
                day += 1
            shown = rng.choice(["col", "col", "col", "desc", "vdesc"])
            lefts.append(self.ledger_entry(c, day, -a, [ref], shown=shown))
        total = sum(amounts)
        kind = "many_to_one" if k <= 8 else "many_to_one_big"
        fee = 0
        if rng.random() < 0.15:
            fee = rng.choice([1000, 1500, 2000, 2500, 5000])
            kind = "many_to_one_fee"
        right = self.bank_line(c, b, -(total - fee), refs, lost=0.25 if k <= 8 else 0.0)
        right.cut_memo = rng.random() < 0.3
        if right.shown and rng.random() < 0.25:
            right.shown += "1"  # only the first invoice + 等N张
        self.group(kind, lefts, [right])

    def ev_o2m(self) -> None:
        rng = self.rng
        c = self.pick()
        ref = self.new_ref(c)
        b = self.bank_date()
        a = self.amount(c, 3.0)
        if a > 50000000 or (a > 20000000 and rng.random() < 0.5):
            limit = rng.choice((5000000, 10000000, 20000000))
            parts = [limit] * (a // limit)
            if a % limit:
                parts.append(a % limit)
            if len(parts) > 6:
                parts = [a // 3 // 100 * 100] * 2
                parts.append(a - sum(parts))
            dates = [b] * len(parts)
        else:
            k = rng.choice((2, 2, 2, 3, 3, 4))
            cuts = sorted(rng.sample(range(1, 100), k - 1))
            shares, previous = [], 0
            for x in [*cuts, 100]:
                shares.append(x - previous)
                previous = x
            parts = [a * p // 100 // 10000 * 10000 for p in shares[:-1]]
            parts = [p for p in parts if p > 0]
            parts.append(a - sum(parts))
            if len(parts) < 2:
                self.ev_basic()
                return
            if rng.random() < 0.5:
                dates = sorted(b + rng.randint(0, 20) for _ in parts)
            else:
                dates = [b] * len(parts)
            if dates[-1] > END and dates[0] < END - 4:
                shift = dates[-1] - END
                dates = [max(START, d - shift) for d in dates]
        show = None if rng.random() < 0.35 else self.style(c.scheme)
        rights = [
            self.bank_line(c, d, -p, [ref], show=show) for d, p in zip(dates, parts, strict=True)
        ]
        left = self.ledger_entry(c, self.ledger_date(max(dates), c, small=True), -a, [ref])
        self.group("one_to_many", [left], rights)

    def ev_fee(self) -> None:
        rng = self.rng
        c = self.pick()
        ref = self.new_ref(c)
        b = self.bank_date()
        if rng.random() < 0.5:
            a = self.amount(c)
            fee = rng.choices(
                [500, 1000, 1500, 2000, 2500, 5000, 10000, 20000],
                weights=[10, 25, 20, 15, 10, 12, 5, 3],
            )[0]
            if fee * 20 > a:
                a += fee * 40
            left = self.ledger_entry(c, self.ledger_date(b, c), -a, [ref])
            right = self.bank_line(c, b, -(a - fee), [ref], lost=0.3)
            self.group("fee_fixed", [left], [right])
        else:
            a = self.amount(c, 0.15)
            rate = rng.choice((0.006, 0.0038, 0.0055, 0.002, 0.006))
            fee = max(1, int(a * rate + 0.5))
            left = self.ledger_entry(
                c, self.ledger_date(b, c, small=True), -a, [ref], memo="收{s}货款(线上)"
            )
            if rng.random() < 0.7:
                right = self.bank_line(
                    c,
                    b,
                    -(a - fee),
                    [ref],
                    memo=rng.choice(["商户结算", "交易结算款", "结算款", "T+1结算"]),
                    payer=(rng.choice(PLATFORMS), "platform"),
                    lost=0.25,
                )
            else:
                right = self.bank_line(c, b, -(a - fee), [ref], lost=0.3)
            self.group("fee_rate", [left], [right])

    def ev_round(self) -> None:
        rng = self.rng
        c = self.pick()
        ref = self.new_ref(c)
        b = self.bank_date()
        a = self.amount(c)
        k = rng.random()
        if k < 0.5:
            if a % 100 == 0:
                a += rng.randint(1, 99)
            net = a - a % 100
        elif k < 0.75:
            if a % 1000 == 0:
                a += rng.randint(101, 999)
            net = a - a % 1000
        else:
            net = a + rng.choice((-5, -3, -2, -1, 1, 2, 3, 5))
        left = self.ledger_entry(c, self.ledger_date(b, c), -a, [ref])
        right = self.bank_line(c, b, -net, [ref], lost=0.3)
        self.group("rounding", [left], [right])

    def ev_typo(self) -> None:
        rng = self.rng
        c = self.pick()
        ref = self.new_ref(c)
        b = self.bank_date()
        a = self.amount(c)
        typed = mistype(a, rng)
        if typed == a or typed <= 0:
            self.ev_basic()
            return
        booked = self.ledger_date(b, c)
        shown = rng.choice(["col", "col", "col", "desc"])
        left = self.ledger_entry(c, booked, -typed, [ref], shown=shown)
        right = self.bank_line(c, b, -a, [ref], show=self.style(c.scheme))
        self.group("typo", [left], [right])

    def ev_third(self) -> None:
        """Someone else pays for the customer (代付)."""
        rng = self.rng
        c = self.pick()
        ref = self.new_ref(c)
        b = self.bank_date()
        a = self.amount(c)
        left = self.ledger_entry(c, self.ledger_date(b, c), -a, [ref], shown="col")
        other = self.pick()
        if other is c or rng.random() < 0.4:
            name = cn_company(rng, set()).legal if rng.random() < 0.6 else person(rng)
            right = self.bank_line(
                c,
                b,
                -a,
                [ref],
                memo=f"代{c.short}付货款",
                show=self.style(c.scheme),
                payer=(name, "third"),
            )
            right.name_codes = None
            right.customer_column = ""
        else:
            right = self.bank_line(
                c,
                b,
                -a,
                [ref],
                memo=f"代{c.short}支付货款",
                show=self.style(c.scheme),
                payer=(other.legal, "third"),
            )
            right.customer_column = other.code if rng.random() < 0.6 else ""
            right.name_codes = {other.code}
        self.group("thirdparty", [left], [right])

    def ev_refund(self) -> None:
        rng = self.rng
        c = self.pick()
        ref = self.new_ref(c)
        b = self.bank_date()
        a = self.amount(c, 0.3)
        left = self.ledger_entry(
            c,
            self.ledger_date(b, c, small=True),
            a,
            [ref],
            memo=rng.choice(["退{s}多付款", "退回{s}货款", "{s}退货退款"]),
        )
        right = self.bank_line(
            c,
            b,
            a,
            [ref],
            memo=rng.choice(["退款", "退货款", "退多付货款", "付款"]),
            payer=(c.legal, "main"),
            lost=0.5,
        )
        self.group("refund", [left], [right])

    def ev_double(self) -> None:
        """The customer pays one invoice twice; we pay the second back."""
        rng = self.rng
        c = self.pick()
        ref = self.new_ref(c)
        b = rng.randint(START, END - 40)
        a = self.amount(c)
        show = self.style(c.scheme)
        payer = (c.legal, "main")
        for k in range(2):
            left = self.ledger_entry(
                c,
                self.ledger_date(b, c, small=True),
                -a,
                [ref],
                shown="col",
                memo="收{s}货款" if k == 0 else "收{s}重复付款(待退)",
            )
            right = self.bank_line(c, b, -a, [ref], show=show, payer=payer)
            self.group("double_pay", [left], [right], shared_ref=True)
            b += rng.randint(7, 15)
        b += rng.randint(5, 20)
        left = self.ledger_entry(
            c, self.ledger_date(b, c, small=True), a, [ref], shown="col", memo="退{s}重复付款"
        )
        right = self.bank_line(c, b, a, [ref], memo="退重复付款", show=show, payer=payer)
        self.group("double_pay", [left], [right], shared_ref=True)

    def ev_usd(self) -> None:
        rng = self.rng
        c = self.pick(usd=True)
        ref = self.new_ref(c)
        b = self.bank_date()
        a = self.amount(c)
        booked = self.ledger_date(b, c)
        memo = rng.choice(["Receipt {s}", "收{s}货款", "收外汇 {s}"])
        left = self.ledger_entry(c, booked, -a, [ref], memo=memo)
        if rng.random() < 0.5:
            fee = rng.choice((1500, 2000, 2500, 3000, 3500, 4500))
            right = self.bank_line(c, b, -(a - fee), [ref], lost=0.2)
            self.group("usd_fee", [left], [right])
        else:
            right = self.bank_line(c, b, -a, [ref], lost=0.2)
            self.group("usd", [left], [right])

    # leftovers
    def ev_missing_left(self) -> None:
        rng = self.rng
        c = self.pick()
        d = rng.randint(START, END - 7)
        while weekday(d) >= 5:
            d += 1
        a = self.amount(c)
        ref = self.new_ref(c)
        kind = rng.randrange(4)
        memo = ["收到{s}银行承兑汇票", "收{s}现金", "{s}往来对冲", "{s}货款与应付款抵账"][kind]
        left = self.ledger_entry(c, d, -a, [ref], memo=memo)
        if kind == 0:
            left.memo += " 票号" + "".join(rng.choice("0123456789") for _ in range(30))
        self.leftover(left, "missing")

    def ev_missing_right(self) -> None:
        rng = self.rng
        c = self.pick()
        b = rng.randint(START, END - 7)
        a = self.amount(c)
        right = self.bank_line(c, b, -a, [self.new_ref(c)], lost=0.6)
        self.leftover(right, "missing")

    def ev_nonar(self) -> None:
        """A bank line that is no receivable: never in our receivables ledger."""
        rng = self.rng
        k = rng.choices(range(5), weights=[50, 25, 10, 8, 7])[0]
        e = Entry("right", next(self.entry_seq), currency="CNY", name_codes=set())
        if k == 0:  # supplier payment out
            e.date = rng.randint(START, END - 7)
            e.amount = self.amount(rng.choice(self.cny))
            e.counterparty = cn_company(rng, set()).legal
            e.memo = rng.choice(
                ["付{m}月材料款", "付货款", "支付采购款", "付加工费", "付运费", "预付款"]
            )
        elif k == 1:  # bank charges
            e.date = rng.randint(START, END - 7)
            e.amount = rng.choice([50, 100, 200, 500, 550, 1000, 1500, 2500, 5000])
            e.counterparty = ""
            e.memo = rng.choice(
                ["汇划手续费", "手续费", "电子汇划费", "跨行汇款手续费", "短信服务费"]
            )
        elif k == 2:  # tax / social security
            e.date = rng.randint(START, END - 7)
            e.amount = rng.randint(500000, 30000000)
            e.counterparty = rng.choice(
                [
                    "国家税务总局" + rng.choice(CITIES)[0] + "市税务局",
                    "国家金库" + rng.choice(CITIES)[0] + "中心支库",
                ]
            )
            e.memo = rng.choice(["实时缴税", "扣税", "社保费", "增值税", "企业所得税预缴"])
        elif k == 3:  # salaries
            e.date = rng.randint(START, END - 7)
            e.amount = rng.randint(5000000, 90000000)
            e.counterparty = ""
            e.memo = rng.choice(["代发工资", "代发薪", "批量代发"])
        else:  # subsidies, tax refunds in
            e.date = rng.randint(START, END - 7)
            e.amount = -rng.randint(100000, 20000000)
            e.counterparty = "国家金库" + rng.choice(CITIES)[0] + "中心支库"
            e.memo = rng.choice(["出口退税", "稳岗补贴", "政府补助", "退税"])
        e.memo = e.memo.replace("{m}", str(month(e.date)))
        self.right.append(e)
        self.leftover(e, "missing")

    def fixed_nonar(self) -> None:
        """Interest on 21 Sep; account fees on each month end (also the period end: a careful
        cashier knows an account fee is never booked in the receivables ledger, so it is
        `missing`, not `timing`)."""
        rng = self.rng
        items = [(date(2025, 9, 21).toordinal(), -rng.randint(30000, 900000), "结息", "利息收入")]
        for m in (7, 8, 9):
            day = month_end(date(2025, m, 1).toordinal())
            items.append((day, rng.choice((1000, 2000, 3000)), "", "账户管理费"))
        for day, amount, counterparty, memo in items:
            e = Entry(
                "right",
                next(self.entry_seq),
                date=day,
                amount=amount,
                currency="CNY",
                counterparty=counterparty,
                memo=memo,
                name_codes=set(),
            )
            self.right.append(e)
            self.leftover(e, "missing")

    def ev_timing_left(self) -> None:
        rng = self.rng
        c = self.pick()
        d = END - rng.choice((0, 0, 1, 1, 2, 3, 4))
        while weekday(d) >= 5:
            d -= 1
        a = self.amount(c)
        ref = self.new_ref(c)
        memo = rng.choice(["收到{s}转账支票", "收{s}电汇(水单)", "收{s}货款"])
        left = self.ledger_entry(c, d, -a, [ref], memo=memo)
        if "支票" in left.memo:
            left.memo += f" 支票号{rng.randint(10000000, 99999999)}"
        self.leftover(left, "timing")

    def ev_timing_right(self) -> None:
        rng = self.rng
        c = self.pick()
        b = END - rng.choice((0, 0, 1, 1, 2, 3, 4))
        a = self.amount(c)
        right = self.bank_line(c, b, -a, [self.new_ref(c)])
        self.leftover(right, "timing")

    def ev_start_timing(self) -> None:
        """A ledger line booked on the first days of the period for a receipt of the previous
        period."""
        rng = self.rng
        c = self.pick()
        d = START + rng.choice((0, 0, 1, 2))
        while weekday(d) >= 5:
            d += 1
        left = self.ledger_entry(c, d, -self.amount(c), [self.new_ref(c)])
        self.leftover(left, "timing")

    # ---------------------------------------------------------------- driver
    def run(self) -> None:
        rng = self.rng
        events: list[tuple[Callable[[], None], float]] = [
            (self.ev_basic, 530),
            (self.ev_recurring, 60),
            (self.ev_partial, 12),
            (self.ev_m2o, 45),
            (self.ev_o2m, 22),
            (self.ev_fee, 40),
            (self.ev_round, 20),
            (self.ev_typo, 15),
            (self.ev_third, 10),
            (self.ev_refund, 10),
            (self.ev_double, 3),
            (self.ev_usd, 20),
            (self.ev_missing_left, 14),
            (self.ev_missing_right, 7),
            (self.ev_nonar, 16),
            (self.ev_timing_left, 4),
            (self.ev_timing_right, 3),
        ]
        if self.start_timing:
            events.append((self.ev_start_timing, self.start_timing))
        weights = list(accumulate(weight for _, weight in events))
        self.fixed_nonar()
        goal = self.lines * 0.994
        while len(self.left) + len(self.right) < goal:
            event = events[bisect.bisect_left(weights, rng.random() * weights[-1])][0]
            event()
        self.cut_period()
        self.fix_leftovers()
        self.fairness()
        self.duplicates()
        self.render()
        self.assign_ids()

    def cut_period(self) -> None:
        """Lines after the period end go; what stays of their groups is `timing`."""
        keep = []
        for g in self.groups:
            inside = [e for e in g.left + g.right if e.date <= END]
            if len(inside) == len(g.left) + len(g.right):
                keep.append(g)
                continue
            for e in inside:
                self.leftovers.append((e, "timing", None))
                e.group = None
        self.groups = keep
        self.left = [e for e in self.left if e.date <= END]
        self.right = [e for e in self.right if e.date <= END]

    # ---------------------------------------------------------------- fairness
    def ref_kept(self, g: Group) -> bool:
        return (
            all(e.shown in LEFT_HAS for e in g.left)
            and all(e.shown for e in g.right)
            and not g.shared_ref
        )

    def fix_leftovers(self) -> None:
        """A missing or timing line of ours gets another amount while a leftover bank line of
        its customer with the same amount lies within 20 days."""
        index = defaultdict(list)
        for e, _, _ in self.leftovers:
            index[(e.currency, e.amount, e.side)].append(e)
        for e, _, _ in self.leftovers:
            if e.side != "left":
                continue
            for _ in range(20):
                clash = [
                    r
                    for r in index.get((e.currency, e.amount, "right"), ())
                    if abs(r.date - e.date) <= 20 and compatible(r, e)
                ]
                if not clash:
                    break
                self.fixes["leftover_amount"] += 1
                e.amount = -self.amount(self.by_code[e.customer])

    def fairness(self) -> None:
        """A link without a reference must be one a careful cashier could make (see
        `rivalled`); otherwise the group gets its reference back."""
        rng = self.rng
        for g in self.groups:
            for e in g.left + g.right:
                e.avail = not self.ref_kept(g)
        for e, _, _ in self.leftovers:
            e.avail = True
        index = AmountIndex({"left": self.left, "right": self.right})
        order = [g for g in self.groups if not self.ref_kept(g)]
        rng.shuffle(order)
        for g in order:
            if not rivalled(g, index):
                continue
            if g.shared_ref:
                # the same reference on several groups: the date must decide
                self.fixes["sharedref_ambiguous"] += 1
                continue
            self.fixes[g.kind] += 1
            for left in g.left:
                if left.shown not in LEFT_HAS:
                    left.shown = "col"
            show = self.style(g.right[0].scheme) if g.right[0].scheme else "v"
            for right in g.right:
                if not right.shown:
                    right.shown = show
            for e in g.left + g.right:
                e.avail = False

    # ---------------------------------------------------------------- duplicates
    def duplicates(self) -> None:
        """Lines of groups booked twice (ours, a few a day or more later) or imported twice."""
        rng = self.rng
        n_left = int(len(self.left) * 0.0035)
        n_right = int(len(self.right) * 0.0025)
        for side, entries, n in (("left", self.left, n_left), ("right", self.right, n_right)):
            candidates = [e for e in entries if e.group is not None]
            for e in rng.sample(candidates, min(n, len(candidates))):
                copy = replace(e, seq=next(self.entry_seq), id="", group=None)
                if side == "left" and rng.random() < 0.2:
                    copy.date = min(END, e.date + rng.randint(1, 3))
                entries.append(copy)
                self.leftovers.append((copy, "duplicate", e))

    # ---------------------------------------------------------------- rendering
    def render(self) -> None:
        """Reference and description of every line from how its invoice numbers are shown."""
        rng = self.rng
        for e in self.left:
            ref = e.refs[0] if e.refs else ""
            if e.scheme == "o8" and self.by_code[e.customer].excel0:
                ref = ref.lstrip("0")
            e.reference = ""
            e.description = e.memo
            if e.shown == "col":
                e.reference = ref
            elif e.shown in ("desc", "vdesc"):
                e.description = e.memo + rng.choice([" 发票", " 核销", " FP", " 单号", " "]) + ref
        for e in self.right:
            self._render_bank_line(e)

    def _render_bank_line(self, e: Entry) -> None:
        rng = self.rng
        serial = "".join(rng.choice("0123456789") for _ in range(16))
        r = rng.random()
        if r < 0.78:
            e.reference = "1602" + serial
        elif r < 0.9:
            e.reference = ""
        else:
            e.reference = f"FK{date.fromordinal(e.date):%y%m%d}{rng.randint(1, 999):03d}"
        e.description = e.memo
        if e.shown and e.refs:
            style = e.shown[0]
            first_only = e.shown.endswith("1")
            if style == "c" and len(e.refs) == 1:
                e.reference = rng.choice(["", "", "INV", "FP"]) + e.refs[0]
            else:
                if style == "c":
                    style = "v"
                tokens = [show_ref(ref, e.scheme, style, rng, prefix=False) for ref in e.refs]
                pre = (
                    rng.choice(PREFIXES) if style == "p" else ("发票" if rng.random() < 0.3 else "")
                )
                if first_only and len(tokens) > 1:
                    text = pre + tokens[0] + f"等{len(tokens)}张"
                elif len(tokens) == 1:
                    text = show_ref(e.refs[0], e.scheme, style, rng, prefix=True)
                else:
                    text = pre + rng.choice(["、", ",", "/", " ", "；"]).join(tokens)
                if rng.random() < 0.7:
                    e.description = e.memo + " " + text
                else:
                    e.description = text + " " + e.memo
            if e.cut_memo and len(e.description) > 40:
                e.description = e.description[:40]
        e.description = e.description.strip()
        if e.payer_kind == "empty":
            e.counterparty = ""

    def assign_ids(self) -> None:
        """Voucher ids in date order (one voucher per receipt of several invoices), bank ids in
        date order; a duplicate repeats its original's rendered fields."""
        rng = self.rng
        self.left.sort(key=lambda e: (e.date, e.group.seq if e.group else 0, e.seq))
        vouchers: Counter[int] = Counter()
        last: tuple[int, tuple[str, int]] | None = None
        line = 0
        for e in self.left:
            m = month(e.date)
            if e.group is not None and len(e.group.left) > 1:
                key = (e.date, ("g", e.group.seq))
            else:
                key = (e.date, ("e", e.seq))
            if key != last:
                vouchers[m] += 1
                line = 1
                last = key
            else:
                line += 1
            e.id = f"记-25{m:02d}-{vouchers[m]:05d}-{line}"
            if e.shown in ("vouch", "vdesc"):
                e.reference = f"记-{vouchers[m]}"
        self.right.sort(key=lambda e: (e.date, rng.random()))
        per_day: Counter[int] = Counter()
        for e in self.right:
            per_day[e.date] += 1
            e.id = f"HX{date.fromordinal(e.date):%Y%m%d}{per_day[e.date]:05d}"
        # a bank line imported twice keeps the original's serial; a posting made twice its text
        for copy, reason, original in self.leftovers:
            if reason != "duplicate" or original is None:
                continue
            if copy.side == "right":
                copy.reference = original.reference
                copy.description = original.description
                copy.counterparty = original.counterparty
                copy.customer_column = original.customer_column
            else:
                copy.description = original.description
                if original.shown in ("vouch", "vdesc"):
                    if rng.random() < 0.5:
                        copy.reference = original.reference
                else:
                    copy.reference = original.reference

    # ---------------------------------------------------------------- output
    def kind_of(self, g: Group) -> str:
        """The truth's kind: the event, `/noref` where the link rests on amount and date."""
        if g.kind != "basic":
            shown = all(e.shown in LEFT_HAS for e in g.left) and all(e.shown for e in g.right)
            return g.kind if shown or g.kind in ("typo", "thirdparty") else g.kind + "/noref"
        right, left = g.right[0], g.left[0]
        if not self.ref_kept(g):
            if not right.customer_column and right.name_codes is None:
                return "weak"
            return "noref"
        if left.shown in ("desc", "vdesc"):
            return "ref_in_desc"
        return "ref_exact" if right.shown in ("v", "c") else "ref_rewritten"

    def write(self, out: Path, plain: bool = False, bom: bool = False) -> Meta:
        """The case's files; `plain`: right.csv in left.csv's columns; `bom`: UTF-8 with BOM."""
        out.mkdir(parents=True, exist_ok=True)
        encoding = "utf-8-sig" if bom else "utf-8"
        self._write_sides(out, plain, encoding)
        kinds: Counter[str] = Counter()
        with (out / "truth_groups.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["group_id", "kind", "side", "id", "difference"])
            for i, g in enumerate(self.groups, 1):
                kind = self.kind_of(g)
                kinds[kind] += 1
                difference = sum(e.amount for e in g.left) - sum(e.amount for e in g.right)
                for e in g.left + g.right:
                    writer.writerow(
                        [f"T{i}", kind, e.side, e.id, money(difference) if difference else "0"]
                    )
        reasons: Counter[tuple[str, str]] = Counter()
        with (out / "truth_leftovers.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["side", "id", "reason", "duplicate_of"])
            for e, reason, original in self.leftovers:
                reasons[(e.side, reason)] += 1
                writer.writerow([e.side, e.id, reason, original.id if original is not None else ""])
        meta: Meta = {
            "left": len(self.left),
            "right": len(self.right),
            "groups": len(self.groups),
            "kinds": dict(kinds),
            "leftovers": {f"{side}/{reason}": n for (side, reason), n in reasons.items()},
            "fairness_fixes": dict(self.fixes),
            "customers": len(self.customers),
            "period": [iso(START), iso(END)],
        }
        with (out / "meta.json").open("w", encoding="utf-8") as handle:
            json.dump(meta, handle, ensure_ascii=False, indent=1)
        return meta

    def _write_sides(self, out: Path, plain: bool, encoding: str) -> None:
        columns = [
            *("id", "date", "amount", "currency", "reference", "counterparty"),
            *("description", "customer"),
        ]
        with (out / "left.csv").open("w", newline="", encoding=encoding) as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            for e in self.left:
                writer.writerow(
                    [
                        e.id,
                        iso(e.date),
                        money(e.amount),
                        e.currency,
                        e.reference,
                        e.counterparty,
                        e.description,
                        e.customer,
                    ]
                )
        # a bank's own column order, with a running balance
        bank_columns = [
            *("id", "date", "customer", "counterparty", "amount", "currency"),
            *("description", "reference", "balance"),
        ]
        right_columns = columns if plain else bank_columns
        balance = 123456789
        with (out / "right.csv").open("w", newline="", encoding=encoding) as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(right_columns)
            for e in self.right:
                # the bank leaves the currency empty on some yuan lines
                shown = e.currency != "CNY" or self.rng.random() < 0.6
                balance -= e.amount
                row = {
                    "id": e.id,
                    "date": iso(e.date),
                    "amount": money(e.amount),
                    "currency": e.currency if shown else "",
                    "reference": e.reference,
                    "counterparty": e.counterparty,
                    "description": e.description,
                    "customer": e.customer_column,
                    "balance": money(balance),
                }
                writer.writerow([row[column] for column in right_columns])


def generate(lines: int, seed: int, start_timing: float = 0.0, long_lag: float = 1.0) -> BankCase:
    """A case of about `lines` lines (both sides), ready to write."""
    case = BankCase(seed, lines, start_timing, long_lag)
    case.run()
    return case


def write_case(directory: Path, lines: int, seed: int) -> int:
    """Generate and write a case with the default options; the number of lines written."""
    meta = generate(lines, seed).write(directory)
    return meta["left"] + meta["right"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--lines", type=int, default=100000, help="about this many lines, both sides"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--plain", action="store_true", help="right.csv with the same columns/order as left.csv"
    )
    parser.add_argument("--bom", action="store_true", help="write UTF-8 with BOM")
    parser.add_argument(
        "--start-timing",
        type=float,
        default=0.0,
        help="weight of start-of-period timing items (0: none)",
    )
    parser.add_argument(
        "--long-lag",
        type=float,
        default=1.0,
        help="scale of long ledger lags (8-16 days, month-end bulk booking)",
    )
    parser.add_argument(
        "--list-names", action="store_true", help="print 360 generated company names and stop"
    )
    args = parser.parse_args(argv)
    if args.list_names:
        print("\n".join(list_names()))
        return 0
    if args.out is None:
        parser.error("--out is required")
    case = generate(args.lines, args.seed, args.start_timing, args.long_lag)
    meta = case.write(args.out, plain=args.plain, bom=args.bom)
    print(json.dumps(meta, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
