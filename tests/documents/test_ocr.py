"""OCR of a scanned opinion (no text layer): one small file, skipped without Tesseract."""

from .conftest import ingest, needs_ocr


@needs_ocr
def test_scanned_pdf_is_read_by_ocr_and_searchable(case, demo_file):
    from habeas.documents.search import search

    doc = ingest(case, demo_file("565_F3d_581.excerpt.scan.pdf"), kind="court_opinion")
    assert doc.status == "ready", doc.error
    assert (doc.page_count, doc.ocr_pages) == (2, 2)
    page2 = doc.pages.get(number=2)
    assert page2.ocr and page2.ocr_confidence > 70
    assert "execute an innocent man" in " ".join(page2.text.split())
    assert {(h.document_id, h.page) for h in search('"innocent man"', cases=[case])} == {(doc.pk, 2)}
    assert doc.job.progress == 1.0 and "2 by OCR" in doc.job.message


def test_image_without_tesseract_fails_with_a_clear_reason(case, demo_file, tmp_path, monkeypatch):
    import pypdfium2 as pdfium

    from habeas.documents import extract

    pdf = pdfium.PdfDocument(str(demo_file("357_F3d_1019.excerpt.pdf")))
    path = tmp_path / "page.png"
    pdf[0].render(scale=1).to_pil().save(path)
    pdf.close()
    monkeypatch.setattr(extract, "ocr_available", lambda: False)
    doc = ingest(case, path)
    assert doc.file_type == "png" and doc.status == "failed"
    assert "Tesseract is not installed" in doc.error
