"""Rendering manager-edited templates without giving them the keys to the house.

A template is compiled by its own `Engine`: no loaders (no {% include %} / {% extends %} of other
files), no built-in libraries (no {% load %}, {% url %}, {% debug %}, {% csrf_token %}), only
{% if %}, {% for %}, {% comment %} and a handful of text filters. The context is frozen to plain
values first: mappings become read-only proxies and lists tuples, and anything that is not text,
a number, a date or a boolean is refused, so `{{ customer.delete }}` finds nothing to call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, ClassVar

from django.template import (
    Context,
    Engine,
    Library,
    TemplateSyntaxError,
    defaultfilters,
    defaulttags,
)

SAFE_TAGS = ("if", "for", "comment", "spaceless")
SAFE_FILTERS = (
    "default",
    "length",
    "upper",
    "lower",
    "title",
    "truncatechars",
    "join",
    "first",
    "last",
    "date",
    "yesno",
    "ljust",
    "rjust",
    "cut",
    "pluralize",
)

library = Library()
for _name in SAFE_TAGS:
    library.tag(_name, defaulttags.register.tags[_name])
for _name in SAFE_FILTERS:
    library.filter(_name, defaultfilters.register.filters[_name])


class _SandboxEngine(Engine):
    default_builtins: ClassVar[list[str]] = []


ENGINE = _SandboxEngine(
    dirs=[],
    app_dirs=False,
    loaders=[],
    libraries={},
    builtins=[],
    autoescape=False,  # plain-text email; nothing here is HTML
    string_if_invalid="",
)
ENGINE.template_builtins = [library]

PLAIN = (str, int, bool, Decimal, dt.date, type(None))


class TemplateError(ValueError):
    """The template does not compile (a syntax error, a refused tag or filter)."""


def freeze(value: Any) -> Any:
    """A read-only copy of `value` made of plain values; TypeError for anything else."""
    if isinstance(value, Mapping):
        return MappingProxyType({str(key): freeze(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(item) for item in value)
    if isinstance(value, PLAIN):
        return value
    raise TypeError(f"a template sees plain values only, not {type(value).__name__}")


def check(source: str) -> None:
    try:
        ENGINE.from_string(source)
    except TemplateSyntaxError as error:
        raise TemplateError(str(error)) from error


def render(source: str, context: Mapping[str, Any]) -> str:
    try:
        template = ENGINE.from_string(source)
    except TemplateSyntaxError as error:
        raise TemplateError(str(error)) from error
    frozen = freeze(context)
    return template.render(Context(dict(frozen), autoescape=False))
