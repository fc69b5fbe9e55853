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
