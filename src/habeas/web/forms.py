"""Forms of the web UI: plain Django ModelForms with server-side validation.

Dates from the record are often known only to the month or year, so every date of the case
record is entered in one text field (:class:`PartialDateField`: ``1983``, ``1983-06`` or
``1983-06-05``) and stored in the model's three columns ``<x>``, ``<x>_precision``,
``<x>_text`` by :class:`PartialDateFormMixin`.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.core.exceptions import ValidationError
from django.utils.text import Truncator

from habeas.cases.models import (
    CONFIRMED,
    REPORTED,
    Case,
    CustodyEvent,
    EvidenceItem,
    LabRequest,
    LabResult,
    Note,
    TimelineEvent,
)
from habeas.cases.partial_dates import PartialDate, format_partial, parse_partial_date

DATE_HELP = "1983, 1983-06 or 1983-06-05 — only as precise as the record is."


class PartialDateField(forms.CharField):
    """A date known to the year, month or day, typed as text; cleans to ``(PartialDate, text)``.

    ``text`` is the input as typed when it says more than the date (``1983-06-04/05``),
    else empty.
    """

    default_error_messages = {
        "format": "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1983, 1983-06, 1983-06-05).",
        "impossible": "There is no such date: %(value)s.",
        "future": "%(value)s is in the future: the record holds what has happened "
                  "(deadlines go under Deadlines).",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("help_text", DATE_HELP)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "YYYY-MM-DD")
        self.widget.attrs.setdefault("class", "input-date")

    def to_python(self, value) -> tuple[PartialDate, str] | None:
        value = super().to_python(value).strip()
        if not value:
            return None
        try:
            parsed = parse_partial_date(value)
        except ValueError:
            raise ValidationError(self.error_messages["impossible"], code="impossible",
                                  params={"value": value}) from None
        if parsed is None:
            raise ValidationError(self.error_messages["format"], code="format")
        if parsed.date > timezone.localdate():  # a partial date starts its period: 2099-01 is future too
            raise ValidationError(self.error_messages["future"], code="future", params={"value": value})
        text = "" if value == format_partial(parsed.date, parsed.precision) else value
        return parsed, text


class PartialDateFormMixin:
    """Copies each cleaned :class:`PartialDateField` named in ``partial_dates`` onto the
    instance's ``<x>``, ``<x>_precision`` and ``<x>_text`` (an explicit ``<x>_text`` field of
    the form, when filled in, wins over the typed wording).

    On forms of sourced facts, a new entry starts as "reported", and "confirmed" needs a
    source: the record says where every confirmed fact comes from."""

    partial_dates: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "confidence" in self.fields and not self.instance.pk:
            self.initial["confidence"] = REPORTED  # the instance's model default would win over the field's

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("confidence") == CONFIRMED and "source" in self.fields and not cleaned.get("source", "").strip():
            self.add_error("source", "A fact marked confirmed needs its source (or mark it reported).")
        for name in self.partial_dates:
            value = cleaned.get(name)
            own_text = cleaned.get(f"{name}_text", "")
            if value is None:
                if name not in self.errors:
                    setattr(self.instance, name, None)
                    setattr(self.instance, f"{name}_text", own_text or "")
                continue
            parsed, text = value
            setattr(self.instance, name, parsed.date)
            setattr(self.instance, f"{name}_precision", parsed.precision)
            setattr(self.instance, f"{name}_text", own_text or text)
            if f"{name}_text" in cleaned:  # the form's own field is copied to the instance last
                cleaned[f"{name}_text"] = own_text or text
        return cleaned


SOURCE_WIDGETS = {
    "source": forms.Textarea(attrs={"rows": 2, "placeholder": "Reporter cite, filing, or URL"}),
}


class NoteForm(forms.ModelForm):
    """A note on the case; privileged notes are attorney–client or work product."""

    class Meta:
        model = Note
        fields = ["text", "privileged"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}
        labels = {"privileged": "Privileged / attorney work product"}

    def __init__(self, *args, privileged: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not privileged:  # only those who may read privileged notes may write one
            del self.fields["privileged"]


class EvidenceItemForm(PartialDateFormMixin, forms.ModelForm):
    """A new evidence item of a case; item numbers are unique within the case."""

    partial_dates = ("collected_on",)
    collected_on = PartialDateField(required=False, label="Collected on")

    class Meta:
        model = EvidenceItem
        fields = ["item_number", "description", "kind", "collected_at", "collected_by",
                  "collection_source", "collection_confidence",
                  "current_custodian", "current_location", "status", "testing_summary",
                  "source", "confidence"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "testing_summary": forms.Textarea(attrs={"rows": 3}),
                   "collection_source": forms.Textarea(attrs={"rows": 2}), **SOURCE_WIDGETS}
        labels = {"source": "Source (the item)", "confidence": "Confidence (the item)"}

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.order_fields(["item_number", "description", "kind", "collected_on"])

    def clean_item_number(self):
        number = self.cleaned_data["item_number"].strip()
        if EvidenceItem.objects.filter(case=self.case, item_number__iexact=number).exists():
            raise ValidationError(f"This case already has an evidence item numbered “{number}”.")
        return number


class CustodyEventForm(PartialDateFormMixin, forms.ModelForm):
    """One new link of an item's chain of custody (events are never edited)."""

    partial_dates = ("occurred",)
    occurred = PartialDateField(required=False, label="When")

    class Meta:
        model = CustodyEvent
        fields = ["occurred_text", "from_party", "to_party", "purpose", "seal_condition",
                  "description", "source", "confidence"]
        labels = {"occurred_text": "When, as the record words it",
                  "from_party": "From (released by)", "to_party": "To (received by)"}
        help_texts = {"occurred_text": "Use when the record gives no date, or says more than one "
                                       "(e.g. “before the 1984 trial”)."}
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), **SOURCE_WIDGETS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["occurred", "occurred_text", "from_party", "to_party"])

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("from_party") or cleaned.get("to_party")):
            raise ValidationError("Say who released the item, who received it, or both.", code="parties")
        if not (cleaned.get("occurred") or cleaned.get("occurred_text")) and "occurred" not in self.errors:
            self.add_error("occurred", "Give the date, or the record's wording of when it happened.")
        return cleaned


def item_choice_label(item: EvidenceItem) -> str:
    """``A-41 — Hallway blood spot 'A-41'`` (item number and the first sentence, shortened)."""
    first = item.description.split(". ")[0]
    return f"{item.item_number} — {Truncator(first).chars(90)}"


class LabRequestForm(PartialDateFormMixin, forms.ModelForm):
    """A request for laboratory testing of items of this case."""

    partial_dates = ("requested_on",)
    requested_on = PartialDateField(required=False, label="Requested on")

    class Meta:
        model = LabRequest
        fields = ["reference", "items", "laboratory", "test_kind", "method", "ordered_by",
                  "ordered_by_detail", "status", "source", "confidence"]
        widgets = {"items": forms.CheckboxSelectMultiple, **SOURCE_WIDGETS}

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = case.evidence_items.all()
        self.fields["items"].label_from_instance = item_choice_label
        self.fields["items"].required = True
        self.fields["items"].error_messages["required"] = "Choose at least one evidence item to test."
        self.order_fields(["reference", "items", "laboratory", "test_kind", "method", "ordered_by",
                           "ordered_by_detail", "requested_on"])


class LabResultForm(PartialDateFormMixin, forms.ModelForm):
    """The result a laboratory reported for a request."""

    partial_dates = ("report_date",)
    report_date = PartialDateField(required=True, label="Report date")

    class Meta:
        model = LabResult
        fields = ["finding", "conclusion", "report_file", "source", "confidence"]
        widgets = {"conclusion": forms.Textarea(attrs={"rows": 4}), **SOURCE_WIDGETS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["report_date"])


class TimelineEventForm(PartialDateFormMixin, forms.ModelForm):
    """An event on the case timeline, dated only as precisely as the record allows."""

    partial_dates = ("date",)
    date = PartialDateField(required=True, label="Date")

    class Meta:
        model = TimelineEvent
        fields = ["what", "evidence_item", "source", "confidence"]
        widgets = {"what": forms.Textarea(attrs={"rows": 3}), **SOURCE_WIDGETS}

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence_item"].queryset = case.evidence_items.all()
        self.fields["evidence_item"].label = "Evidence item"
        self.fields["evidence_item"].label_from_instance = item_choice_label
        self.order_fields(["date"])


class CaseFilterForm(forms.Form):
    """Search and filters of the case list (GET)."""

    q = forms.CharField(required=False, label="Search",
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": "Caption, docket no., jurisdiction, person"}))
    stage = forms.ChoiceField(required=False, choices=[("", "Any stage")])
    death = forms.ChoiceField(required=False, label="Death sentence",
                              choices=[("", "Any sentence"), ("yes", "Death sentence"), ("no", "No death sentence")])
    jurisdiction = forms.ChoiceField(required=False, choices=[("", "Any jurisdiction")])

    def __init__(self, *args, jurisdictions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", "Any stage"), *Case.Stage.choices]
        self.fields["jurisdiction"].choices = [("", "Any jurisdiction"),
                                               *((j, j if len(j) <= 60 else j[:57] + "…") for j in jurisdictions)]
