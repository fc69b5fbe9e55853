"""Exact money arithmetic: Decimal only, quantized by the currency's minor unit in one place."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# ISO 4217 minor units for the currencies a Chinese cashier meets; anything else has two.
_MINOR_UNITS = {"JPY": 0, "KRW": 0, "VND": 0, "BHD": 3, "KWD": 3, "JOD": 3, "OMR": 3, "TND": 3}


def minor_units(currency: str) -> int:
    return _MINOR_UNITS.get(currency.upper(), 2)


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round half up to the currency's minor unit, as Chinese accounting rules require."""
    exponent = Decimal(1).scaleb(-minor_units(currency))
    return amount.quantize(exponent, rounding=ROUND_HALF_UP)


def format_amount(amount: Decimal) -> str:
    """Plain decimal text with no exponent and no thousands separators (canonical CSV)."""
    return "0" if amount == 0 else format(amount, "f")


# Inside the matching engine amounts are whole counts of 1/10000: canonical amounts have at most
# four decimals, so the integers are exact and Polars can hash, join and sum them quickly.
UNITS_PER_ONE = 10_000
# Round amounts in those units: whole hundreds recur and add up by chance (5,000 + 7,000 is
# 12,000 whatever was paid), whole tens nearly as often.
WHOLE_HUNDREDS = 100 * UNITS_PER_ONE
WHOLE_TENS = 10 * UNITS_PER_ONE


def to_units(amount: Decimal) -> int:
    """Exact conversion to 1/10000 units; raises ValueError for a fifth decimal."""
    scaled = amount.scaleb(4)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} has more than four decimals")
    return int(scaled)


def from_units(units: int) -> Decimal:
    """Back to Decimal with at least two decimals (`-12.50`, `0.0050`), `0` for zero."""
    if units == 0:
        return Decimal(0)
    value = Decimal(units).scaleb(-4).normalize()
    exponent = value.as_tuple().exponent
    return value.quantize(Decimal("0.01")) if isinstance(exponent, int) and exponent > -2 else value
