"""Record rules of the API: fixed parents, DNA profile shape, who may be named, no future dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from habeas.cases.models import CustodyEvent, EvidenceItem, LabResult, Role, STRProfile, may_be_named

from .conftest import build_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_case(member):
    return build_case("People v. Second", members=[member])


# --- 1. parents are fixed after creation -----------------------------------------------------------

def test_evidence_item_cannot_move_to_another_case(member_api, case, second_case):
    item = case.evidence_items.first()
    r = member_api.patch(f"/api/evidence-items/{item.pk}/", {"case": second_case.pk}, format="json")
    assert r.status_code == 400 and "case" in r.json()
    assert EvidenceItem.objects.get(pk=item.pk).case_id == case.pk
    # naming the same case again is not a change
    r = member_api.patch(f"/api/evidence-items/{item.pk}/", {"case": case.pk, "description": "swab"}, format="json")
    assert r.status_code == 200, r.content


@pytest.mark.parametrize("endpoint,field,get_row,get_other", [
    ("people", "case", lambda c: c.roles.first(), lambda o: o),
    ("convictions", "case", lambda c: c.convictions.first(), lambda o: o),
    ("lab-requests", "case", lambda c: c.lab_requests.first(), lambda o: o),
    ("timeline-events", "case", lambda c: c.timeline_events.first(), lambda o: o),
    ("lab-results", "request", lambda c: c.lab_requests.first().results.first(), lambda o: o.lab_requests.first()),
    ("str-profiles", "lab_result", lambda c: STRProfile.objects.filter(lab_result__request__case=c).first(),
     lambda o: LabResult.objects.filter(request__case=o).first()),
])
def test_parent_is_read_only_after_creation(member_api, case, second_case, endpoint, field, get_row, get_other):
    row, other = get_row(case), get_other(second_case)
    r = member_api.patch(f"/api/{endpoint}/{row.pk}/", {field: other.pk}, format="json")
    assert r.status_code == 400, r.content
    assert field in r.json()
    row.refresh_from_db()
    assert getattr(row, f"{field}_id") != other.pk


# --- 2. STR profiles --------------------------------------------------------------------------------

def _post_profile(api, case, **body):
    res = case.lab_requests.first().results.first()
    return api.post("/api/str-profiles/", {"lab_result": res.pk, "kind": "evidence", "sample_name": "E2", **body},
                    format="json")


@pytest.mark.parametrize("body,field", [
    ({"loci": {"D8S1179": ["12", "13", "14"]}}, "loci"),
    ({"loci": {}}, "loci"),
    ({"loci": {"D8S1179": []}}, "loci"),
    ({"loci": {"D8S1179": ["12", "13"]}, "heights": {"D8S1179": [100]}}, "heights"),
    ({"loci": {"D8S1179": ["12", "13"]}, "heights": {"D8S1179": ["a", "b"]}}, "heights"),
    ({"loci": {"D8S1179": ["12", "13"]}, "heights": {"D8S1179": [True, 5]}}, "heights"),
    ({"loci": {"D8S1179": ["12", "13"]}, "heights": {"TH01": [1, 2]}}, "heights"),
    ({"loci": {"D8S1179": ["12", "13"]}, "heights": [1, 2]}, "heights"),
])
def test_str_profile_nonsense_is_refused(member_api, case, body, field):
    r = _post_profile(member_api, case, **body)
    assert r.status_code == 400, r.content
    assert field in r.json()


def test_str_profile_more_than_two_alleles_message(member_api, case):
    r = _post_profile(member_api, case, loci={"D8S1179": ["12", "13", "14"]})
    assert "3 alleles in a profile not marked as a mixture" in str(r.json()["loci"])
    r = _post_profile(member_api, case, loci={"D8S1179": ["12", "13", "14"]}, is_mixture=True)
    assert r.status_code == 201, r.content


def test_str_profile_is_stored_normalised(member_api, case):
    r = _post_profile(member_api, case, loci={"d8s1179": [14, 13], "TH01": [9.3, "6"], "AMEL": ["x", "y"]},
                      heights={"d8s1179": [800, 1200], "TH01": [500.5, 600]})
    assert r.status_code == 201, r.content
    p = STRProfile.objects.get(pk=r.json()["id"])
    assert p.loci == {"D8S1179": ["13", "14"], "TH01": ["6", "9.3"], "AMEL": ["X", "Y"]}
    assert p.heights == {"D8S1179": [1200.0, 800.0], "TH01": [600.0, 500.5]}
    assert r.json()["loci"] == p.loci


# --- 3. who may be named ----------------------------------------------------------------------------

def test_may_be_named():
    assert {k for k in Role.Kind.values if may_be_named(k)} == {"client", "official", "attorney", "expert"}


@pytest.mark.parametrize("kind", ["victim", "witness", "co_defendant", "alternate_suspect", "investigator", "other"])
def test_private_kinds_cannot_be_named(member_api, case, kind):
    r = member_api.post("/api/people/", {"case": case.pk, "kind": kind, "label": f"{kind} 9",
                                         "name": "Jane Doe", "is_public": True}, format="json")
    assert r.status_code == 400 and "only the client, public officials" in str(r.json())
    r = member_api.post("/api/people/", {"case": case.pk, "kind": kind, "label": f"{kind} 9"}, format="json")
    assert r.status_code == 201, r.content
    url = f"/api/people/{r.json()['id']}/"
    r = member_api.patch(url, {"is_public": True, "name": "Jane Doe"}, format="json")
    assert r.status_code == 400 and "is_public" in r.json()
    r = member_api.patch(url, {"is_public": True}, format="json")
    assert r.status_code == 400
    assert "Jane Doe" not in member_api.get(url).content.decode()
    assert member_api.get(url).json()["is_public"] is False


@pytest.mark.parametrize("kind", ["client", "official", "attorney", "expert"])
def test_nameable_kinds_can_be_named(member_api, case, kind):
    r = member_api.post("/api/people/", {"case": case.pk, "kind": kind, "label": f"{kind} 9",
                                         "name": "Pat Public", "is_public": True}, format="json")
    assert r.status_code == 201, r.content


def test_a_named_person_cannot_be_moved_to_a_private_kind(member_api, case):
    client = case.roles.get(kind="client")
    r = member_api.patch(f"/api/people/{client.pk}/", {"kind": "victim"}, format="json")
    assert r.status_code == 400 and "kind" in r.json()
    r = member_api.patch(f"/api/people/{client.pk}/", {"label": "petitioner (renamed)"}, format="json")
    assert r.status_code == 200, r.content


# --- 4. no future dates -----------------------------------------------------------------------------

def test_future_dates_are_refused(member_api, case):
    item = case.evidence_items.first()
    req = case.lab_requests.first()
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    for url, body, field in [
        (f"/api/evidence-items/{item.pk}/", {"collected_on": "2099-01-01", "collected_on_precision": "year"},
         "collected_on"),
        (f"/api/cases/{case.pk}/", {"opened_on": "2099-01-01"}, "opened_on"),
        (f"/api/lab-requests/{req.pk}/", {"requested_on": "2099-12-31"}, "requested_on"),
        (f"/api/lab-requests/{req.pk}/", {"requested_on": tomorrow}, "requested_on"),
    ]:
        r = member_api.patch(url, body, format="json")
        assert r.status_code == 400 and field in r.json(), (url, r.content)
        assert "in the future" in str(r.json()[field])
    r = member_api.post("/api/evidence-items/", {"case": case.pk, "item_number": "F-1", "description": "x",
                                                 "collected_on": "2099-01-01"}, format="json")
    assert r.status_code == 400 and "collected_on" in r.json()
    r = member_api.post("/api/custody-events/", {"evidence_item": item.pk, "purpose": "x",
                                                 "occurred": "2099-01-01"}, format="json")
    assert r.status_code == 400 and "occurred" in r.json()
    assert not CustodyEvent.objects.filter(evidence_item=item, purpose="x").exists()
    r = member_api.post("/api/cases/", {"caption": "People v. Future", "opened_on": "2099-01-01"}, format="json")
    assert r.status_code == 400


def test_today_and_past_dates_are_accepted(member_api, case):
    item = case.evidence_items.first()
    today = timezone.localdate().isoformat()
    assert member_api.patch(f"/api/evidence-items/{item.pk}/", {"collected_on": "1983-06-05"},
                            format="json").status_code == 200
    r = member_api.post("/api/custody-events/", {"evidence_item": item.pk, "purpose": "today", "occurred": today},
                        format="json")
    assert r.status_code == 201, r.content
