"""CPI / CPE (Budowle et al. 2009; SWGDAM 2017; Bieber et al. 2016), checked by hand."""

from __future__ import annotations

import math

import pytest

from habeas.dna.cpi import combined_probability_of_inclusion, probability_of_inclusion
from habeas.dna.frequencies import FrequencyTable
from habeas.dna.profile import Profile

T = FrequencyTable("T", {"D8S1179": {"10": 0.1, "12": 0.15, "13": 0.3, "14": 0.2},
                         "TH01": {"6": 0.2, "7": 0.2, "8": 0.1, "9.3": 0.3},
                         "FGA": {"20": 0.13, "21": 0.17, "22": 0.2}},
                   n_individuals={"D8S1179": 100, "TH01": 100, "FGA": 100})


def test_pi_is_square_of_summed_frequencies():
    assert probability_of_inclusion([0.1, 0.15, 0.3, 0.2]) == pytest.approx(0.75 ** 2)
    # subpopulation form: P^2 + θP(1-P)
    assert probability_of_inclusion([0.5], theta=0.01) == pytest.approx(0.25 + 0.01 * 0.25)


def test_cpi_cpe_by_hand_and_dropout_loci_excluded():
    mix = Profile.from_mapping(
        "mix", {"D8S1179": ["10", "12", "13", "14"], "TH01": ["6", "7", "8", "9.3"],
                "FGA": ["20", "21", "22"], "AMEL": ["X", "Y"]},
        heights={"D8S1179": [400, 380, 900, 850], "TH01": [300, 320, 90, 700],
                 "FGA": [500, 450, 600]})
    r = combined_probability_of_inclusion(mix, T, stochastic_threshold=200)
    # TH01 has allele 8 at 90 RFU < 200: drop-out possible -> excluded; AMEL never used
    assert r.loci_used == ["D8S1179", "FGA"]
    assert set(r.loci_excluded) == {"TH01", "AMEL"}
    th01 = next(l for l in r.loci if l.locus == "TH01")
    assert th01.excluded and "below the stochastic threshold" in th01.reason and th01.pi is None
    expected = (0.1 + 0.15 + 0.3 + 0.2) ** 2 * (0.13 + 0.17 + 0.2) ** 2  # 0.5625 * 0.25
    assert r.cpi == pytest.approx(expected)
    assert r.cpe == pytest.approx(1 - expected)
    assert r.log10_cpi == pytest.approx(math.log10(0.140625))
    # without the threshold, TH01 counts: PI = (0.8)^2
    r2 = combined_probability_of_inclusion(mix, T)
    assert r2.cpi == pytest.approx(expected * 0.64)
    assert any("no stochastic threshold" in w for w in r2.warnings)
    # caller-flagged locus is excluded
    r3 = combined_probability_of_inclusion(mix, T, dropout_loci=["fga"])
    assert r3.cpi == pytest.approx(0.5625 * 0.64) and "FGA" in r3.loci_excluded


def test_cpi_rare_allele_and_no_heights_warning():
    mix = Profile.from_mapping("mix", {"FGA": ["20", "30"]})
    r = combined_probability_of_inclusion(mix, T, stochastic_threshold=150)
    assert r.cpi == pytest.approx((0.13 + 0.025) ** 2)
    assert any("5/(2×100)" in w for w in r.warnings)
    assert any("no peak heights" in w for w in r.warnings)


def test_cpe_precise_for_tiny_cpi():
    t = FrequencyTable("t", {"TH01": {"6": 1e-6}})
    r = combined_probability_of_inclusion(Profile.from_mapping("m", {"TH01": ["6"]}), t,
                                          rare_allele=__import__("habeas.dna.genotype", fromlist=["x"]).RareAlleleRule("none"))
    assert r.cpi == pytest.approx(1e-12)
    assert r.cpe == pytest.approx(1 - 1e-12, abs=1e-18)


def test_no_usable_locus():
    r = combined_probability_of_inclusion(Profile.from_mapping("m", {"AMEL": ["X"]}), T)
    assert r.log10_cpi is None and r.cpi is None and r.cpe is None
