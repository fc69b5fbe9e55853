"""Small pieces the international bank statement importers (MT940, CAMT, OFX) share."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from decimal import Decimal

from duizhang.engine.money import quantize
from duizhang.ingest.base import StatementBalance

# What banks write where a reference is missing; never an id or a reference.
NO_REFERENCE = frozenset({"", "NONREF", "NOTPROVIDED", "NOT PROVIDED", "NONE", "N/A"})


def money(amount: Decimal, currency: str) -> Decimal:
    """Write the currency's minor unit (`11.8` → `11.80`, `8.850` → `8.85`) without ever
    rounding away a real digit (`0.00125` stays)."""
    rounded = quantize(amount, currency)
    return rounded if rounded == amount else amount


def is_reference(text: str) -> bool:
    return text.strip().upper() not in NO_REFERENCE


def first_reference(candidates: Iterable[str | None]) -> str:
    for candidate in candidates:
        text = " ".join((candidate or "").split())
        if is_reference(text):
            return text
    return ""


def with_movement(balance: StatementBalance, movement: Decimal) -> StatementBalance:
    return dataclasses.replace(balance, movement=movement)
