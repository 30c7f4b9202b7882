"""Storage, type sniffing, text layer, citations, dates, mentions — values read from the files."""

import io

import pytest

from habeas.documents import storage
from habeas.documents.models import Citation, Document, Mention, Page, ProposedEvent

from .conftest import ingest


def test_blob_store_is_content_addressed_and_never_overwritten(media, demo_file, db):
    import hashlib

    src = demo_file("357_F3d_1019.excerpt.pdf")
    sha, size, path = storage.store(src)
    assert sha == hashlib.sha256(src.read_bytes()).hexdigest()
    assert path == media / "blobs" / sha[:2] / sha[2:4] / sha
    assert size == src.stat().st_size
    mtime = path.stat().st_mtime_ns
    sha2, _, path2 = storage.store(io.BytesIO(src.read_bytes()))
    assert (sha2, path2) == (sha, path) and path.stat().st_mtime_ns == mtime
    assert not list((media / "blobs" / "incoming").iterdir())  # no temp file left


def test_size_limit_leaves_nothing(media, db):
    with pytest.raises(storage.TooLarge):
        storage.store(io.BytesIO(b"x" * 2048), limit=1024)
    assert not list((media / "blobs" / "incoming").iterdir())


def test_text_pdf_pages_citations_dates_mentions(opinion_2001):
    doc = opinion_2001
    assert doc.status == Document.Status.READY and doc.page_count == 2 and doc.ocr_pages == 0
    assert doc.file_type == "pdf" and not doc.warnings
    page2 = Page.objects.get(document=doc, number=2).text
    assert "Cooper escaped from the California Institute for Men (CIM), a state prison." in " ".join(page2.split())
    cites = {c.normalized: c for c in Citation.objects.filter(document=doc)}
    assert "255 F.3d 1104" in cites  # eyecite on the caption
    assert cites["255 F.3d 1104"].target == doc  # the case's own document is linked
    slack = cites["529 U.S. 473"]
    assert slack.case_name == "Slack v. McDaniel" and slack.year == "2000" and slack.page == 2
    assert slack.external_url == "https://www.courtlistener.com/c/U.S./529/473/"
    assert "28 U.S.C. § 2254" in cites and cites["28 U.S.C. § 2254"].kind == "FullLawCitation"
    escaped = ProposedEvent.objects.get(document=doc, date="1983-06-02")
    assert escaped.page == 2 and escaped.date_precision == "day"
    assert "Cooper escaped from the California Institute for Men" in escaped.what
    assert ProposedEvent.objects.filter(document=doc, date="2001-07-09", page=1).exists()  # "Filed July 9, 2001"
    client = Mention.objects.get(document=doc, kind="person", page=1)
    assert client.label == "Kevin Cooper (petitioner)"


def test_duplicate_in_same_case_is_reported_not_stored(case, other_case, demo_file, media):
    from habeas.documents.ingest import add_file

    first = add_file(case, demo_file("357_F3d_1019.excerpt.pdf"), queue=False)
    again = add_file(case, demo_file("357_F3d_1019.excerpt.pdf"), name="renamed.pdf", queue=False)
    assert first.created and again.duplicate and again.document == first.document
    assert "duplicate" in again.message and f"#{first.document.pk}" in again.message
    assert Document.objects.filter(case=case).count() == 1
    elsewhere = add_file(other_case, demo_file("357_F3d_1019.excerpt.pdf"), queue=False)
    assert elsewhere.created and elsewhere.document.sha256 == first.document.sha256
    assert len(list((media / "blobs").rglob("*" + first.document.sha256))) == 1  # one blob for both


def test_text_and_docx_files(case, demo_file, tmp_path):
    import docx
    from docx.enum.text import WD_BREAK

    txt = ingest(case, demo_file("565_F3d_581.excerpt.txt"))
    assert txt.status == "ready" and txt.file_type == "txt"
    assert "The State of California may be about to execute an innocent man." in \
        " ".join(" ".join(p.text for p in txt.pages.all()).split())
    # a DOCX with an explicit page break: two pages
    d = docx.Document()
    d.add_paragraph("Report of the serology examination of item A-41 dated March 3, 1984.")
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    d.add_paragraph("Second page: chain of custody receipt.")
    path = tmp_path / "lab-report.docx"
    d.save(path)
    doc = ingest(case, path, kind="lab_report")
    assert doc.status == "ready" and doc.page_count == 2, doc.error
    assert doc.mentions.get(kind="evidence").evidence_item.item_number == "A-41"
    event = doc.proposed_events.get()
    assert (event.date.isoformat(), event.page, event.evidence_item.item_number) == ("1984-03-03", 1, "A-41")
    assert "chain of custody" in doc.pages.get(number=2).text


def test_wrong_extension_is_reported_and_read_by_content(case, demo_file, tmp_path):
    disguised = tmp_path / "opinion.txt"
    disguised.write_bytes(demo_file("357_F3d_1019.excerpt.pdf").read_bytes())
    doc = ingest(case, disguised)
    assert doc.file_type == "pdf" and doc.status == "ready"
    assert doc.warnings and "named '.txt' but its content is PDF" in doc.warnings[0]
    assert "Kevin Cooper" in doc.pages.get(number=1).text
