from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model

from habeas.deadlines.engine import AedpaInput, InputError, check_aedpa_input
from habeas.deadlines.models import Deadline, Filing
from habeas.deadlines.rules import all_rules

DATE = forms.DateInput(attrs={"type": "date", "class": "input-date"})


class FilingForm(forms.ModelForm):
    class Meta:
        model = Filing
        fields = ["kind", "title", "court_or_office", "docket_number", "filed_on", "status", "decided_on",
                  "outcome", "outcome_detail", "tolls_aedpa", "notes"]
        widgets = {"filed_on": DATE, "decided_on": DATE, "outcome_detail": forms.Textarea(attrs={"rows": 3}),
                   "notes": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        c = super().clean()
        today = dt.date.today()
        decided, filed = c.get("decided_on"), c.get("filed_on")
        if decided and decided > today:
            self.add_error("decided_on", "A decision date cannot be after today: leave it blank while pending.")
        if filed and filed > today and c.get("status") != Filing.Status.DRAFT:
            self.add_error("filed_on", "A filing date after today is only possible for a filing in preparation.")
        elif filed and filed > today and c.get("tolls_aedpa"):
            self.add_error("tolls_aedpa", "A filing not yet filed does not toll the period: tick this once it is filed.")
        for name, msg in Filing.status_problems(kind=c.get("kind"), status=c.get("status"), filed_on=filed,
                                                decided_on=decided, tolls_aedpa=c.get("tolls_aedpa")):
            if name not in self.errors:  # e.g. a field already refused for being unparseable
                self.add_error(name, msg)
        return c


def parse_reminders(text: str) -> list[int]:
    out = []
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or int(part) > 365:
            raise forms.ValidationError(f"{part!r} is not a number of days between 0 and 365")
        out.append(int(part))
    return sorted(set(out), reverse=True)


class DeadlineForm(forms.ModelForm):
    """A deadline entered by hand."""

    reminders = forms.CharField(initial="30, 7, 1", required=False,
                                help_text="Days before the due date to remind (comma-separated).")

    class Meta:
        model = Deadline
        fields = ["title", "due_on", "filing", "citation", "assignee", "notes"]
        widgets = {"due_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"citation": "Rule, order or statute that sets the date (e.g. the scheduling order)."}

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_on"].required = True
        self.fields["filing"].queryset = case.filings.all() if case else Filing.objects.none()
        users = get_user_model().objects.filter(is_active=True)
        if case is not None:
            users = users.filter(case_memberships__case=case) | users.filter(is_staff=True)
        self.fields["assignee"].queryset = users.distinct().order_by("username")
        if self.instance.pk:
            self.initial["reminders"] = ", ".join(str(d) for d in self.instance.remind_days)

    def clean_reminders(self):
        return parse_reminders(self.cleaned_data.get("reminders", ""))


class AedpaForm(forms.Form):
    judgment_final = forms.DateField(required=False, widget=DATE, label="Judgment became final (A)",
                                     help_text="If known. Otherwise give the state high court's decision below.")
    direct_review_decided = forms.DateField(required=False, widget=DATE,
                                            label="State high court decided the direct appeal",
                                            help_text="Used with no certiorari petition: final 90 days later (Sup. Ct. R. 13.1).")
    cert_decided = forms.DateField(required=False, widget=DATE, label="Certiorari denied or decided")
    impediment_removed = forms.DateField(required=False, widget=DATE, label="State-created impediment removed (B)")
    new_right_recognized = forms.DateField(required=False, widget=DATE, label="New right recognised by the Supreme Court (C)")
    factual_predicate = forms.DateField(required=False, widget=DATE,
                                        label="Factual predicate discoverable with due diligence (D)")
    unknown_triggers = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple,
        choices=[("B", "(B) applies, date unknown"), ("C", "(C) applies, date unknown"), ("D", "(D) applies, date unknown")],
        label="Triggers claimed whose date is unknown")
    use_filings = forms.BooleanField(required=False, initial=True,
                                     label="Toll for the case's state filings marked as tolling § 2244(d)(2)")

    DATE_FIELDS = ("judgment_final", "direct_review_decided", "cert_decided", "impediment_removed",
                   "new_right_recognized", "factual_predicate")

    def facts(self) -> AedpaInput:
        """The engine's input from the cleaned data (the case's filings are added by the service)."""
        c = self.cleaned_data
        return AedpaInput(**{k: c.get(k) for k in self.DATE_FIELDS},
                          unknown_triggers=tuple(c.get("unknown_triggers") or ()))

    def add_input_errors(self, exc: InputError) -> None:
        """The engine's errors on their fields (the case's filings have no field: form-wide)."""
        for name, msg in exc.errors:
            self.add_error(name if name in self.fields else None, msg[:1].upper() + msg[1:] + ".")

    def clean(self):
        c = super().clean()
        if self.errors:
            return c
        if not any(c.get(k) for k in self.DATE_FIELDS):
            raise forms.ValidationError(
                "Enter at least one date: nothing was computed and no deadline was changed.")
        errors = check_aedpa_input(self.facts())
        if errors:
            self.add_input_errors(InputError(errors))
        return c


class PeriodForm(forms.Form):
    rule = forms.ChoiceField(help_text="A response time from the rule files.")
    trigger_date = forms.DateField(required=False, widget=DATE,
                                   help_text="Leave blank if not known: the deadline is recorded as unknown.")
    filing = forms.ModelChoiceField(queryset=Filing.objects.none(), required=False)

    def clean_trigger_date(self):
        day = self.cleaned_data.get("trigger_date")
        if day is not None and day > dt.date.today():
            raise forms.ValidationError(f"{day.isoformat()} is after today: only a date that has passed can "
                                        f"start a period.")
        return day

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [(r.qualified_id, f"{j.name}: {r.title} ({r.period_text} after {r.trigger_label})")
                                       for r, j in all_rules() if r.method == "period"]
        if case is not None:
            self.fields["filing"].queryset = case.filings.all()
