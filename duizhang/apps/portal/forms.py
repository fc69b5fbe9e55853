"""Portal forms. Attachments are checked by the confirmations app's `upload_check` (content,
name, size) inside its services; the forms only collect them."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

ATTACHMENTS_PER_MESSAGE = 5


class TokenForm(forms.Form):
    token = forms.RegexField(
        regex=r"^\s*\d{6}\s*$",
        label=_("6-digit code"),
        max_length=8,
        error_messages={"invalid": _("Enter the 6 digits your app shows.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        return str(self.cleaned_data["token"]).strip()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Zero to ATTACHMENTS_PER_MESSAGE files from one input."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.webp"})
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def clean(self, data: object, initial: object = None) -> list[object]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > ATTACHMENTS_PER_MESSAGE:
            raise forms.ValidationError(
                _("Attach at most %(count)s files."), params={"count": ATTACHMENTS_PER_MESSAGE}
            )
        return [super(AttachmentsField, self).clean(item, initial) for item in files]


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))
    attachments = AttachmentsField(label=_("Attachments (PDF or image)"))


class DisputeForm(MessageForm):
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)


class AnswerForm(forms.Form):
    """The customer's answer to a statement. A disagreement names the lines (by entry id, the
    view offers only the statement's own) and the entries the customer has that we do not."""

    AGREES = "agrees"
    DISAGREES = "disagrees"

    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=((AGREES, _("The balance agrees")), (DISAGREES, _("The balance does not agree"))),
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Your name"), max_length=100)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lines = forms.MultipleChoiceField(
        label=_("Lines you do not agree with"), required=False, widget=forms.CheckboxSelectMultiple
    )
    attachments = AttachmentsField(label=_("Attachments (PDF or image)"))

    def __init__(
        self, *args: object, line_choices: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["lines"].choices = line_choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("answer") == self.DISAGREES and not str(data.get("comment", "")).strip():
            self.add_error("comment", _("Tell us what does not agree."))
        return data


class MissingEntryForm(forms.Form):
    """An entry the customer has that our statement lacks, in the customer's own words: a
    payment they made (we owe them the credit) or an invoice they received. `signed_amount`
    turns it into our receivable view."""

    PAYMENT = "payment"
    CHARGE = "charge"

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=((PAYMENT, _("A payment we made")), (CHARGE, _("An invoice we received"))),
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Document no."), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=20, decimal_places=2, min_value=Decimal("0.01")
    )
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)

    def signed_amount(self) -> Decimal:
        amount: Decimal = self.cleaned_data["amount"]
        return -amount if self.cleaned_data["kind"] == self.PAYMENT else amount


MissingEntryFormSet = forms.formset_factory(MissingEntryForm, extra=2, max_num=20)
