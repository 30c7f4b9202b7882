"""Web views: login, upload (a good and a bad file in one batch), the viewer with hits, page
images, search across the cases a user may see, accepting a proposed timeline event, the
case-page template tag."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse

from habeas.cases.models import TimelineEvent
from habeas.documents.models import Document, ProposedEvent
from habeas.jobs.worker import run_pending


@pytest.fixture
def member_client(client, users):
    client.force_login(users["member"])
    return client


def test_login_required(client, case):
    r = client.get(reverse("documents:case", args=[case.pk]))
    assert r.status_code == 302 and "login" in r["Location"]


def test_outsider_gets_404(client, users, opinion_2001):
    client.force_login(users["outsider"])
    assert client.get(opinion_2001.get_absolute_url()).status_code == 404
    assert client.get(reverse("documents:case", args=[opinion_2001.case_id])).status_code == 404


def test_upload_batch_with_a_bad_file(member_client, case, demo_file):
    good = SimpleUploadedFile("357_F3d_1019.excerpt.pdf", demo_file("357_F3d_1019.excerpt.pdf").read_bytes())
    bad = SimpleUploadedFile("broken.pdf", b"%PDF-1.4\n garbage")
    r = member_client.post(reverse("documents:upload", args=[case.pk]),
                           {"files": [good, bad], "kind": "court_opinion"}, follow=True)
    assert r.status_code == 200
    text = r.content.decode()
    assert "357_F3d_1019.excerpt.pdf: added as document" in text
    run_pending()
    docs = {d.original_filename: d for d in Document.objects.filter(case=case)}
    assert docs["357_F3d_1019.excerpt.pdf"].status == "ready"
    assert docs["broken.pdf"].status == "failed" and docs["broken.pdf"].error.startswith("corrupt PDF")
    page = member_client.get(docs["broken.pdf"].get_absolute_url()).content.decode()
    assert "Extraction failed:" in page and "corrupt PDF" in page


def test_viewer_shows_pages_hits_citations_and_dates(member_client, opinion_2001):
    r = member_client.get(opinion_2001.get_absolute_url(), {"q": '"Institute for Men"'})
    html = r.content.decode()
    assert r.status_code == 200
    assert "<mark>Institute for Men</mark>" in html
    assert 'id="page-2"' in html and "p. 2</a>" in html
    assert "https://www.courtlistener.com/c/U.S./529/473/" in html
    assert "Slack v. McDaniel" in html
    assert "June 2, 1983" in html and "Add to timeline" in html
    img = member_client.get(reverse("documents:page-image", args=[opinion_2001.pk, 2]))
    assert img.status_code == 200 and img["Content-Type"] == "image/png"
    assert b"".join(img.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
    status = member_client.get(reverse("documents:status", args=[opinion_2001.pk]))
    assert status["X-Document-Status"] == "ready"
    f = member_client.get(reverse("documents:file", args=[opinion_2001.pk]))
    assert f["Content-Type"] == "application/pdf"


def test_accepting_a_date_adds_a_sourced_timeline_event(member_client, opinion_2001):
    event = ProposedEvent.objects.get(document=opinion_2001, date="1983-06-02")
    r = member_client.post(reverse("documents:event-decide", args=[event.pk, "accept"]))
    assert r.status_code == 302
    event.refresh_from_db()
    te = event.timeline_event
    assert event.status == "accepted" and te.case == opinion_2001.case
    assert te.date.isoformat() == "1983-06-02" and "escaped" in te.what
    assert te.source == f"Cooper v. Calderon, 255 F.3d 1104, p. 2 (document #{opinion_2001.pk})"
    other = ProposedEvent.objects.filter(document=opinion_2001, status="proposed").first()
    member_client.post(reverse("documents:event-decide", args=[other.pk, "reject"]))
    other.refresh_from_db()
    assert other.status == "rejected" and other.timeline_event is None
    assert TimelineEvent.objects.filter(case=opinion_2001.case).count() == 1


def test_search_page_across_visible_cases(member_client, opinion_2001):
    r = member_client.get(reverse("documents:search"), {"q": "escap*"})
    html = r.content.decode()
    assert "<mark>escaped</mark>" in html and "page 2" in html
    r = member_client.get(reverse("documents:case-search", args=[opinion_2001.case_id]),
                          {"q": "Cooper", "kind": "lab_report"})
    assert "No page matches" in r.content.decode()


def test_case_documents_template_tag(rf, users, opinion_2001):
    request = rf.get("/")
    request.user = users["member"]
    html = Template("{% load document_tags %}{% case_documents case %}").render(
        Context({"case": opinion_2001.case, "request": request, "user": request.user}))
    assert "Cooper v. Calderon" in html and "Upload documents" in html
    assert reverse("documents:case-search", args=[opinion_2001.case_id]) in html


def test_an_event_from_a_privileged_document_names_no_title_in_the_timeline(opinion_2001):
    from habeas.documents.ingest import accept_event

    Document.objects.filter(pk=opinion_2001.pk).update(privileged=True)
    event = ProposedEvent.objects.select_related("document").get(document=opinion_2001, date="1983-06-02")
    te = accept_event(event)
    assert te.source == f"privileged document #{opinion_2001.pk}, p. 2"
    assert "Calderon" not in te.source


@pytest.mark.parametrize("params, message", [
    ({"q": "Cooper", "date_from": "1983-02-30"}, "Enter a valid date."),
    ({"q": "Cooper", "kind": "no-such-kind"}, "Select a valid choice."),
    ({"q": "Cooper", "date_from": "2001-01-01", "date_to": "2000-01-01"}, "after the"),
    ({"q": "x" * 5000}, "at most 500 characters"),
])
def test_a_search_the_form_refuses_says_why(member_client, opinion_2001, params, message):
    html = member_client.get(reverse("documents:search"), params).content.decode()
    assert message in html.replace("&#x27;", "'")
