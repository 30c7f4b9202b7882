"""Hostile uploads and crash safety of uploads.

* Names with path traversal, NUL bytes, 5 000 characters or HTML/JS; content of the wrong type (a
  Windows executable or an HTML page named ``.pdf``); files over the size limit — through the
  documents upload page, the STR profile upload page and the API: each is refused (or stored
  under a cleaned name) with a clear message, never a 500, and nothing lands outside the store.
* A document upload killed with SIGKILL mid-way (while the file is written, and inside the
  database transaction) leaves no half-written blob under a hash name, no Document row without
  its blob, no job without its document, and loses no committed document.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from habeas.cases.models import Case, CaseMembership, EvidenceItem, LabRequest, LabResult, STRProfile
from habeas.documents.models import Document

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(range(256)) * 8
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
TEXT = b"Declaration of the investigator.\nThe blood swab was never tested.\n"
PROFILE_CSV = ("Sample Name,Marker,Allele 1,Allele 2\n"
               "R1,D3S1358,15,16\nR1,vWA,17,18\nR1,FGA,21,22\n").encode()

HOSTILE_NAMES = {
    "traversal": "../../escaped.txt",
    "absolute": "/etc/cron.d/escaped.txt",
    "windows": "..\\..\\escaped.txt",
    "nul": "decl\x00aration.txt",
    "long": "a" * 5000 + ".txt",
    "html": '<img src=x onerror="alert(1)"><script>alert(2)</script>.txt',
}


@pytest.fixture
def store(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "home" / "files"
    return tmp_path


@pytest.fixture
def attorney(db, django_user_model):
    return django_user_model.objects.create_user("att", password="x" * 12)


@pytest.fixture
def case(attorney):
    case = Case.objects.create(caption="People v. Upload")
    CaseMembership.objects.create(case=case, user=attorney, role="attorney")
    return case


@pytest.fixture
def signed_in(client, attorney):
    client.force_login(attorney)
    return client


def _outside_files(root: Path) -> list[Path]:
    """Files under the test's folder other than the store's own (blobs, the incoming folder)."""
    out = []
    for p in root.rglob("*"):
        if p.is_file() and "files" not in p.relative_to(root).parts[:2]:
            out.append(p)
    return out


def _blobs(store_root: Path) -> list[Path]:
    blobs = store_root / "home" / "files" / "blobs"
    return [p for p in blobs.rglob("*") if p.is_file() and "incoming" not in p.parts] if blobs.exists() else []


def _assert_store_consistent(store_root: Path):
    for p in _blobs(store_root):
        assert hashlib.sha256(p.read_bytes()).hexdigest() == p.name, f"blob {p} is not what its name says"
    incoming = store_root / "home" / "files" / "blobs" / "incoming"
    assert not incoming.exists() or not any(incoming.iterdir()), "temporary upload left behind"


# --- documents upload page --------------------------------------------------------------------

@pytest.mark.parametrize("label", sorted(HOSTILE_NAMES))
def test_document_upload_hostile_names(signed_in, case, store, label):
    name = HOSTILE_NAMES[label]
    r = signed_in.post(reverse("documents:upload", args=[case.pk]),
                       {"files": [SimpleUploadedFile(name, TEXT + label.encode())], "kind": "other"}, follow=True)
    assert r.status_code == 200
    html = r.content.decode()
    assert "<script>alert" not in html and 'onerror="alert' not in html
    doc = Document.objects.get(case=case)
    assert "/" not in doc.original_filename and "\\" not in doc.original_filename
    assert "\x00" not in doc.original_filename and len(doc.original_filename) <= 255
    assert doc.original_filename.endswith(".txt")
    assert not _outside_files(store), "a file was written outside the store"
    _assert_store_consistent(store)
    # the download names the file safely too
    resp = signed_in.get(reverse("documents:file", args=[doc.pk]))
    assert resp.status_code == 200 and "/" not in resp["Content-Disposition"].split("filename", 1)[1]


@pytest.mark.parametrize("content, why", [(EXE, "unsupported file type"), (HTML, "HTML or other markup")],
                         ids=["exe-named-pdf", "html-named-pdf"])
def test_document_upload_wrong_type_is_refused(signed_in, case, store, content, why):
    r = signed_in.post(reverse("documents:upload", args=[case.pk]),
                       {"files": [SimpleUploadedFile("report.pdf", content)], "kind": "other"}, follow=True)
    assert r.status_code == 200
    assert "report.pdf: refused" in r.content.decode() and why in r.content.decode()
    assert not Document.objects.exists()
    assert not _blobs(store), "a refused file was stored"
    _assert_store_consistent(store)


def test_document_upload_oversize_is_refused(signed_in, case, store, settings):
    settings.DOCUMENTS_MAX_UPLOAD_BYTES = 1000
    r = signed_in.post(reverse("documents:upload", args=[case.pk]),
                       {"files": [SimpleUploadedFile("big.txt", b"x" * 5000)], "kind": "other"}, follow=True)
    assert r.status_code == 200 and "big.txt: not stored" in r.content.decode()
    assert "larger than the limit" in r.content.decode()
    assert not Document.objects.exists() and not _blobs(store)
    _assert_store_consistent(store)


# --- STR profile upload page ------------------------------------------------------------------

@pytest.fixture
def lab_result(case):
    req = LabRequest.objects.create(case=case)
    req.items.add(EvidenceItem.objects.create(case=case, item_number="A-1"))
    return LabResult.objects.create(request=req)


def _profile_upload(client, case, result, upload):
    return client.post(reverse("profile-upload", args=[case.pk, result.pk]),
                       {"file": upload, "kind": "reference"})


@pytest.mark.parametrize("label", sorted(HOSTILE_NAMES))
def test_profile_upload_hostile_names(signed_in, case, lab_result, store, label):
    name = HOSTILE_NAMES[label].replace(".txt", ".csv")
    r = _profile_upload(signed_in, case, lab_result, SimpleUploadedFile(name, PROFILE_CSV))
    assert r.status_code == 302, r.content.decode()[:2000]
    assert STRProfile.objects.filter(lab_result=lab_result).count() == 1
    assert not _outside_files(store)


@pytest.mark.parametrize("content", [EXE, HTML, b"\x00" * 4000], ids=["exe", "html", "nul-bytes"])
def test_profile_upload_wrong_type_is_refused(signed_in, case, lab_result, store, content):
    r = _profile_upload(signed_in, case, lab_result, SimpleUploadedFile("profiles.csv", content))
    assert r.status_code == 200  # the form again, with the reason
    errors = r.context["form"].errors["file"]
    assert errors and "profiles.csv" in errors[0], errors
    assert not STRProfile.objects.exists()
    assert not _outside_files(store)


def test_profile_upload_oversize_is_refused(signed_in, case, lab_result, store, monkeypatch):
    monkeypatch.setattr("habeas.web.profile_upload.MAX_BYTES", 100)
    r = _profile_upload(signed_in, case, lab_result, SimpleUploadedFile("profiles.csv", PROFILE_CSV * 5))
    assert r.status_code == 200 and "too large for a profile table" in r.content.decode()
    assert not STRProfile.objects.exists()


# --- the API ----------------------------------------------------------------------------------

def _api_upload(client, case, name, content, **extra):
    return client.post(reverse("api:document-list"), {"case": case.pk, "file": SimpleUploadedFile(name, content),
                                                     **extra})


@pytest.mark.parametrize("label", sorted(HOSTILE_NAMES))
def test_api_upload_hostile_names(signed_in, case, store, label):
    r = _api_upload(signed_in, case, HOSTILE_NAMES[label], TEXT + label.encode())
    assert r.status_code == 201, r.content
    name = r.json()["original_filename"]
    assert "/" not in name and "\\" not in name and "\x00" not in name and len(name) <= 255
    assert not _outside_files(store)
    _assert_store_consistent(store)


@pytest.mark.parametrize("name, content, why", [
    ("report.pdf", EXE, "unsupported file type"),
    ("report.pdf", HTML, "HTML or other markup"),
    ("empty.pdf", b"", "empty"),
], ids=["exe-named-pdf", "html-named-pdf", "empty"])
def test_api_upload_wrong_type_is_refused(signed_in, case, store, name, content, why):
    r = _api_upload(signed_in, case, name, content)
    assert r.status_code == 400, r.content
    assert why in str(r.json()["file"])
    assert not Document.objects.exists() and not _blobs(store)


def test_api_upload_oversize_and_other_refusals(signed_in, case, store, settings, django_user_model):
    settings.DOCUMENTS_MAX_UPLOAD_BYTES = 1000
    r = _api_upload(signed_in, case, "big.txt", b"x" * 5000)
    assert r.status_code == 400 and "larger than the limit" in str(r.json()["file"])
    assert not Document.objects.exists() and not _blobs(store)
    # a case the user is not on: 404, nothing stored
    other = Case.objects.create(caption="People v. Elsewhere")
    assert _api_upload(signed_in, other, "a.txt", TEXT).status_code == 404
    # a student may not add privileged documents
    student = django_user_model.objects.create_user("stu", password="x" * 12)
    CaseMembership.objects.create(case=case, user=student, role="student")
    signed_in.force_login(student)
    r = _api_upload(signed_in, case, "memo.txt", TEXT, privileged="true")
    assert r.status_code == 400 and "privileged" in r.json()
    assert not Document.objects.exists() and not _blobs(store)


# --- SIGKILL mid-upload -----------------------------------------------------------------------

# A child process: a data folder with one committed document, then a second upload that prints a
# marker (flushed) at the chosen point and blocks there, so the test kills it provably mid-way.
UPLOAD_WITH_MARKER = r"""
import io, sys, time
from habeas.cli import setup_django
setup_django()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from habeas.cases.models import Case
from habeas.documents import ingest
case = Case.objects.create(caption="People v. Crash")
first = ingest.add_file(case, io.BytesIO(b"committed declaration\n" * 100), name="committed.txt")
assert first.created, first.message
where = sys.argv[1]

class Slow(io.RawIOBase):
    # 64 MB of text, handed out in 1 MB chunks; blocks after the third chunk
    def __init__(self):
        self.n = 0
    def readable(self):
        return True
    def read(self, size=-1):
        self.n += 1
        if self.n == 4 and where == "blob":
            print("WRITING", flush=True)
            time.sleep(60)
        return b"" if self.n > 64 else (b"line of a long transcript\n" * 40330)[: 1024 * 1024]

if where == "transaction":
    real = ingest.queue_extraction
    def slow_queue(doc, **kw):
        job = real(doc, **kw)  # the Document row and its job are written, not yet committed
        print("WRITING", flush=True)
        time.sleep(60)
        return job
    ingest.queue_extraction = slow_queue
ingest.add_file(case, Slow(), name="second.txt")
print("FINISHED", flush=True)
"""


def _env(home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HABEAS_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(HABEAS_HOME=str(home), HABEAS_SECRET_KEY="test-" + "x" * 60)
    return env


@pytest.mark.parametrize("where", ["blob", "transaction"])
def test_sigkill_mid_upload_leaves_store_and_database_consistent(tmp_path, where):
    home = tmp_path / "home"
    proc = subprocess.Popen([sys.executable, "-c", UPLOAD_WITH_MARKER, where], env=_env(home),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.strip() == "WRITING", (line, proc.stderr.read() if proc.poll() is not None else "")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL

    con = sqlite3.connect(home / "habeas.sqlite3")
    try:
        docs = con.execute("SELECT original_filename, sha256, size, job_id FROM documents_document").fetchall()
        jobs = con.execute("SELECT id, kwargs FROM jobs_job").fetchall()
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()
    assert integrity == "ok"
    # the committed document is there; the killed one left no row and no job
    assert [d[0] for d in docs] == ["committed.txt"]
    assert len(jobs) == 1 and docs[0][3] == jobs[0][0]
    # every row's blob is there, whole; every blob under a hash name holds that hash
    blobs = home / "files" / "blobs"
    for name, sha, size, _ in docs:
        path = blobs / sha[:2] / sha[2:4] / sha
        assert path.is_file() and path.stat().st_size == size
    for p in blobs.rglob("*"):
        if p.is_file() and "incoming" not in p.parts:
            assert hashlib.sha256(p.read_bytes()).hexdigest() == p.name, f"half-written blob {p}"
    # what the kill left: at most a temporary .upload-* file in incoming/ (never served, never backed up)
    leftovers = [p.name for p in (blobs / "incoming").iterdir()]
    assert all(n.startswith(".upload-") for n in leftovers), leftovers
    if where == "blob":
        assert len(leftovers) == 1
