"""API over the documents and deadlines areas: scoped like the rest, search limited to visible cases."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.apps import apps

pytestmark = pytest.mark.django_db


def make_document(case, title, text):
    Document, Page = apps.get_model("documents.Document"), apps.get_model("documents.Page")
    doc = Document.objects.create(case=case, title=title, original_filename=f"{title}.txt",
                                  sha256=hashlib.sha256(text.encode()).hexdigest(), size=len(text),
                                  status="ready", page_count=1)
    Page.objects.create(document=doc, number=1, text=text)
    return doc


def test_documents_listed_and_searched_only_on_visible_cases(member_api, case, other_case):
    mine = make_document(case, "trial transcript", "The witness saw a hatchet near the hideout.")
    make_document(other_case, "police report", "A hatchet was found in the other case.")
    r = member_api.get("/api/documents/")
    assert r.status_code == 200 and [d["id"] for d in r.json()["results"]] == [mine.pk]
    r = member_api.get("/api/documents/search/?q=hatchet")
    assert r.status_code == 200, r.content
    hits = r.json()["results"]
    assert [h["document"] for h in hits] == [mine.pk] and "**hatchet**" in hits[0]["snippet"].lower()
    assert member_api.get("/api/documents/search/?q=").status_code == 400


def test_filings_and_deadlines_scoped(member_api, case, other_case):
    Filing, Deadline = apps.get_model("deadlines.Filing"), apps.get_model("deadlines.Deadline")
    f = Filing.objects.create(case=case, kind="dna_motion", title="Motion for DNA testing")
    Filing.objects.create(case=other_case, kind="clemency")
    d = Deadline.objects.create(case=case, filing=f, title="Reply due", due_on=dt.date(2027, 1, 15))
    Deadline.objects.create(case=other_case, title="Other", due_on=dt.date(2027, 1, 1))
    assert [x["id"] for x in member_api.get("/api/filings/").json()["results"]] == [f.pk]
    assert [x["id"] for x in member_api.get("/api/deadlines/?due_on__gte=2027-01-01").json()["results"]] == [d.pk]
    assert member_api.get("/api/deadlines/?due_on__lte=2026-12-31").json()["count"] == 0
