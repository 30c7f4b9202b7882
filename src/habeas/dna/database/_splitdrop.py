"""Per-locus likelihood of the semi-continuous (drop-out / drop-in) model, vectorised over
the genotypes of the unknown contributors.

Model: LRmix (Haned et al. 2012, FSI:Genetics 6:762-774; Gill & Haned 2013, FSI:Genetics
7:251-263), as SmartRank applies it to database searches (Benschop et al. 2017,
FSI:Genetics 29:145-153 / SmartRank manual, NFI):

- per replicate R and a set of contributor genotypes G: every allele copy-set of a
  contributor drops out with probability d (d² for a homozygote); an allele of R carried
  by contributors is seen with probability 1 - Π d; an allele carried but absent from R
  contributes Π d; alleles of R carried by nobody are drop-ins, each C·p_a; if there is no
  drop-in the factor is 1 - C;
- genotypes of unknowns: Balding–Nichols sampling formula with θ, conditioned on the alleles
  of the typed contributors of the hypothesis (NRC II eq. 4.10 generalised):
  P(next allele = a) = (n_a θ + (1-θ) p_a) / (1 + (n-1) θ);
- the alleles an unknown may carry are the replicate alleles, the non-rare alleles of the
  known contributors, and one pooled allele ``other`` carrying the remaining frequency of
  the table (SmartRank's "Q designation"): exact without θ, since any allele outside the
  replicate must drop out whatever it is.

Alleles are handled as indices into ``S`` (the unknowns' allele set); an allele of a typed
contributor outside ``S`` is ``OUT`` (-1): it can only drop out, and its θ count touches no
allele an unknown can carry.

Why this is not :mod:`habeas.dna.mixture.model` (reviewed; kept on purpose). The per-locus
likelihood is the same LRmix formula, and at θ = 0 with the Q designation on the two agree
to 1e-9 (tests/dna/test_database.py). The database search cannot be built on
``mixture.prepare`` / ``PreparedCase`` / ``_LocusModel`` without changing its results or its
cost, because it follows SmartRank's conventions, not LRmix Studio's:

- Hd is evaluated once per locus, without the candidate. The mixture package requires every
  typed person under both propositions and conditions the Hd unknowns on the person of
  interest (θ, a non-contributor), so Pr(E | Hd) would depend on the candidate: with
  θ = 0.01 the two give log10 LR 14.29 vs 13.01 for the same candidate (synthetic
  two-person mixture); SmartRank's validation LRs (tests/dna/test_database_smartrank.py,
  θ = 0.01) are reproduced with the former.
- ``MixtureParams.hp_q_designation=False`` (SmartRank's ProsecutionHypothesis: the Hp
  unknowns carry only evidence alleles) has no counterpart in the mixture package.
- A missing allele frequency defaults to 5/2N per locus (else 0.001) here; the mixture
  package takes one rare-allele frequency or raises.
- A ``_LocusModel`` fixes the typed genotypes (θ counts, Pólya weights) when it is built, so
  each distinct candidate genotype class would need a fresh ``prepare`` (validation, allele
  space, compositions) where this class reuses its unknown-genotype tables across
  candidates.
"""

from __future__ import annotations

import math
from itertools import combinations_with_replacement
from typing import Sequence

import numpy as np

OUT = -1


def _multiplicity(combo: tuple[int, ...]) -> int:
    m = math.factorial(len(combo))
    for v in set(combo):
        m //= math.factorial(combo.count(v))
    return m


class LocusModel:
    """Everything at one locus that does not depend on the candidate.

    ``S``: allele labels an unknown may carry; ``p``: their frequencies; ``replicates``:
    list of boolean masks over S (alleles seen in each replicate; every replicate allele is
    in S); ``p_dropin``: frequency per S allele used for drop-in.
    """

    def __init__(self, S: Sequence[str], p: Sequence[float], replicates: Sequence[np.ndarray],
                 n_unknowns: int, d_unknown: float, dropin: float, theta: float):
        self.S = list(S)
        self.s = len(S)
        self.p = np.asarray(p, dtype=float)
        self.R = [np.asarray(r, dtype=bool) for r in replicates]
        self.U = int(n_unknowns)
        self.d = float(d_unknown)
        self.C = float(dropin)
        self.theta = float(theta)
        pairs = [(i, j) for i in range(self.s) for j in range(i, self.s)]
        self.pairs = np.asarray(pairs, dtype=np.intp).reshape(-1, 2)
        if self.U:
            combos = list(combinations_with_replacement(range(len(pairs)), self.U))
            self.combos = np.asarray(combos, dtype=np.intp).reshape(-1, self.U)
            self.mult = np.asarray([_multiplicity(c) for c in combos], dtype=float)
        else:
            self.combos = np.zeros((1, 0), dtype=np.intp)
            self.mult = np.ones(1)
        # drop-out product and carried mask contributed by the unknowns, per tuple
        T = len(self.combos)
        D = np.ones((T, self.s))
        carried = np.zeros((T, self.s), dtype=bool)
        rows = np.arange(T)
        for u in range(self.U):
            i = self.pairs[self.combos[:, u], 0]
            j = self.pairs[self.combos[:, u], 1]
            hom = i == j
            D[rows, i] *= np.where(hom, self.d * self.d, self.d)
            D[rows[~hom], j[~hom]] *= self.d
            carried[rows, i] = True
            carried[rows, j] = True
        self.D_unknown, self.carried_unknown = D, carried

    def likelihood(self, fixed: Sequence[tuple[tuple[int, ...], float]],
                   non_contributors: Sequence[tuple[int, ...]] = ()) -> float:
        """P(replicates | typed contributors ``fixed`` + the unknowns), summed over the
        unknowns' genotypes. ``fixed``: (genotype as 1 or 2 S-indices / OUT, drop-out).
        ``non_contributors``: typed persons who are not contributors under this hypothesis;
        their alleles only condition the unknowns' genotypes (θ)."""
        s, theta = self.s, self.theta
        D_fixed = np.ones(s)
        carried_fixed = np.zeros(s, dtype=bool)
        out_factor = 1.0  # drop-out of OUT alleles (absent from every replicate)
        counts = np.zeros(s)
        n_typed = 0
        for geno in non_contributors:
            if geno:
                g = tuple(geno) if len(geno) == 2 else (geno[0], geno[0])
                n_typed += 2
                for a in g:
                    if a != OUT:
                        counts[a] += 1
        for geno, d in fixed:
            if not geno:
                continue
            g = tuple(geno) if len(geno) == 2 else (geno[0], geno[0])
            n_typed += 2
            for a in g:
                if a != OUT:
                    counts[a] += 1
            if g[0] == g[1]:
                entries = [(g[0], d * d)]
            else:
                entries = [(g[0], d), (g[1], d)]
            for a, dd in entries:
                if a == OUT:
                    out_factor *= dd
                else:
                    D_fixed[a] *= dd
                    carried_fixed[a] = True
        D = self.D_unknown * D_fixed
        carried = self.carried_unknown | carried_fixed
        prob = np.ones(len(D))
        for R in self.R:
            present = carried & R
            dropped = carried & ~R
            dropin = R & ~carried
            f = np.where(present, 1.0 - D, 1.0) * np.where(dropped, D, 1.0)
            f = f.prod(axis=1) * out_factor
            n_in = dropin.sum(axis=1)
            din = np.where(dropin, self.C * self.p, 1.0).prod(axis=1)
            prob *= f * np.where(n_in == 0, 1.0 - self.C, din)
        # genotype probabilities of the unknowns (sampling formula, sequential)
        if self.U:
            T = len(self.combos)
            cnt = np.broadcast_to(counts, (T, s)).copy()
            rows = np.arange(T)
            gp = np.ones(T)
            for u in range(self.U):
                i = self.pairs[self.combos[:, u], 0]
                j = self.pairs[self.combos[:, u], 1]
                gp *= np.where(i == j, 1.0, 2.0)
                gp *= cnt[rows, i] * theta + (1 - theta) * self.p[i]
                cnt[rows, i] += 1
                gp *= cnt[rows, j] * theta + (1 - theta) * self.p[j]
                cnt[rows, j] += 1
            denom = 1.0
            if theta > 0:
                for n in range(n_typed, n_typed + 2 * self.U):
                    denom *= 1 + (n - 1) * theta
            gp /= denom
        else:
            gp = np.ones(1)
        return float(np.sum(self.mult * gp * prob))
