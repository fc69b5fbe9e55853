"""Last resort for an invoice OFD with no structured data: read the printed page.

The page is a set of positioned `TextObject`s. A value is the nearest text to the right of its
label on the same printed row (发票号码:, 开票日期:, 合计, (小写), 价税合计(大写), 名称: …).
Text read this way is only trusted when it proves itself: 价税合计 (小写) must equal 合计金额 +
合计税额 *and* the amount in words (大写). Anything less raises an IngestError saying what was
read and why it is not enough; nothing is guessed.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from duizhang.ingest.base import IngestError
from duizhang.ingest.einvoice.invoice import FieldReader, Invoice
from duizhang.ingest.einvoice.structured import local_name, parse_xml

SOURCE = "page text"
_ROW_TOLERANCE = 1.6  # mm: labels and values on one printed row differ by well under this
_LABELS = {
    "code": "发票代码:",
    "number": "发票号码:",
    "date": "开票日期:",
    "check": "校验码:",
    "total": "(小写)",
    "sums": "合计",
    "words": "价税合计(大写)",
    "name": "名称:",
}
_DATE = re.compile(r"(\d{4})\D+(\d{1,2})\D+(\d{1,2})")
_DIGITS = dict(zip("零壹贰叁肆伍陆柒捌玖", range(10), strict=True))
_UNITS = {"拾": 10, "佰": 100, "仟": 1000}


@dataclass(frozen=True, slots=True)
class _Text:
    x: float
    y: float
    text: str

    @property
    def key(self) -> str:
        return (
            re.sub(r"\s+", "", self.text).replace("：", ":").replace("（", "(").replace("）", ")")
        )


def page_texts(archive: zipfile.ZipFile, *, file: Path) -> list[_Text]:
    """Every TextObject of the first page and its templates, positioned by its Boundary."""
    names = [
        name
        for name in archive.namelist()
        if name.endswith("Content.xml") and ("/Pages/Page_0/" in name or "/Tpls/" in name)
    ]
    texts: list[_Text] = []
    for name in sorted(names):
        root = parse_xml(archive.read(name), file=file, source=name)
        for element in root.iter():
            if local_name(element) != "TextObject":
                continue
            x, y = (float(part) for part in (element.get("Boundary") or "0 0").split()[:2])
            text = "".join(
                (code.text or "") for code in element.iter() if local_name(code) == "TextCode"
            )
            if text.strip():
                texts.append(_Text(x, y, text.strip()))
    return texts


def words_to_amount(text: str) -> Decimal | None:
    """壹拾叁圆整 → 13, 贰佰零伍圆叁角 → 205.3; None when `text` is not an amount in words."""
    cleaned = re.sub(r"[\s整正ⓧ⊗]", "", text).replace("元", "圆")
    negative = cleaned.startswith("负")
    cleaned = cleaned.removeprefix("负")
    if not cleaned or any(ch not in _DIGITS and ch not in "拾佰仟万亿圆角分" for ch in cleaned):
        return None
    whole_text, _, fraction_text = cleaned.partition("圆")
    hundred_millions, ten_thousands, section, digit = 0, 0, 0, 0
    for ch in whole_text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            section += (digit or 1) * _UNITS[ch]
            digit = 0
        elif ch == "万":
            ten_thousands = (section + digit) * 10**4
            section, digit = 0, 0
        else:  # 亿
            hundred_millions = (ten_thousands + section + digit) * 10**8
            ten_thousands, section, digit = 0, 0, 0
    value = Decimal(hundred_millions + ten_thousands + section + digit)
    digit = 0
    for ch in fraction_text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch == "角":
            value += Decimal(digit) / 10
            digit = 0
        elif ch == "分":
            value += Decimal(digit) / 100
            digit = 0
        else:
            return None
    return -value if negative else value


class _Page:
    def __init__(self, texts: list[_Text]) -> None:
        self.texts = texts
        label_keys = set(_LABELS.values())
        self.values = [text for text in texts if text.key not in label_keys]

    def labels(self, role: str) -> list[_Text]:
        return sorted((t for t in self.texts if t.key == _LABELS[role]), key=lambda t: t.y)

    def right_of(self, label: _Text) -> list[_Text]:
        row = [t for t in self.values if t.x > label.x and abs(t.y - label.y) <= _ROW_TOLERANCE]
        return sorted(row, key=lambda t: t.x)

    def value(self, role: str, index: int = 0) -> str:
        labels = self.labels(role)
        if len(labels) <= index:
            return ""
        row = self.right_of(labels[index])
        return row[0].text if row else ""


def invoice_from_page(archive: zipfile.ZipFile, *, file: Path) -> Invoice:
    page = _Page(page_texts(archive, file=file))
    read = FieldReader(file, SOURCE)
    total = read.amount("价税合计(小写)", page.value("total"))
    sums = [t.text for t in (page.right_of(page.labels("sums")[0]) if page.labels("sums") else [])]
    money = [read.amount("合计", text) for text in sums if "¥" in text or "￥" in text]
    words = page.value("words")
    in_words = words_to_amount(words)
    if total is None or len(money) != 2 or in_words is None:
        raise read.error(
            "the page has no readable 价税合计 (小写), 合计 金额 and 税额, and amount in words "
            f"(read: 小写 {total}, 合计 {sums}, 大写 {words!r}); not guessing",
            "价税合计",
        )
    without_tax, tax = money[0], money[1]
    if without_tax is None or tax is None or without_tax + tax != total or in_words != total:
        raise read.error(
            f"amounts read from the page disagree: 小写 {total}, 合计金额 {without_tax} + "
            f"税额 {tax}, 大写 {words} = {in_words}; not guessing",
            "价税合计",
        )
    date_match = _DATE.search(page.value("date"))
    issued = read.date("开票日期", "-".join(date_match.groups()) if date_match else "")
    buyer = page.value("name", 0)
    seller = page.value("name", 1)
    proven = (
        f"read from the page and cross-checked: 开票日期 {issued.isoformat()}, 价税合计 {total} "
        f"= 合计金额 {without_tax} + 税额 {tax} = 大写 {words}, 购买方 {buyer}, 销售方 {seller}"
    )
    try:
        number = read.number("发票号码", page.value("number"))
        code_text = page.value("code")
        code = read.number("发票代码", code_text) if code_text else ""
    except IngestError as error:
        raise IngestError(
            f"{error.message}; {proven}", file=file, column=error.column, value=error.value
        ) from None
    return Invoice(
        number=number,
        code=code,
        issued=issued,
        total=total,
        amount_without_tax=without_tax,
        tax=tax,
        buyer_name=buyer,
        seller_name=seller,
        check_code=page.value("check").replace(" ", ""),
        kind="增值税电子发票" if code else "数电发票",
        source=SOURCE,
    )
