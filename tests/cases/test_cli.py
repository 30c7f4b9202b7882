"""``habeas import case`` and ``habeas export case``."""

from __future__ import annotations

import json

import pytest

from habeas.cases.demo import DEMO_FILE
from habeas.cases.models import Case
from habeas.cli import main

from .conftest import write

pytestmark = pytest.mark.django_db


def test_import_prints_id_and_counts(capsys, fixture_case):
    assert main(["import", "case", str(DEMO_FILE)]) == 0
    out = capsys.readouterr().out
    case = Case.objects.get()
    assert f"imported case {case.pk}: {case.caption}" in out
    assert f"{len(fixture_case['evidence_items'])} evidence items" in out
    assert "46 timeline events" in out and "34 decisions" in out and "13 lab requests" in out


def test_export_to_stdout_and_file(capsys, tmp_path, demo_case):
    assert main(["export", "case", str(demo_case.pk)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "habeas-case" and len(data["evidence_items"]) == 17
    out = tmp_path / "out.json"
    assert main(["export", "case", str(demo_case.pk), "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == data
    capsys.readouterr()
    assert main(["export", "case", str(demo_case.pk), "-o", "-"]) == 0  # "-" is stdout
    assert json.loads(capsys.readouterr().out) == data


def test_export_then_import_again(capsys, tmp_path, demo_case):
    out = tmp_path / "again.json"
    assert main(["export", "case", str(demo_case.pk), "-o", str(out)]) == 0
    assert main(["import", "case", str(out)]) == 0
    assert Case.objects.count() == 2


def test_export_unknown_id(capsys, db):
    assert main(["export", "case", "999"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "habeas: error: no case with id 999"


def test_import_bad_file_one_line(capsys, tmp_path, demo_data):
    demo_data["evidence_items"][0]["status"] = "lost"
    path = write(tmp_path, "bad.json", json.dumps(demo_data, indent=2))
    assert main(["import", "case", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert f"{path}: line " in err and "evidence_items[0].status" in err
    assert Case.objects.count() == 0


def test_import_missing_file(capsys, tmp_path, db):
    assert main(["import", "case", str(tmp_path / "nope.json")]) == 2
    assert "No such file" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["import", "--help"], ["import", "case", "--help"],
                                  ["export", "--help"], ["export", "case", "--help"]])
def test_help(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 0
    assert "usage: habeas" in capsys.readouterr().out


def test_import_warns_about_team_members_with_no_account(capsys, tmp_path, db):
    data = {"format": "habeas-case", "version": 1, "case": {"caption": "State v. Petitioner C"},
            "team": [{"username": "no-such-attorney", "role": "attorney"}],
            "tasks": [{"title": "Request the trial exhibits", "assignee": "no-such-student"}]}
    path = tmp_path / "team.json"
    path.write_text(json.dumps(data))
    assert main(["import", "case", str(path)]) == 0
    err = capsys.readouterr().err
    assert "warning: no account here for no-such-attorney, no-such-student" in err
    case = Case.objects.get(caption="State v. Petitioner C")
    assert case.memberships.count() == 0 and case.tasks.get().assignee is None
