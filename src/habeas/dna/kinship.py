"""Kinship indices for two single-source profiles (parent–child, full siblings, ...).

The kinship index at a locus is the likelihood ratio

    KI = P(G2 | G1, related) / P(G2 | G1, unrelated)
       = k0 + k1 · P(G2 | G1, 1 allele IBD) / P(G2 | G1, 0 IBD)
            + k2 · P(G2 | G1, 2 alleles IBD) / P(G2 | G1, 0 IBD)

with (k0, k1, k2) the probabilities that the two people share 0, 1 or 2 alleles identical
by descent: parent–child (0, 1, 0), full siblings (1/4, 1/2, 1/4), half siblings
(1/2, 1/2, 0) (Evett & Weir 1998, "Interpreting DNA Evidence", ch. 7; Fung & Hu 2008,
"Statistical DNA Forensics: Theory, Methods and Computation", ch. 4; Weir, Anderson &
Hepler 2006, Nat Rev Genet 7:771). Combined over loci by the product rule, held as a sum
of log10.

With θ = 0 these are the familiar formulas (e.g. parent–child AB/AC: 1/(4p_A); full
siblings AA/AA: (1+p_A)²/(4p_A²)). With θ > 0 the non-IBD alleles are drawn by the
Balding–Nichols sampling formula P(next = A | n seen, m_A of them A) =
[m_A θ + (1-θ) p_A] / [1 + (n-1) θ], conditioning on the two alleles of G1.

**Mutation is ignored**: a parent and child who share no allele at a locus give KI = 0 at
that locus and so a combined KI of 0 (reported as an exclusion of the relationship *unless
a mutation occurred*). Real casework must model mutation before reporting such a result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Mapping, Sequence

from habeas.dna.errors import DNAError
from habeas.dna.frequencies import FrequencyTable
from habeas.dna.genotype import RareAlleleRule, check_theta
from habeas.dna.loci import is_statistical, normalise_locus
from habeas.dna.match import _plain
from habeas.dna.profile import Profile, allele_sort_key

MUTATION_NOTE = ("mutation ignored: a locus with no shared allele gives KI = 0, which a "
                 "mutation could explain")


@dataclass(frozen=True)
class Relationship:
    """A pairwise relationship by its IBD probabilities k0, k1, k2 (sum 1)."""

    name: str
    k0: float
    k1: float
    k2: float

    def __post_init__(self) -> None:
        ks = (self.k0, self.k1, self.k2)
        if any(k < 0 for k in ks) or not math.isclose(sum(ks), 1.0, abs_tol=1e-12):
            raise DNAError(f"IBD probabilities must be >= 0 and sum to 1, got {ks}")


PARENT_CHILD = Relationship("parent-child", 0.0, 1.0, 0.0)
FULL_SIBLINGS = Relationship("full siblings", 0.25, 0.5, 0.25)
HALF_SIBLINGS = Relationship("half siblings", 0.5, 0.5, 0.0)
RELATIONSHIPS = {r.name: r for r in (PARENT_CHILD, FULL_SIBLINGS, HALF_SIBLINGS)}


def _genotype(alleles: Sequence[str]) -> tuple[str, str]:
    a = sorted(alleles, key=allele_sort_key)
    if len(set(a)) == 1:
        return a[0], a[0]
    if len(set(a)) == 2:
        x = sorted(set(a), key=allele_sort_key)
        return x[0], x[1]
    raise DNAError(f"a single-source genotype has 1 or 2 alleles, got {list(alleles)}")


def _draw(allele: str, seen: list[str], p: Mapping[str, float], theta: float) -> float:
    """Balding–Nichols: P(next allele = ``allele`` | ``seen``)."""
    m = seen.count(allele)
    return (m * theta + (1 - theta) * p[allele]) / (1 + (len(seen) - 1) * theta)


def conditional_genotype_probability(g2: Sequence[str], g1: Sequence[str], ibd: int,
                                     freqs: Mapping[str, float], theta: float = 0.0) -> float:
    """P(person 2 has ``g2`` | person 1 has ``g1``, they share ``ibd`` alleles IBD).

    ``g1``, ``g2``: 1 or 2 distinct alleles (homozygote written once or twice); ``freqs``:
    allele -> frequency for every allele of both; ``ibd`` in {0, 1, 2}. θ in [0, 1).
    IBD 0: both alleles of g2 drawn given g1's two (NRC II 4.10 when g2 = g1); IBD 1: one
    allele of g2 is a copy of a random allele of g1, the other drawn given g1's two;
    IBD 2: g2 = g1. Raises :class:`DNAError` on bad arguments.
    """
    theta = check_theta(theta)
    a1, b1 = _genotype(g1)
    x, y = _genotype(g2)
    seen = [a1, b1]
    if ibd == 2:
        return 1.0 if (x, y) == (a1, b1) else 0.0
    if ibd == 1:
        total = 0.0
        for c in seen:  # each allele of g1 passed on with probability 1/2
            if x == y:
                total += 0.5 * (_draw(x, seen, freqs, theta) if c == x else 0.0)
            else:
                total += 0.5 * ((_draw(y, seen, freqs, theta) if c == x else 0.0)
                                + (_draw(x, seen, freqs, theta) if c == y else 0.0))
        return total
    if ibd == 0:
        first = _draw(x, seen, freqs, theta)
        second = _draw(y, seen + [x], freqs, theta)
        return first * second * (1 if x == y else 2)
    raise DNAError(f"ibd must be 0, 1 or 2, got {ibd}")


def locus_kinship_index(g1: Sequence[str], g2: Sequence[str], freqs: Mapping[str, float],
                        relationship: Relationship, theta: float = 0.0) -> float:
    """Kinship index at one locus: Σ_i k_i P(g2|g1, i IBD) / P(g2|g1, 0 IBD).

    Symmetric in the two people when θ = 0. Mutation ignored (see module docstring).
    """
    p0 = conditional_genotype_probability(g2, g1, 0, freqs, theta)
    num = (relationship.k0 * p0
           + relationship.k1 * conditional_genotype_probability(g2, g1, 1, freqs, theta)
           + relationship.k2 * conditional_genotype_probability(g2, g1, 2, freqs, theta))
    return num / p0


@dataclass(frozen=True)
class KinshipLocus:
    locus: str
    alleles1: tuple[str, ...] | None
    alleles2: tuple[str, ...] | None
    used: bool
    reason: str
    ki: float | None = None
    frequencies_used: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class KinshipResult:
    """Combined kinship index of two profiles for one relationship and one population.

    ``log10_ki`` = Σ log10 KI over used loci; ``None`` when some locus has KI = 0
    (``zero_loci``: the relationship is excluded unless by mutation, which is ignored).
    """

    sample1: str
    sample2: str
    relationship: Relationship
    population: str
    theta: float
    loci: tuple[KinshipLocus, ...]
    log10_ki: float | None
    zero_loci: tuple[str, ...]
    mutation: str = MUTATION_NOTE
    warnings: tuple[str, ...] = ()

    @property
    def ki(self) -> float | None:
        if self.zero_loci:
            return 0.0
        return None if self.log10_ki is None else 10.0 ** self.log10_ki

    def to_dict(self) -> dict:
        d = {f.name: _plain(getattr(self, f.name)) for f in fields(self)}
        d["relationship"] = {"name": self.relationship.name, "k0": self.relationship.k0,
                             "k1": self.relationship.k1, "k2": self.relationship.k2}
        d["ki"] = self.ki
        return d


def kinship_index(person1: Profile, person2: Profile, table: FrequencyTable,
                  relationship: Relationship | str = FULL_SIBLINGS, theta: float = 0.0,
                  rare_allele: RareAlleleRule = RareAlleleRule(),
                  loci: Sequence[str] | None = None) -> KinshipResult:
    """Combined kinship index of two single-source profiles against one table.

    ``relationship``: a :class:`Relationship` or a name in :data:`RELATIONSHIPS`.
    A locus is used when both people are typed there with 1 or 2 alleles, it is autosomal
    (not AMEL / Y) and in the table; others are listed with the reason. Mutation ignored.
    Raises :class:`DNAError` for an unknown relationship or bad θ.
    """
    if isinstance(relationship, str):
        if relationship not in RELATIONSHIPS:
            raise DNAError(f"unknown relationship {relationship!r}; known: {', '.join(RELATIONSHIPS)}")
        relationship = RELATIONSHIPS[relationship]
    theta = check_theta(theta)
    order = ([normalise_locus(l, strict=False) for l in loci] if loci
             else list(person1.loci) + [l for l in person2.loci if l not in person1.loci])
    out: list[KinshipLocus] = []
    warnings: list[str] = [MUTATION_NOTE]
    for locus in order:
        a1, a2 = person1.loci.get(locus), person2.loci.get(locus)
        reason = ""
        if not is_statistical(locus):
            reason = "sex / Y marker: never used"
        elif not a1 or not a2:
            reason = "not typed in both profiles"
        elif len(set(a1)) > 2 or len(set(a2)) > 2:
            reason = "more than two alleles (not single-source)"
        elif locus not in table.freqs:
            reason = f"not in table {table.name}"
        if reason:
            out.append(KinshipLocus(locus, a1, a2, False, reason))
            continue
        used: dict[str, float] = {}
        lw: list[str] = []
        for a in sorted(set(a1) | set(a2), key=allele_sort_key):
            f, w = rare_allele.frequency(table, locus, a)
            used[a] = f
            if w:
                lw.append(w)
        ki = locus_kinship_index(a1, a2, used, relationship, theta)
        out.append(KinshipLocus(locus, a1, a2, True, "used", ki=ki, frequencies_used=used,
                                warnings=tuple(lw)))
    for l in out:
        warnings.extend(l.warnings)
    used_loci = [l for l in out if l.used]
    zero = tuple(l.locus for l in used_loci if l.ki == 0.0)
    log10_ki = None
    if used_loci and not zero:
        log10_ki = math.fsum(math.log10(l.ki) for l in used_loci)  # type: ignore[arg-type]
    if zero:
        warnings.append(f"KI = 0 at {', '.join(zero)}: {relationship.name} excluded unless by "
                        "mutation (mutation ignored)")
    return KinshipResult(sample1=person1.sample, sample2=person2.sample,
                         relationship=relationship, population=table.name, theta=theta,
                         loci=tuple(out), log10_ki=log10_ki, zero_loci=zero,
                         warnings=tuple(warnings))
