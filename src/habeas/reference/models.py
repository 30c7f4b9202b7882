"""Reference data: the public record of exonerations and of executions.

Every record belongs to a :class:`Dataset` — one edition of one publisher's file (the NRE public
spreadsheet of 2018, the NRE table of May 2024, the DPIC execution database of February 2019…) —
and was written by an :class:`ImportBatch`, which keeps the file name, its SHA-256, the
registry URL (as text) and the retrieval date. Editions are kept apart, never merged: the NRE
editions overlap (the same exoneration appears in both) and carry no common identifier, so
analytics work on one edition at a time (the newest by default) and never double-count.

Natural keys: ``(dataset, key)``; ``key`` is the NRE ID where the file has one, else a digest of
the fields that identify the record (see :mod:`habeas.reference.importer`). Re-importing a file
updates records in place.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

EXONERATIONS, EXECUTIONS = "exonerations", "executions"
KIND_CHOICES = [(EXONERATIONS, "Exonerations"), (EXECUTIONS, "Executions")]

# NRE contributing-factor codes, in the order the registry lists them; field name, label.
FACTORS = [
    ("mwid", "MWID", "Mistaken witness identification"),
    ("fc", "FC", "False confession"),
    ("p_fa", "P/FA", "Perjury or false accusation"),
    ("f_mfe", "F/MFE", "False or misleading forensic evidence"),
    ("om", "OM", "Official misconduct"),
    ("ild", "ILD", "Inadequate legal defence"),
]
FACTOR_LABELS = {code: label for code, _, label in FACTORS}
FACTOR_ABBR = {code: abbr for code, abbr, _ in FACTORS}


class Dataset(models.Model):
    """One edition of one publisher's file (e.g. the NRE public spreadsheet as of 2024-01-16)."""

    slug = models.SlugField(max_length=80, unique=True, help_text="Format and as-of date, e.g. 'nre-csv-2024-01-16'.")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    format = models.CharField(max_length=40, help_text="File layout the importer recognised.")
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=300)
    registry_url = models.CharField(max_length=500, blank=True, help_text="Where the file is published (text).")
    terms = models.TextField(blank=True, help_text="Terms of use as the publisher states them.")
    as_of = models.DateField(null=True, blank=True,
                             help_text="Latest posting or event date in the file: what the edition covers.")
    record_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["kind", "-as_of", "slug"]

    def __str__(self):
        return self.title


class ImportBatch(models.Model):
    """One run of the importer over one file."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="batches")
    file_name = models.CharField(max_length=500, help_text="Name of the imported file (no directory).")
    sha256 = models.CharField(max_length=64)
    source_url = models.CharField(max_length=500, blank=True, help_text="Where the user downloaded the file (text).")
    retrieved_on = models.DateField(help_text="Day the file was retrieved from its publisher.")
    retrieved_note = models.CharField(max_length=300, blank=True,
                                      help_text="How the retrieval date was established.")
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    rows_read = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    rejections = models.JSONField(default=list, blank=True, help_text="[{row, reason}] for rejected rows.")

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name_plural = "import batches"

    def __str__(self):
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d})"


class Exoneration(models.Model):
    """One exoneration as the National Registry of Exonerations lists it."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="exonerations")
    batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="exonerations", help_text="Import that last wrote the record.")
    key = models.CharField(max_length=64, help_text="Natural key within the dataset.")
    row = models.PositiveIntegerField(help_text="Row in the source file (header = row 1).")
    nre_id = models.PositiveIntegerField(null=True, blank=True, help_text="NRE case ID, where the file has it.")
    last_name = models.CharField(max_length=200, blank=True)
    first_name = models.CharField(max_length=200, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Age at the time of the crime.")
    race = models.CharField(max_length=50, blank=True)
    sex = models.CharField(max_length=20, blank=True)
    state = models.CharField(max_length=50, blank=True, db_index=True,
                             help_text="State, or 'Fed-XX' for a federal case in district XX.")
    county = models.CharField(max_length=100, blank=True)
    federal = models.BooleanField(default=False)
    tags = models.CharField(max_length=200, blank=True, help_text="NRE tags, ';'-separated (CV, IO, SA, CIU…).")
    om_tags = models.CharField(max_length=200, blank=True, help_text="Official-misconduct tags, ';'-separated.")
    worst_crime = models.CharField(max_length=100, blank=True, db_index=True)
    additional_crimes = models.CharField(max_length=500, blank=True)
    sentence = models.CharField(max_length=200, blank=True)
    death_sentence = models.BooleanField(default=False)
    mwid = models.BooleanField(default=False, verbose_name="MWID")
    fc = models.BooleanField(default=False, verbose_name="FC")
    p_fa = models.BooleanField(default=False, verbose_name="P/FA")
    f_mfe = models.BooleanField(default=False, verbose_name="F/MFE")
    om = models.BooleanField(default=False, verbose_name="OM")
    ild = models.BooleanField(default=False, verbose_name="ILD")
    dna = models.BooleanField(default=False, verbose_name="DNA", help_text="DNA evidence contributed to the exoneration.")
    dna_partly = models.BooleanField(default=False, help_text="'*' in older exports: DNA was only partly relevant.")
    crime_year = models.PositiveSmallIntegerField(null=True, blank=True)
    conviction_year = models.PositiveSmallIntegerField(null=True, blank=True)
    exoneration_year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    release_year = models.PositiveSmallIntegerField(null=True, blank=True)
    conviction_date = models.DateField(null=True, blank=True)
    exoneration_date = models.DateField(null=True, blank=True)
    release_date = models.DateField(null=True, blank=True)
    posting_date = models.DateField(null=True, blank=True, help_text="Day the NRE posted the case.")
    years_to_exoneration = models.FloatField(
        null=True, blank=True,
        help_text="Years from (first) conviction to exoneration: from the dates where the file has them, "
                  "else the difference of the years.")

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["dataset", "key"], name="reference_exoneration_key")]
        indexes = [models.Index(fields=["dataset", "exoneration_year"])]

    def __str__(self):
        return f"{self.first_name} {self.last_name} ({self.state}, {self.exoneration_year or '?'})".strip()

    def get_absolute_url(self):
        return reverse("reference:exoneration-detail", args=[self.pk])

    @property
    def factor_codes(self) -> list[str]:
        return [code for code, _, _ in FACTORS if getattr(self, code)]

    @property
    def factor_abbrs(self) -> list[str]:
        return [FACTOR_ABBR[c] for c in self.factor_codes]


class Execution(models.Model):
    """One execution as the Death Penalty Information Center (or TDCJ) lists it."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="executions")
    batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="executions", help_text="Import that last wrote the record.")
    key = models.CharField(max_length=64)
    row = models.PositiveIntegerField()
    date = models.DateField()
    year = models.PositiveSmallIntegerField(db_index=True)
    name = models.CharField(max_length=200)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=10, blank=True)
    race = models.CharField(max_length=50, blank=True)
    victims = models.CharField(max_length=300, blank=True, help_text="Number / race / sex of victims as listed.")
    state = models.CharField(max_length=10, db_index=True, help_text="Two-letter code; 'US' for federal where given.")
    region = models.CharField(max_length=10, blank=True)
    method = models.CharField(max_length=50, blank=True)
    juvenile = models.BooleanField(default=False)
    federal = models.BooleanField(default=False)
    volunteer = models.BooleanField(default=False)
    foreign_national = models.BooleanField(default=False)
    county = models.CharField(max_length=100, blank=True)
    state_sequence = models.PositiveIntegerField(null=True, blank=True,
                                                 help_text="The state's own execution number (Texas file).")
    link = models.CharField(max_length=500, blank=True, help_text="Page of the state's record (text).")
    last_statement = models.TextField(blank=True)

    class Meta:
        ordering = ["-date", "name"]
        constraints = [models.UniqueConstraint(fields=["dataset", "key"], name="reference_execution_key")]
        indexes = [models.Index(fields=["dataset", "year"])]

    def __str__(self):
        return f"{self.name} ({self.state}, {self.date})"

    def get_absolute_url(self):
        return reverse("reference:execution-detail", args=[self.pk])


class ChartCache(models.Model):
    """A rendered chart (SVG) of a dataset's unfiltered data; key ``<dataset slug>:<topic>:<section>``.
    The importer deletes a dataset's charts when its records or source facts change."""

    key = models.CharField(max_length=200, unique=True)
    svg = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
