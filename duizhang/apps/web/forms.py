from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from duizhang.apps.customers.models import CommunicationLog
from duizhang.apps.ledger.models import Source
from duizhang.apps.ledger.selectors import importable_sources
from duizhang.ingest.registry import IMPORTERS
from duizhang.ingest.tables import ColumnMapping, Meaning

StrOrPromise = str | Promise


def _format_choices() -> list[tuple[str, StrOrPromise]]:
    return [("auto", _("Detect automatically")), *((i.name, i.name) for i in IMPORTERS)]


def _source_label(source: Source) -> str:
    return f"{source.name} · {source.get_kind_display()}"


class UploadForm(forms.Form):
    source = forms.ModelChoiceField(queryset=Source.objects.none(), label=_("Source"))
    file = forms.FileField(label=_("File"))
    format = forms.ChoiceField(label=_("Format"), initial="auto")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        source = self.fields["source"]
        source.queryset = importable_sources()  # type: ignore[attr-defined]
        source.label_from_instance = _source_label  # type: ignore[attr-defined]
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


class MappingForm(forms.Form):
    """Which column of the file holds what; choices are the header row's cells."""

    ROLES = (
        ("date", _("Date")),
        ("amount", _("Amount (signed, or with a direction column)")),
        ("direction", _("Direction (借/贷, 收/支)")),
        ("debit", _("Debit (借方; on a bank statement 支出, money out)")),
        ("credit", _("Credit (贷方; on a bank statement 收入, money in)")),
        ("balance", _("Balance")),
        ("counterparty", _("Counterparty")),
        ("reference", _("Reference (invoice or voucher no.)")),
        ("serial", _("Line number or bank serial")),
        ("currency", _("Currency")),
        ("customer", _("Customer code")),
    )

    meaning = forms.ChoiceField(
        label=_("How to read debit and credit"),
        choices=[
            (Meaning.BANK.value, _("Bank statement: 贷方/收入 is money in")),
            (Meaning.BOOKS.value, _("Ledger: 借方 is a debit, 贷方 a credit")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, columns: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *((column, column) for column in columns)]
        for name, label in self.ROLES:
            self.fields[name] = forms.ChoiceField(label=label, choices=choices, required=False)
        self.fields["description"] = forms.MultipleChoiceField(
            label=_("Description (摘要, 备注 …)"),
            choices=choices[1:],
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("date"):
            raise forms.ValidationError(_("Choose the date column."))
        has_amount = bool(data.get("amount"))
        if has_amount == bool(data.get("debit") or data.get("credit")):
            raise forms.ValidationError(
                _("Choose either one amount column or the debit and credit columns.")
            )
        return data

    def mapping(self) -> ColumnMapping:
        data = self.cleaned_data
        columns = {name: data[name] for name, _label in self.ROLES if data.get(name)}
        return ColumnMapping(
            meaning=Meaning(data["meaning"]),
            description=tuple(data["description"]),
            **columns,
        )

    @classmethod
    def initial_from(cls, mapping: ColumnMapping | None, meaning: Meaning) -> dict[str, Any]:
        if mapping is None:
            return {"meaning": meaning.value}
        initial: dict[str, Any] = {name: getattr(mapping, name) for name, _label in cls.ROLES}
        initial.update(meaning=mapping.meaning.value, description=list(mapping.description))
        return initial
