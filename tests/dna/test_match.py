"""Single-source comparison: policy, RMP / LR by hand, 5/2N, log10 without underflow."""

from __future__ import annotations

import math

import pytest

from habeas.dna.errors import DNAError
from habeas.dna.frequencies import FrequencyTable
from habeas.dna.match import (
    EXCLUSION, INCLUSION, INCONCLUSIVE, InterpretationPolicy, compare, compare_one,
    locus_conclusion,
)
from habeas.dna.profile import Profile
from habeas.dna.tables import load_population_set, load_table

T = FrequencyTable("T", {"D3S1358": {"15": 0.25, "16": 0.2}, "vWA": {"17": 0.3},
                         "TH01": {"6": 0.1, "9.3": 0.4}},
                   population="test", n_individuals={"D3S1358": 100, "vWA": 100, "TH01": 100})
EV = Profile.from_mapping("ev", {"D3S1358": ["15", "16"], "vWA": ["17", "17"], "TH01": ["6", "9.3"],
                                 "AMEL": ["X", "Y"]})


def hand_rmp(theta: float) -> float:
    """NRC II 4.10 written out by hand for the three loci of EV."""
    d = (1 + theta) * (1 + 2 * theta)
    het = lambda p, q: 2 * (theta + (1 - theta) * p) * (theta + (1 - theta) * q) / d
    hom = lambda p: (2 * theta + (1 - theta) * p) * (3 * theta + (1 - theta) * p) / d
    return het(0.25, 0.2) * hom(0.3) * het(0.1, 0.4)


@pytest.mark.parametrize("theta", [0.0, 0.01, 0.03])
def test_combined_rmp_and_lr_by_hand(theta):
    r = compare_one(EV, EV, T, theta=theta)
    assert r.conclusion == INCLUSION
    assert r.loci_used == ["D3S1358", "vWA", "TH01"]  # AMEL never used
    assert r.log10_rmp == pytest.approx(math.log10(hand_rmp(theta)), rel=1e-12)
    assert r.log10_lr == pytest.approx(-math.log10(hand_rmp(theta)), rel=1e-12)
    if theta == 0.0:  # product rule: 2pq * p^2 * 2pq
        assert r.rmp == pytest.approx(2 * .25 * .2 * .09 * 2 * .1 * .4)
    assert any("AMEL" in w for w in r.warnings)


def test_rare_allele_floor_is_used_and_reported():
    ev = Profile.from_mapping("ev", {"TH01": ["6", "11"]})
    r = compare_one(ev, ev, T, theta=0.0)
    (loc,) = r.loci
    assert loc.frequencies_used == {"6": 0.1, "11": pytest.approx(5 / 200)}
    assert loc.rmp == pytest.approx(2 * 0.1 * 0.025)
    assert any("5/(2×100)" in w and "11" in w for w in loc.warnings)


def test_nist_5_over_2n_uses_published_n():
    # NIST 1036 Asian: N = 97 individuals (Steffen et al. 2017) -> minimum 5/194
    ev = Profile.from_mapping("ev", {"D18S51": ["40"]})
    r = compare_one(ev, ev, load_table("NIST1036_Asian"), theta=0.0)
    assert r.loci[0].frequencies_used["40"] == pytest.approx(5 / 194)
    assert r.log10_rmp == pytest.approx(2 * math.log10(5 / 194))


def test_no_underflow_over_many_loci():
    loci = ["CSF1PO", "FGA", "TH01", "TPOX", "vWA", "D3S1358", "D5S818", "D7S820", "D8S1179",
            "D13S317", "D16S539", "D18S51", "D21S11", "D1S1656", "D2S441", "D2S1338", "D10S1248",
            "D12S391", "D19S433", "D22S1045", "Penta D", "Penta E", "SE33"]
    t = FrequencyTable("rare", {l: {"99": 1e-8} for l in loci})
    ev = Profile.from_mapping("ev", {l: ["99"] for l in loci})
    r = compare_one(ev, ev, t, theta=0.0)
    assert 10.0 ** (-16 * 23) == 0.0  # the plain product would underflow
    assert r.log10_rmp == pytest.approx(-16 * 23)
    assert r.log10_lr == pytest.approx(16 * 23)


POL = InterpretationPolicy(stochastic_threshold=200)


@pytest.mark.parametrize("ev,h,ref,expected", [
    (("15", "16"), None, ("15", "16"), INCLUSION),
    (("15", "16"), None, ("15", "17"), EXCLUSION),           # foreign + missing allele
    (("15",), (1500.0,), ("15", "16"), EXCLUSION),            # complete homozygote, ref has 16
    (("15",), (150.0,), ("15", "16"), INCONCLUSIVE),          # below ST: drop-out possible
    (("15",), (150.0,), ("15", "15"), INCONCLUSIVE),          # partial even when consistent
    (("17",), (150.0,), ("15", "16"), EXCLUSION),             # extra allele excludes even if partial
    ((), None, ("15", "16"), INCONCLUSIVE),                   # complete drop-out
    (None, None, ("15", "16"), INCONCLUSIVE),                 # not typed in evidence
    (("15", "16"), None, None, INCONCLUSIVE),                 # not typed in reference
    (("14", "15", "16"), None, ("15", "16"), INCONCLUSIVE),   # mixture at this locus
    (("15", "16"), (100.0, 90.0), ("15", "16"), INCLUSION),   # 2 alleles: complete even if low
])
def test_policy_table(ev, h, ref, expected):
    assert locus_conclusion("D3S1358", ev, ref, h, POL)[0] == expected


def test_analyst_flag_and_foreign_allele_switch():
    pol = InterpretationPolicy(dropout_loci=frozenset({"d3s1358"}))
    assert locus_conclusion("D3S1358", ("15",), ("15", "16"), None, pol)[0] == INCONCLUSIVE
    pol2 = InterpretationPolicy(dropout_loci=frozenset({"D3S1358"}), foreign_allele_excludes=False)
    assert locus_conclusion("D3S1358", ("17",), ("15", "16"), None, pol2)[0] == INCONCLUSIVE


def test_exclusion_has_no_statistic_and_inconclusive_loci_are_left_out():
    ref = Profile.from_mapping("ref", {"D3S1358": ["15", "16"], "vWA": ["17", "18"], "TH01": ["6", "9.3"]})
    r = compare_one(EV, ref, T)
    assert r.conclusion == EXCLUSION and r.log10_rmp is None and r.log10_lr is None
    ev = Profile.from_mapping("ev", {"D3S1358": ["15", "16"], "vWA": ["17"], "TH01": ["6", "9.3"]},
                              heights={"D3S1358": [900, 800], "vWA": [120], "TH01": [700, 650]})
    r = compare_one(ev, ref, T, theta=0.0, policy=POL)
    assert r.conclusion == INCLUSION
    assert r.loci_used == ["D3S1358", "TH01"]
    assert r.rmp == pytest.approx(2 * .25 * .2 * 2 * .1 * .4)


def test_min_inclusion_loci_and_empty_tables():
    ref = Profile.from_mapping("ref", {"D3S1358": ["15", "16"]})
    ev = Profile.from_mapping("ev", {"D3S1358": ["15", "16"]})
    assert compare_one(ev, ref, T, policy=InterpretationPolicy(min_inclusion_loci=2)).conclusion == INCONCLUSIVE
    with pytest.raises(DNAError):
        compare(ev, ref, [])
    with pytest.raises(DNAError):
        compare(ev, ref, [T], theta=1.2)


def test_most_conservative_population_is_largest_rmp():
    tables = load_population_set("NIST1036")
    ev = Profile.from_mapping("ev", {"D3S1358": ["15", "16"], "vWA": ["17", "18"],
                                     "TH01": ["6", "9.3"], "FGA": ["22", "24"]})
    res = compare(ev, ev, tables)
    assert [r.population for r in res.results] == [t.name for t in tables]
    largest = max(res.results, key=lambda r: r.log10_rmp)
    assert res.most_conservative == largest.population
    assert res.conservative is largest
    # independent: recompute each population's combined log10 RMP from the tables directly
    for r, t in zip(res.results, tables):
        th, d = 0.01, 1.01 * 1.02
        exp = 0.0
        for locus, (a, b) in [("D3S1358", ("15", "16")), ("vWA", ("17", "18")),
                              ("TH01", ("6", "9.3")), ("FGA", ("22", "24"))]:
            p, q = t.freqs[locus][a], t.freqs[locus][b]
            exp += math.log10(2 * (th + (1 - th) * p) * (th + (1 - th) * q) / d)
        assert r.log10_rmp == pytest.approx(exp, rel=1e-12)
    d = res.to_dict()
    assert d["most_conservative"] == largest.population and len(d["results"]) == 4
    import json
    json.dumps(d)  # plain JSON
