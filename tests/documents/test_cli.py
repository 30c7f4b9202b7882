"""``habeas documents add`` and ``habeas search``."""

import json

from habeas.cli import main
from habeas.documents.models import Document


def test_add_and_search(case, demo_file, capsys):
    rc = main(["documents", "add", str(case.pk), str(demo_file("255_F3d_1104.excerpt.pdf")),
               str(demo_file("255_F3d_1104.excerpt.pdf")), "--kind", "court_opinion"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "duplicate" in out and "ready — 2 page(s)" in out
    assert Document.objects.get(case=case).kind == "court_opinion"
    assert main(["search", str(case.pk), '"Institute for Men"', "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 1 and data["hits"][0]["page"] == 2
    assert "**Institute for Men**" in data["hits"][0]["snippet"]
    assert main(["search", str(case.pk), "escaped"]) == 0
    assert "page 2" in capsys.readouterr().out


def test_no_wait_queues_and_bad_case(case, demo_file, capsys):
    assert main(["documents", "add", str(case.pk), str(demo_file("357_F3d_1019.excerpt.pdf")), "--no-wait"]) == 0
    assert Document.objects.get(case=case).status == "queued"
    assert main(["documents", "work"]) == 0
    assert Document.objects.get(case=case).status == "ready"
    assert main(["search", "999999", "x"]) == 2
    assert "no case with id 999999" in capsys.readouterr().err
