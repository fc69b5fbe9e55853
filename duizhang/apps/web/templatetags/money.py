"""`{{ amount|money }}`: 1,234,567.80 — thousands separators, two decimals, Decimal only."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()
_CENT = Decimal("0.01")


@register.filter
def money(value: Decimal | int | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        raise TypeError("money is never a float")
    return f"{Decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP):,}"
