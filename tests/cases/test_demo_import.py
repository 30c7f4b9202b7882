"""The demo case imported from the shipped file, checked against the fixture it was converted from.

Expected values are read from the fixture (``case.json``, ``timeline.csv``), not from our code.
"""

from __future__ import annotations

import json

import pytest

from habeas.cases.demo import DEMO_FILE, load_demo
from habeas.cases.demo.convert import convert
from habeas.cases.models import Case, CustodyEvent, LabRequest, Person

pytestmark = pytest.mark.django_db


def test_counts_match_fixture(demo_case, fixture_case, fixture_timeline):
    assert demo_case.evidence_items.count() == len(fixture_case["evidence_items"]) == 17
    assert demo_case.timeline_events.count() == len(fixture_timeline) == 46
    assert demo_case.decisions.count() == len(fixture_case["decisions_and_actions"]) == 34
    assert demo_case.lab_requests.count() == len(fixture_case["tests"]) == 13
    assert demo_case.roles.count() == len(fixture_case["people"])
    found = [d for d in fixture_case["case"]["docket_numbers"] if not d["number"].startswith("not found")]
    assert demo_case.docket_numbers.count() == len(found) == 10
    assert demo_case.custody_records.count() == len(fixture_case["case"]["custody"])
    assert demo_case.record_gaps[:len(fixture_case["not_found"])] == fixture_case["not_found"]
    assert len(demo_case.record_gaps) == len(fixture_case["not_found"]) + 1  # + the docket not found


def test_a41(demo_case, fixture_case):
    source = next(e for e in fixture_case["evidence_items"] if e["id"] == "EV-A41")
    item = demo_case.evidence_items.get(item_number="A-41")
    assert source["description"] in item.description
    assert item.source == source["source"]
    assert item.confidence == source.get("confidence", "confirmed")
    assert item.collection_source == source["collection"]["source"]
    assert item.collected_at == source["collection"]["where"]
    assert item.collected_on.isoformat() == "1983-06-01" and item.collected_on_precision == "month"
    events = list(item.custody_events.order_by("sequence"))
    assert [e.description for e in events] == [c["event"] for c in source["custody"]]
    assert [e.source for e in events] == [c["source"] for c in source["custody"]]


def test_every_custody_event_keeps_its_source(demo_case, fixture_case):
    expected = sum(len(e["custody"]) for e in fixture_case["evidence_items"])
    events = CustodyEvent.objects.filter(evidence_item__case=demo_case)
    assert events.count() == expected
    assert all(e.source for e in events)


def test_conviction_and_death_sentence(demo_case, fixture_case):
    c = fixture_case["case"]
    conviction = demo_case.convictions.get()
    assert conviction.death_sentence is True and demo_case.death_sentence is True
    assert conviction.conviction_date.isoformat() == c["conviction"]["date"] == "1985-02-19"
    assert conviction.sentence == c["sentence"]["value"]
    assert conviction.sentence_source == c["sentence"]["source"]
    assert conviction.defendant.person.name == "Kevin Cooper"
    assert conviction.offenses.count() >= 1


def test_case_fields_keep_their_sources(demo_case, fixture_case):
    c = fixture_case["case"]
    assert demo_case.jurisdiction == c["jurisdiction"]["value"]
    assert demo_case.source_of("jurisdiction")["source"] == c["jurisdiction"]["source"]
    assert demo_case.source_of("court")["source"] == c["trial_court"]["source"]
    assert demo_case.source_of("conviction")["note"] == c["conviction"]["note"]
    dockets = {(d.court, d.number, d.source) for d in demo_case.docket_numbers.all()}
    assert dockets == {(d["court"], d["number"], d["source"]) for d in c["docket_numbers"]
                       if not d["number"].startswith("not found")}
    assert any("53 Cal.3d 771" in g for g in demo_case.record_gaps)  # the docket not found is a gap


def test_decisions_and_timeline_sources(demo_case, fixture_case, fixture_timeline):
    by_id = {d.external_id: d for d in demo_case.decisions.all()}
    for d in fixture_case["decisions_and_actions"]:
        assert by_id[d["id"]].source == d["source"]
        assert by_id[d["id"]].outcome == d["outcome"]
    events = list(demo_case.timeline_events.order_by("pk"))
    assert [e.what for e in events] == [r["event"] for r in fixture_timeline]
    assert [e.source for e in events] == [r["source"] for r in fixture_timeline]
    assert events[1].date_text == "1983-06-02/04"


def test_lab_requests_items_and_ordered_by(demo_case, fixture_case):
    for t in fixture_case["tests"]:
        request = demo_case.lab_requests.get(reference=t["id"])
        assert request.items.count() == len(t["items"])
        assert request.source == t["source"]
        assert request.results.get().conclusion == t["result"]
    assert set(LabRequest.objects.get(reference="T-2019-RETEST").items.values_list("item_number", flat=True)) >= {
        "EV-TSHIRT", "EV-TOWEL"}
    assert demo_case.lab_requests.get(reference="T-2019-RETEST").ordered_by == "governor"
    assert demo_case.lab_requests.get(reference="T-2004-EDTA-DEF").test_kind == "chemical"
    assert demo_case.lab_requests.get(reference="T-2004-MTDNA-HAIRS").test_kind == "mtdna"
    assert demo_case.lab_requests.get(reference="T-2004-MTDNA-HAIRS").ordered_by == "court"
    assert demo_case.lab_requests.get(reference="T-2002-DNA-A41").ordered_by == "defence"


def test_claims_and_factors_are_claimed_with_sources(demo_case):
    assert demo_case.claims.filter(ground="false_evidence").exists()
    factors = demo_case.contributing_factors.all()
    assert {f.factor for f in factors} >= {"f_mfe", "om"}
    assert all(f.status == "claimed" and f.source for f in factors)


def test_privacy_only_public_persons_named(demo_case, fixture_case):
    named = {r.person.name for r in demo_case.roles.select_related("person") if r.person.name}
    expected = {p["name"] for p in fixture_case["people"] if p.get("public")}
    assert named == expected
    assert not Person.objects.filter(is_public=False).exclude(name="").exists()


def test_load_demo_is_idempotent(demo_case):
    again, created = load_demo()
    assert (again.pk, created) == (demo_case.pk, False)
    assert Case.objects.count() == 1


def test_committed_demo_file_is_the_converter_output():
    assert json.loads(DEMO_FILE.read_text(encoding="utf-8")) == convert()
