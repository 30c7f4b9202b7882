"""Shipped tables (no ../shared needed) and every real frequency file in ../shared/data."""

from __future__ import annotations

import csv
import math

import pytest

from habeas.dna.errors import DNAError
from habeas.dna.formats import read_frequencies
from habeas.dna.tables import list_tables, load_population_set, load_table, load_tables
from dna_shared import SHARED_DNA


def test_registry_lists_all_shipped_tables():
    infos = {t.name: t for t in list_tables()}
    assert len(infos) == 20
    assert {n for n in infos if n.startswith("NIST1036_")} == {
        "NIST1036_AfAm", "NIST1036_Cauc", "NIST1036_Hisp", "NIST1036_Asian"}
    assert sum(n.startswith("FBI2015_") for n in infos) == 12
    assert sum(n.startswith("UKDNA17_") for n in infos) == 4
    # N published by Steffen et al. 2017: 342 + 361 + 236 + 97 = 1036
    assert [infos[f"NIST1036_{p}"].n_individuals for p in ("AfAm", "Cauc", "Hisp", "Asian")] == [342, 361, 236, 97]
    assert infos["NIST1036_Cauc"].n_loci == 29
    assert infos["FBI2015_Caucasian"].n_individuals == 202  # 404 alleles typed (Moretti 2016)
    assert infos["UKDNA17_Chinese_EA5"].n_basis.startswith("INFERRED")


def test_population_sets_and_names():
    nist = load_population_set("nist1036")
    assert [t.name for t in nist] == ["NIST1036_AfAm", "NIST1036_Cauc", "NIST1036_Hisp", "NIST1036_Asian"]
    assert load_tables(None) == nist
    assert len(load_tables(["FBI2015", "NIST1036_Cauc"])) == 13
    with pytest.raises(DNAError):
        load_population_set("NIST2000")
    with pytest.raises(DNAError, match="shipped tables"):
        load_table("no_such_table")


@pytest.mark.parametrize("info", list_tables(), ids=lambda i: i.name)
def test_shipped_table_is_sound(info):
    t = load_table(info.name)
    for locus, fs in t.freqs.items():
        assert all(0 < f <= 1 for f in fs.values())
        # frequencies stored as counted: each locus sums to 1 (NIST and FBI tables list every
        # allele seen) — an independent check that nothing was lost in the copy
        assert math.fsum(fs.values()) == pytest.approx(1.0, abs=2e-3), locus
        assert t.n_individuals[locus] > 0


def test_nist_counts_are_whole_over_2n():
    # Every NIST 1036 Caucasian frequency x 2N (N = 361) is a whole allele count.
    t = load_table("NIST1036_Cauc")
    for locus, fs in t.freqs.items():
        for f in fs.values():
            assert abs(f * 722 - round(f * 722)) < 1e-6


def test_nist_n_matches_raw_genotypes():
    raw = SHARED_DNA / "nist1036" / "raw" / "NIST1036_genotypes.csv"
    if not raw.exists():
        pytest.skip("needs ../shared/data/dna/nist1036/raw/NIST1036_genotypes.csv")
    rows = list(csv.reader(raw.open()))
    counts: dict[str, int] = {}
    for r in rows[1:]:
        counts[r[1]] = counts.get(r[1], 0) + 1
    assert counts == {"AA": 342, "Cauc": 361, "Hisp": 236, "Asian": 97}
    assert load_table("NIST1036_AfAm").n_individuals["TPOX"] == 341  # one TPOX genotype missing


def _shared_tables():
    pats = ["nist1036/NIST1036_*.csv", "fbi2015/FBI2015_*.csv", "ukdna17/UKDNA17_*.csv",
            "forrel/NorwegianFrequencies.csv", "euroformix/FreqDatabases/*.csv",
            "smartrank/statistics/STRBASE_frequencies_2015-02-09_Europe.csv"]
    files = sorted(str(p.relative_to(SHARED_DNA)) for pat in pats for p in SHARED_DNA.glob(pat))
    return files or ["<absent>"]


@pytest.mark.shared
@pytest.mark.parametrize("rel", _shared_tables())
def test_every_real_frequency_table_loads(rel):
    if rel == "<absent>":
        pytest.skip("needs ../shared/data/dna (shared data folder absent)")
    path = SHARED_DNA / rel
    if "euroformix" in rel or "smartrank" in rel:
        pytest.importorskip("habeas.dna.formats.lrmix", reason="wide-layout reader not landed yet")
    t = read_frequencies(path)
    assert len(t.loci) >= 10
    for fs in t.freqs.values():
        assert fs and all(0 < f <= 1 for f in fs.values())
