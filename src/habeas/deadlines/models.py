"""Filings, deadlines (computed from rule files or entered by hand) and calendar-feed tokens."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from habeas.cases.models import Case

TOLLING_CITATION = ("28 U.S.C. § 2244(d)(2) tolls only for \"a properly filed application for State post-conviction "
                    "or other collateral review\"; a federal habeas petition does not toll (Duncan v. Walker, "
                    "533 U.S. 167 (2001)), nor does an application for executive clemency, pardon, commutation or an "
                    "executive order, which is not State post-conviction or other collateral review")


class Filing(models.Model):
    """A petition, motion or application filed (or to be filed) in a court or with an executive office."""

    class Kind(models.TextChoices):
        STATE_HABEAS = "state_habeas", "State habeas corpus petition"
        FEDERAL_HABEAS = "federal_habeas", "Federal habeas corpus petition (28 U.S.C. § 2254)"
        DNA_MOTION = "dna_motion", "Motion for post-conviction DNA testing (e.g. Cal. Penal Code § 1405)"
        CLEMENCY = "clemency", "Clemency application"
        COMMUTATION = "commutation", "Commutation application"
        PARDON = "pardon", "Pardon application"
        EXECUTIVE_ORDER = "executive_order", "Request for an executive order"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        DRAFT = "draft", "In preparation"
        FILED = "filed", "Filed, pending"
        DECIDED = "decided", "Decided"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Outcome(models.TextChoices):
        GRANTED = "granted", "Granted"
        GRANTED_IN_PART = "granted_in_part", "Granted in part"
        DENIED = "denied", "Denied"
        DISMISSED = "dismissed", "Dismissed"
        SUMMARILY_DENIED = "summarily_denied", "Summarily denied"
        OTHER = "other", "Other"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="filings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300, blank=True, help_text="Title of the filing as captioned.")
    court_or_office = models.CharField(max_length=300, blank=True,
                                      help_text="Court or office where it is filed (e.g. 'Office of the Governor').")
    docket_number = models.CharField(max_length=200, blank=True)
    filed_on = models.DateField(null=True, blank=True, help_text="Day it was filed (for a prisoner: delivered to prison officials).")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    decided_on = models.DateField(null=True, blank=True, help_text="Day it was decided or acted upon.")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_detail = models.TextField(blank=True, help_text="What was decided, with the citation of the decision.")
    tolls_aedpa = models.BooleanField(
        default=False,
        help_text="A properly filed application for State post-conviction or other collateral review: its pending "
                  "time tolls the federal one-year period (28 U.S.C. § 2244(d)(2)).")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Kinds that are State post-conviction or other collateral review, whose pending time may toll
    # the federal one-year period when the user marks them so (28 U.S.C. § 2244(d)(2)). Not
    # tolling whatever the user ticks: a federal habeas petition (Duncan v. Walker, 533 U.S. 167,
    # 181–82 (2001): "State" qualifies both "post-conviction" and "other collateral review"), and
    # clemency, commutation, pardon and executive-order requests — executive clemency is an act of
    # grace of the executive, not "State post-conviction or other collateral review" of the
    # judgment. "Other" is not assumed to be state collateral review: record a state collateral
    # application as a state habeas petition (or DNA motion) for it to toll.
    TOLLING_KINDS = frozenset({Kind.STATE_HABEAS, Kind.DNA_MOTION})

    class Meta:
        ordering = ["filed_on", "pk"]

    @classmethod
    def may_toll(cls, kind: str) -> bool:
        return kind in cls.TOLLING_KINDS

    @classmethod
    def status_problems(cls, *, kind, status, filed_on, decided_on, tolls_aedpa) -> list[tuple[str, str]]:
        """Contradictions between a filing's kind, status, dates and tolling mark, as
        ``(field, message)``: the form refuses them and the AEDPA computation skips (and names) a
        stored filing that has any of them."""
        out = []
        if tolls_aedpa and kind and not cls.may_toll(kind):
            label = dict(cls.Kind.choices).get(kind, kind)
            out.append(("tolls_aedpa", f"A filing of this kind ({label}) does not toll the federal one-year period: "
                                       f"{TOLLING_CITATION}."))
        if status == cls.Status.DECIDED and not decided_on:
            out.append(("decided_on", "A decided filing needs the date of the decision (without it, it would be "
                                      "taken as pending for ever)."))
        if status == cls.Status.FILED and decided_on:
            out.append(("decided_on", "A filing that is still pending has no decision date: set the status to "
                                      "decided, or clear the date."))
        if tolls_aedpa and not filed_on:
            out.append(("filed_on", "A filing marked as tolling the federal period needs the day it was filed "
                                    "(the tolling runs from that day)."))
        return out

    def aedpa_problems(self) -> list[tuple[str, str]]:
        return self.status_problems(kind=self.kind, status=self.status, filed_on=self.filed_on,
                                    decided_on=self.decided_on, tolls_aedpa=self.tolls_aedpa)

    def __str__(self):
        when = self.filed_on.isoformat() if self.filed_on else "not filed"
        return f"{self.title or self.get_kind_display()} ({when})"

    def clean(self):
        if self.filed_on and self.decided_on and self.decided_on < self.filed_on:
            raise ValidationError({"decided_on": "A filing cannot be decided before it is filed."})
        if self.outcome and not self.decided_on and self.status != self.Status.WITHDRAWN:
            raise ValidationError({"decided_on": "Give the date of the decision with its outcome."})


class FilingDocument(models.Model):
    """A document filed with a filing (petition, exhibit, order). ``document_id`` points at a
    document of the documents app when there is one."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=300)
    date = models.DateField(null=True, blank=True)
    kind = models.CharField(max_length=100, blank=True, help_text="Petition, exhibit, order, declaration…")
    pages = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to="filings/%Y/", blank=True)
    document_id = models.PositiveIntegerField(null=True, blank=True,
                                              help_text="Id of the stored document in the documents app, if any.")

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self):
        return self.title


def default_reminders() -> list[int]:
    return [30, 7, 1]


class Deadline(models.Model):
    """A due date on a case: computed from a rule file (with its explanation) or entered by hand."""

    class Source(models.TextChoices):
        COMPUTED = "computed", "Computed from a rule"
        MANUAL = "manual", "Entered by hand"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done (filed or met)"
        DISMISSED = "dismissed", "No longer applies"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text="Stable calendar UID.")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    filing = models.ForeignKey(Filing, on_delete=models.SET_NULL, null=True, blank=True, related_name="deadlines")
    title = models.CharField(max_length=300)
    due_on = models.DateField(null=True, blank=True,
                              help_text="Blank when a trigger date is unknown: the deadline cannot be computed.")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    rule_id = models.CharField(max_length=100, blank=True, help_text="Rule it was computed from, e.g. 'federal:aedpa'.")
    rule_version = models.CharField(max_length=40, blank=True)
    citation = models.CharField(max_length=300, blank=True, help_text="Legal source of the deadline.")
    inputs = models.JSONField(default=dict, blank=True, help_text="The facts the computation used.")
    explanation = models.JSONField(default=dict, blank=True, help_text="How it was computed (engine result).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="deadlines", help_text="Who is responsible for meeting it.")
    remind_days = models.JSONField(default=default_reminders, blank=True,
                                   help_text="Reminders, in days before the due date, e.g. [30, 7, 1].")
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    DEFAULT_REMINDERS = [30, 7, 1]

    class Meta:
        ordering = [models.F("due_on").asc(nulls_last=True), "pk"]

    def __str__(self):
        return f"{self.title} — {self.due_on.isoformat() if self.due_on else 'date unknown'}"

    def get_absolute_url(self):
        return reverse("deadlines:deadline-detail", args=[self.pk])

    def clean(self):
        if self.source == self.Source.MANUAL and not self.due_on:
            raise ValidationError({"due_on": "A deadline entered by hand needs a date."})
        if not all(isinstance(d, int) and 0 <= d <= 365 for d in (self.remind_days or [])):
            raise ValidationError({"remind_days": "Reminders are whole days between 0 and 365."})

    @property
    def unknown(self) -> bool:
        return self.due_on is None

    def days_left(self, today: dt.date | None = None) -> int | None:
        if self.due_on is None:
            return None
        return (self.due_on - (today or dt.date.today())).days

    @property
    def explanation_steps(self) -> list[str]:
        return list(self.explanation.get("steps", []))

    @classmethod
    def from_result(cls, case, result, *, title: str = "", inputs: dict | None = None, **extra) -> "Deadline":
        """An unsaved deadline from an engine result (:class:`habeas.deadlines.engine.DeadlineResult`)."""
        d = result.to_dict()
        return cls(case=case, title=title or result.rule_title, due_on=result.due, source=cls.Source.COMPUTED,
                   rule_id=result.rule_id, rule_version=result.rule_version, citation=result.citation[:300],
                   inputs=inputs or {}, explanation=d, remind_days=list(cls.DEFAULT_REMINDERS), **extra)


class CalendarToken(models.Model):
    """A user's secret for calendar feeds (calendar programs cannot log in). Rotating it
    invalidates every feed URL given out before."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token")
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"calendar token of {self.user}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = self.new_token()
        super().save(*args, **kwargs)

    @classmethod
    def for_user(cls, user) -> "CalendarToken":
        obj, _ = cls.objects.get_or_create(user=user)
        return obj

    def rotate(self) -> str:
        self.token = self.new_token()
        self.save()
        return self.token
