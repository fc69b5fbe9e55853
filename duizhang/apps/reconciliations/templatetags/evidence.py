"""`{{ value|evidence }}`: an engine evidence value as short text (lists joined, None as —)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def evidence(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, list | tuple):
        return "、".join(str(item) for item in value)
    if isinstance(value, dict):
        return "、".join(f"{key} {item}" for key, item in value.items())
    return str(value)
