from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from duizhang.apps.customers.models import Customer
from duizhang.apps.risk.models import Alert


class AlertFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("all")), *Alert.Kind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *Alert.Status.choices]
    )
    customer = forms.ModelChoiceField(
        label=_("Customer"),
        required=False,
        queryset=Customer.objects.order_by("code"),
        empty_label=_("all"),
    )


class AcknowledgeForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        widget=forms.TextInput({"placeholder": _("What was checked or done")}),
    )
