"""`habeas dna mixture`: option names, JSON output, errors (exit 2, one line on stderr)."""

from __future__ import annotations

import argparse
import json

import pytest

from habeas.cli import dna_mixture


def _files(tmp_path):
    (tmp_path / "stain.csv").write_text(
        "SampleName,Marker,Allele1,Allele2,Allele3,Allele4\n"
        "R1,vWA,12,13,14,\nR1,TH01,6,7,9.3,\nR2,vWA,12,13,14,\nR2,TH01,6,7,,\n")
    (tmp_path / "victim.csv").write_text("SampleName,Marker,Allele1,Allele2\n"
                                         "V,vWA,12,13\nV,TH01,6,7\n")
    (tmp_path / "poi.csv").write_text("SampleName,Marker,Allele1,Allele2\n"
                                      "S,vWA,14,14\nS,TH01,9.3,9.3\n")
    (tmp_path / "freqs.csv").write_text('"Allele","vWA","TH01"\n"6",,"0,2"\n"7",,"0,3"\n'
                                        '"9.3",,"0,5"\n"12","0,15",\n"13","0,15",\n'
                                        '"14","0,15",\n"15","0,55",\n')
    return tmp_path


ARGS = ["--known", "victim.csv", "--poi", "poi.csv", "--unknowns-hp", "0",
        "--unknowns-hd", "1", "--dropout-known", "0.05", "--dropout-poi", "0.1",
        "--dropout-unknown-hp", "0.1", "--dropout-unknown-hd", "0.1", "--dropin", "0.05",
        "--theta", "0.01", "--freqs", "freqs.csv", "--rare-freq", "0.001"]


def test_json_output(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(_files(tmp_path))
    rc = dna_mixture.main(["--sample", "stain.csv", *ARGS, "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0
    assert out["replicates"] == ["R1", "R2"]
    assert [l["locus"] for l in out["loci"]] == ["vWA", "TH01"]
    assert out["log10_lr"] == pytest.approx(sum(l["log10_lr"] for l in out["loci"]))
    assert out["hp"]["description"] == "known V + POI S"
    assert out["hd"]["unknowns"] == 1 and out["hd"]["non_contributors"] == ["S"]
    assert out["parameters"] == {"dropin": 0.05, "theta": 0.01, "rare_allele_frequency": 0.001,
                                 "dropin_allele_frequency": None}
    assert out["noc"]["lower_bound"] == 2


def test_library_agrees_with_cli(tmp_path, monkeypatch, capsys):
    from habeas.dna.formats.lrmix import read_lrmix_profiles, read_wide_frequencies
    from habeas.dna.mixture import MixtureParameters, likelihood_ratio, standard_propositions

    monkeypatch.chdir(_files(tmp_path))
    dna_mixture.main(["--sample", "stain.csv", *ARGS, "--json"])
    out = json.loads(capsys.readouterr().out)
    hp, hd = standard_propositions(
        read_lrmix_profiles("poi.csv")[0], read_lrmix_profiles("victim.csv"), unknowns_hp=0,
        unknowns_hd=1, dropout_poi=0.1, dropout_knowns=[0.05], dropout_unknown_hp=0.1,
        dropout_unknown_hd=0.1)
    r = likelihood_ratio(read_lrmix_profiles("stain.csv"), hp, hd,
                         read_wide_frequencies("freqs.csv"),
                         MixtureParameters(0.05, 0.01, 0.001))
    assert out["log10_lr"] == pytest.approx(r.log10_lr, rel=1e-14)


def test_replicates_across_files_estimate_and_plot(tmp_path, monkeypatch, capsys):
    d = _files(tmp_path)
    (d / "stain2.csv").write_text("SampleName,Marker,Allele1,Allele2,Allele3\n"
                                  "R3,vWA,12,14,\nR3,TH01,6,7,9.3\n")
    monkeypatch.chdir(d)
    rc = dna_mixture.main(["--sample", "stain.csv", "--sample", "stain2.csv", *ARGS,
                           "--estimate-dropout", "--iterations", "200",
                           "--sensitivity-plot", "plot.svg", "--noc"])
    text = capsys.readouterr().out
    assert rc == 0
    assert "Combined log10 LR" in text and "Drop-out estimate under Hp" in text
    assert "Replicates: R1, R2, R3" in text
    assert (d / "plot.svg").read_bytes().lstrip().startswith(b"<?xml")


@pytest.mark.parametrize("extra,msg", [
    (["--dropout-poi", "1.5"], "must lie in [0, 1]"),
    (["--dropout-known", "0.1"], "2 --dropout-known"),
    (["--freqs", "nosuchtable"], "nosuchtable"),
    (["--known", "missing.csv", "--dropout-known", "0.1"], "missing.csv"),
    (["--dropin", "1"], "drop-in probability must lie in [0, 1)"),
])
def test_errors_exit_2_with_one_line(tmp_path, monkeypatch, capsys, extra, msg):
    monkeypatch.chdir(_files(tmp_path))
    rc = dna_mixture.main(["--sample", "stain.csv", *ARGS, *extra])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.count("\n") == 1 and msg in err


def test_missing_allele_without_rare_rule(tmp_path, monkeypatch, capsys):
    d = _files(tmp_path)
    (d / "poi.csv").write_text("SampleName,Marker,Allele1,Allele2\nS,vWA,14,22\nS,TH01,9.3,9.3\n")
    monkeypatch.chdir(d)
    args = [a for a in ARGS if a not in ("--rare-freq", "0.001")]
    rc = dna_mixture.main(["--sample", "stain.csv", *args])
    assert rc == 2 and "allele 22 at vWA" in capsys.readouterr().err


def test_register_adds_exact_option_names():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd")
    p = dna_mixture.register(sub)
    names = {o for a in p._actions for o in a.option_strings}
    assert {"--sample", "--known", "--poi", "--unknowns-hp", "--unknowns-hd",
            "--dropout-known", "--dropout-poi", "--dropout-unknown-hp",
            "--dropout-unknown-hd", "--dropin", "--theta", "--freqs", "--rare-freq",
            "--json", "--estimate-dropout", "--sensitivity-plot"} <= names
    args = parser.parse_args(["mixture", "--sample", "a", "b", "--freqs", "x",
                              "--known", "k1", "--known", "k2", "--dropout-known", "0.1",
                              "--dropout-known", "0.2"])
    assert args.sample == ["a", "b"] and args.known == ["k1", "k2"]
    assert args.dropout_known == [0.1, 0.2] and args.handler is dna_mixture.run


def test_a_percentile_outside_0_50_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(_files(tmp_path))
    rc = dna_mixture.main(["--sample", "stain.csv", *ARGS, "--estimate-dropout", "--percentile", "150"])
    assert rc == 2 and "argument --percentile: 150 is not between 0 and 50" in capsys.readouterr().err
