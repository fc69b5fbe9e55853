"""Forms of the reconciliation pages: they parse input; the services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from duizhang.apps.customers.models import Customer
from duizhang.apps.ledger.models import Source
from duizhang.apps.reconciliations.models import Explanation


class SourceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Source) -> str:
        kind = obj.get_kind_display()
        return f"{obj.name}（{kind}）"


class ReconciliationForm(forms.Form):
    customer = forms.ModelChoiceField(
        label=_("Customer"), queryset=Customer.objects.order_by("code")
    )
    ours = SourceChoice(
        label=_("Our ledger"), queryset=Source.objects.filter(kind=Source.Kind.OURS)
    )
    theirs = SourceChoice(
        label=_("Compared with"),
        queryset=Source.objects.filter(kind__in=(Source.Kind.CUSTOMER, Source.Kind.BANK)),
        help_text=_("The customer's ledger or one of our bank accounts."),
    )
    period_start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: from the first entry, so the statement shows the full balance."),
    )
    period_end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        ours = self.fields["ours"]
        assert isinstance(ours, forms.ModelChoiceField)
        if ours.queryset is not None and ours.queryset.count() == 1:
            ours.initial = ours.queryset.first()


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class ResolveForm(forms.Form):
    group = forms.IntegerField(required=False, widget=forms.HiddenInput)
    line = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Explanation"), choices=Explanation.choices)
    comment = forms.CharField(label=_("Comment"))
    adjustment_amount = forms.DecimalField(
        label=_("Adjusting entry amount"),
        required=False,
        max_digits=20,
        decimal_places=4,
        help_text=_("Errors on our side: empty proposes the amount that closes the difference."),
    )
    adjustment_text = forms.CharField(
        label=_("Adjusting entry text"), required=False, max_length=200
    )

    def adjustment(self) -> Decimal | None:
        value = self.cleaned_data.get("adjustment_amount")
        return value if isinstance(value, Decimal) else None


def line_ids(values: list[str]) -> list[int]:
    """The selected lines of the match form; anything that is not a number is ignored."""
    return [int(value) for value in values if value.isdigit()]
