"""Forms of the cashier's statement pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from duizhang.apps.confirmations.models import Answer, Channel
from duizhang.apps.customers.models import CommunicationLog, Customer
from duizhang.apps.statements.models import DocumentStatus, StatementStyle

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CustomerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Customer) -> str:
        return f"{obj.code} {obj.name}"


class StatementForm(forms.Form):
    customer = CustomerChoice(label=_("Customer"), queryset=Customer.objects.order_by("code"))
    period_start = forms.DateField(label=_("From"), widget=DATE)
    period_end = forms.DateField(label=_("Until"), widget=DATE)
    style = forms.ChoiceField(label=_("Style"), choices=StatementStyle.choices)
    currency = forms.RegexField(
        label=_("Currency"),
        regex=r"^[A-Z]{3}$",
        required=False,
        help_text=_("Empty: the customer's only currency."),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=(("zh-Hans", "简体中文"), ("en", "English"))
    )
    receivables_only = forms.BooleanField(label=_("Receivables (1122) only"), required=False)
    hide_reversed = forms.BooleanField(label=_("Hide reversed pairs"), required=False)


class StatementFilterForm(forms.Form):
    customer = CustomerChoice(
        label=_("Customer"),
        queryset=Customer.objects.order_by("code"),
        required=False,
        empty_label=_("every customer"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=(("", _("every status")), *DocumentStatus.choices),
        required=False,
    )


class SendForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Sent by"),
        choices=[
            (value, label)
            for value, label in CommunicationLog.Channel.choices
            if value in ("email", "letter", "portal", "wechat")
        ],
    )


class RecordConfirmationForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=Answer.choices)
    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[(c.value, c.label) for c in (Channel.PAPER, Channel.PHONE, Channel.EMAIL)],
    )
    name = forms.CharField(label=_("Answered by"), max_length=100)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    scan = forms.FileField(
        label=_("Scan of the signed reply (PDF or image)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.webp"}),
    )
