"""Fixtures of the documents tests: the shipped Cooper opinion excerpts (public domain, see
src/habeas/documents/demo/PROVENANCE.md), a case, users, and a private blob store per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from habeas.documents.demo import DEMO_DIR

OCR = shutil.which("tesseract") is not None
needs_ocr = pytest.mark.skipif(not OCR, reason="Tesseract is not installed (scripts/install-system-deps.sh)")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def demo_file():
    def get(name: str) -> Path:
        return DEMO_DIR / name
    return get


@pytest.fixture
def case(db):
    from habeas.cases.models import Case, EvidenceItem, Person, Role

    c = Case.objects.create(caption="People v. Cooper")
    client = Person.objects.create(name="Kevin Cooper", is_public=True)
    Role.objects.create(case=c, person=client, kind="client", label="petitioner")
    victim = Person.objects.create(name="", is_public=False)
    Role.objects.create(case=c, person=victim, kind="victim", label="victim 1 (adult male)")
    EvidenceItem.objects.create(case=c, item_number="A-41", description="hallway blood spot")
    return c


@pytest.fixture
def other_case(db):
    from habeas.cases.models import Case

    return Case.objects.create(caption="People v. Other")


def ingest(case, path, **meta):
    """Add a file and run its extraction now; return the refreshed document."""
    from habeas.documents.ingest import add_file
    from habeas.jobs.worker import run_pending

    result = add_file(case, path, **meta)
    if result.document is not None and result.document.job_id:
        run_pending([result.document.job_id])
        result.document.refresh_from_db()
    return result.document


@pytest.fixture
def opinion_2001(case, demo_file):
    return ingest(case, demo_file("255_F3d_1104.excerpt.pdf"), kind="court_opinion",
                  title="Cooper v. Calderon", citation="255 F.3d 1104")


@pytest.fixture
def users(db, case):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    member = User.objects.create_user("member", password="x" * 12)
    outsider = User.objects.create_user("outsider", password="x" * 12)
    staff = User.objects.create_user("staff", password="x" * 12, is_staff=True)
    case.memberships.create(user=member, role="attorney")
    return {"member": member, "outsider": outsider, "staff": staff}
