"""Adding documents to a case and extracting them.

:func:`add_file` stores a file (content-addressed), records the :class:`Document` and queues
its extraction as a background job; :func:`extract_document` is that job: page text (text
layer or OCR), citations, dates → proposed timeline events, mentions. A bad file never stops a
batch: it is stored, and its document is marked *failed* with the reason.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from habeas.documents import analyze, extract, sniff, storage
from habeas.documents.models import Citation, Document, Mention, Page, ProposedEvent
from habeas.jobs.api import enqueue, report_progress

log = logging.getLogger("habeas.documents")

EXTRACT_FUNC = "habeas.documents.ingest.extract_job"


@dataclass
class AddResult:
    document: Document | None
    created: bool
    message: str  # one line for the user

    @property
    def duplicate(self) -> bool:
        return self.document is not None and not self.created


MAX_NAME = 255
_MARKUP = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<iframe", b"<body", b"<head")


def safe_name(name: str | None) -> str:
    """The last component of an uploaded file's name, without control characters (NUL…) or
    path separators, at most 255 characters (the extension kept): safe to store and show."""
    name = str(name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".")
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        ext = ext[:16] if dot else ""
        name = (stem if dot else name)[:MAX_NAME - len(ext) - 1] + ("." + ext if ext else "")
    return name or "upload"


def refuse_hostile(path: Path, name: str) -> None:
    """Refuse (``storage.Refused``) a file habeas should not keep from a web or API upload: content
    of a type it does not read (an executable, an archive…) whatever its name, and markup (HTML,
    SVG, XML: a page a browser would run) even when named ``.pdf`` or ``.txt``."""
    found = sniff.sniff(path, name)
    if found.file_type is None and found.error:
        raise storage.Refused(f"{name}: refused — {found.error}")
    if found.file_type == "txt":
        with open(path, "rb") as f:
            head = f.read(4096).lstrip().lower()
        if head.startswith(_MARKUP) or b"<script" in head:
            raise storage.Refused(f"{name}: refused — the content is HTML or other markup, not a document "
                                  f"habeas reads (PDF, DOCX, plain text, PNG, JPEG or TIFF)")


def add_file(case, source, *, name: str | None = None, kind: str = Document.Kind.OTHER, title: str = "",
             date: dt.date | None = None, author: str = "", bates_start: str = "", bates_end: str = "",
             citation: str = "", user=None, queue: bool = True, privileged: bool = False,
             refuse: bool = False) -> AddResult:
    """Store ``source`` (a path, or an uploaded file with ``.name``) in ``case``.

    Returns the new document (``created``), the existing one when the same file is already in
    the case (a duplicate: nothing is stored twice), or ``document=None`` when the file is over
    the size limit. With ``queue`` the extraction job is queued; run it with
    :func:`habeas.jobs.worker.run_pending` or let a worker pick it up. With ``refuse`` (web and API
    uploads) a file of a type habeas does not read, or markup, is not stored at all
    (:func:`refuse_hostile`; ``document=None``); without it (a batch import) it is kept as a failed
    document with the reason.
    """
    name = safe_name(name or getattr(source, "name", None) or str(source))
    try:
        sha, size, path = storage.store(source, check=(lambda p: refuse_hostile(p, name)) if refuse else None)
    except storage.TooLarge as exc:
        return AddResult(None, False, f"{name}: not stored — {exc}")
    except storage.Refused as exc:
        return AddResult(None, False, str(exc))
    existing = Document.objects.filter(case=case, sha256=sha).first()
    if existing is not None:
        return AddResult(existing, False,
                         f"{name}: duplicate — the same file is already in this case as "
                         f"'{existing.title}' (document #{existing.pk}); no second copy was stored")
    found = sniff.sniff(path, name)
    doc = Document(
        case=case, title=(title or Path(name).stem)[:300], kind=kind or Document.Kind.OTHER, date=date,
        author=author, bates_start=bates_start, bates_end=bates_end, citation=citation,
        original_filename=name[:300], sha256=sha, size=size, file_type=found.file_type or "",
        mime_type=found.mime_type, uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        privileged=privileged,
        warnings=[found.warning] if found.warning else [],
    )
    if size == 0:
        doc.status, doc.error = Document.Status.FAILED, "empty file (0 bytes)"
    elif found.error:
        doc.status, doc.error = Document.Status.FAILED, found.error
    try:
        # the row and its extraction job in one transaction: a process killed in between leaves
        # neither (the blob, already complete under its hash, is merely unreferenced)
        with transaction.atomic():
            doc.save()
            if queue and doc.status != Document.Status.FAILED:
                queue_extraction(doc, user=user)
    except Exception:  # a concurrent upload of the same file won the race
        existing = Document.objects.filter(case=case, sha256=sha).first()
        if existing is None:
            raise
        return AddResult(existing, False, f"{name}: duplicate of document #{existing.pk}")
    if doc.status == Document.Status.FAILED:
        return AddResult(doc, True, f"{name}: stored, but it cannot be read — {doc.error}")
    msg = f"{name}: added as document #{doc.pk}"
    if found.warning:
        msg += f" ({found.warning})"
    return AddResult(doc, True, msg)


def queue_extraction(doc: Document, *, user=None):
    job = enqueue("documents.extract", EXTRACT_FUNC, case=doc.case, user=user, document_id=doc.pk)
    Document.objects.filter(pk=doc.pk).update(job=job, status=Document.Status.QUEUED, error="")
    doc.job, doc.status, doc.error = job, Document.Status.QUEUED, ""
    return job


def extract_job(job, document_id: int) -> dict:
    """Background job: extract one document, reporting progress per page."""
    doc = Document.objects.select_related("case").get(pk=document_id)

    def progress(fraction, message):
        report_progress(job, fraction, message)

    extract_document(doc, progress=progress)
    if doc.status == Document.Status.FAILED:
        report_progress(job, 1.0, f"failed: {doc.error}")
    else:
        report_progress(job, 1.0, f"{doc.page_count} pages" + (f", {doc.ocr_pages} by OCR" if doc.ocr_pages else ""))
    return {"document": doc.pk, "status": doc.status, "pages": doc.page_count, "ocr_pages": doc.ocr_pages,
            "error": doc.error}


def extract_document(doc: Document, *, progress=None, ocr: bool = True, analyze_pages: bool = True) -> Document:
    """(Re-)extract ``doc``: replace its pages and findings. Failures end on the document.

    Two phases: (1) page text (text layer or OCR) is stored and indexed — the document is then
    *ready* and searchable; (2) citations, dates and mentions are found (:func:`analyze_document`).
    """
    progress = progress or (lambda f, m: None)
    share = 0.6 if analyze_pages else 1.0  # part of the progress bar for phase 1
    Document.objects.filter(pk=doc.pk).update(status=Document.Status.PROCESSING, error="")
    doc.status = Document.Status.PROCESSING
    path = doc.blob_path
    pages_done = 0
    try:
        if not path.exists():
            raise extract.ExtractionError("the stored file is missing from the blob store")
        total = extract.count_pages(path, doc.file_type)
        with transaction.atomic():
            Page.objects.filter(document=doc).delete()
        batch: list = []
        last_report = 0.0
        for page in extract.read(path, doc.file_type, ocr=ocr):
            pages_done += 1
            batch.append(page)
            if len(batch) >= 200 or page.ocr:
                _store_pages(doc, batch)
                batch = []
            now = time.monotonic()
            if page.ocr or now - last_report > 0.3:
                last_report = now
                how = "OCR" if page.ocr else "text layer"
                progress(share * (pages_done / total if total else 0.5),
                         f"reading page {pages_done}{f' of {total}' if total else ''} ({how})")
        _store_pages(doc, batch)
        if pages_done == 0:
            raise extract.ExtractionError("no pages")
        doc.status, doc.error = Document.Status.READY, ""
    except extract.ExtractionError as exc:
        doc.status, doc.error = Document.Status.FAILED, str(exc)
        if pages_done:
            doc.error += f" (after page {pages_done}; the pages before it are kept)"
    except Exception as exc:  # noqa: BLE001 — any failure ends on the document, not in a crash
        log.exception("extraction of document %s failed", doc.pk)
        doc.status, doc.error = Document.Status.FAILED, f"could not read the file: {type(exc).__name__}: {exc}"
    doc.page_count = Page.objects.filter(document=doc).count()
    doc.ocr_pages = Page.objects.filter(document=doc, ocr=True).count()
    if doc.status == Document.Status.READY and doc.ocr_pages and not Page.objects.filter(
            document=doc).exclude(text="").exists():
        doc.warnings = list(doc.warnings) + ["OCR found no text on any page"]
    doc.extracted_at = timezone.now()
    Document.objects.filter(pk=doc.pk).update(status=doc.status, error=doc.error, page_count=doc.page_count,
                                              ocr_pages=doc.ocr_pages, extracted_at=doc.extracted_at,
                                              warnings=doc.warnings)
    if analyze_pages and doc.page_count:
        analyze_document(doc, progress=lambda f, m: progress(share + (1 - share) * f, m))
    return doc


def _store_pages(doc, pages):
    if pages:
        Page.objects.bulk_create([Page(document=doc, number=p.number, text=p.text, ocr=p.ocr,
                                       ocr_confidence=p.ocr_confidence) for p in pages])


def analyze_document(doc: Document, *, progress=None, batch_size: int = 100) -> dict:
    """Find citations, dates (→ proposed timeline events) and mentions in the stored pages of
    ``doc``, replacing earlier findings; accepted and rejected proposals are kept."""
    progress = progress or (lambda f, m: None)
    with transaction.atomic():
        Citation.objects.filter(document=doc).delete()
        Mention.objects.filter(document=doc).delete()
        ProposedEvent.objects.filter(document=doc, status=ProposedEvent.Status.PROPOSED).delete()
    matchers = analyze.build_matchers(doc.case)
    targets = {d.citation.replace(" ", ""): d.pk for d in
               Document.objects.filter(case=doc.case).exclude(citation="").only("citation")}
    kept = {(e.date, e.what) for e in ProposedEvent.objects.filter(document=doc)}
    total = Page.objects.filter(document=doc).count()
    done, counts = 0, {"citations": 0, "mentions": 0, "events": 0}
    last = 0.0
    numbers = list(Page.objects.filter(document=doc).order_by("number").values_list("number", flat=True))
    for i in range(0, len(numbers), batch_size):
        pages = list(Page.objects.filter(document=doc, number__in=numbers[i:i + batch_size]).order_by("number"))
        citations, mentions, events = [], [], []
        for p in pages:
            for c in analyze.find_citations(p.text):
                citations.append(Citation(
                    document=doc, page=p.number, text=c.text, normalized=c.normalized, kind=c.kind,
                    volume=c.volume, reporter=c.reporter, first_page=c.first_page, pin_cite=c.pin_cite,
                    year=c.year, case_name=c.case_name,
                    target_id=targets.get(c.normalized.replace(" ", "")) or targets.get(c.text.replace(" ", ""))))
            found_items = []
            for m, matched, context in analyze.find_mentions(p.text, matchers):
                mentions.append(Mention(
                    document=doc, page=p.number, kind=m.kind, matched=matched[:200], context=context,
                    evidence_item_id=m.obj_id if m.kind == "evidence" else None,
                    role_id=m.obj_id if m.kind == "person" else None))
                if m.kind == "evidence":
                    found_items.append((m.pattern, m.obj_id))
            for d in analyze.find_dates(p.text):
                what = analyze.sentence_around(p.text, d.start, d.end)
                if (d.date, what) in kept:
                    continue
                kept.add((d.date, what))
                item = next((pk for pat, pk in found_items if pat.search(what)), None)
                events.append(ProposedEvent(document=doc, page=p.number, date=d.date, date_precision=d.precision,
                                            date_text=d.text[:100], what=what, evidence_item_id=item))
            done += 1
            now = time.monotonic()
            if now - last > 0.3:
                last = now
                progress(done / total, f"finding citations and dates: page {done} of {total}")
        with transaction.atomic():
            Citation.objects.bulk_create(citations)
            Mention.objects.bulk_create(mentions)
            ProposedEvent.objects.bulk_create(events)
        counts["citations"] += len(citations)
        counts["mentions"] += len(mentions)
        counts["events"] += len(events)
    progress(1.0, f"{counts['citations']} citations, {counts['events']} dates, {counts['mentions']} mentions")
    return counts


# --- timeline proposals ------------------------------------------------------------------------

def accept_event(event: ProposedEvent, user=None, *, what: str | None = None):
    """Accept a proposed event: create the case's TimelineEvent, sourced to document and page."""
    from habeas.cases.models import TimelineEvent

    with transaction.atomic():
        event = ProposedEvent.objects.select_for_update().select_related("document").get(pk=event.pk)
        if event.timeline_event_id:
            return event.timeline_event
        te = TimelineEvent.objects.create(
            case=event.document.case, date=event.date, date_precision=event.date_precision,
            date_text="", what=(what or event.what).strip(), evidence_item_id=event.evidence_item_id,
            source=event.source_text(),
            confidence="confirmed" if event.document.kind == Document.Kind.COURT_OPINION else "reported")
        event.timeline_event = te
        event.status = ProposedEvent.Status.ACCEPTED
        event.decided_by = user if getattr(user, "is_authenticated", False) else None
        event.decided_at = timezone.now()
        event.save()
        return te


def reject_event(event: ProposedEvent, user=None) -> None:
    event.status = ProposedEvent.Status.REJECTED
    event.decided_by = user if getattr(user, "is_authenticated", False) else None
    event.decided_at = timezone.now()
    event.save(update_fields=["status", "decided_by", "decided_at"])
