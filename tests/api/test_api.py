"""The REST API: permissions (the UI's rule), privacy, append-only custody, DNA comparison, schema."""

from __future__ import annotations

import json
import math

import pytest
from rest_framework.test import APIClient

from habeas.cases.models import CustodyEvent, STRProfile, verify_chain
from habeas.dna.tables import load_population_set

from .conftest import PRIVATE_NAME

pytestmark = pytest.mark.django_db

LIST_ENDPOINTS = ["cases", "people", "convictions", "evidence-items", "custody-events", "lab-requests",
                  "lab-results", "str-profiles", "timeline-events", "decisions"]


def ids(resp):
    assert resp.status_code == 200, resp.content
    return {r["id"] for r in resp.json()["results"]}


# --- authentication and the case-membership rule -------------------------------------------------

@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
def test_anonymous_is_refused(api, case, endpoint):
    assert api.get(f"/api/{endpoint}/").status_code in (401, 403)


def test_anonymous_cannot_read_schema_or_docs(api):
    assert api.get("/api/schema/").status_code in (401, 403)


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
def test_member_sees_only_own_cases_rows(member_api, case, other_case, endpoint):
    rows = member_api.get(f"/api/{endpoint}/").json()["results"]
    assert rows, endpoint
    other = APIClient()
    other.force_authenticate(other_case.memberships.get().user)
    theirs = {r["id"] for r in other.get(f"/api/{endpoint}/").json()["results"]}
    assert theirs and not ({r["id"] for r in rows} & theirs), endpoint


def test_non_member_gets_404_not_403(member_api, other_case):
    assert member_api.get(f"/api/cases/{other_case.pk}/").status_code == 404
    item = other_case.evidence_items.first()
    assert member_api.get(f"/api/evidence-items/{item.pk}/").status_code == 404
    assert member_api.get(f"/api/cases/{other_case.pk}/timeline/").status_code == 404


def test_staff_sees_every_case(staff, case, other_case):
    c = APIClient()
    c.force_authenticate(staff)
    assert ids(c.get("/api/cases/")) == {case.pk, other_case.pk}


def test_token_auth(api, token, case, other_case):
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert ids(api.get("/api/cases/")) == {case.pk}
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api.get("/api/cases/").status_code == 401


def test_obtain_token(api, member):
    r = api.post("/api/auth/token/", {"username": "member", "password": "a-long-password-1"}, format="json")
    assert r.status_code == 200 and r.json()["token"]


def test_session_auth(client, member, case):
    client.force_login(member)
    r = client.get("/api/cases/")
    assert r.status_code == 200 and r.json()["count"] == 1


def test_cannot_write_into_a_case_one_may_not_see(member_api, other_case):
    r = member_api.post("/api/evidence-items/", {"case": other_case.pk, "item_number": "X-1", "description": "x"},
                        format="json")
    assert r.status_code == 400 and "case" in r.json()
    item = other_case.evidence_items.first()
    r = member_api.post("/api/custody-events/", {"evidence_item": item.pk, "purpose": "steal"}, format="json")
    assert r.status_code == 400
    assert item.custody_events.count() == 2


def test_created_case_puts_creator_on_team(member_api, member):
    r = member_api.post("/api/cases/", {"caption": "People v. New"}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["team"][0]["username"] == "member"
    assert member_api.delete(f"/api/cases/{r.json()['id']}/").status_code == 405


# --- privacy --------------------------------------------------------------------------------------

def test_private_person_never_named(member_api, case):
    body = member_api.get("/api/people/").content.decode()
    assert PRIVATE_NAME not in body
    people = member_api.get("/api/people/").json()["results"]
    by_label = {p["label"]: p for p in people}
    assert by_label["witness 1 (neighbour)"]["display_name"] == "witness 1 (neighbour)"
    assert by_label["witness 1 (neighbour)"]["name"] == ""
    assert by_label["petitioner"]["name"] == "Client Publicname"
    for endpoint in LIST_ENDPOINTS:
        assert PRIVATE_NAME not in member_api.get(f"/api/{endpoint}/").content.decode(), endpoint


def test_a_private_person_cannot_be_named_through_the_api(member_api, case):
    r = member_api.post("/api/people/", {"case": case.pk, "kind": "witness", "label": "witness 2",
                                         "name": "Some Body", "is_public": False}, format="json")
    assert r.status_code == 400
    r = member_api.post("/api/people/", {"case": case.pk, "kind": "official", "label": "prosecutor",
                                         "name": "Pat Official", "is_public": True}, format="json")
    assert r.status_code == 201 and r.json()["display_name"].startswith("Pat Official")


# --- chain of custody: append-only ----------------------------------------------------------------

def test_custody_event_append_only(member_api, case, member):
    item = case.evidence_items.first()
    r = member_api.post("/api/custody-events/", {"evidence_item": item.pk, "from_party": "lab",
                                                 "to_party": "court", "purpose": "trial",
                                                 "seal_condition": "intact", "sequence": 99, "hash": "0" * 64},
                        format="json")
    assert r.status_code == 201, r.content
    ev = r.json()
    assert ev["sequence"] == 3 and ev["recorded_by"] == "member" and ev["hash"] != "0" * 64
    assert ev["previous_hash"] == CustodyEvent.objects.get(evidence_item=item, sequence=2).hash
    assert verify_chain(item) == []
    url = f"/api/custody-events/{ev['id']}/"
    assert member_api.put(url, {"evidence_item": item.pk, "purpose": "x"}, format="json").status_code == 405
    assert member_api.patch(url, {"purpose": "x"}, format="json").status_code == 405
    assert member_api.delete(url).status_code == 405
    assert CustodyEvent.objects.get(pk=ev["id"]).purpose == "trial"


def test_custody_events_filter_by_item_and_case(member_api, case):
    item = case.evidence_items.first()
    assert len(ids(member_api.get(f"/api/custody-events/?evidence_item={item.pk}"))) == 2
    assert len(ids(member_api.get(f"/api/custody-events/?case={case.pk}"))) == 2


# --- DNA comparison -------------------------------------------------------------------------------

def nrc2_410(freqs: list[float], theta: float) -> float:
    """NRC II eq. 4.10a (homozygote) / 4.10b (heterozygote), by hand."""
    d = (1 + theta) * (1 + 2 * theta)
    if len(freqs) == 1:
        p = freqs[0]
        return (2 * theta + (1 - theta) * p) * (3 * theta + (1 - theta) * p) / d
    p, q = freqs
    return 2 * (theta + (1 - theta) * p) * (theta + (1 - theta) * q) / d


@pytest.mark.parametrize("theta", [0.0, 0.01, 0.03])
def test_dna_compare_matches_hand_computation(member_api, case, theta):
    ev = STRProfile.objects.get(lab_result__request__case=case, kind="evidence")
    ref = STRProfile.objects.get(lab_result__request__case=case, kind="reference")
    r = member_api.post(f"/api/str-profiles/{ev.pk}/compare/", {"reference": ref.pk, "theta": theta}, format="json")
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["conclusion"] == "inclusion"
    by_pop = {x["population"]: x for x in out["results"]}
    for table in load_population_set("NIST1036"):
        f = table.freqs
        log10_lr = -sum(math.log10(nrc2_410(fs, theta)) for fs in (
            [f["D8S1179"]["13"], f["D8S1179"]["14"]], [f["TH01"]["6"], f["TH01"]["7"]], [f["FGA"]["22"]]))
        assert by_pop[table.name]["log10_lr"] == pytest.approx(log10_lr, rel=1e-12)
        assert by_pop[table.name]["theta"] == theta
    assert out["most_conservative"] == min(by_pop.values(), key=lambda x: x["log10_lr"])["population"]


def test_dna_compare_exclusion_and_bad_input(member_api, case, other_case):
    ev = STRProfile.objects.get(lab_result__request__case=case, kind="evidence")
    ref = STRProfile.objects.get(lab_result__request__case=case, kind="reference")
    other_ref = STRProfile.objects.get(lab_result__request__case=other_case, kind="reference")
    url = f"/api/str-profiles/{ev.pk}/compare/"
    assert member_api.post(url, {"reference": other_ref.pk}, format="json").status_code == 404
    assert member_api.post(url, {"reference": ref.pk, "theta": 1.5}, format="json").status_code == 400
    assert member_api.post(f"/api/str-profiles/{ref.pk}/compare/", {"reference": ev.pk},
                           format="json").status_code == 400
    ref.loci = {**ref.loci, "FGA": ["21", "22"]}
    ref.save()
    out = member_api.post(url, {"reference": ref.pk}, format="json").json()
    assert out["conclusion"] == "exclusion"
    assert all(x["log10_lr"] is None for x in out["results"])


def test_str_profile_validation(member_api, case):
    res = case.lab_requests.first().results.first()
    r = member_api.post("/api/str-profiles/", {"lab_result": res.pk, "kind": "evidence", "sample_name": "E2",
                                               "loci": {"NOT_A_LOCUS": ["1"]}}, format="json")
    assert r.status_code == 400 and "loci" in r.json()


# --- timeline, filters, pagination ------------------------------------------------------------------

def test_timeline(member_api, case):
    r = member_api.get(f"/api/cases/{case.pk}/timeline/")
    assert r.status_code == 200
    assert [e["what"] for e in r.json()] == ["crime", "Superior Court — verdict"]


def test_filters_and_pagination(member_api, member, case):
    from .conftest import build_case
    for i in range(3):
        build_case(f"People v. Extra {i}", members=[member], death=(i == 0))
    assert member_api.get("/api/cases/?page_size=2").json()["count"] == 4
    assert len(member_api.get("/api/cases/?page_size=2").json()["results"]) == 2
    assert [c["caption"] for c in member_api.get("/api/cases/?death_sentence=true").json()["results"]] == \
        ["People v. Extra 0"]
    assert member_api.get("/api/cases/?search=Extra").json()["count"] == 3
    assert member_api.get(f"/api/evidence-items/?case={case.pk}").json()["count"] == 1
    assert member_api.get("/api/cases/?stage=closed").json()["count"] == 0


# --- schema and docs ------------------------------------------------------------------------------

def test_schema_lists_the_endpoints(member_api):
    r = member_api.get("/api/schema/?format=json")
    assert r.status_code == 200
    paths = json.loads(r.content)["paths"]
    for p in ["/api/cases/", "/api/cases/{id}/timeline/", "/api/people/", "/api/convictions/",
              "/api/evidence-items/", "/api/custody-events/", "/api/lab-requests/", "/api/lab-results/",
              "/api/str-profiles/", "/api/str-profiles/{id}/compare/", "/api/timeline-events/"]:
        assert p in paths, p
    assert set(paths["/api/custody-events/{id}/"]) == {"get", "parameters"} or \
        set(paths["/api/custody-events/{id}/"]) == {"get"}


def test_docs_pages_need_no_cdn(member_api):
    for url in ("/api/docs/", "/api/redoc/"):
        r = member_api.get(url)
        assert r.status_code == 200
        html = r.content.decode()
        assert "cdn.jsdelivr" not in html and "unpkg.com" not in html, url


def test_token_sign_in_is_throttled_with_a_clear_answer(db, client, django_user_model, settings):
    settings.AXES_ENABLED = True
    django_user_model.objects.create_user("api-user", password="the-right-password-1")
    answers = [client.post("/api/auth/token/", {"username": "api-user", "password": "wrong"}).status_code
               for _ in range(5)]
    assert answers == [400, 400, 400, 400, 429]  # AXES_FAILURE_LIMIT = 5: the fifth failure locks
    r = client.post("/api/auth/token/", {"username": "api-user", "password": "the-right-password-1"})
    assert r.status_code == 429 and "locked" in r.json()["detail"]
