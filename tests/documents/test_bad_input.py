"""Bad input: each bad file ends as a failed document with a clear reason; the batch goes on,
every file is stored."""

import zipfile

import pytest
from pypdf import PdfReader, PdfWriter

from habeas.documents.models import Document

from .conftest import ingest


@pytest.fixture
def bad_files(tmp_path, demo_file):
    src = demo_file("510_F3d_870.excerpt.pdf")
    files = {}
    w = PdfWriter(clone_from=PdfReader(src))
    w.encrypt(user_password="secret", owner_password="owner")
    files["encrypted"] = tmp_path / "encrypted.pdf"
    with open(files["encrypted"], "wb") as f:
        w.write(f)
    files["corrupt"] = tmp_path / "corrupt.pdf"
    files["corrupt"].write_bytes(src.read_bytes()[:600])
    files["zero"] = tmp_path / "zero-pages.pdf"
    with open(files["zero"], "wb") as f:
        PdfWriter().write(f)
    files["bomb"] = tmp_path / "bomb.docx"
    with zipfile.ZipFile(files["bomb"], "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (8 * 1024 * 1024))  # 8 MB of zeros → a few KB
    files["exe"] = tmp_path / "notes.pdf"
    files["exe"].write_bytes(b"MZ\x90\x00" + bytes(range(256)) * 8)  # a Windows executable, named .pdf
    files["empty"] = tmp_path / "empty.txt"
    files["empty"].write_bytes(b"")
    return files


def test_bad_files_fail_clearly_and_the_batch_goes_on(case, bad_files, demo_file, settings, media):
    settings.DOCUMENTS_MAX_UNCOMPRESSED_BYTES = 4 * 1024 * 1024
    docs = {name: ingest(case, path) for name, path in bad_files.items()}
    good = ingest(case, demo_file("510_F3d_870.excerpt.pdf"))
    assert good.status == "ready" and good.page_count == 2
    for name, doc in docs.items():
        assert doc.status == Document.Status.FAILED, name
        assert doc.blob_path.exists(), f"{name}: the file must be kept"
    assert docs["encrypted"].error.startswith("encrypted PDF")
    assert docs["corrupt"].error.startswith("corrupt PDF")
    assert docs["zero"].error == "PDF has no pages"
    assert "zip bomb" in docs["bomb"].error
    assert "unsupported file type" in docs["exe"].error and "application/x-msdownload" in docs["exe"].error
    assert docs["empty"].error == "empty file (0 bytes)"
    assert Document.objects.filter(case=case).count() == len(bad_files) + 1


def test_missing_blob_fails_clearly_and_keeps_pages(case, tmp_path, demo_file):
    from habeas.documents.ingest import queue_extraction
    from habeas.jobs.worker import run_pending

    doc = ingest(case, demo_file("704_F3d_772.excerpt.pdf"))
    doc.blob_path.chmod(0o600)
    doc.blob_path.rename(doc.blob_path.with_name("moved"))
    queue_extraction(doc)
    run_pending()
    doc.refresh_from_db()
    assert doc.status == "failed" and "missing" in doc.error
    assert doc.pages.count() == 2
