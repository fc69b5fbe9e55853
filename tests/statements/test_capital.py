from decimal import Decimal

import pytest

from duizhang.statements.capital import capital_amount


@pytest.mark.parametrize(
    ("amount", "capital"),
    [
        ("0.00", "零元整"),
        ("0", "零元整"),
        ("10.00", "壹拾元整"),
        ("16.00", "壹拾陆元整"),
        ("100.05", "壹佰元零伍分"),
        ("1001.10", "壹仟零壹元壹角"),
        ("100000000.00", "壹亿元整"),
        ("1000010.00", "壹佰万零壹拾元整"),
        ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
        # the PBoC rules' examples; where they allow one 零 or none (1680.32, 107000.53), none
        ("1409.50", "壹仟肆佰零玖元伍角"),
        ("6007.14", "陆仟零柒元壹角肆分"),
        ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
        ("107000.53", "壹拾万柒仟元伍角叁分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        # zeros: one 零 for a run, across the 万 and 亿 groups
        ("1000.05", "壹仟元零伍分"),
        ("20000.00", "贰万元整"),
        ("100100.00", "壹拾万零壹佰元整"),
        ("100010000.00", "壹亿零壹万元整"),
        ("100000001.00", "壹亿零壹元整"),
        ("100001000.00", "壹亿零壹仟元整"),
        ("1010101010.10", "壹拾亿壹仟零壹拾万壹仟零壹拾元壹角"),
        ("10000000000000.00", "壹拾万亿元整"),
        # 角 and 分 alone
        ("0.50", "伍角"),
        ("0.05", "伍分"),
        ("0.55", "伍角伍分"),
        ("200000.02", "贰拾万元零贰分"),
        # negative, and rounding half up to the 分
        ("-100.00", "负壹佰元整"),
        ("-0.05", "负伍分"),
        ("7645.665", "柒仟陆佰肆拾伍元陆角柒分"),
        ("0.004", "零元整"),
    ],
)
def test_capital_amount(amount: str, capital: str) -> None:
    assert capital_amount(Decimal(amount)) == capital


def test_too_large_is_refused() -> None:
    with pytest.raises(ValueError, match="too large"):
        capital_amount(Decimal("1E16"))
