"""Chinese capital amounts (大写金额) as written on cheques, vouchers and statements.

Follows the People's Bank of China rules for filling in settlement documents (正确填写票据和结算
凭证的基本规定): 零壹贰叁肆伍陆柒捌玖 拾佰仟 万亿 元角分; 整 after 元 when there are no 角 and no
分, none after 角 or 分; 壹拾 is always written with its 壹; one 零 stands for a run of zero
digits inside the number; 零 after 元 when 角 is zero and 分 is not; where the zero is optional
(the 元 digit is zero but 角 is not: 壹仟陆佰捌拾元叁角贰分) it is left out. Negative amounts are
prefixed with 负.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿", "万亿")  # 10^0, 10^4, 10^8, 10^12
LIMIT = Decimal(10) ** 16  # 万亿 groups end below 亿亿


def capital_amount(amount: Decimal) -> str:
    """`Decimal("12345.67")` → 壹万贰仟叁佰肆拾伍元陆角柒分; rounded half up to the 分 first."""
    cents = int(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).scaleb(2))
    if abs(cents) >= LIMIT * 100:
        raise ValueError(f"{amount} is too large for a capital amount")
    sign = "负" if cents < 0 else ""
    yuan, rest = divmod(abs(cents), 100)
    jiao, fen = divmod(rest, 10)
    if yuan == 0 and rest == 0:
        return "零元整"
    text = _integer(yuan) + "元" if yuan else ""
    if rest == 0:
        return sign + text + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan:
        text += "零"  # 元 then 零 then 分: 壹佰元零伍分
    if fen:
        text += DIGITS[fen] + "分"
    return sign + text


def _integer(number: int) -> str:
    """Whole yuan in capitals, without the 元."""
    groups = []
    while number:
        number, group = divmod(number, 10_000)
        groups.append(group)
    text = ""
    pending_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            pending_zero = bool(text)
            continue
        if text and (pending_zero or group < 1000):
            text += "零"
        text += _group(group) + _GROUPS[index]
        pending_zero = False
    return text


def _group(number: int) -> str:
    """One group of up to four digits, e.g. 1010 → 壹仟零壹拾, 0305 → 叁佰零伍."""
    digits = [int(character) for character in f"{number:04d}"]
    text = ""
    zero = False
    for position, digit in enumerate(digits):
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += DIGITS[digit] + _PLACES[3 - position]
    return text
