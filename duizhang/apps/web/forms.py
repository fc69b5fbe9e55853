from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from duizhang.apps.customers.models import CommunicationLog
from duizhang.apps.ledger.models import Source
from duizhang.apps.ledger.selectors import importable_sources
from duizhang.ingest.registry import IMPORTERS

StrOrPromise = str | Promise


def _format_choices() -> list[tuple[str, StrOrPromise]]:
    return [("auto", _("Detect automatically")), *((i.name, i.name) for i in IMPORTERS)]


class UploadForm(forms.Form):
    source = forms.ModelChoiceField(queryset=Source.objects.none(), label=_("Source"))
    file = forms.FileField(label=_("File"))
    format = forms.ChoiceField(label=_("Format"), initial="auto")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = importable_sources()  # type: ignore[attr-defined]
        self.fields["format"].choices = _format_choices()  # type: ignore[attr-defined]


class NoteForm(forms.ModelForm):
    class Meta:
        model = CommunicationLog
        fields = (
            "channel",
            "direction",
            "summary",
        )
        widgets: ClassVar = {"summary": forms.Textarea(attrs={"rows": 3})}
