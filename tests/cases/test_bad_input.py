"""Malformed case files are rejected whole, naming file, line and field, and nothing is written."""

from __future__ import annotations

import json

import pytest

from habeas.cases import importer
from habeas.cases.importer import CaseImportError, import_case

from .conftest import write

pytestmark = pytest.mark.django_db


def line_containing(text: str, needle: str) -> int:
    [line] = [i for i, ln in enumerate(text.splitlines(), 1) if needle in ln]
    return line


def rejected(tmp_path, rows, text: str, name: str = "bad.json") -> CaseImportError:
    path = write(tmp_path, name, text)
    before = rows()
    with pytest.raises(CaseImportError) as info:
        import_case(path)
    assert rows() == before, "nothing may be written"
    assert str(info.value).startswith(f"{path}: line ")
    return info.value


def test_bad_json_syntax(tmp_path, rows, demo_text):
    lines = demo_text.splitlines()
    lines[40] = lines[40].rstrip(",")  # drop a comma between members
    err = rejected(tmp_path, rows, "\n".join(lines))
    assert err.line in (41, 42)
    assert "invalid JSON" in str(err)


def test_schema_violation_deep_in_tree(tmp_path, rows, demo_data):
    demo_data["evidence_items"][3]["custody"][0]["seal_condition"] = "cracked-open"
    text = json.dumps(demo_data, indent=2, ensure_ascii=False)
    err = rejected(tmp_path, rows, text)
    assert err.field == "evidence_items[3].custody[0].seal_condition"
    assert err.line == line_containing(text, "cracked-open")
    assert f"line {err.line}: evidence_items[3].custody[0].seal_condition:" in str(err)
    assert "cracked-open" in str(err)


def test_missing_required_field_names_it(tmp_path, rows, demo_data):
    del demo_data["decisions"][5]["body"]
    text = json.dumps(demo_data, indent=2, ensure_ascii=False)
    err = rejected(tmp_path, rows, text)
    assert err.field == "decisions[5].body"
    assert "required field 'body' is missing" in str(err)


def test_unknown_field(tmp_path, rows, demo_data):
    demo_data["lab_requests"][0]["results"][0]["colour"] = "blue"
    text = json.dumps(demo_data, indent=2)
    err = rejected(tmp_path, rows, text)
    assert err.field == "lab_requests[0].results[0].colour"
    assert err.line == line_containing(text, '"colour"')


def test_lab_request_names_missing_item(tmp_path, rows, demo_data):
    demo_data["lab_requests"][4]["items"].append("Z-999")
    text = json.dumps(demo_data, indent=2)
    err = rejected(tmp_path, rows, text)
    assert err.field == f"lab_requests[4].items[{len(demo_data['lab_requests'][4]['items']) - 1}]"
    assert err.line == line_containing(text, "Z-999")
    assert "no evidence item 'Z-999'" in str(err)


def test_impossible_date(tmp_path, rows, demo_data):
    demo_data["timeline"][7]["date"] = "1983-02-30"
    text = json.dumps(demo_data, indent=2)
    err = rejected(tmp_path, rows, text)
    assert err.field == "timeline[7].date"
    assert err.line == line_containing(text, "1983-02-30")
    assert "impossible date" in str(err)


def test_duplicate_item_number(tmp_path, rows, demo_data):
    demo_data["evidence_items"][5]["item_number"] = "A-41"
    text = json.dumps(demo_data, indent=2)
    err = rejected(tmp_path, rows, text)
    assert err.field == "evidence_items[5].item_number"
    assert "duplicate item number 'A-41'" in str(err)


def test_private_person_may_not_be_named(tmp_path, rows, demo_data):
    victim = next(p for p in demo_data["people"] if p["kind"] == "victim")
    victim["name"] = "Jane Roe"
    text = json.dumps(demo_data, indent=2)
    err = rejected(tmp_path, rows, text)
    assert err.field.endswith(".name") and "private person" in str(err)
    assert err.line == line_containing(text, "Jane Roe")


def test_all_problems_listed(tmp_path, rows, demo_data):
    demo_data["timeline"][0]["date"] = "1983-13-01"
    demo_data["lab_requests"][0]["items"] = ["nope"]
    err = rejected(tmp_path, rows, json.dumps(demo_data, indent=2))
    assert len(err.problems) == 2 and "and 1 more problem" in str(err)


def test_wrong_format_marker(tmp_path, rows):
    err = rejected(tmp_path, rows, '{\n  "format": "other",\n  "version": 1,\n  "case": {"caption": "x"}\n}\n')
    assert (err.line, err.field) == (2, "format")


def test_failure_while_writing_rolls_back(tmp_path, rows, demo_text, monkeypatch):
    """A database error late in the write leaves no partial case behind."""
    from habeas.cases import models

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(models.TimelineEvent.objects, "create", boom)
    before = rows()
    with pytest.raises(RuntimeError):
        import_case(write(tmp_path, "ok.json", demo_text))
    assert rows() == before


def test_not_utf8(tmp_path, rows):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"case": {"caption": "Peña"}}'.encode("latin-1"))
    with pytest.raises(CaseImportError, match="not UTF-8"):
        importer.import_case(path)


@pytest.fixture
def training_data() -> dict:
    from habeas.cases.demo import TRAINING_FILE

    return json.loads(TRAINING_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("alleles", [["twenty", "25"], ["-3", "20"], ["1e9", "20"]])
def test_an_allele_that_is_no_designation_is_refused(tmp_path, rows, training_data, alleles):
    training_data["lab_requests"][0]["results"][0]["profiles"][4]["loci"]["FGA"] = alleles
    text = json.dumps(training_data, indent=2)
    err = rejected(tmp_path, rows, text)
    assert err.field == "lab_requests[0].results[0].profiles[4].loci.FGA"
    assert f"not an allele designation: {alleles[0]!r}" in str(err)


def test_three_alleles_in_a_single_source_profile_are_refused(tmp_path, rows, training_data):
    training_data["lab_requests"][0]["results"][0]["profiles"][0]["loci"]["FGA"] = ["20", "21", "22"]
    err = rejected(tmp_path, rows, json.dumps(training_data, indent=2))
    assert err.field == "lab_requests[0].results[0].profiles[0].loci.FGA"
    assert "3 alleles in a profile not marked as a mixture" in str(err)


def test_a_nul_character_is_refused(tmp_path, rows, training_data):
    training_data["case"]["summary"] = "before\u0000after"
    err = rejected(tmp_path, rows, json.dumps(training_data, indent=2))
    assert err.field == "case.summary" and "NUL" in str(err)


def test_absurdly_nested_json_is_an_error_not_a_crash(tmp_path, rows):
    err = rejected(tmp_path, rows, "[" * 100_000)
    assert "nested too deeply" in str(err)


def test_a_victim_cannot_be_made_public_and_named(tmp_path, rows, training_data):
    victim = next(p for p in training_data["people"] if p["kind"] == "victim")
    victim.update(public=True, name="Jane Roe")
    err = rejected(tmp_path, rows, json.dumps(training_data, indent=2))
    assert err.field.endswith(".public") and "kind 'victim' is private" in str(err)
