"""The case record.

Sourced facts carry ``source`` (the citation, as text) and ``confidence`` (``confirmed``:
a court opinion or two independent public sources; ``reported``: one source, a secondary
compilation or an advocacy source). Dates from the public record are often known only to
the month or year: such fields come as ``<name>`` (first day of the period), ``<name>_precision``
and ``<name>_text`` (the original wording, kept when it says more than a date).
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from habeas.cases.partial_dates import PRECISION_CHOICES, format_partial

CONFIRMED, REPORTED = "confirmed", "reported"
CONFIDENCE_CHOICES = [
    (CONFIRMED, "confirmed (court record or two independent sources)"),
    (REPORTED, "reported (one, secondary or partisan source)"),
]


class Sourced(models.Model):
    """Abstract: a fact with its citation."""

    source = models.TextField(blank=True, help_text="Citation of the source (reporter cite, filing, URL as text).")
    confidence = models.CharField(
        max_length=10, choices=CONFIDENCE_CHOICES, default=CONFIRMED,
        help_text="How well the source supports the fact.")

    class Meta:
        abstract = True


def partial_date_fields(label: str):
    """The three columns of a date known to a day, month or year (see module docstring)."""
    return (
        models.DateField(null=True, blank=True, help_text=f"{label}: first day of the known period."),
        models.CharField(max_length=5, choices=PRECISION_CHOICES, default="day",
                         help_text=f"{label}: known to the day, month or year."),
        models.CharField(max_length=200, blank=True,
                         help_text=f"{label} as the source words it, when it says more than a date."),
    )


class DisplayDateMixin:
    """``display_<name>()`` helpers: the original wording or the date at its precision."""

    def partial(self, name: str) -> str:
        text = getattr(self, f"{name}_text", "")
        return text or format_partial(getattr(self, name), getattr(self, f"{name}_precision"))


# --- Case -------------------------------------------------------------------------------------

class Case(DisplayDateMixin, models.Model):
    class Stage(models.TextChoices):
        INTAKE = "intake", "Intake"
        SCREENING = "screening", "Screening"
        INVESTIGATION = "investigation", "Investigation"
        LITIGATION = "litigation", "Litigation"
        CLEMENCY = "clemency", "Clemency"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        EXONERATED = "exonerated", "Exonerated"
        RELEASED = "released", "Released"
        COMMUTED = "commuted", "Sentence commuted"
        PARDONED = "pardoned", "Pardoned"
        RELIEF_DENIED = "relief_denied", "Relief denied"
        DECLINED = "declined", "Declined by the project"
        WITHDRAWN = "withdrawn", "Withdrawn"

    caption = models.CharField(max_length=300, help_text="Case caption, e.g. 'People v. Doe'.")
    jurisdiction = models.CharField(max_length=300, blank=True,
                                    help_text="State or federal system whose judgment is challenged.")
    court = models.CharField(max_length=300, blank=True, help_text="Trial court that entered the judgment.")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.INTAKE,
                             help_text="Where the case is in the project's workflow.")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True,
                               help_text="Final outcome, once there is one.")
    summary = models.TextField(blank=True, help_text="Short summary of the case and the innocence claim.")
    crime_location = models.CharField(max_length=300, blank=True, help_text="Where the crime happened.")
    investigating_agency = models.CharField(max_length=300, blank=True)
    prosecuting_office = models.CharField(max_length=300, blank=True)
    current_status = models.TextField(blank=True, help_text="Where things stand now (sentence, custody, pending matters).")
    opened_on = models.DateField(null=True, blank=True, help_text="Day the project opened the case.")
    closed_on = models.DateField(null=True, blank=True, help_text="Day the project closed the case.")
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, through="CaseMembership", blank=True,
                                  related_name="cases", help_text="Users working on the case.")
    field_sources = models.JSONField(
        default=dict, blank=True,
        help_text="Citation per case field: {field: {source, confidence, note}}.")
    record_gaps = models.JSONField(default=list, blank=True,
                                   help_text="What the record does not show (list of text).")
    external_id = models.CharField(max_length=100, blank=True, db_index=True,
                                   help_text="Identifier in the file this case was imported from.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["caption"]

    def __str__(self):
        return self.caption

    def get_absolute_url(self):
        return reverse("case-detail", args=[self.pk])

    def clean(self):
        if self.opened_on and self.closed_on and self.closed_on < self.opened_on:
            raise ValidationError({"closed_on": "A case cannot close before it opens."})

    @property
    def death_sentence(self) -> bool:
        return any(c.death_sentence for c in self.convictions.all())

    def source_of(self, field: str) -> dict:
        return self.field_sources.get(field, {})


class CaseMembership(models.Model):
    class Role(models.TextChoices):
        ATTORNEY = "attorney", "Attorney"
        INVESTIGATOR = "investigator", "Investigator"
        STUDENT = "student", "Student / volunteer"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.ATTORNEY,
                            help_text="The member's role on this case's team.")

    class Meta:
        unique_together = [("case", "user")]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) on {self.case}"


class DocketNumber(Sourced):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="docket_numbers")
    court = models.CharField(max_length=300, help_text="Court or office that assigned the number.")
    number = models.CharField(max_length=200, help_text="Docket or case number as the court writes it.")

    def __str__(self):
        return f"{self.court}: {self.number}"


# --- People -----------------------------------------------------------------------------------

class Person(models.Model):
    """A person. Private persons are never named: ``name`` stays blank and the role label is shown."""

    name = models.CharField(max_length=200, blank=True,
                            help_text="Name, only for the client and public officials; blank for private persons.")
    is_public = models.BooleanField(default=False,
                                    help_text="Named in the record as the client or a public official.")

    class Meta:
        verbose_name_plural = "people"

    def __str__(self):
        return self.name or f"person #{self.pk}"


#: Role kinds whose person may be named (docs/case-format.md, DESIGN): the convicted person /
#: client and public officials acting officially, counsel and experts acting professionally.
NAMEABLE_ROLE_KINDS = frozenset({"client", "official", "attorney", "expert"})


def may_be_named(kind: str) -> bool:
    """Whether a person in a role of ``kind`` may be public and named (everyone else is a label)."""
    return kind in NAMEABLE_ROLE_KINDS


class Role(models.Model):
    class Kind(models.TextChoices):
        CLIENT = "client", "Client / petitioner"
        CODEFENDANT = "co_defendant", "Co-defendant"
        VICTIM = "victim", "Victim"
        WITNESS = "witness", "Witness"
        INVESTIGATOR = "investigator", "Investigator"
        ATTORNEY = "attorney", "Attorney"
        EXPERT = "expert", "Expert"
        OFFICIAL = "official", "Official"
        ALTERNATE_SUSPECT = "alternate_suspect", "Alternate suspect"
        OTHER = "other", "Other"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="roles")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(max_length=20, choices=Kind.choices, help_text="The person's role in the case.")
    label = models.CharField(max_length=300, help_text="How the record refers to them, e.g. 'victim 1 (adult male, 41)'.")
    description = models.TextField(blank=True)
    facts = models.JSONField(default=list, blank=True,
                             help_text="Sourced facts about the person: [{fact, source, confidence}].")

    class Meta:
        ordering = ["kind", "label"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """Name for public persons, the role label for everyone else."""
        if self.person.is_public and self.person.name:
            return f"{self.person.name} ({self.label})" if self.label and self.label != self.person.name else self.person.name
        return self.label


# --- Conviction, sentence, custody ------------------------------------------------------------

class Conviction(DisplayDateMixin, Sourced):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="convictions")
    defendant = models.ForeignKey(Role, on_delete=models.SET_NULL, null=True, blank=True, related_name="convictions",
                                  help_text="Who was convicted (the client or a co-defendant).")
    court = models.CharField(max_length=300, blank=True, help_text="Court that entered the judgment.")
    offense_date, offense_date_precision, offense_date_text = partial_date_fields("Offence date")
    conviction_date, conviction_date_precision, conviction_date_text = partial_date_fields("Conviction date")
    verdict = models.CharField(max_length=300, blank=True, help_text="Plea or verdict, e.g. 'jury verdict of guilty'.")
    sentence = models.TextField(blank=True, help_text="Sentence as imposed.")
    death_sentence = models.BooleanField(default=False, help_text="A sentence of death was imposed.")
    sentencing_date, sentencing_date_precision, sentencing_date_text = partial_date_fields("Sentencing date")
    sentence_source = models.TextField(blank=True, help_text="Citation for the sentence, where it differs.")

    class Meta:
        ordering = ["conviction_date"]

    def __str__(self):
        return f"Conviction in {self.case} ({self.partial('conviction_date')})"


class Offense(Sourced):
    conviction = models.ForeignKey(Conviction, on_delete=models.CASCADE, related_name="offenses")
    description = models.CharField(max_length=300, help_text="Offence of conviction, e.g. 'first-degree murder'.")
    statute = models.CharField(max_length=200, blank=True, help_text="Statute, e.g. 'Cal. Penal Code § 187'.")
    counts = models.PositiveIntegerField(default=1, help_text="Number of counts.")

    def __str__(self):
        return f"{self.counts} × {self.description}"


class CustodyRecord(DisplayDateMixin, Sourced):
    """Where the convicted person is (or was) held."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="custody_records")
    facility = models.CharField(max_length=300, help_text="Prison or facility.")
    prisoner_number = models.CharField(max_length=50, blank=True, help_text="Prisoner (CDCR, BOP, …) number.")
    start, start_precision, start_text = partial_date_fields("From")
    end, end_precision, end_text = partial_date_fields("To")

    class Meta:
        ordering = ["start"]

    def __str__(self):
        return self.facility


# --- Claims and contributing factors ----------------------------------------------------------

class Claim(Sourced):
    class Ground(models.TextChoices):
        ACTUAL_INNOCENCE = "actual_innocence", "Actual innocence"
        NEW_EVIDENCE = "new_evidence", "Newly discovered evidence"
        DNA = "dna", "DNA evidence"
        BRADY = "brady", "Brady violation (suppressed exculpatory evidence)"
        FALSE_EVIDENCE = "false_evidence", "False or planted evidence"
        IAC = "iac", "Ineffective assistance of counsel"
        OTHER = "other", "Other"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="claims")
    ground = models.CharField(max_length=30, choices=Ground.choices, help_text="Legal ground of the claim.")
    description = models.TextField(help_text="What the claim says, in the team's words.")

    def __str__(self):
        return self.get_ground_display()


class ContributingFactor(Sourced):
    """A contributing factor of a wrongful conviction, in the National Registry of Exonerations taxonomy."""

    class Factor(models.TextChoices):
        MWID = "mwid", "Mistaken witness identification"
        FC = "fc", "False confession"
        PFA = "p_fa", "Perjury or false accusation"
        FMFE = "f_mfe", "False or misleading forensic evidence"
        OM = "om", "Official misconduct"
        ILD = "ild", "Inadequate legal defence"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contributing_factors")
    claim = models.ForeignKey(Claim, on_delete=models.SET_NULL, null=True, blank=True, related_name="factors")
    class Status(models.TextChoices):
        CLAIMED = "claimed", "Claimed (alleged, not found by a court)"
        ESTABLISHED = "established", "Established (found by a court or conceded)"

    factor = models.CharField(max_length=10, choices=Factor.choices, help_text="NRE contributing-factor category.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CLAIMED,
                              help_text="Whether the factor is only claimed or has been established.")
    description = models.TextField(blank=True, help_text="How the factor appears in this case.")

    def __str__(self):
        return self.get_factor_display()


# --- Evidence and chain of custody ------------------------------------------------------------

class EvidenceItem(DisplayDateMixin, Sourced):
    class Kind(models.TextChoices):
        BIOLOGICAL = "biological", "Biological stain / swab"
        HAIR = "hair", "Hair"
        CLOTHING = "clothing", "Clothing / textile"
        WEAPON = "weapon", "Weapon"
        CIGARETTE = "cigarette", "Cigarette butt"
        FINGERNAIL = "fingernail", "Fingernail scrapings / clippings"
        REFERENCE = "reference", "Reference sample"
        IMPRESSION = "impression", "Print / impression"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        IN_CUSTODY = "in_custody", "In custody"
        CONSUMED = "consumed", "Consumed by testing"
        DESTROYED = "destroyed", "Destroyed"
        MISSING = "missing", "Missing"
        UNKNOWN = "unknown", "Unknown"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence_items")
    item_number = models.CharField(max_length=50, help_text="Item number as labelled in the case, e.g. 'A-41'.")
    description = models.TextField(help_text="What the item is.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    collected_on, collected_on_precision, collected_on_text = partial_date_fields("Collected on")
    collected_at = models.CharField(max_length=300, blank=True, help_text="Where it was collected.")
    collected_by = models.CharField(max_length=300, blank=True, help_text="Agency or role that collected it.")
    collection_source = models.TextField(blank=True,
                                         help_text="Citation for the collection facts (when, where, by whom).")
    collection_confidence = models.CharField(max_length=10, choices=CONFIDENCE_CHOICES, default=CONFIRMED,
                                             help_text="How well the source supports the collection facts.")
    current_custodian = models.CharField(max_length=300, blank=True, help_text="Who holds it now.")
    current_location = models.CharField(max_length=300, blank=True, help_text="Where it is now.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNKNOWN)
    testing_summary = models.TextField(blank=True, help_text="What testing has been done and found, in brief.")
    external_id = models.CharField(max_length=100, blank=True, help_text="Identifier in the imported file.")

    class Meta:
        ordering = ["item_number"]
        unique_together = [("case", "item_number")]

    def __str__(self):
        return f"{self.item_number}: {self.description[:60]}"

    def get_absolute_url(self):
        return reverse("evidence-detail", args=[self.case_id, self.pk])


class AppendOnlyError(Exception):
    """Raised on an attempt to change or delete an append-only record."""


class CustodyEvent(DisplayDateMixin, Sourced):
    """One link of an evidence item's chain of custody.

    Append-only and tamper-evident: each event stores the SHA-256 of its content and of the
    previous event of the same item (``previous_hash``); ``save`` refuses an update and
    ``delete`` refuses always. :func:`verify_chain` recomputes the chain.
    """

    class Seal(models.TextChoices):
        INTACT = "intact", "Sealed, intact"
        BROKEN = "broken", "Seal broken"
        RESEALED = "resealed", "Resealed"
        UNSEALED = "unsealed", "Not sealed"
        NOT_RECORDED = "not_recorded", "Not recorded"

    evidence_item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="custody_events")
    sequence = models.PositiveIntegerField(editable=False, help_text="Position in the item's chain, from 1.")
    occurred, occurred_precision, occurred_text = partial_date_fields("When")
    from_party = models.CharField(max_length=300, blank=True, help_text="Who released the item.")
    to_party = models.CharField(max_length=300, blank=True, help_text="Who received the item.")
    purpose = models.CharField(max_length=300, blank=True, help_text="Why it moved (testing, storage, court…).")
    seal_condition = models.CharField(max_length=20, choices=Seal.choices, default=Seal.NOT_RECORDED)
    description = models.TextField(blank=True, help_text="What happened, as recorded.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", help_text="User who entered the event.")
    recorded_at = models.DateTimeField(auto_now_add=True)
    previous_hash = models.CharField(max_length=64, editable=False, blank=True)
    hash = models.CharField(max_length=64, editable=False, blank=True)

    class Meta:
        ordering = ["evidence_item", "sequence"]
        unique_together = [("evidence_item", "sequence")]

    def __str__(self):
        return f"{self.evidence_item.item_number} #{self.sequence}: {self.description[:60] or self.purpose}"

    def content(self) -> dict:
        """The fields the hash covers, as JSON-ready values."""
        return {
            "evidence_item": self.evidence_item_id, "sequence": self.sequence,
            "occurred": self.occurred.isoformat() if self.occurred else None,
            "occurred_precision": self.occurred_precision, "occurred_text": self.occurred_text,
            "from_party": self.from_party, "to_party": self.to_party, "purpose": self.purpose,
            "seal_condition": self.seal_condition, "description": self.description,
            "source": self.source, "confidence": self.confidence,
            "recorded_by": self.recorded_by_id,
        }

    def compute_hash(self) -> str:
        payload = json.dumps(self.content(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256((self.previous_hash + payload).encode()).hexdigest()

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("custody events are append-only; record a new event instead")
        last = (CustodyEvent.objects.filter(evidence_item_id=self.evidence_item_id)
                .order_by("-sequence").first())
        self.sequence = (last.sequence + 1) if last else 1
        self.previous_hash = last.hash if last else ""
        self.hash = self.compute_hash()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("custody events are append-only and cannot be deleted")


def hash_chain_problems(records, *, where, gap) -> list[str]:
    """Problems of a hash chain, as text (empty when intact).

    ``records``: in ``sequence`` order, each with ``sequence`` (from 1), ``previous_hash``,
    ``hash`` and ``compute_hash()``. Reported: a gap in the sequence (``gap(expected, found)``
    words it: a deleted record), a ``previous_hash`` that is not the previous record's hash,
    and a ``hash`` that no longer matches the content (``where(record)`` names the record).
    Used for custody chains and the audit log.
    """
    problems, previous, expected = [], "", 1
    for record in records:
        if record.sequence != expected:
            problems.append(gap(expected, record.sequence))
        if record.previous_hash != previous:
            problems.append(f"{where(record)}: previous-hash link broken")
        if record.compute_hash() != record.hash:
            problems.append(f"{where(record)}: content changed after it was recorded")
        previous, expected = record.hash, record.sequence + 1
    return problems


def verify_chain(item: EvidenceItem) -> list[str]:
    """Recompute an item's custody chain; return a list of problems (empty when intact)."""
    n = item.item_number
    return hash_chain_problems(item.custody_events.order_by("sequence"),
                               where=lambda ev: f"{n} #{ev.sequence}",
                               gap=lambda expected, found: f"{n}: event #{expected} missing (found #{found})")


# --- Lab work ---------------------------------------------------------------------------------

class LabRequest(DisplayDateMixin, Sourced):
    class TestKind(models.TextChoices):
        STR = "str", "Autosomal STR"
        YSTR = "y_str", "Y-STR"
        MTDNA = "mtdna", "Mitochondrial DNA"
        SEROLOGY = "serology", "Serology / enzyme typing"
        CHEMICAL = "chemical", "Chemical (e.g. EDTA)"
        OTHER = "other", "Other"

    class OrderedBy(models.TextChoices):
        COURT = "court", "Court"
        GOVERNOR = "governor", "Governor"
        PROSECUTION = "prosecution", "Prosecution"
        DEFENCE = "defence", "Defence"
        AGENCY = "agency", "Investigating agency"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        DENIED = "denied", "Denied"
        UNKNOWN = "unknown", "Unknown"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="lab_requests")
    reference = models.CharField(max_length=100, blank=True, help_text="Lab or project reference for the request.")
    items = models.ManyToManyField(EvidenceItem, blank=True, related_name="lab_requests",
                                   help_text="Evidence items to be tested.")
    laboratory = models.CharField(max_length=300, blank=True)
    test_kind = models.CharField(max_length=20, choices=TestKind.choices, default=TestKind.STR)
    method = models.CharField(max_length=300, blank=True, help_text="Method or kit, e.g. 'GlobalFiler'.")
    ordered_by = models.CharField(max_length=20, choices=OrderedBy.choices, default=OrderedBy.DEFENCE,
                                  help_text="Who ordered the test.")
    ordered_by_detail = models.CharField(max_length=300, blank=True,
                                         help_text="The court, office or person that ordered it.")
    requested_on, requested_on_precision, requested_on_text = partial_date_fields("Requested on")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)

    class Meta:
        ordering = ["requested_on", "pk"]

    def __str__(self):
        return f"{self.get_test_kind_display()} — {self.laboratory or 'lab not recorded'} ({self.partial('requested_on')})"


class LabResult(DisplayDateMixin, Sourced):
    class Finding(models.TextChoices):
        INCLUSION = "inclusion", "Inclusion / match"
        EXCLUSION = "exclusion", "Exclusion"
        INCONCLUSIVE = "inconclusive", "Inconclusive"
        NO_RESULT = "no_result", "No result"
        DISPUTED = "disputed", "Disputed"
        OTHER = "other", "Other"

    request = models.ForeignKey(LabRequest, on_delete=models.CASCADE, related_name="results")
    report_date, report_date_precision, report_date_text = partial_date_fields("Report date")
    finding = models.CharField(max_length=20, choices=Finding.choices, default=Finding.OTHER)
    conclusion = models.TextField(help_text="What the report concludes.")
    report_file = models.FileField(upload_to="lab_reports/%Y/", blank=True,
                                   help_text="The lab report, as received.")

    class Meta:
        ordering = ["report_date", "pk"]

    def __str__(self):
        return f"Result of {self.request}: {self.get_finding_display()}"


class STRProfile(models.Model):
    """An STR profile reported in a lab result: an evidence profile or a reference profile.

    ``loci`` is ``{locus: [allele, ...]}`` in CODIS spelling; ``heights`` the matching peak
    heights in RFU where the lab reported them.
    """

    class Kind(models.TextChoices):
        EVIDENCE = "evidence", "Evidence profile"
        REFERENCE = "reference", "Reference profile"

    lab_result = models.ForeignKey(LabResult, on_delete=models.CASCADE, related_name="profiles")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sample_name = models.CharField(max_length=200, help_text="Sample name as in the lab file.")
    evidence_item = models.ForeignKey(EvidenceItem, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="profiles", help_text="Item the evidence profile came from.")
    person_role = models.ForeignKey(Role, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="profiles", help_text="Whose reference profile this is.")
    loci = models.JSONField(help_text="{locus: [allele, …]} in CODIS/STRBase spelling.")
    heights = models.JSONField(default=dict, blank=True, help_text="{locus: [RFU, …]} aligned with the alleles.")
    source_format = models.CharField(max_length=40, blank=True, help_text="Format of the uploaded file.")
    is_mixture = models.BooleanField(default=False, help_text="More than one contributor is apparent.")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.get_kind_display()} {self.sample_name}"


# --- Decisions, timeline, notes, tasks --------------------------------------------------------

class Decision(DisplayDateMixin, Sourced):
    """A court decision or an executive action (order, clemency decision, moratorium)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    decided, decided_precision, decided_text = partial_date_fields("Date")
    body = models.CharField(max_length=300, help_text="Court, governor or office that acted.")
    kind = models.CharField(max_length=100, blank=True, help_text="Verdict, opinion, order, executive order…")
    outcome = models.TextField(blank=True)
    citation = models.CharField(max_length=300, blank=True, help_text="Reporter citation or order number.")
    external_id = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["decided", "pk"]

    def __str__(self):
        return f"{self.partial('decided')} {self.body}: {self.kind}"


class TimelineEvent(DisplayDateMixin, Sourced):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline_events")
    date, date_precision, date_text = partial_date_fields("Date")
    what = models.TextField(help_text="What happened.")
    evidence_item = models.ForeignKey(EvidenceItem, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="timeline_events")

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.partial('date')}: {self.what[:80]}"


class Note(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    text = models.TextField()
    privileged = models.BooleanField(default=False,
                                     help_text="Attorney–client privileged or attorney work product.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.text[:80]


class Task(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=300)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="tasks")
    due_on = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done", "due_on", "pk"]

    def __str__(self):
        return self.title
