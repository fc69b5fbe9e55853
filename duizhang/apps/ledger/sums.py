"""Exact sums of amount columns, on SQLite as on PostgreSQL.

SQLite stores a DecimalField as a floating-point number and its SUM adds floats, so a long column
drifts by fractions of a cent. Rounding each row to whole 1/10000 units (the finest amount stored)
before adding keeps every step an exact integer, up to 2**53 units (900 billion yuan)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F, FloatField, Sum
from django.db.models.functions import Round

UNITS = 10_000
_FINEST = Decimal(1).scaleb(-4)


def exact_sum(field: str) -> Sum:
    """An aggregate of `field` in whole units; read its result with `from_units`."""
    return Sum(Round(F(field) * UNITS), output_field=FloatField())


def from_units(total: float | Decimal | None) -> Decimal:
    if total is None:
        return Decimal(0).quantize(_FINEST)
    return (Decimal(int(total)) / UNITS).quantize(_FINEST)
