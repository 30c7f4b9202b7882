"""Documents of a case: the stored file, its pages of text, and what was extracted from them.

The file itself lives in the content-addressed blob store (:mod:`habeas.documents.storage`);
``Document.sha256`` names it. Page text is indexed for full-text search by the database:
an FTS5 table (SQLite) or a generated ``tsvector`` column with a GIN index (PostgreSQL),
both made by migration 0002 (see :mod:`habeas.documents.search`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from habeas.cases.partial_dates import PRECISION_CHOICES, format_partial


class Document(models.Model):
    class Kind(models.TextChoices):
        TRANSCRIPT = "transcript", "Transcript"
        POLICE_REPORT = "police_report", "Police report"
        LAB_REPORT = "lab_report", "Lab report"
        COURT_OPINION = "court_opinion", "Court opinion"
        CORRESPONDENCE = "correspondence", "Correspondence"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued for extraction"
        PROCESSING = "processing", "Extracting text"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=300, help_text="Short title; defaults to the file name.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    date = models.DateField(null=True, blank=True, help_text="Date of the document (filed, written, reported).")
    author = models.CharField(max_length=300, blank=True, help_text="Court, agency, lab or writer.")
    bates_start = models.CharField(max_length=50, blank=True, help_text="First Bates number, e.g. 'SBSD-000123'.")
    bates_end = models.CharField(max_length=50, blank=True, help_text="Last Bates number.")
    citation = models.CharField(max_length=200, blank=True,
                                help_text="Reporter citation of this document when it is an opinion, e.g. '255 F.3d 1104'.")
    privileged = models.BooleanField(
        default=False, help_text="Attorney–client privileged or attorney work product: shown only to the "
                                 "attorneys on the case and administrators.")
    original_filename = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of the stored file.")
    size = models.BigIntegerField(help_text="Bytes.")
    file_type = models.CharField(max_length=10, blank=True, help_text="Type by content: pdf, docx, txt, png, jpeg, tiff.")
    mime_type = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True)
    error = models.TextField(blank=True, help_text="Why extraction failed (shown on the document).")
    warnings = models.JSONField(default=list, blank=True, help_text="Problems that did not stop extraction.")
    page_count = models.PositiveIntegerField(default=0)
    ocr_pages = models.PositiveIntegerField(default=0, help_text="Pages whose text came from OCR.")
    job = models.ForeignKey("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                            help_text="The latest extraction job.")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    extracted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "date", "title", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "sha256"], name="documents_unique_file_per_case")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("documents:detail", args=[self.pk])

    @property
    def bates(self) -> str:
        if self.bates_start and self.bates_end and self.bates_end != self.bates_start:
            return f"{self.bates_start}–{self.bates_end}"
        return self.bates_start or self.bates_end

    @property
    def blob_path(self):
        from habeas.documents.storage import blob_path

        return blob_path(self.sha256)

    @property
    def renderable(self) -> bool:
        return self.file_type in ("pdf", "png", "jpeg", "tiff")


class Page(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField(help_text="Page number, from 1.")
    text = models.TextField(blank=True)
    ocr = models.BooleanField(default=False, help_text="Text came from OCR.")
    ocr_confidence = models.FloatField(null=True, blank=True, help_text="Mean Tesseract word confidence, 0..100.")

    class Meta:
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="documents_unique_page")]
        # search joins each full-text match to its document and page number: this narrow index
        # answers that without reading the (wide) page row
        indexes = [models.Index(fields=["id", "document", "number"], name="documents_page_cover_nr")]

    def __str__(self):
        return f"{self.document} p. {self.number}"


class Citation(models.Model):
    """A legal citation found by eyecite on a page."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="citations")
    page = models.PositiveIntegerField()
    text = models.CharField(max_length=300, help_text="The citation as matched in the text.")
    normalized = models.CharField(max_length=300, help_text="Corrected citation, e.g. '255 F.3d 1104'.")
    kind = models.CharField(max_length=40, help_text="eyecite class: FullCaseCitation, FullLawCitation, …")
    volume = models.CharField(max_length=20, blank=True)
    reporter = models.CharField(max_length=50, blank=True)
    first_page = models.CharField(max_length=20, blank=True)
    pin_cite = models.CharField(max_length=50, blank=True)
    year = models.CharField(max_length=10, blank=True)
    case_name = models.CharField(max_length=300, blank=True, help_text="Plaintiff v. defendant, where eyecite found them.")
    target = models.ForeignKey(Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="cited_by",
                               help_text="The document of this case that the citation names.")

    class Meta:
        ordering = ["document", "page", "pk"]

    def __str__(self):
        return self.normalized

    @property
    def external_url(self) -> str:
        """CourtListener's citation look-up for a case citation; blank for statutes and short forms."""
        if self.kind == "FullCaseCitation" and self.volume and self.reporter and self.first_page:
            from urllib.parse import quote

            return (f"https://www.courtlistener.com/c/{quote(self.reporter)}/{quote(self.volume)}/"
                    f"{quote(self.first_page)}/")
        return ""


class Mention(models.Model):
    """A mention, on a page, of one of the case's evidence items or people."""

    class Kind(models.TextChoices):
        EVIDENCE = "evidence", "Evidence item"
        PERSON = "person", "Person"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="mentions")
    page = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    evidence_item = models.ForeignKey("cases.EvidenceItem", on_delete=models.CASCADE, null=True, blank=True,
                                      related_name="document_mentions")
    role = models.ForeignKey("cases.Role", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="document_mentions")
    matched = models.CharField(max_length=200, help_text="The words matched in the text.")
    context = models.TextField(blank=True, help_text="The sentence around the mention.")

    class Meta:
        ordering = ["document", "page", "pk"]

    def __str__(self):
        return f"{self.label} (p. {self.page})"

    @property
    def label(self) -> str:
        if self.evidence_item_id:
            return f"Item {self.evidence_item.item_number}"
        if self.role_id:
            return self.role.display_name  # never a private person's name
        return self.matched


class ProposedEvent(models.Model):
    """A timeline event proposed from a date in a document; a user accepts or rejects it.

    Accepting creates a :class:`~habeas.cases.models.TimelineEvent` whose ``source`` cites the
    document and page; ``timeline_event`` keeps the link.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="proposed_events")
    page = models.PositiveIntegerField()
    date = models.DateField()
    date_precision = models.CharField(max_length=5, choices=PRECISION_CHOICES, default="day")
    date_text = models.CharField(max_length=100, help_text="The date as the document words it.")
    what = models.TextField(help_text="The sentence that carries the date.")
    evidence_item = models.ForeignKey("cases.EvidenceItem", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", help_text="An evidence item the sentence mentions.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED, db_index=True)
    timeline_event = models.OneToOneField("cases.TimelineEvent", on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="document_proposal")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "document", "page", "pk"]

    def __str__(self):
        return f"{self.display_date}: {self.what[:80]}"

    @property
    def display_date(self) -> str:
        return format_partial(self.date, self.date_precision)

    def source_text(self) -> str:
        d = self.document
        if d.privileged:  # the timeline is seen by the whole team: name no privileged title
            return f"privileged document #{d.pk}, p. {self.page}"
        cite = f", {d.citation}" if d.citation else ""
        bates = f", Bates {d.bates}" if d.bates else ""
        return f"{d.title}{cite}, p. {self.page}{bates} (document #{d.pk})"
