"""Independent check: brute-force enumeration of every genotype combination of the unknowns,
written plainly from the model (Haned et al. 2012 appendix; Balding-Nichols sampling for θ;
Curran et al. 2005 for replicates), in Python floats, against habeas.dna.mixture (which sums
over allele-count vectors instead)."""

from __future__ import annotations

import itertools
import math
import random

import pytest

from habeas.dna.frequencies import FrequencyTable
from habeas.dna.mixture import (
    Contributor, MixtureParameters, Proposition, likelihood_ratio,
)
from habeas.dna.profile import Profile


def brute_locus(replicates, contributors, non_contributors, x, du, table, C, theta, rare):
    """Pr(E_l | H): replicates = list of allele sets; contributors = [(genotype, d)];
    non_contributors = [genotype]; genotypes are 2-tuples (homozygote (a, a))."""
    def p(a):
        return table.get(a, rare)

    observed = set().union(*replicates) if replicates else set()
    space = sorted(set(table) | observed)          # alleles an unknown may carry
    genotypes = [(a, b) for i, a in enumerate(space) for b in space[i:]]
    typed = [g for g, _ in contributors] + list(non_contributors)
    total = 0.0
    for combo in itertools.product(genotypes, repeat=x):
        # genotype probability: draw the unknowns' alleles one by one (Balding-Nichols)
        seen = [a for g in typed for a in g]
        prob = 1.0
        for g in combo:
            for a in g:
                n = len(seen)
                prob *= (seen.count(a) * theta + (1 - theta) * p(a)) / (1 + (n - 1) * theta)
                seen.append(a)
            if g[0] != g[1]:
                prob *= 2
        # replicate probability
        people = [(g, d) for g, d in contributors] + [(g, du) for g in combo]
        rep_prob = 1.0
        for R in replicates:
            carried = {a for g, _ in people for a in g}
            pr = 1.0
            for a in carried:
                all_drop = 1.0
                for g, d in people:
                    if g[0] == g[1] == a:
                        all_drop *= d * d          # homozygote: d squared
                    elif a in g:
                        all_drop *= d
                pr *= (1 - all_drop) if a in R else all_drop
            dropped_in = [a for a in R if a not in carried]
            if dropped_in:
                for a in dropped_in:
                    pr *= C * p(a)
            else:
                pr *= 1 - C
            rep_prob *= pr
        total += prob * rep_prob
    return total


def _genotype(rng, alleles):
    a, b = rng.choice(alleles), rng.choice(alleles)
    return tuple(sorted((a, b), key=float))


def _scenario(seed):
    rng = random.Random(seed)
    loci = ["D3S1358", "vWA", "TH01"][: rng.randint(1, 3)]
    tables, reps_by_locus = {}, {}
    for l in loci:
        k = rng.randint(3, 6)
        alleles = [str(10 + i) for i in range(k)]
        w = [rng.random() + 0.05 for _ in alleles]
        s = sum(w) * rng.choice([1.0, 1.1])        # tables need not sum to 1
        tables[l] = {a: wi / s for a, wi in zip(alleles, w)}
    n_known = rng.randint(0, 1)
    poi = {l: _genotype(rng, list(tables[l])) for l in loci}
    knowns = [{l: _genotype(rng, list(tables[l])) for l in loci} for _ in range(n_known)]
    n_rep = rng.randint(1, 2)
    reps = []
    for r in range(n_rep):
        rep = {}
        for l in loci:
            s = set(poi[l]) if rng.random() < 0.8 else set()
            for g in knowns:
                s |= set(g[l])
            s = {a for a in s if rng.random() < 0.8}
            if rng.random() < 0.3:
                s.add(rng.choice(list(tables[l]) + ["99"]))  # drop-in, maybe a rare allele
            rep[l] = s
        reps.append(rep)
    return rng, loci, tables, poi, knowns, reps


def _profile(name, loci_map):
    return Profile.from_mapping(name, {l: sorted(set(g)) for l, g in loci_map.items()})


@pytest.mark.parametrize("seed", range(12))
def test_brute_force_agrees(seed):
    rng, loci, tables, poi, knowns, reps = _scenario(seed)
    theta = rng.choice([0.0, 0.01, 0.1])
    C = rng.choice([0.05, 0.2])  # > 0: the random stains may hold unexplained alleles
    rare = 0.003
    x_hp = rng.randint(0, 1 if knowns else 2)
    x_hd = x_hp + 1
    d_poi, d_known, d_hp, d_hd = (round(rng.uniform(0.01, 0.6), 2) for _ in range(4))
    table = FrequencyTable("t", tables)
    poi_p = _profile("poi", poi)
    known_p = [_profile(f"k{i}", k) for i, k in enumerate(knowns)]
    rep_p = [Profile.from_mapping(f"r{i}", {l: sorted(r[l], key=float) for l in loci})
             for i, r in enumerate(reps)]
    kc = tuple(Contributor(k, d_known) for k in known_p)
    hp = Proposition("Hp", kc + (Contributor(poi_p, d_poi),), x_hp, d_hp)
    hd = Proposition("Hd", kc, x_hd, d_hd, non_contributors=(poi_p,))
    res = likelihood_ratio(rep_p, hp, hd, table,
                           MixtureParameters(dropin=C, theta=theta, rare_allele_frequency=rare))
    for l in loci:
        R = [set(r[l]) for r in reps]
        kg = [(k[l] if len(set(k[l])) == 2 else (k[l][0], k[l][0]), d_known) for k in knowns]
        pg = poi[l]
        e_hp = brute_locus(R, kg + [(pg, d_poi)], [], x_hp, d_hp, tables[l], C, theta, rare)
        e_hd = brute_locus(R, kg, [pg], x_hd, d_hd, tables[l], C, theta, rare)
        got = res.locus(l)
        assert got.hp == pytest.approx(e_hp, rel=1e-11, abs=1e-300)
        assert got.hd == pytest.approx(e_hd, rel=1e-11, abs=1e-300)


def test_brute_force_three_unknowns():
    """Three unknowns under Hd, two replicates, θ and drop-in: 3-contributor enumeration."""
    table = FrequencyTable("t", {"vWA": {"14": 0.1, "15": 0.2, "16": 0.25, "17": 0.3,
                                         "18": 0.1}})
    reps = [Profile.from_mapping("r1", {"vWA": ["14", "16", "17"]}),
            Profile.from_mapping("r2", {"vWA": ["14", "17", "19"]})]
    poi = Profile.from_mapping("poi", {"vWA": ["14", "17"]})
    hp = Proposition("Hp", (Contributor(poi, 0.15),), 2, 0.2)
    hd = Proposition("Hd", (), 3, 0.25, non_contributors=(poi,))
    res = likelihood_ratio(reps, hp, hd, table, MixtureParameters(
        dropin=0.05, theta=0.03, rare_allele_frequency=0.01))
    R = [{"14", "16", "17"}, {"14", "17", "19"}]
    f = table.freqs["vWA"]
    e_hp = brute_locus(R, [(("14", "17"), 0.15)], [], 2, 0.2, f, 0.05, 0.03, 0.01)
    e_hd = brute_locus(R, [], [("14", "17")], 3, 0.25, f, 0.05, 0.03, 0.01)
    assert res.loci[0].hp == pytest.approx(e_hp, rel=1e-11)
    assert res.loci[0].hd == pytest.approx(e_hd, rel=1e-11)
    assert res.log10_lr == pytest.approx(math.log10(e_hp / e_hd), abs=1e-10)
