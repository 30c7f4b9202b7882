"""Kinship indices: published formulas, LRmix Example-p15 relative probabilities, and brute
force over parental genotypes."""

from __future__ import annotations

import itertools
import math

import pytest

from habeas.dna.errors import DNAError
from habeas.dna.frequencies import FrequencyTable
from habeas.dna.kinship import (
    FULL_SIBLINGS, HALF_SIBLINGS, PARENT_CHILD, Relationship, conditional_genotype_probability,
    kinship_index, locus_kinship_index,
)
from habeas.dna.profile import Profile

P = {"A": 0.1, "B": 0.2, "C": 0.3, "D": 0.15}
a, b, c, d = P["A"], P["B"], P["C"], P["D"]

# Presciuttini et al. 2002, BMC Genetics 3:23, Table 1: joint genotype probabilities of a pair
# for parent-child, full sibs and non-relatives; KI = related / non-relatives.
BMC = [
    (("A", "A"), ("A", "A"), a**3, a**2 * (1 + a)**2 / 4, a**4),
    (("A", "A"), ("A", "B"), 2 * a**2 * b, a**2 * b * (1 + a), 4 * a**3 * b),
    (("A", "A"), ("B", "B"), 0.0, a**2 * b**2 / 2, 2 * a**2 * b**2),
    (("A", "B"), ("A", "B"), a * b * (a + b), a * b * (2 * a * b + a + b + 1) / 2, 4 * a**2 * b**2),
    (("A", "A"), ("B", "C"), 0.0, a**2 * b * c, 4 * a**2 * b * c),
    (("A", "B"), ("A", "C"), 2 * a * b * c, a * b * c * (2 * a + 1), 8 * a**2 * b * c),
    (("A", "B"), ("C", "D"), 0.0, 2 * a * b * c * d, 8 * a * b * c * d),
]
# Table 1 gives the probability of the unordered pair of genotypes (both orders summed when
# they differ) for each relationship; the ratio related / non-relatives is the KI.


@pytest.mark.parametrize("g1,g2,pc,fs,unrel", BMC)
def test_published_joint_probabilities_bmc_genetics_2002(g1, g2, pc, fs, unrel):
    assert locus_kinship_index(g1, g2, P, PARENT_CHILD) == pytest.approx(pc / unrel)
    assert locus_kinship_index(g1, g2, P, FULL_SIBLINGS) == pytest.approx(fs / unrel)


def test_published_sibship_index_table():
    # Sibship index table (Wenk et al. 1996; as tabulated by medicalalgorithms.com, "Sibship
    # Index"): AA/AA (k2 + 2k1 a + k0 a^2)/a^2; AB/AB (k2 + k1 a + k1 b + 2 k0 a b)/(2ab);
    # AB/AC (k1 + 2k0 a)/(2a); AB/CD k0 — where that table's k1 is per shared allele
    # (full sibs 0.25, half sibs 0.25), i.e. half of the IBD probability k1 used here.
    for r in (FULL_SIBLINGS, HALF_SIBLINGS):
        k0, k1, k2 = r.k0, r.k1 / 2, r.k2
        assert locus_kinship_index("A", "A", P, r) == pytest.approx((k2 + 2 * k1 * a + k0 * a * a) / a**2)
        assert locus_kinship_index("AB", "AB", P, r) == pytest.approx(
            (k2 + k1 * a + k1 * b + 2 * k0 * a * b) / (2 * a * b))
        assert locus_kinship_index("AB", "AC", P, r) == pytest.approx((k1 + 2 * k0 * a) / (2 * a))
        assert locus_kinship_index("AB", "CD", P, r) == pytest.approx(k0)


def test_paternity_index_textbook_values():
    # Evett & Weir 1998 / Butler: PI child AB, alleged father AC = 1/(4 p_A); AA/AA = 1/p_A
    assert locus_kinship_index("AC", "AB", P, PARENT_CHILD) == pytest.approx(1 / (4 * a))
    assert locus_kinship_index("A", "A", P, PARENT_CHILD) == pytest.approx(1 / a)
    assert locus_kinship_index("AB", "AB", P, PARENT_CHILD) == pytest.approx((a + b) / (4 * a * b))


# LRmix Studio "Expected result for P15.txt", scenarios G and H (θ = 0.1, p = 0.15):
# P(unknown genotype | unknown is the child of the suspect).
P15 = {"12": 0.15, "13": 0.15, "14": 0.15}


@pytest.mark.parametrize("suspect,u,expected", [
    (("13", "14"), ("13", "13"), 0.10681818181), (("13", "14"), ("12", "13"), 0.06136363636),
    (("13", "14"), ("13", "14"), 0.21363636363), (("13", "14"), ("12", "12"), 0.0),
    (("14", "14"), ("14", "14"), 0.30454545454), (("14", "14"), ("12", "14"), 0.12272727272),
    (("14", "14"), ("13", "13"), 0.0),
])
def test_published_lrmix_parent_child_theta(suspect, u, expected):
    assert conditional_genotype_probability(u, suspect, 1, P15, 0.1) == pytest.approx(expected, abs=1e-10)


# --- brute force: enumerate parents' genotypes and Mendelian transmission (θ = 0) ---------

ALLELES = {"A": 0.1, "B": 0.2, "C": 0.3, "Z": 0.4}  # Z = all other alleles, so Σ = 1


def unordered(x, y):
    return tuple(sorted((x, y)))


def brute_joint(relationship: str):
    """P(person1, person2 genotypes) by enumerating founders' alleles."""
    joint: dict = {}
    al = list(ALLELES)
    if relationship == "parent-child":
        for p1, p2, m in itertools.product(al, al, al):  # parent p1p2, other parent gives m
            w = ALLELES[p1] * ALLELES[p2] * ALLELES[m]
            for t in (p1, p2):
                key = (unordered(p1, p2), unordered(t, m))
                joint[key] = joint.get(key, 0) + w * 0.5
    elif relationship == "full siblings":
        for f1, f2, m1, m2 in itertools.product(al, repeat=4):
            w = ALLELES[f1] * ALLELES[f2] * ALLELES[m1] * ALLELES[m2]
            for x1, y1, x2, y2 in itertools.product((f1, f2), (m1, m2), (f1, f2), (m1, m2)):
                key = (unordered(x1, y1), unordered(x2, y2))
                joint[key] = joint.get(key, 0) + w / 16
    return joint


def hw(g):
    x, y = g
    return ALLELES[x] ** 2 if x == y else 2 * ALLELES[x] * ALLELES[y]


@pytest.mark.parametrize("rel", [PARENT_CHILD, FULL_SIBLINGS])
def test_kinship_index_equals_brute_force_enumeration(rel):
    joint = brute_joint(rel.name)
    assert math.fsum(joint.values()) == pytest.approx(1.0)
    for (g1, g2), pj in joint.items():
        expected = pj / (hw(g1) * hw(g2))
        assert locus_kinship_index(g1, g2, ALLELES, rel) == pytest.approx(expected, rel=1e-12), (g1, g2)
    # genotype pairs impossible for parent-child give 0
    if rel is PARENT_CHILD:
        assert locus_kinship_index(("A", "A"), ("B", "C"), ALLELES, rel) == 0.0


def test_profile_kinship_combines_and_reports_mutation_ignored():
    t = FrequencyTable("T", {"TH01": {"6": 0.2, "7": 0.3, "8": 0.1}, "FGA": {"20": 0.1, "21": 0.2}},
                       n_individuals={"TH01": 100, "FGA": 100})
    p1 = Profile.from_mapping("p1", {"TH01": ["6", "7"], "FGA": ["20", "20"], "AMEL": ["X", "Y"]})
    p2 = Profile.from_mapping("p2", {"TH01": ["6", "8"], "FGA": ["20", "21"]})
    r = kinship_index(p1, p2, t, "parent-child")
    expected = (1 / (4 * 0.2)) * (1 / (2 * 0.1))
    assert r.ki == pytest.approx(expected)
    assert r.log10_ki == pytest.approx(math.log10(expected))
    assert "mutation ignored" in r.mutation
    p3 = Profile.from_mapping("p3", {"TH01": ["8", "8"], "FGA": ["20", "21"]})
    r0 = kinship_index(p1, p3, t, PARENT_CHILD)
    assert r0.ki == 0.0 and r0.zero_loci == ("TH01",) and r0.log10_ki is None
    assert any("unless by mutation" in w for w in r0.warnings)
    r.to_dict(), r0.to_dict()


def test_bad_relationship():
    with pytest.raises(DNAError):
        Relationship("x", 0.5, 0.6, 0.0)
    with pytest.raises(DNAError):
        kinship_index(Profile("a", {}), Profile("b", {}), FrequencyTable("t", {}), "cousins")
