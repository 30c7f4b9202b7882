"""Genotype probabilities: NRC II 4.1 / 4.4 / 4.10 against published numbers and an
independent Balding–Nichols sequential-sampling computation."""

from __future__ import annotations


import pytest

from habeas.dna.errors import DNAError, MissingFrequencyError
from habeas.dna.frequencies import FrequencyTable
from habeas.dna.genotype import (
    RareAlleleRule, genotype_probability, heterozygote_probability, homozygote_probability,
)


def bn_sequential(genotype: tuple[str, str], conditioning: list[str], p: dict[str, float],
                  theta: float) -> float:
    """Independent computation: P(unknown has `genotype` | `conditioning` alleles seen), by the
    Balding–Nichols sampling formula P(A | n seen, m of them A) = (mθ + (1-θ)p_A)/(1+(n-1)θ),
    summed over the orders in which the two alleles can be drawn."""
    total = 0.0
    orders = {genotype, genotype[::-1]}
    for first, second in orders:
        seen = list(conditioning)
        prob = 1.0
        for a in (first, second):
            n, m = len(seen), seen.count(a)
            prob *= (m * theta + (1 - theta) * p[a]) / (1 + (n - 1) * theta)
            seen.append(a)
        total += prob
    return total


# LRmix Studio, "Expected result for P15.txt" (test resource of smartrank/lrmixstudio,
# Example-p15-single-locus-single-donor, scenarios A and B): probabilities of the genotype
# of an unknown person U given the suspect 13/14 has been seen, p12 = p13 = p14 = 0.15.
LRMIX_P15 = [
    (0.0, ("12", "12"), 0.0225), (0.0, ("13", "13"), 0.0225), (0.0, ("12", "13"), 0.045),
    (0.0, ("13", "14"), 0.045),
    (0.1, ("12", "12"), 0.0240340909), (0.1, ("13", "13"), 0.05964015151),
    (0.1, ("14", "14"), 0.05964015151), (0.1, ("12", "13"), 0.04806818181),
    (0.1, ("12", "14"), 0.04806818181), (0.1, ("13", "14"), 0.0836742424),
]
P15 = {"12": 0.15, "13": 0.15, "14": 0.15}


@pytest.mark.parametrize("theta,g,expected", LRMIX_P15)
def test_published_lrmix_example_p15_unknown_genotype_given_suspect(theta, g, expected):
    from habeas.dna.kinship import conditional_genotype_probability

    # the independent sequential computation reproduces the published figure ...
    assert bn_sequential(g, ["13", "14"], P15, theta) == pytest.approx(expected, rel=1e-9)
    # ... and so does the library (IBD 0 = unrelated, conditioned on the suspect)
    assert conditional_genotype_probability(g, ("13", "14"), 0, P15, theta) == pytest.approx(
        expected, rel=1e-9)
    if g == ("13", "14"):  # U has the suspect's own genotype: the NRC II 4.10b match probability
        assert heterozygote_probability(0.15, 0.15, theta) == pytest.approx(expected, rel=1e-9)


def test_hardy_weinberg_nrc2_4_1_hand_values():
    # NRC II eq. 4.1a/4.1b: p^2 and 2pq. D21S11 example (dnaconnections.com): 2(.0124)(.1236) = .00306
    assert homozygote_probability(0.2, theta=0.0) == pytest.approx(0.04)
    assert heterozygote_probability(0.0124, 0.1236, theta=0.0) == pytest.approx(0.00306, abs=1e-5)
    assert heterozygote_probability(0.2, 0.3, theta=0.05, model="hw") == pytest.approx(0.12)


def test_nrc2_4_4a_homozygote():
    # NRC II 4.4a: p^2 + p(1-p)θ; heterozygote stays 2pq under recommendation 4.1
    p, th = 0.1, 0.03
    assert homozygote_probability(p, th, model="nrc2_4.4") == pytest.approx(0.01 + 0.1 * 0.9 * 0.03)
    assert heterozygote_probability(0.1, 0.2, th, model="nrc2_4.4") == pytest.approx(0.04)


@pytest.mark.parametrize("theta", [0.0, 0.01, 0.03, 0.1, 0.25])
@pytest.mark.parametrize("p,q", [(0.05, 0.2), (0.3, 0.011), (0.5, 0.5), (0.007, 0.9)])
def test_nrc2_4_10_equals_balding_nichols_sequential_sampling(theta, p, q):
    freqs = {"A": p, "B": q}
    # heterozygote: the suspect AB seen, the unknown AB drawn
    assert heterozygote_probability(p, q, theta) == pytest.approx(
        bn_sequential(("A", "B"), ["A", "B"], freqs, theta), rel=1e-12)
    # homozygote: the suspect AA seen, the unknown AA drawn
    assert homozygote_probability(p, theta) == pytest.approx(
        bn_sequential(("A", "A"), ["A", "A"], freqs, theta), rel=1e-12)


def test_theta_correction_is_conservative():
    for p in (0.01, 0.1, 0.4):
        assert homozygote_probability(p, 0.01) > p * p
        assert heterozygote_probability(p, 0.2, 0.01) > 2 * p * 0.2 * 0.999


@pytest.mark.parametrize("bad", [0.0, -0.1, 1.5, float("nan")])
def test_bad_frequency_raises(bad):
    with pytest.raises(DNAError):
        homozygote_probability(bad)


@pytest.mark.parametrize("theta", [-0.01, 1.0])
def test_bad_theta_raises(theta):
    with pytest.raises(DNAError):
        heterozygote_probability(0.1, 0.2, theta)


def test_unknown_model_and_allele_count():
    with pytest.raises(DNAError):
        homozygote_probability(0.1, model="nrc3")
    with pytest.raises(DNAError):
        genotype_probability([0.1, 0.2, 0.3])


TABLE = FrequencyTable("T", {"TH01": {"6": 0.2, "7": 0.001}}, n_individuals={"TH01": 100})


def test_rare_allele_5_over_2n():
    rule = RareAlleleRule()
    # absent allele -> 5/(2*100) = 0.025, with a warning naming locus and allele
    f, w = rule.frequency(TABLE, "TH01", "9.3")
    assert f == pytest.approx(0.025)
    assert "TH01" in w and "9.3" in w and "5/(2×100)" in w
    # rarer than the minimum -> raised to it
    f, w = rule.frequency(TABLE, "TH01", "7")
    assert f == pytest.approx(0.025) and "below the minimum" in w
    # common allele untouched
    assert rule.frequency(TABLE, "TH01", "6") == (0.2, None)


def test_rare_allele_without_n():
    t = FrequencyTable("U", {"TH01": {"6": 0.2}})
    with pytest.raises(MissingFrequencyError):
        RareAlleleRule().frequency(t, "TH01", "8")
    assert RareAlleleRule(fixed=0.01).frequency(t, "TH01", "8")[0] == 0.01
    assert RareAlleleRule("fixed", 0.002).frequency(TABLE, "TH01", "7")[0] == 0.002
    with pytest.raises(MissingFrequencyError):
        RareAlleleRule("none").frequency(TABLE, "TH01", "8")
    with pytest.raises(DNAError):
        RareAlleleRule("fixed")
