from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from duizhang.apps.customers.models import Customer
from duizhang.apps.notifications.sandbox import TemplateError, check, render


def test_documented_variables_loops_and_safe_filters() -> None:
    text = render(
        "{{ customer.name|upper }}:{% for item in items %} {{ item.ref }}={{ item.open }}{% endfor %}"
        " {{ day|date:'Y-m-d' }} {{ missing|default:'-' }}",
        {
            "customer": {"name": "acme"},
            "items": [{"ref": "FP1", "open": "1,000.00"}, {"ref": "FP2", "open": "5.00"}],
            "day": dt.date(2026, 10, 31),
        },
    )
    assert text == "ACME: FP1=1,000.00 FP2=5.00 2026-10-31 -"


def test_no_method_of_the_context_can_be_called() -> None:
    values = {"customer": {"name": "acme", "code": "C1"}, "items": ["a"]}
    assert (
        render("[{{ customer.delete }}][{{ customer.clear }}][{{ items.pop }}]", values) == "[][][]"
    )
    assert values == {"customer": {"name": "acme", "code": "C1"}, "items": ["a"]}


@pytest.mark.django_db
def test_model_instances_never_reach_a_template(customer: Customer) -> None:
    with pytest.raises(TypeError, match="plain values only, not Customer"):
        render("{{ customer.delete }}", {"customer": customer})
    assert Customer.objects.filter(pk=customer.pk).exists()


@pytest.mark.parametrize(
    "source",
    [
        "{% load static %}",
        '{% include "base.html" %}',
        '{% extends "base.html" %}',
        "{% debug %}",
        '{% url "web:home" %}',
        "{% csrf_token %}",
        "{{ text|safe }}",
        "{{ text|pprint }}",
        "{% if %}",
    ],
)
def test_refused(source: str) -> None:
    with pytest.raises(TemplateError):
        check(source)
    with pytest.raises(TemplateError):
        render(source, {"text": Decimal(1)})
