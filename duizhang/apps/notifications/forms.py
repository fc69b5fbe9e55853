from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from duizhang.apps.customers.models import Customer
from duizhang.apps.notifications.models import Language, MessageStatus, Rule, TemplateKind


class TemplateForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=TemplateKind.choices)
    language = forms.ChoiceField(label=_("language"), choices=Language.choices)
    level = forms.IntegerField(
        label=_("days past due (overdue reminders; 0: every level)"),
        min_value=0,
        max_value=3650,
        initial=0,
    )
    subject = forms.CharField(label=_("subject"), max_length=200)
    body = forms.CharField(label=_("body"), widget=forms.Textarea(attrs={"rows": 18}))


class PreviewForm(forms.Form):
    kind = forms.ChoiceField(choices=TemplateKind.choices)
    language = forms.ChoiceField(choices=Language.choices)
    level = forms.IntegerField(min_value=0, required=False)
    subject = forms.CharField(required=False)
    body = forms.CharField(required=False)
    customer = forms.ModelChoiceField(queryset=Customer.objects.order_by("code"))


class RuleForm(forms.ModelForm):
    levels_text = forms.CharField(
        label=_("reminder levels (days past due, e.g. 7, 14, 30)"), required=False
    )

    class Meta:
        model = Rule
        fields = ("name", "kind", "schedule", "customers", "attach_pdf", "copy_to", "enabled")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customers"].widget.attrs["size"] = 6
        self.fields["levels_text"].initial = ", ".join(str(day) for day in self.instance.levels)

    def clean_levels_text(self) -> list[int]:
        text = self.cleaned_data["levels_text"].replace("，", ",")
        try:
            return [int(part) for part in text.split(",") if part.strip()]
        except ValueError as error:
            raise forms.ValidationError(_("Levels are whole numbers of days.")) from error


class LogFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"), choices=[("", "—"), *MessageStatus.choices], required=False
    )
    customer = forms.ModelChoiceField(
        label=_("customer"), queryset=Customer.objects.order_by("code"), required=False
    )
