"""``habeas reference import`` and ``habeas reference stats``."""

import json

import pytest

from habeas.cli import main

pytestmark = pytest.mark.django_db


def test_import_prints_counts(capsys, nre2024, dpic):
    assert main(["reference", "import", str(nre2024), str(dpic), "--retrieved", "2024-05-26"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("nre_2024_sample.csv: nre-2024 → nre-2024-2024-01-16: read 8, added 6, updated 0, "
                      "unchanged 0, rejected 2")
    assert "  rejected row 9: no State" in out
    assert any(line.startswith("dpic_sample.csv: dpic → dpic-2013-05-15: read 6, added 5") for line in out)
    assert main(["reference", "import", "--no-charts", str(nre2024)]) == 0
    assert "read 8, added 0, updated 0, unchanged 6, rejected 2" in capsys.readouterr().out


def test_import_kind_and_bad_columns(capsys, tmp_path, nre2024):
    bad = tmp_path / "nre.csv"
    bad.write_text(nre2024.read_text().replace("MWID,OM,", "MWID,OMX,", 1))
    assert main(["reference", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("habeas: error: nre.csv: missing column 'OM'; unexpected column 'OMX'")
    assert "nothing imported" in err
    assert main(["reference", "import", "--kind", "executions", str(nre2024)]) == 2
    assert "no known layout" in capsys.readouterr().err
    assert main(["reference", "import", "--retrieved", "May 2024", str(nre2024)]) == 2
    assert "--retrieved" in capsys.readouterr().err


def test_stats_json(capsys, imported):
    assert main(["reference", "stats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_slug = {d["slug"]: d for d in data["datasets"]}
    nre = by_slug["nre-2024-2024-01-16"]
    # hand counts of the sample (see the fixture file)
    assert nre["total"] == 6 and nre["dna"] == 2 and nre["death_sentence"] == 1
    assert nre["factors"] == {"MWID": 3, "FC": 1, "P/FA": 3, "F/MFE": 1, "OM": 3, "ILD": 1}
    assert nre["retrieved_on"] == "2024-05-26" and nre["file"] == "nre_2024_sample.csv"
    dp = by_slug["dpic-2013-05-15"]
    assert dp["by_state"] == {"TX": 3, "AR": 1, "SC": 1}
    assert (dp["first"], dp["last"]) == ("1986-01-10", "2013-05-15")
    assert main(["reference", "stats"]) == 0
    assert "nre-2024-2024-01-16" in capsys.readouterr().out
