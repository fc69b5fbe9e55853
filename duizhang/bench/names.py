"""Synthetic Chinese company names and the ways a bank statement writes them differently.

A name is built from a city, a brand and an industry, each with its pinyin or English word, so
that the English variant (``SHANGHAI HONGDA MACHINERY CO., LTD.``) is derived from the same parts.
"""

from __future__ import annotations

import re

CITIES = (
    ("上海", "Shanghai"),
    ("北京", "Beijing"),
    ("深圳", "Shenzhen"),
    ("广州", "Guangzhou"),
    ("杭州", "Hangzhou"),
    ("苏州", "Suzhou"),
    ("成都", "Chengdu"),
    ("武汉", "Wuhan"),
    ("南京", "Nanjing"),
    ("天津", "Tianjin"),
    ("重庆", "Chongqing"),
    ("西安", "Xi'an"),
    ("宁波", "Ningbo"),
    ("青岛", "Qingdao"),
    ("厦门", "Xiamen"),
    ("无锡", "Wuxi"),
    ("佛山", "Foshan"),
    ("东莞", "Dongguan"),
    ("长沙", "Changsha"),
    ("郑州", "Zhengzhou"),
    ("合肥", "Hefei"),
    ("济南", "Jinan"),
    ("大连", "Dalian"),
    ("沈阳", "Shenyang"),
    ("昆明", "Kunming"),
    ("福州", "Fuzhou"),
    ("温州", "Wenzhou"),
    ("常州", "Changzhou"),
    ("嘉兴", "Jiaxing"),
    ("绍兴", "Shaoxing"),
)

BRANDS = (
    ("宏达", "Hongda"),
    ("鑫源", "Xinyuan"),
    ("恒通", "Hengtong"),
    ("东方", "Dongfang"),
    ("天成", "Tiancheng"),
    ("金盛", "Jinsheng"),
    ("瑞丰", "Ruifeng"),
    ("华信", "Huaxin"),
    ("永安", "Yong'an"),
    ("中联", "Zhonglian"),
    ("博远", "Boyuan"),
    ("嘉禾", "Jiahe"),
    ("万通", "Wantong"),
    ("新华", "Xinhua"),
    ("德胜", "Desheng"),
    ("宝丰", "Baofeng"),
    ("海天", "Haitian"),
    ("正泰", "Zhengtai"),
    ("安达", "Anda"),
    ("长城", "Changcheng"),
    ("创新", "Chuangxin"),
    ("联合", "Lianhe"),
    ("兴业", "Xingye"),
    ("国泰", "Guotai"),
    ("百川", "Baichuan"),
    ("启明", "Qiming"),
    ("蓝天", "Lantian"),
    ("绿源", "Lvyuan"),
    ("明辉", "Minghui"),
    ("振华", "Zhenhua"),
    ("广源", "Guangyuan"),
    ("三和", "Sanhe"),
    ("九州", "Jiuzhou"),
    ("时代", "Shidai"),
    ("星辰", "Xingchen"),
    ("远航", "Yuanhang"),
    ("立信", "Lixin"),
    ("合力", "Heli"),
    ("通达", "Tongda"),
    ("利民", "Limin"),
    ("福瑞", "Furui"),
    ("锦程", "Jincheng"),
    ("中科", "Zhongke"),
    ("华美", "Huamei"),
    ("盛世", "Shengshi"),
    ("金桥", "Jinqiao"),
    ("银河", "Yinhe"),
    ("泰和", "Taihe"),
    ("凯达", "Kaida"),
    ("威力", "Weili"),
    ("康宁", "Kangning"),
    ("美佳", "Meijia"),
    ("汇通", "Huitong"),
    ("亿达", "Yida"),
    ("信诚", "Xincheng"),
    ("隆基", "Longji"),
    ("昌盛", "Changsheng"),
    ("和平", "Heping"),
    ("光明", "Guangming"),
    ("润泽", "Runze"),
)

INDUSTRIES = (
    ("机械", "Machinery"),
    ("科技", "Technology"),
    ("贸易", "Trading"),
    ("电子", "Electronics"),
    ("化工", "Chemical"),
    ("物流", "Logistics"),
    ("建材", "Building Materials"),
    ("食品", "Foods"),
    ("医药", "Pharmaceutical"),
    ("纺织", "Textile"),
    ("汽车配件", "Auto Parts"),
    ("信息技术", "Information Technology"),
    ("新材料", "New Materials"),
    ("环保", "Environmental"),
    ("实业", "Industrial"),
    ("包装", "Packaging"),
    ("电气", "Electric"),
    ("家具", "Furniture"),
    ("餐饮管理", "Catering Management"),
    ("商贸", "Commerce"),
    ("软件", "Software"),
    ("能源", "Energy"),
    ("印刷", "Printing"),
    ("装饰工程", "Decoration Engineering"),
    ("精密制造", "Precision Manufacturing"),
)

# The company form of the canonical name and the form a careless hand writes instead.
FORMS = (
    ("有限公司", "有限责任公司"),
    ("有限公司", "有限责任公司"),
    ("有限公司", "有限责任公司"),
    ("股份有限公司", "股份公司"),
    ("有限责任公司", "有限公司"),
)

# How a bank statement may write the payer; index = variant number used by the generator.
VARIANTS = (
    "canonical",  # 上海宏达机械有限公司
    "form",  # 上海宏达机械有限责任公司
    "short",  # 宏达机械
    "city_brand",  # 上海宏达
    "group",  # 上海宏达机械(集团)有限公司 or with full-width parentheses
    "branch",  # 上海宏达机械有限公司苏州分公司
    "english_upper",  # SHANGHAI HONGDA MACHINERY CO., LTD.
    "english_title",  # Shanghai Hongda Machinery Co.,Ltd
    "truncated",  # 上海宏达机械有 (a bank field cut at a fixed length)
    "empty",  # the statement leaves the payer out
    "initials",  # SHHD: pinyin initials of city and brand, as some account names are kept
    "short_form",  # 上海宏达机械公司: 有限公司 shortened to 公司
    "spaced",  # 上海 宏达机械 有限公司
    "parent",  # 北京振华投资控股有限公司: a parent company paying for this customer
)

# A bank line with one of these payers says nothing about whose it is.
NAMELESS_VARIANTS = (VARIANTS.index("empty"), VARIANTS.index("initials"), VARIANTS.index("parent"))

_SYLLABLE = re.compile(
    "(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    "(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|er|ia|ie|in|iu|ua|uo"
    "|ui|un|ve|a|o|e|i|u|v)"
)


def initials(pinyin: str) -> str:
    """Upper-case initials of the pinyin syllables: ``Hongda`` → ``HD``, ``Xi'an`` → ``XA``."""
    return "".join(
        syllable[0].upper() for syllable in _SYLLABLE.findall(pinyin.lower().replace("'", " "))
    )


def combination_count() -> int:
    return len(CITIES) * len(BRANDS) * len(INDUSTRIES)


def company_variants(number: int) -> tuple[str, ...]:
    """All variants of company `number` (0 <= number < combination_count()), canonical first."""
    city_index, rest = divmod(number, len(BRANDS) * len(INDUSTRIES))
    brand_index, industry_index = divmod(rest, len(INDUSTRIES))
    city, city_en = CITIES[city_index]
    brand, brand_en = BRANDS[brand_index]
    industry, industry_en = INDUSTRIES[industry_index]
    form, other_form = FORMS[number % len(FORMS)]
    branch_city = CITIES[(city_index + 1 + number % 7) % len(CITIES)][0]
    left, right = ("(", ")") if number % 2 else ("（", "）")
    english = f"{city_en} {brand_en} {industry_en}"
    canonical = f"{city}{brand}{industry}{form}"
    parent_city = CITIES[(city_index + 3) % len(CITIES)][0]
    parent_brand = BRANDS[(brand_index + 17) % len(BRANDS)][0]
    return (
        canonical,
        f"{city}{brand}{industry}{other_form}",
        f"{brand}{industry}",
        f"{city}{brand}",
        f"{city}{brand}{industry}{left}集团{right}{form}",
        f"{canonical}{branch_city}分公司",
        f"{english.upper()} CO., LTD.",
        f"{english} Co.,Ltd",
        canonical[: max(4, len(canonical) - 3)],
        "",
        initials(city_en) + initials(brand_en),
        canonical.replace("有限责任公司", "公司").replace("有限公司", "公司"),
        f"{city} {brand}{industry} {form}",
        f"{parent_city}{parent_brand}投资控股有限公司",
    )
