"""Forms of the cashier's dispute pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duizhang.apps.confirmations.models import Channel, DisputeStatus, Outcome
from duizhang.apps.customers.models import Customer

ACCEPT = {"accept": ".pdf,.png,.jpg,.jpeg,.webp"}


class InboxFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=(
            ("open", _("every open dispute")),
            *DisputeStatus.choices,
            ("all", pgettext_lazy("disputes", "all")),
        ),
    )
    customer = forms.ModelChoiceField(
        label=_("Customer"),
        queryset=Customer.objects.order_by("code"),
        required=False,
        empty_label=_("every customer"),
    )
    older_than = forms.IntegerField(
        label=_("Open for at least (days)"), required=False, min_value=0
    )
    q = forms.CharField(label=_("Search"), required=False)


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(c.value, c.label) for c in (Channel.PORTAL, Channel.EMAIL, Channel.PHONE)],
    )
    inbound = forms.BooleanField(label=_("Note of what the customer said"), required=False)
    attachment = forms.FileField(
        label=_("Attachment (PDF or image, up to 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs=ACCEPT),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in DisputeStatus if s != DisputeStatus.RESOLVED],
    )


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    note = forms.CharField(label=_("How it was resolved"), widget=forms.Textarea(attrs={"rows": 2}))
    adjustment_date = forms.DateField(
        label=_("Adjustment date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    adjustment_amount = forms.DecimalField(
        label=_("Adjustment amount"), required=False, max_digits=20, decimal_places=2
    )
    adjustment_description = forms.CharField(
        label=_("Adjustment description"), required=False, max_length=300
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        parts = ("adjustment_date", "adjustment_amount", "adjustment_description")
        given = [data.get(name) not in (None, "") for name in parts]
        if any(given) and not all(given):
            raise forms.ValidationError(
                _("An adjustment needs a date, an amount and a description.")
            )
        return data
