"""habeas dna compare / freqs through argparse (no database)."""

from __future__ import annotations

import argparse
import io
import json

import pytest

from habeas.cli import dna as cli_dna
from habeas.cli import main

EV = "sample,marker,allele,height\nstain,D3S1358,15,1200\nstain,D3S1358,16,1100\nstain,vWA,17,900\nstain,AMEL,X,800\n"
REF = "sample,marker,allele\nsus,D3S1358,15\nsus,D3S1358,16\nsus,vWA,17\nother,D3S1358,12\nother,vWA,17\n"


def parse(argv):
    parser = argparse.ArgumentParser(prog="habeas")
    cli_dna.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


@pytest.fixture
def files(tmp_path):
    ev, ref = tmp_path / "ev.csv", tmp_path / "ref.csv"
    ev.write_text(EV)
    ref.write_text(REF)
    return str(ev), str(ref)


def test_compare_json(files):
    ev, ref = files
    args = parse(["dna", "compare", "--evidence", ev, "--reference", ref, "--reference-sample", "sus",
                  "--freqs", "NIST1036_Cauc", "--theta", "0", "--json"])
    out = io.StringIO()
    assert args.handler(args, out=out) == 0
    d = json.loads(out.getvalue())
    assert d["conclusion"] == "inclusion" and d["most_conservative"] == "NIST1036_Cauc"
    (r,) = d["results"]
    from habeas.dna.tables import load_table
    t = load_table("NIST1036_Cauc").freqs
    expected = 2 * t["D3S1358"]["15"] * t["D3S1358"]["16"] * t["vWA"]["17"] ** 2
    assert r["rmp"] == pytest.approx(expected)
    assert r["loci_used"] == ["D3S1358", "vWA"]


def test_compare_text_default_nist(files):
    ev, ref = files
    args = parse(["dna", "compare", "--evidence", ev, "--reference", ref, "--reference-sample", "sus"])
    out = io.StringIO()
    args.handler(args, out=out)
    text = out.getvalue()
    for name in ("NIST1036_AfAm", "NIST1036_Cauc", "NIST1036_Hisp", "NIST1036_Asian", "Most conservative"):
        assert name in text
    assert "D3S1358" in text and "inclusion" in text


def test_ambiguous_sample_is_exit_2_one_line(files, capsys):
    ev, ref = files
    assert main(["dna", "compare", "--evidence", ev, "--reference", ref]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "sus" in err and "other" in err and "--reference-sample" in err


def test_bad_file_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("sample,marker,allele,height\ns,TH01,6,abc\n")
    assert main(["dna", "compare", "--evidence", str(bad), "--reference", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.csv:2" in err and "height" in err and "Traceback" not in err


def test_freqs_lists_shipped_tables(capsys):
    assert main(["dna", "freqs"]) == 0
    out = capsys.readouterr().out
    assert "NIST1036_Cauc" in out and "FBI2015_Navajo" in out and "361" in out
