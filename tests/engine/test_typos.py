from hypothesis import given
from hypothesis import strategies as st

from duizhang.engine.typos import FEE_RATES, amount_typo, fee_or_rounding, is_rate_fee, swapped


def test_typing_errors_are_named() -> None:
    assert amount_typo(3_514_9800, 3_541_9800) == "transposed digits"
    assert amount_typo(7_514_9800, 3_514_9800) == "one digit wrong"
    assert amount_typo(17_000_0000, 7_000_0000) == "digit dropped or added"
    assert amount_typo(3_514_9800, -3_514_9800) is None


def test_two_digits_trading_places_in_a_document_number_is_a_slip() -> None:
    assert swapped("000263", "000623")
    assert not swapped("000263", "000263")
    assert not swapped("000263", "000264")
    assert not swapped("000263", "00263")


def test_differences_a_bank_or_rounding_leaves_are_named() -> None:
    assert fee_or_rounding(300, 1_000_0000) == "rounding"
    assert fee_or_rounding(25_0000, 1_044_1900) == "fee in whole yuan"
    assert fee_or_rounding(213_0500, 106_522_8000) == "fee 0.20%"
    assert fee_or_rounding(213_0700, 106_522_8000) is None


@given(
    amount=st.integers(min_value=-(10**13), max_value=10**13),
    rate=st.sampled_from(FEE_RATES),
    offset=st.integers(min_value=-400, max_value=400),
)
def test_the_quick_rate_test_agrees_with_rounding_the_fee(
    amount: int, rate: float, offset: int
) -> None:
    size = round(abs(amount) * rate) + offset
    by_rounding = size > 900 and any(
        abs(size - round(abs(amount) * r, -2)) <= 100 for r in FEE_RATES
    )
    assert is_rate_fee(size, amount) == by_rounding
