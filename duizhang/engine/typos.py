"""Typing errors: the digits of one amount or document number rearranged or mistyped in the
other."""

from __future__ import annotations

from duizhang.engine.money import WHOLE_HUNDREDS


def amount_typo(left: int, right: int) -> str | None:
    """Name the typing error that turns one amount (1/10000 units) into the other, if any.

    Transposed digits (the difference is a multiple of 9), one digit wrong, one digit dropped
    or added. Amounts of different sign are never a typing error.
    """
    if left == right or (left < 0) != (right < 0):
        return None
    a, b = _digits(abs(left)), _digits(abs(right))
    if len(a) == len(b):
        differ = [i for i in range(len(a)) if a[i] != b[i]]
        if len(differ) == 1:
            return "one digit wrong"
        if len(differ) == 2 and a[differ[0]] == b[differ[1]] and a[differ[1]] == b[differ[0]]:
            return "transposed digits"
        return None
    if abs(len(a) - len(b)) == 1:
        longer, shorter = (a, b) if len(a) > len(b) else (b, a)
        if any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer))):
            return "digit dropped or added"
    return None


def _digits(units: int) -> str:
    """Digits as a cashier typed them: cents unless the amount has finer parts."""
    return str(units // 100) if units % 100 == 0 else str(units)


# Rates banks and payment platforms charge on a receipt, as fractions (WeChat Pay's and Alipay's
# merchants pay 0.6 % or 0.38 %, some acquirers 0.55 %); a fee is the rate times the amount, to
# the cent.
FEE_RATES = (0.0005, 0.001, 0.0015, 0.002, 0.003, 0.0038, 0.005, 0.0055, 0.006, 0.01)
ROUNDING_UNITS = 900  # 0.09: what rounding and cent-level conversions leave behind


def fee_or_rounding(difference: int, amount: int) -> str | None:
    """Name the difference (1/10000 units) if it looks like what a bank or rounding leaves: a few
    cents, a fee in whole yuan, or a fee at a usual rate of `amount`. A random near-equal amount
    rarely looks like any of these, which keeps chance collisions from being linked."""
    size = abs(difference)
    if size == 0:
        return None
    if size <= ROUNDING_UNITS:
        return "rounding"
    if size % 10_000 == 0:
        return "fee in whole yuan"
    for rate in FEE_RATES:
        if _rate_fee(size, amount, rate):
            return f"fee {rate:.2%}"
    return None


# The units a payer rounds an amount down to (抹零): the jiao and fen, or the yuan under ten.
ROUNDED_DOWN_UNITS = (10_000, 100_000)


def rounded_down(a: int, b: int) -> bool:
    """Whether the smaller of two amounts of one sign is the larger with its jiao and fen, or
    its yuan under ten, dropped (抹零: 59,239.12 paid as 59,230.00). Not to whole hundreds: such
    an amount is a payment of its own far more often than a rounded one."""
    small, large = sorted((abs(a), abs(b)))
    if small % WHOLE_HUNDREDS == 0:
        return False
    return any(large % unit and small == large - large % unit for unit in ROUNDED_DOWN_UNITS)


# Discounts for early payment (2/10, net 30): the payer deducts a whole percent of the invoice.
CASH_DISCOUNT_RATES = (0.01, 0.02, 0.03)


def cash_discount(a: int, b: int) -> float | None:
    """The rate at which the smaller of two amounts is the larger less a cash discount (¥5,446.60
    paid as ¥5,337.67: 2 %), to the cent; None if it is not."""
    small, large = sorted((abs(a), abs(b)))
    return next(
        (rate for rate in CASH_DISCOUNT_RATES if _rate_fee(large - small, large, rate)), None
    )


def is_rate_fee(difference: int, amount: int) -> bool:
    """Whether the difference is a fee at one of the usual rates of `amount`, to the cent."""
    return fee_rate(difference, amount) is not None


def fee_rate(difference: int, amount: int) -> float | None:
    """The usual rate (`FEE_RATES`) at which the difference is a fee of `amount`, to the cent."""
    size = abs(difference)
    if size <= ROUNDING_UNITS:
        return None
    return next((rate for rate in FEE_RATES if _rate_fee(size, amount, rate)), None)


def _rate_fee(size: int, amount: int, rate: float) -> bool:
    """Whether `size` is the fee at `rate` of `amount`, rounded to the cent, within a cent.

    Rounding moves the fee by half a cent at most, so a size more than a cent and a half from
    the exact fee cannot pass: that test first, as it fails for nearly every pair and `round`
    to the cent is slow."""
    fee = abs(amount) * rate
    return abs(size - fee) <= 151 and abs(size - round(fee, -2)) <= 100


def swapped(a: str, b: str) -> bool:
    """Two keys of one length that differ by two characters trading places (`000263`,
    `000623`): the commonest typing slip in a document number."""
    if len(a) != len(b):
        return False
    differ = [i for i in range(len(a)) if a[i] != b[i]]
    return len(differ) == 2 and a[differ[0]] == b[differ[1]] and a[differ[1]] == b[differ[0]]
