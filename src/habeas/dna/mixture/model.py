"""The semi-continuous (drop-out / drop-in) likelihood ratio of LRmix and Forensim.

Model (Curran et al. 2005; Gill et al. 2007; Haned et al. 2012, FSI:G 6:762, appendix;
Gill & Haned 2013, FSI:G 7:251), in the conventions of LRmix Studio (NFI, v2):

For one locus, replicates R_1..R_r (sets of observed alleles), a proposition H with known
contributors K_1..K_J (genotype g_j, drop-out d_j), x unknown contributors (drop-out d_u,
shared by the unknowns of H), and typed non-contributors (conditioned on for θ only)::

    Pr(E | H) = Σ_{u_1..u_x} Pr(u_1..u_x | typed genotypes, θ) · Π_r Pr(R_r | g_1..g_J, u_1..u_x)

Replicate probability given all genotypes (replicates are independent given the genotypes,
Curran et al. 2005). Let S be the union of the contributors' alleles, and for an allele a in
S let D_a = Π_j d_j^{m_ja} be the probability that every copy of a drops out, with m_ja the
number of copies of a in contributor j (so a homozygote drops out with d², the LRmix Studio
convention; Haned et al. 2012 eq. A.2)::

    Pr(R | G) = Π_{a ∈ S∩R} (1 - D_a) · Π_{a ∈ S\\R} D_a · I(R\\S)
    I(∅) = 1 - C ;   I(A) = Π_{a ∈ A} C · q_a   (C the drop-in probability, q_a the drop-in
                                                 allele frequency, by default p_a)

Genotype probability of the unknowns: Balding-Nichols sampling (Balding & Nichols 1994;
NRC II 4.10), conditioned on the alleles of every typed person named in the proposition
(known contributors and non-contributors, 2N alleles in all), unknowns drawn in turn::

    Pr(next allele = a | n_a of n seen) = (n_a θ + (1-θ) p_a) / (1 + (n-1) θ)

with a factor 2 for a heterozygous unknown. θ = 0 gives Hardy-Weinberg.

Fast exact evaluation. All x unknowns of a proposition share d_u, so Pr(R | G) depends on
the unknowns only through the vector c of allele counts (c_a copies of allele a among the
2x unknown alleles): D_a = D^known_a · d_u^{c_a}. Summing the ordered genotype tuples with the
same c gives the multinomial coefficient times the Pólya (Dirichlet-multinomial) probability::

    Pr(c) = (2x)! / Π_a c_a!  ·  Π_a Π_{k<c_a} ((n_a + k) θ + (1-θ) p_a)  /  Π_{i=N}^{N+2x-1} (1 + (i-1) θ)

(2x)!/Π c_a! counts the ordered allele sequences, each heterozygote counted twice: exactly
the factor 2 per heterozygote. Alleles neither observed nor carried by a typed person enter
Pr(R | G) only through d_u^{c_a}, and the Pólya urn is closed under merging categories, so
they are merged into one allele "Q" with p_Q = the sum of their frequencies; the result is
exact, not an approximation. The sum then runs over C(A + 2x - 1, 2x) count vectors
(A = number of allele classes) instead of (A(A+1)/2)^x genotype tuples. A brute-force
enumeration over genotype tuples in the tests agrees with it.

Allele space of the unknowns (LRmix Studio): every allele listed in the frequency table at the
locus plus every allele observed in a replicate (the latter at the rare-allele frequency when
the table lacks it). An allele carried only by a reference and missing from the table does
not widen the unknowns' allele space (it still counts for θ). Frequencies are used as given
(no renormalisation).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Mapping, Sequence

import numpy as np

from habeas.dna.errors import DNAError, MissingFrequencyError
from habeas.dna.frequencies import FrequencyTable
from habeas.dna.loci import is_statistical, normalise_locus
from habeas.dna.profile import Profile, allele_sort_key

__all__ = [
    "Contributor", "Proposition", "MixtureParameters", "LocusLR", "MixtureResult",
    "likelihood_ratio", "standard_propositions", "evaluation_loci", "PreparedCase",
    "prepare", "MODEL_NAME", "MODEL_REFERENCES",
]

MODEL_NAME = "semi-continuous drop-out/drop-in model (LRmix / Forensim)"
MODEL_REFERENCES = (
    "Haned H, Slooten K, Gill P (2012) Exploratory data analysis for the interpretation of "
    "low template DNA mixtures. FSI:Genetics 6:762-774",
    "Gill P, Haned H (2013) A new methodological framework to interpret complex DNA profiles "
    "using likelihood ratios. FSI:Genetics 7:251-263",
    "Curran JM, Gill P, Bill MR (2005) Interpretation of repeat measurement DNA evidence "
    "allowing for multiple contributors and population substructure. FSI 148:47-53",
    "Balding DJ, Buckleton J (2009) Interpreting low template DNA profiles. FSI:Genetics "
    "4:1-10",
)


# ----------------------------------------------------------------------------- inputs

@dataclass(frozen=True)
class Contributor:
    """A typed person contributing to the stain under a proposition.

    ``profile``: the reference profile (one or two alleles per locus; one allele means a
    homozygote). ``dropout``: this person's drop-out probability d in [0, 1] (per allele copy;
    a homozygote drops out with d²). ``role``: free label shown in reports (``"victim"``,
    ``"POI"``).
    """

    profile: Profile
    dropout: float
    role: str = ""

    @property
    def name(self) -> str:
        return self.profile.sample

    def to_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "dropout": self.dropout}


@dataclass(frozen=True)
class Proposition:
    """One proposition (Hp or Hd): who contributed to the stain.

    ``contributors``: typed contributors (:class:`Contributor`). ``unknowns``: number of
    unknown, unrelated contributors (>= 0), all with drop-out ``unknown_dropout``.
    ``non_contributors``: typed persons who did not contribute under this proposition (the
    person of interest under Hd); their alleles are conditioned on for θ. Every typed person
    must be named under both propositions, as contributor or non-contributor.
    """

    name: str
    contributors: tuple[Contributor, ...] = ()
    unknowns: int = 0
    unknown_dropout: float = 0.0
    non_contributors: tuple[Profile, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "contributors", tuple(self.contributors))
        object.__setattr__(self, "non_contributors", tuple(self.non_contributors))

    @property
    def n_contributors(self) -> int:
        return len(self.contributors) + self.unknowns

    def typed_names(self) -> set[str]:
        return {c.name for c in self.contributors} | {p.sample for p in self.non_contributors}

    def with_dropouts(self, dropouts: Mapping[str, float] | None = None,
                      unknown_dropout: float | None = None) -> "Proposition":
        """A copy with the named contributors' and/or the unknowns' drop-out replaced."""
        dropouts = dropouts or {}
        return Proposition(
            self.name,
            tuple(Contributor(c.profile, dropouts.get(c.name, c.dropout), c.role)
                  for c in self.contributors),
            self.unknowns,
            self.unknown_dropout if unknown_dropout is None else unknown_dropout,
            self.non_contributors)

    def describe(self) -> str:
        parts = [f"{c.role or 'known'} {c.name}" for c in self.contributors]
        if self.unknowns:
            parts.append(f"{self.unknowns} unknown{'s' if self.unknowns > 1 else ''}")
        return " + ".join(parts) if parts else "(nobody)"

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "description": self.describe(),
            "contributors": [c.to_dict() for c in self.contributors],
            "unknowns": self.unknowns,
            "unknown_dropout": self.unknown_dropout,
            "non_contributors": [p.sample for p in self.non_contributors],
        }


@dataclass(frozen=True)
class MixtureParameters:
    """Parameters shared by both propositions.

    ``dropin``: drop-in probability C per replicate and locus, in [0, 1).
    ``theta``: co-ancestry coefficient θ (F_ST), in [0, 1).
    ``rare_allele_frequency``: frequency of an allele missing from the table (LRmix Studio
    default 0.001; NRC II suggests 5/2N). ``None``: such an allele is an error
    (:class:`MissingFrequencyError`).
    ``dropin_allele_frequency``: frequency q used for a dropped-in allele; ``None`` (default,
    as LRmix Studio) uses the allele's population frequency.
    """

    dropin: float = 0.0
    theta: float = 0.0
    rare_allele_frequency: float | None = None
    dropin_allele_frequency: float | None = None

    def to_dict(self) -> dict:
        return {"dropin": self.dropin, "theta": self.theta,
                "rare_allele_frequency": self.rare_allele_frequency,
                "dropin_allele_frequency": self.dropin_allele_frequency}


# ---------------------------------------------------------------------------- outputs

@dataclass(frozen=True)
class LocusLR:
    """Per-locus result: ``hp`` = Pr(E_l | Hp), ``hd`` = Pr(E_l | Hd) (probabilities of the
    replicates at the locus), ``lr`` = hp / hd (``inf`` when hd = 0), ``log10_lr``."""

    locus: str
    hp: float
    hd: float

    @property
    def lr(self) -> float:
        if self.hd == 0.0:
            return math.inf
        return self.hp / self.hd

    @property
    def log10_lr(self) -> float:
        if self.hp == 0.0:
            return -math.inf
        if self.hd == 0.0:
            return math.inf
        return math.log10(self.hp) - math.log10(self.hd)

    def to_dict(self) -> dict:
        return {"locus": self.locus, "pr_e_hp": self.hp, "pr_e_hd": self.hd,
                "lr": _finite(self.lr), "log10_lr": _finite(self.log10_lr)}


def _finite(v: float):
    """JSON-safe number: ``inf``/``-inf`` become the strings ``"inf"``/``"-inf"``."""
    if isinstance(v, float) and math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


@dataclass(frozen=True)
class MixtureResult:
    """The likelihood ratio of a mixture.

    ``loci``: per-locus :class:`LocusLR` in evaluation order; ``log10_lr``: combined
    log10 LR = Σ_l log10 LR_l (loci independent). ``hp``, ``hd``, ``parameters``: the input;
    ``frequency_table``: the table's name; ``replicates``: sample names of the replicates;
    ``noc``, ``dropout``, ``conservative``: optional reports attached by the caller with
    ``dataclasses.replace`` (:class:`~habeas.dna.mixture.noc.NOCEstimate`, a dict
    ``{"hp": DropoutEstimate, "hd": DropoutEstimate}``, :class:`ConservativeLR`); ``to_dict``
    includes them.
    """

    loci: tuple[LocusLR, ...]
    hp: Proposition
    hd: Proposition
    parameters: MixtureParameters
    frequency_table: str = ""
    replicates: tuple[str, ...] = ()
    noc: object | None = None
    dropout: object | None = None
    conservative: object | None = None

    @property
    def log10_lr(self) -> float:
        return float(sum(l.log10_lr for l in self.loci))

    @property
    def lr(self) -> float:
        v = self.log10_lr
        if v > 308:
            return math.inf
        return 10.0 ** v

    def locus(self, name: str) -> LocusLR:
        name = normalise_locus(name, strict=False)
        for l in self.loci:
            if l.locus == name:
                return l
        raise KeyError(name)

    def to_dict(self) -> dict:
        d = {
            "model": MODEL_NAME,
            "references": list(MODEL_REFERENCES),
            "replicates": list(self.replicates),
            "frequency_table": self.frequency_table,
            "hp": self.hp.to_dict(),
            "hd": self.hd.to_dict(),
            "parameters": self.parameters.to_dict(),
            "loci": [l.to_dict() for l in self.loci],
            "log10_lr": _finite(self.log10_lr),
            "lr": _finite(self.lr),
        }
        for key in ("noc", "dropout", "conservative"):
            d[key] = _report_dict(getattr(self, key))
        return d


def _report_dict(v):
    """to_dict() of an attached report, or of each report in a dict / tuple of them."""
    if v is None:
        return None
    if isinstance(v, dict):
        return {k: _report_dict(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_report_dict(x) for x in v]
    return v.to_dict() if hasattr(v, "to_dict") else v


# ------------------------------------------------------------------------- validation

def _check_prob(value, what: str, *, upper_open: bool = False) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise DNAError(f"{what} must be a number, got {value!r}") from None
    if math.isnan(v) or v < 0 or v > 1 or (upper_open and v == 1):
        rng = "[0, 1)" if upper_open else "[0, 1]"
        raise DNAError(f"{what} must lie in {rng}, got {value!r}")
    return v


def _validate(replicates: Sequence[Profile], hp: Proposition, hd: Proposition,
              params: MixtureParameters) -> None:
    if not replicates:
        raise DNAError("no replicate of the stain given")
    _check_prob(params.dropin, "drop-in probability", upper_open=True)  # C = 1 leaves no stain without drop-in
    _check_prob(params.theta, "theta", upper_open=True)
    for f, what in ((params.rare_allele_frequency, "rare-allele frequency"),
                    (params.dropin_allele_frequency, "drop-in allele frequency")):
        if f is not None and not (0 < float(f) <= 1):
            raise DNAError(f"{what} must lie in (0, 1], got {f!r}")
    profiles: dict[str, Profile] = {}
    for h in (hp, hd):
        if not isinstance(h.unknowns, int) or isinstance(h.unknowns, bool) or h.unknowns < 0:
            raise DNAError(f"{h.name}: number of unknown contributors must be a whole "
                           f"number >= 0, got {h.unknowns!r}")
        if h.n_contributors == 0:
            raise DNAError(f"{h.name} has no contributor: give at least one known or one "
                           "unknown contributor")
        _check_prob(h.unknown_dropout, f"{h.name}: drop-out of the unknowns")
        names: list[str] = []
        for c in h.contributors:
            _check_prob(c.dropout, f"{h.name}: drop-out of {c.name}")
            names.append(c.name)
        for p in h.non_contributors:
            names.append(p.sample)
        dup = [n for n, k in Counter(names).items() if k > 1]
        if dup:
            raise DNAError(f"{h.name}: {dup[0]!r} is named twice (a person is either a "
                           "contributor or a non-contributor, once)")
        for p in [c.profile for c in h.contributors] + list(h.non_contributors):
            other = profiles.setdefault(p.sample, p)
            if other is not p and dict(other.loci) != dict(p.loci):
                raise DNAError(f"two different reference profiles are named {p.sample!r}")
    only_hp = hp.typed_names() - hd.typed_names()
    only_hd = hd.typed_names() - hp.typed_names()
    if only_hp or only_hd:
        who, where, other = ((sorted(only_hp)[0], hp.name, hd.name) if only_hp
                             else (sorted(only_hd)[0], hd.name, hp.name))
        raise DNAError(
            f"{who!r} is named under {where} but not under {other}: a typed person must be "
            f"named under both propositions, as a contributor or as a non-contributor "
            f"(the person of interest is a non-contributor under Hd)")


def evaluation_loci(replicates: Sequence[Profile], loci: Iterable[str] | None = None) -> list[str]:
    """The loci evaluated: ``loci`` (normalised) when given, else every statistical locus
    (AMEL and Y markers excluded) typed in at least one replicate, in first-seen order."""
    if loci is not None:
        out = []
        for l in loci:
            n = normalise_locus(l, strict=False)
            if n not in out:
                out.append(n)
        if not out:
            raise DNAError("no locus to evaluate")
        return out
    out: list[str] = []
    for r in replicates:
        for l in r.loci:
            if is_statistical(l) and l not in out:
                out.append(l)
    if not out:
        raise DNAError("the replicates have no typed statistical locus")
    return out


# ---------------------------------------------------------------------- enumeration

@lru_cache(maxsize=256)
def _compositions(n_classes: int, total: int) -> np.ndarray:
    """All vectors of ``n_classes`` non-negative ints summing to ``total``, shape
    (C(n_classes + total - 1, total), n_classes), int16, lexicographic."""
    if n_classes == 1:
        return np.array([[total]], dtype=np.int16)
    blocks = []
    for first in range(total, -1, -1):
        rest = _compositions(n_classes - 1, total - first)
        blocks.append(np.concatenate(
            [np.full((rest.shape[0], 1), first, dtype=np.int16), rest], axis=1))
    out = np.concatenate(blocks, axis=0)
    out.setflags(write=False)
    return out


@lru_cache(maxsize=64)
def _inv_factorials(n: int) -> np.ndarray:
    return np.array([1.0 / math.factorial(k) for k in range(n + 1)])


class _Frequencies:
    """Frequency look-up with the rare-allele rule and error messages naming the source."""

    def __init__(self, table: FrequencyTable, params: MixtureParameters):
        self.table = table
        self.rare = params.rare_allele_frequency

    def locus_table(self, locus: str) -> Mapping[str, float]:
        f = self.table.freqs.get(locus)
        if not f:
            raise MissingFrequencyError(
                f"locus {locus} is not in frequency table {self.table.name!r}; choose "
                "another table or leave the locus out")
        return f

    def get(self, locus: str, allele: str, who: str) -> float:
        f = self.table.freqs.get(locus, {}).get(allele)
        if f is not None:
            return float(f)
        if self.rare is None:
            raise MissingFrequencyError(
                f"allele {allele} at {locus} ({who}) is not in frequency table "
                f"{self.table.name!r} and no rare-allele frequency was given")
        return float(self.rare)


@dataclass
class _LocusModel:
    """Everything needed to evaluate Pr(E_l | H) for one locus and one proposition,
    for any drop-out values. Arrays are over A allele classes (explicit alleles, then Q).

    ``counts``: (K, A) int16 allele counts of the unknowns (K count vectors; K = 1, all zero,
    when x = 0). ``weight``: (K,) Pr(c) (multinomial x Pólya). ``copies``: (J, A) copies of
    each allele in each known contributor. ``reps``: list of (present index array, drop-in
    factor C*q over the present alleles, multiplicity).
    """

    locus: str
    alleles: list[str]
    x: int
    counts: np.ndarray
    weight: np.ndarray
    copies: np.ndarray
    known_carried: np.ndarray
    reps: list
    dropin: float

    def probability(self, known_dropouts: Sequence[float], unknown_dropout: float) -> float:
        """Pr(E_l | H) for the given drop-outs (known contributors in proposition order)."""
        A = len(self.alleles)
        kD = np.ones(A)
        for j, d in enumerate(known_dropouts):
            kD = kD * np.power(float(d), self.copies[j])
        if self.x:
            upow = np.power(float(unknown_dropout), np.arange(2 * self.x + 1, dtype=float))
            D = kD[None, :] * upow[self.counts]
            S = self.known_carried[None, :] | (self.counts > 0)
        else:
            D = kD[None, :]
            S = self.known_carried[None, :]
        total = self.weight.copy()
        absent_all = np.ones(A, dtype=bool)
        for present, cq, mult in self.reps:
            absent = absent_all.copy()
            absent[present] = False
            p = D[:, absent].prod(axis=1)
            if present.size:
                Sp = S[:, present]
                p = p * np.where(Sp, 1.0 - D[:, present], cq[None, :]).prod(axis=1)
                if self.dropin > 0:
                    p = p * np.where(Sp.all(axis=1), 1.0 - self.dropin, 1.0)
            elif self.dropin > 0:
                p = p * (1.0 - self.dropin)
            total = total * (p if mult == 1 else p ** mult)
        return float(total.sum())


def _prepare_locus(locus: str, replicates: Sequence[Profile], h: Proposition,
                   freqs: _Frequencies, params: MixtureParameters) -> _LocusModel:
    table = freqs.locus_table(locus)
    rep_sets = [frozenset(r.loci[locus]) for r in replicates if locus in r.loci]
    observed = set().union(*rep_sets) if rep_sets else set()
    typed: list[tuple[str, tuple[str, ...], bool]] = []  # (name, alleles, contributes)
    for c in h.contributors:
        typed.append((c.name, c.profile.loci.get(locus), True))
    for p in h.non_contributors:
        typed.append((p.sample, p.loci.get(locus), False))
    for name, al, _ in typed:
        if al is None:
            raise DNAError(f"reference {name!r} is not typed at {locus}: give its alleles "
                           f"or leave {locus} out of the evaluation")
        if len(al) == 0 or len(al) > 2:
            raise DNAError(f"reference {name!r} has {len(al)} alleles at {locus}: a reference "
                           "needs one (homozygote) or two")
    ref_alleles = {a for _, al, _ in typed for a in al}
    explicit = sorted(observed | ref_alleles, key=allele_sort_key)
    # Allele space of the unknowns: table alleles and observed alleles (LRmix Studio).
    eligible = [a for a in explicit if a in table or a in observed]
    p: list[float] = []
    for a in explicit:
        who = ("observed in the stain" if a in observed else
               "in reference " + ", ".join(repr(n) for n, al, _ in typed if a in al))
        p.append(freqs.get(locus, a, who))
    explicit_set = set(explicit)
    q_freq = math.fsum(float(f) for a, f in table.items() if a not in explicit_set)
    alleles = list(explicit)
    if q_freq > 0:
        alleles.append("Q")
        p.append(q_freq)
        eligible = eligible + ["Q"]
    A = len(alleles)
    index = {a: i for i, a in enumerate(alleles)}
    pv = np.array(p, dtype=float)
    # θ counts over every typed person (2 alleles each), copies for contributors
    n_seen = np.zeros(A)
    contributors = [(name, al) for name, al, contrib in typed if contrib]
    copies = np.zeros((len(contributors), A))
    for name, al, contrib in typed:
        for a in al:
            n_seen[index[a]] += 2 if len(al) == 1 else 1
    for j, (name, al) in enumerate(contributors):
        for a in al:
            copies[j, index[a]] += 2 if len(al) == 1 else 1
    known_carried = copies.sum(axis=0) > 0
    N = 2 * len(typed)
    x = h.unknowns
    theta = float(params.theta)
    if x:
        m = 2 * x
        el_idx = np.array([index[a] for a in eligible], dtype=np.intp)
        comp = _compositions(len(el_idx), m)
        counts = np.zeros((comp.shape[0], A), dtype=np.int16)
        counts[:, el_idx] = comp
        # Pólya numerator table T[a, k] = Π_{j<k} ((n_a + j) θ + (1-θ) p_a)
        T = np.ones((A, m + 1))
        for k in range(1, m + 1):
            T[:, k] = T[:, k - 1] * ((n_seen + k - 1) * theta + (1.0 - theta) * pv)
        denom = 1.0
        for i in range(N, N + m):
            denom *= 1.0 + (i - 1) * theta
        cols = np.arange(A)
        weight = (T[cols[None, :], counts].prod(axis=1)
                  * _inv_factorials(m)[counts].prod(axis=1) * math.factorial(m) / denom)
    else:
        counts = np.zeros((1, A), dtype=np.int16)
        weight = np.ones(1)
    reps = []
    for rset, mult in Counter(rep_sets).items():
        present = np.array(sorted(index[a] for a in rset), dtype=np.intp)
        if params.dropin_allele_frequency is not None:
            qv = np.full(present.size, float(params.dropin_allele_frequency))
        else:
            qv = pv[present]
        reps.append((present, float(params.dropin) * qv, mult))
    return _LocusModel(locus, alleles, x, counts, weight, copies, known_carried, reps,
                       float(params.dropin))


# ----------------------------------------------------------------------------- public

@dataclass
class PreparedCase:
    """A case made ready for repeated evaluation at different drop-out values (sensitivity
    analysis, drop-out estimation, NOC search). Build with :func:`prepare`."""

    replicates: tuple[Profile, ...]
    hp: Proposition
    hd: Proposition
    freqs: FrequencyTable
    params: MixtureParameters
    loci: list[str]
    models: dict[str, list[_LocusModel]] = field(default_factory=dict)

    def locus_probabilities(self, which: str, dropouts: Mapping[str, float] | None = None,
                            unknown_dropout: float | None = None) -> np.ndarray:
        """Pr(E_l | H) per locus (array over ``loci``) for proposition ``which`` ("hp" or
        "hd"), with drop-outs overridden by name / for the unknowns where given."""
        h = self.hp if which == "hp" else self.hd
        dropouts = dropouts or {}
        kd = [dropouts.get(c.name, c.dropout) for c in h.contributors]
        ud = h.unknown_dropout if unknown_dropout is None else unknown_dropout
        for v in kd + [ud]:
            _check_prob(v, "drop-out")
        return np.array([m.probability(kd, ud) for m in self.models[which]])

    def result(self, dropouts_hp: Mapping[str, float] | None = None,
               unknown_dropout_hp: float | None = None,
               dropouts_hd: Mapping[str, float] | None = None,
               unknown_dropout_hd: float | None = None) -> MixtureResult:
        """The :class:`MixtureResult` at the propositions' drop-outs, or overridden ones."""
        php = self.locus_probabilities("hp", dropouts_hp, unknown_dropout_hp)
        phd = self.locus_probabilities("hd", dropouts_hd, unknown_dropout_hd)
        for l, a, b in zip(self.loci, php, phd):
            if a == 0.0 and b == 0.0:
                raise DNAError(
                    f"the evidence at {l} is impossible under both propositions (probability "
                    "0): an observed allele no contributor carries needs a drop-in "
                    "probability > 0, an allele of a contributor missing from the stain "
                    "needs a drop-out probability > 0")
        hp = self.hp.with_dropouts(dropouts_hp, unknown_dropout_hp)
        hd = self.hd.with_dropouts(dropouts_hd, unknown_dropout_hd)
        return MixtureResult(
            loci=tuple(LocusLR(l, float(a), float(b)) for l, a, b in zip(self.loci, php, phd)),
            hp=hp, hd=hd, parameters=self.params, frequency_table=self.freqs.name,
            replicates=tuple(r.sample for r in self.replicates))


def prepare(replicates: Sequence[Profile], hp: Proposition, hd: Proposition,
            freqs: FrequencyTable, params: MixtureParameters | None = None,
            loci: Iterable[str] | None = None) -> PreparedCase:
    """Validate the input and precompute the per-locus models (see :func:`likelihood_ratio`)."""
    params = params or MixtureParameters()
    replicates = tuple(replicates)
    _validate(replicates, hp, hd, params)
    eval_loci = evaluation_loci(replicates, loci)
    f = _Frequencies(freqs, params)
    case = PreparedCase(replicates, hp, hd, freqs, params, eval_loci)
    for key, h in (("hp", hp), ("hd", hd)):
        case.models[key] = [_prepare_locus(l, replicates, h, f, params) for l in eval_loci]
    return case


def likelihood_ratio(replicates: Sequence[Profile], hp: Proposition, hd: Proposition,
                     freqs: FrequencyTable, params: MixtureParameters | None = None,
                     loci: Iterable[str] | None = None) -> MixtureResult:
    """Likelihood ratio LR = Pr(E | Hp) / Pr(E | Hd) of a mixture, per locus and combined.

    ``replicates``: the stain's replicate profiles (one or more amplifications of the same
    extract; a replicate not typed at a locus is left out there, one typed with no allele
    counts as complete drop-out). ``hp``/``hd``: :class:`Proposition`. ``freqs``: allele
    frequencies. ``params``: :class:`MixtureParameters`. ``loci``: loci to evaluate (default:
    every statistical locus typed in a replicate; each must be in the table and typed in
    every reference).

    Returns a :class:`MixtureResult` (per-locus probabilities and log10 LR, combined log10 LR).

    Raises :class:`DNAError` for inconsistent propositions (no contributor, a typed person
    named under one proposition only, a person named twice), a probability outside its range,
    a reference not typed at an evaluated locus or with more than two alleles, evidence
    impossible under both propositions; :class:`MissingFrequencyError` for a locus or an
    allele missing from the table without a rare-allele frequency.
    """
    return prepare(replicates, hp, hd, freqs, params, loci).result()


def standard_propositions(
    poi: Profile | None,
    knowns: Sequence[Profile] = (),
    *,
    unknowns_hp: int,
    unknowns_hd: int,
    dropout_poi: float = 0.0,
    dropout_knowns: Sequence[float] | None = None,
    dropout_unknown_hp: float = 0.0,
    dropout_unknown_hd: float = 0.0,
) -> tuple[Proposition, Proposition]:
    """The usual pair: Hp = POI + knowns + ``unknowns_hp`` unknowns; Hd = knowns +
    ``unknowns_hd`` unknowns, the POI a non-contributor (conditioned on for θ).

    ``dropout_knowns``: one drop-out per known, in order (default 0 for each). Raises
    :class:`DNAError` when the number of drop-outs does not match the knowns.
    """
    knowns = list(knowns)
    if dropout_knowns is None:
        dropout_knowns = [0.0] * len(knowns)
    dropout_knowns = list(dropout_knowns)
    if len(dropout_knowns) != len(knowns):
        raise DNAError(f"{len(knowns)} known contributor(s) but {len(dropout_knowns)} "
                       "known drop-out value(s): give one --dropout-known per --known")
    kc = tuple(Contributor(k, float(d), "known") for k, d in zip(knowns, dropout_knowns))
    hp_c = kc + ((Contributor(poi, float(dropout_poi), "POI"),) if poi is not None else ())
    hp = Proposition("Hp", hp_c, int(unknowns_hp), float(dropout_unknown_hp))
    hd = Proposition("Hd", kc, int(unknowns_hd), float(dropout_unknown_hd),
                     non_contributors=(poi,) if poi is not None else ())
    return hp, hd
