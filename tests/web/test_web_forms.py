"""The forms that add to the record: valid input is saved, invalid input is refused with a
clear field error and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from habeas.cases.models import CustodyEvent, EvidenceItem, LabRequest, LabResult, Note, TimelineEvent, verify_chain

pytestmark = pytest.mark.django_db


def follow_ok(response):
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


# --- Note -------------------------------------------------------------------------------------

def test_note_saves_with_author_and_privilege(member_client, member, full_case):
    url = reverse("note-add", args=[full_case.pk])
    response = member_client.post(url, {"text": "Interview the lab analyst.", "privileged": "on"}, follow=True)
    note = Note.objects.get(text="Interview the lab analyst.")
    assert note.privileged and note.author == member and note.case == full_case
    assert "Note added." in response.content.decode()


def test_note_requires_text(member_client, full_case):
    before = Note.objects.count()
    response = member_client.post(reverse("note-add", args=[full_case.pk]), {"text": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert Note.objects.count() == before


# --- Evidence item ----------------------------------------------------------------------------

def evidence_data(**overrides):
    data = {"item_number": "B-7", "description": "Hatchet sheath", "kind": "weapon", "collected_on": "1983-06",
            "status": "in_custody", "confidence": "reported", "collection_confidence": "reported"}
    return {**data, **overrides}


def test_evidence_item_saves_with_partial_date(member_client, full_case):
    follow_ok(member_client.post(reverse("evidence-add", args=[full_case.pk]), evidence_data()))
    item = EvidenceItem.objects.get(case=full_case, item_number="B-7")
    assert item.collected_on == dt.date(1983, 6, 1) and item.collected_on_precision == "month"
    assert item.partial("collected_on") == "1983-06"


def test_evidence_item_number_must_be_unique_in_the_case(member_client, full_case):
    before = EvidenceItem.objects.count()
    response = member_client.post(reverse("evidence-add", args=[full_case.pk]), evidence_data(item_number="a-41"))
    assert response.status_code == 200
    assert "This case already has an evidence item numbered" in response.content.decode()
    assert EvidenceItem.objects.count() == before


def test_evidence_item_number_may_repeat_in_another_case(member_client, member, full_case, make_case):
    other = make_case("People v. Other", members=[member])
    follow_ok(member_client.post(reverse("evidence-add", args=[other.pk]), evidence_data(item_number="A-41")))
    assert other.evidence_items.filter(item_number="A-41").exists()


def test_evidence_item_refuses_an_impossible_date(member_client, full_case):
    response = member_client.post(reverse("evidence-add", args=[full_case.pk]),
                                  evidence_data(collected_on="1983-02-30"))
    assert "There is no such date: 1983-02-30." in response.content.decode()
    assert not EvidenceItem.objects.filter(item_number="B-7").exists()


# --- Custody event ----------------------------------------------------------------------------

def custody_url(item):
    return reverse("custody-add", args=[item.case_id, item.pk])


def test_custody_event_appends_with_next_sequence(member_client, member, item):
    response = member_client.post(custody_url(item), {
        "occurred": "2019-02-22", "from_party": "Private DNA lab", "to_party": "Sheriff's property room",
        "purpose": "return after testing", "seal_condition": "resealed", "confidence": "reported"}, follow=True)
    last = item.custody_events.order_by("-sequence").first()
    assert last.sequence == 3 and last.recorded_by == member and last.to_party == "Sheriff's property room"
    assert last.occurred == dt.date(2019, 2, 22) and last.occurred_precision == "day"
    assert verify_chain(item) == []
    body = response.content.decode()
    assert "Custody event #3 recorded." in body and 'id="custody-3"' in body


def test_custody_event_accepts_date_wording_only(member_client, item):
    follow_ok(member_client.post(custody_url(item), {
        "occurred_text": "before the 1984 trial", "to_party": "Court clerk", "seal_condition": "not_recorded",
        "confidence": "reported"}))
    last = item.custody_events.order_by("-sequence").first()
    assert last.occurred is None and last.occurred_text == "before the 1984 trial"


def test_custody_event_keeps_wording_that_says_more_than_a_date(member_client, item):
    follow_ok(member_client.post(custody_url(item), {
        "occurred": "1983-06-04/05", "from_party": "Scene", "seal_condition": "not_recorded",
        "confidence": "reported"}))
    last = item.custody_events.order_by("-sequence").first()
    assert last.occurred == dt.date(1983, 6, 4) and last.partial("occurred") == "1983-06-04/05"


@pytest.mark.parametrize("data, error", [
    ({"occurred": "2019-02-22"}, "Say who released the item, who received it, or both."),
    ({"from_party": "Lab"}, "Give the date, or the record&#x27;s wording of when it happened."),
    ({"from_party": "Lab", "occurred": "2019-13-01"}, "There is no such date: 2019-13-01."),
    ({"from_party": "Lab", "occurred": "sometime"}, "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD"),
])
def test_custody_event_validation(member_client, item, data, error):
    before = CustodyEvent.objects.count()
    response = member_client.post(custody_url(item), {"seal_condition": "intact", "confidence": "reported", **data})
    assert response.status_code == 200 and error in response.content.decode()
    assert CustodyEvent.objects.count() == before


# --- Lab request and result -------------------------------------------------------------------

def test_lab_request_saves_with_items(member_client, full_case, item):
    follow_ok(member_client.post(reverse("labrequest-add", args=[full_case.pk]), {
        "items": [item.pk], "laboratory": "State DOJ lab", "test_kind": "y_str", "ordered_by": "court",
        "ordered_by_detail": "U.S. District Court, S.D. Cal.", "requested_on": "2004", "status": "requested",
        "confidence": "reported"}))
    req = LabRequest.objects.get(laboratory="State DOJ lab")
    assert list(req.items.all()) == [item] and req.requested_on_precision == "year"


def test_lab_request_needs_an_item_of_this_case(member_client, member, full_case, make_case):
    other = make_case("People v. Other", members=[member])
    foreign = EvidenceItem.objects.create(case=other, item_number="Z-1", description="other case item")
    url = reverse("labrequest-add", args=[full_case.pk])
    before = LabRequest.objects.count()
    base = {"test_kind": "str", "ordered_by": "defence", "status": "requested", "confidence": "reported"}
    assert "Choose at least one evidence item to test." in member_client.post(url, base).content.decode()
    assert "Select a valid choice." in member_client.post(url, {**base, "items": [foreign.pk]}).content.decode()
    assert LabRequest.objects.count() == before


def test_lab_request_preselects_the_item(member_client, full_case, item):
    body = member_client.get(reverse("labrequest-add", args=[full_case.pk]), {"item": item.pk}).content.decode()
    assert f'value="{item.pk}"' in body and "checked" in body


def test_lab_result_saves(member_client, full_case):
    req = full_case.lab_requests.get()
    follow_ok(member_client.post(reverse("labresult-add", args=[full_case.pk, req.pk]), {
        "report_date": "2021-03", "finding": "exclusion", "conclusion": "Excluded as a contributor.",
        "confidence": "reported"}))
    result = LabResult.objects.get(conclusion="Excluded as a contributor.")
    assert result.request == req and result.report_date_precision == "month"


def test_lab_result_requires_report_date_and_conclusion(member_client, full_case):
    req = full_case.lab_requests.get()
    before = LabResult.objects.count()
    body = member_client.post(reverse("labresult-add", args=[full_case.pk, req.pk]),
                              {"finding": "other", "confidence": "reported"}).content.decode()
    assert body.count("This field is required.") == 2
    assert LabResult.objects.count() == before


# --- Timeline event ---------------------------------------------------------------------------

@pytest.mark.parametrize("typed, date, precision", [
    ("1983", dt.date(1983, 1, 1), "year"),
    ("1983-06", dt.date(1983, 6, 1), "month"),
    ("1983-06-05", dt.date(1983, 6, 5), "day"),
])
def test_timeline_event_saves_at_its_precision(member_client, full_case, typed, date, precision):
    follow_ok(member_client.post(reverse("timeline-add", args=[full_case.pk]), {
        "date": typed, "what": "Something happened", "confidence": "reported"}))
    ev = TimelineEvent.objects.get(what="Something happened")
    assert (ev.date, ev.date_precision, ev.partial("date")) == (date, precision, typed)


@pytest.mark.parametrize("typed, error", [
    ("1983-02-30", "There is no such date: 1983-02-30."),
    ("1983-13", "There is no such date: 1983-13."),
    ("last summer", "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD"),
    ("", "This field is required."),
])
def test_timeline_event_refuses_bad_dates(member_client, full_case, typed, error):
    before = TimelineEvent.objects.count()
    response = member_client.post(reverse("timeline-add", args=[full_case.pk]), {
        "date": typed, "what": "Something happened", "confidence": "reported"})
    assert response.status_code == 200 and error in response.content.decode()
    assert TimelineEvent.objects.count() == before


def test_forms_of_another_teams_case_are_refused(client, outsider, full_case, item):
    client.force_login(outsider)
    response = client.post(custody_url(item), {"from_party": "x", "occurred": "2020", "seal_condition": "intact",
                                               "confidence": "reported"})
    assert response.status_code == 404 and item.custody_events.count() == 2


def test_a_date_in_the_future_is_refused_on_a_permanent_record(member_client, full_case, item):
    from django.urls import reverse

    from habeas.cases.models import CustodyEvent

    before = CustodyEvent.objects.filter(evidence_item=item).count()
    r = member_client.post(reverse("custody-add", args=[full_case.pk, item.pk]),
                           {"occurred": "2099-01-01", "from_party": "Lab", "to_party": "Court",
                            "seal_condition": "intact", "confidence": "reported"})
    assert r.status_code == 200 and "2099-01-01 is in the future" in r.content.decode()
    assert CustodyEvent.objects.filter(evidence_item=item).count() == before


def test_a_confirmed_fact_needs_its_source(member_client, full_case, item):
    from django.urls import reverse

    from habeas.cases.models import CustodyEvent

    url = reverse("custody-add", args=[full_case.pk, item.pk])
    assert 'value="reported" selected' in member_client.get(url).content.decode()  # a new entry starts reported
    before = CustodyEvent.objects.filter(evidence_item=item).count()
    r = member_client.post(url, {"occurred": "2020-01-02", "from_party": "Lab", "to_party": "Court",
                                 "seal_condition": "intact", "confidence": "confirmed", "source": ""})
    assert r.status_code == 200 and "A fact marked confirmed needs its source" in r.content.decode()
    assert CustodyEvent.objects.filter(evidence_item=item).count() == before
