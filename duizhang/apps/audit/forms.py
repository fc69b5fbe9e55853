from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from duizhang.apps.audit.selectors import audit_filter_choices


class AuditFilterForm(forms.Form):
    user = forms.ChoiceField(label=_("User"), required=False)
    customer = forms.ChoiceField(label=_("Customer"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everyone = ("", _("all"))
        for name, values in audit_filter_choices().items():
            self.fields[name].choices = [everyone, *((value, value) for value in values)]  # type: ignore[attr-defined]
