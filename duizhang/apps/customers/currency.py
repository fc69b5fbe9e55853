"""The currency column every money-holding model shares, and its database check."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Length, Substr, Upper
from django.db.models.lookups import Exact, GreaterThanOrEqual, LessThanOrEqual

from duizhang.engine.records import DEFAULT_CURRENCY


def currency_field() -> models.CharField:
    return models.CharField(
        max_length=3,
        default=DEFAULT_CURRENCY,
        validators=[RegexValidator(r"^[A-Z]{3}$", "Use a three-letter ISO 4217 code, e.g. CNY.")],
    )


def iso_currency(name: str = "currency") -> models.Q:
    """Three upper-case letters A–Z, written without REGEXP so SQLite and PostgreSQL both enforce it
    (SQLite has no built-in REGEXP outside Django's own connections)."""
    letters = [Substr(name, position, 1) for position in (1, 2, 3)]
    condition = models.Q(Exact(Length(name), 3), Exact(Upper(name), models.F(name)))
    for letter in letters:
        condition &= models.Q(GreaterThanOrEqual(letter, "A"), LessThanOrEqual(letter, "Z"))
    return condition
