"""import → export → import loses nothing."""

from __future__ import annotations

import json

import jsonschema
import pytest
from django.contrib.auth import get_user_model

from habeas.cases.exporter import dumps, export_case
from habeas.cases.importer import case_schema, import_case, import_case_text

pytestmark = pytest.mark.django_db


def roundtrip(text: str) -> tuple[dict, dict]:
    first = export_case(import_case_text(text, "first.json"))
    second = export_case(import_case_text(dumps(first), "second.json"))
    return first, second


def test_demo_round_trip(demo_text, demo_data, fixture_case):
    first, second = roundtrip(demo_text)
    assert first == second
    jsonschema.validate(first, case_schema())
    # spot checks against the source file
    a41 = next(e for e in first["evidence_items"] if e["item_number"] == "A-41")
    fixture_a41 = next(e for e in fixture_case["evidence_items"] if e["id"] == "EV-A41")
    assert a41["source"] == fixture_a41["source"]
    assert a41["collected_on"] == "1983-06" and a41["collected_on_text"] == fixture_a41["collection"]["when"]
    assert first["convictions"][0]["death_sentence"] is True
    assert first["case"]["field_sources"] == demo_data["case"]["field_sources"]
    assert [t["date_text"] or t["date"] for t in first["timeline"]][:3] == ["1983-06-02", "1983-06-02/04",
                                                                             "1983-06-04/05"]
    assert len(first["timeline"]) == len(demo_data["timeline"])


FULL = {
    "format": "habeas-case", "version": 1, "external_id": "t-1",
    "case": {"caption": "People v. Doe", "stage": "investigation", "opened_on": "2024-01-02",
             "field_sources": {"court": {"source": "R.T. 1", "confidence": "reported"}}},
    "team": [{"username": "alice", "role": "investigator"}],
    "people": [{"id": "doe", "kind": "client", "label": "petitioner", "public": True, "name": "John Doe"},
               {"id": "w1", "kind": "witness", "label": "witness 1", "facts": [{"fact": "saw a car", "source": "x"}]}],
    "convictions": [{"defendant": "doe", "conviction_date": "1990-03", "death_sentence": False,
                     "offenses": [{"description": "robbery", "statute": "§ 211", "counts": 2}]}],
    "claims": [{"id": "c", "ground": "brady", "description": "suppressed report"}],
    "contributing_factors": [{"factor": "om", "status": "established", "claim": "c"}],
    "evidence_items": [{"item_number": "1", "description": "swab", "kind": "biological", "status": "in_custody",
                        "custody": [{"occurred": "1990", "from_party": "police", "to_party": "lab",
                                     "seal_condition": "intact", "recorded_by": "alice"},
                                    {"occurred": "1991-05-06", "purpose": "testing", "seal_condition": "broken"}]}],
    "lab_requests": [{"items": ["1"], "test_kind": "y_str", "ordered_by": "court", "status": "completed",
                      "results": [{"finding": "exclusion", "conclusion": "excluded", "report_date": "1992-01-15",
                                   "profiles": [{"kind": "evidence", "sample_name": "1-a", "evidence_item": "1",
                                                 "loci": {"D3S1358": [15, 16], "AMEL": ["X", "Y"]},
                                                 "heights": {"D3S1358": [1200, 980]}, "is_mixture": False},
                                                {"kind": "reference", "sample_name": "ref", "person": "doe",
                                                 "loci": {"D3S1358": [14, "9.3"]}}]}]}],
    "decisions": [{"body": "Court of Appeal", "decided": "1993-07-01", "kind": "opinion"}],
    "timeline": [{"date": "1990-03", "what": "verdict", "evidence_item": "1"}],
    "notes": [{"text": "privileged thought", "privileged": True, "author": "alice",
               "created_at": "2024-02-03T04:05:06+00:00"}],
    "tasks": [{"title": "find the lab file", "assignee": "alice", "due_on": "2024-03-01", "done": False}],
}


def test_every_section_round_trips():
    get_user_model().objects.create_user("alice")
    first, second = roundtrip(json.dumps(FULL))
    assert first == second
    jsonschema.validate(first, case_schema())
    assert first["team"] == [{"username": "alice", "role": "investigator"}]
    assert first["evidence_items"][0]["custody"][0]["recorded_by"] == "alice"
    assert first["lab_requests"][0]["results"][0]["profiles"][1]["person"] == first["people"][0]["id"]
    assert first["notes"][0]["created_at"].startswith("2024-02-03T04:05:06")
    assert first["contributing_factors"][0]["claim"] == first["claims"][0]["id"]
    assert first["convictions"][0]["conviction_date"] == "1990-03"


def test_import_from_path_and_binary_stream(tmp_path):
    path = tmp_path / "doe.json"
    path.write_text(json.dumps(FULL), encoding="utf-8")
    assert import_case(path).caption == "People v. Doe"
    with path.open("rb") as fh:
        assert import_case(fh).caption == "People v. Doe"
