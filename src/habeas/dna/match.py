"""Single-source comparison: per-locus conclusion, random match probability, likelihood ratio.

For a single-source evidence profile E and a reference profile R that match at a locus,

- the **random match probability** (RMP) is the probability that a person unrelated to
  the reference, from the population of the frequency table, has the evidence genotype
  given that the reference has it: NRC II (1996) eq. 4.10a/4.10b (Balding & Nichols 1994)
  with co-ancestry coefficient θ (θ = 0 gives eq. 4.1a/4.1b, p² and 2pq);
- the **likelihood ratio** for Hp "the reference is the source" against Hd "an unknown
  unrelated person is the source" is LR = P(E|Hp)/P(E|Hd) = 1/RMP (no drop-out, no drop-in).

Loci combine by the product rule (NRC II ch. 4), done as a sum of log10 values so nothing
underflows; results hold ``log10_rmp`` and ``log10_lr``. AMEL and Y markers are never used.

Which loci count, and when the comparison is an inclusion, exclusion or inconclusive, is set
by an explicit :class:`InterpretationPolicy`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from typing import Iterable, Sequence

from habeas.dna.errors import DNAError
from habeas.dna.frequencies import FrequencyTable
from habeas.dna.genotype import (
    DEFAULT_THETA, MODELS, RareAlleleRule, check_theta, genotype_probability,
)
from habeas.dna.loci import is_statistical, normalise_locus
from habeas.dna.profile import Profile, allele_sort_key

INCLUSION = "inclusion"
EXCLUSION = "exclusion"
INCONCLUSIVE = "inconclusive"


def _plain(v):
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, (set, frozenset)):
        return sorted(_plain(x) for x in v)
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if hasattr(v, "to_dict"):
        return v.to_dict()
    return v


def _log10(x: float) -> float:
    return math.log10(x) if x > 0 else -math.inf


@dataclass(frozen=True)
class InterpretationPolicy:
    """The rules that turn a comparison into inclusion / exclusion / inconclusive.

    Per locus, for a single-source evidence profile E and a reference R:

    1. E or R not typed at the locus (or R shows more than two alleles) -> **inconclusive**.
    2. E shows more than two alleles -> **inconclusive** (more than one contributor: this
       comparison does not apply; use CPI or a mixture model).
    3. The E locus is *partial* (possible drop-out) when it shows no allele, when the analyst
       flagged it (``dropout_loci``), or when it shows one allele whose peak height is below
       ``stochastic_threshold`` (RFU; only when heights are known). Two alleles in a
       single-source profile leave no room for drop-out, so such a locus is complete.
    4. E has an allele R lacks -> **exclusion** (also at a partial locus when
       ``foreign_allele_excludes``, the default: drop-out cannot explain an extra allele).
    5. The E locus is partial -> **inconclusive** (it enters no statistic).
    6. R has an allele absent from the complete E locus -> **exclusion**.
    7. Otherwise (same alleles) -> **inclusion**; the locus enters the RMP and LR.

    Overall: any excluded locus -> exclusion; else at least ``min_inclusion_loci``
    inclusions -> inclusion; else inconclusive. ``loci``, when given, restricts the
    comparison to those loci (e.g. the CODIS 20). With no stochastic threshold, or no peak
    heights, a single allele is taken as a true homozygote (stated as a warning).
    """

    stochastic_threshold: float | None = None
    dropout_loci: frozenset[str] = frozenset()
    foreign_allele_excludes: bool = True
    min_inclusion_loci: int = 1
    loci: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "dropout_loci",
                           frozenset(normalise_locus(l, strict=False) for l in self.dropout_loci))
        if self.loci is not None:
            object.__setattr__(self, "loci",
                               tuple(normalise_locus(l, strict=False) for l in self.loci))
        if self.stochastic_threshold is not None and self.stochastic_threshold < 0:
            raise DNAError("stochastic threshold must be >= 0 RFU")
        if self.min_inclusion_loci < 1:
            raise DNAError("min_inclusion_loci must be >= 1")

    def to_dict(self) -> dict:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class LocusResult:
    """One locus of a comparison against one frequency table.

    ``rmp`` (probability, 0..1) and ``log10_lr`` are set only for loci that enter the
    statistic (``used`` True); ``frequencies_used`` maps allele -> frequency actually used
    (after the rare-allele rule); ``reason`` says why the conclusion was reached.
    """

    locus: str
    evidence_alleles: tuple[str, ...] | None
    reference_alleles: tuple[str, ...] | None
    conclusion: str
    reason: str
    used: bool = False
    rmp: float | None = None
    log10_lr: float | None = None
    frequencies_used: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class ComparisonResult:
    """A comparison against one population (frequency table).

    ``log10_rmp`` = Σ log10 RMP over the used loci; ``log10_lr`` = -``log10_rmp``. Both are
    ``None`` unless the conclusion is inclusion (for an exclusion the LR is 0).
    """

    population: str
    population_label: str
    theta: float
    model: str
    loci: tuple[LocusResult, ...]
    log10_rmp: float | None
    log10_lr: float | None
    conclusion: str
    warnings: tuple[str, ...] = ()

    @property
    def loci_used(self) -> list[str]:
        return [l.locus for l in self.loci if l.used]

    @property
    def rmp(self) -> float | None:
        """10**log10_rmp (may underflow to 0.0 for very long profiles; use log10_rmp)."""
        return None if self.log10_rmp is None else 10.0 ** self.log10_rmp

    def to_dict(self) -> dict:
        d = {f.name: _plain(getattr(self, f.name)) for f in fields(self)}
        d["loci_used"] = self.loci_used
        d["rmp"] = self.rmp
        return d


@dataclass(frozen=True)
class MultiPopulationResult:
    """A comparison against several populations, and the most conservative of them (the
    one with the largest combined RMP, i.e. the smallest LR)."""

    evidence_sample: str
    reference_sample: str
    conclusion: str
    results: tuple[ComparisonResult, ...]
    most_conservative: str | None
    policy: InterpretationPolicy
    rare_allele: RareAlleleRule

    @property
    def conservative(self) -> ComparisonResult | None:
        for r in self.results:
            if r.population == self.most_conservative:
                return r
        return None

    def to_dict(self) -> dict:
        return {
            "evidence_sample": self.evidence_sample,
            "reference_sample": self.reference_sample,
            "conclusion": self.conclusion,
            "most_conservative": self.most_conservative,
            "policy": self.policy.to_dict(),
            "rare_allele": asdict(self.rare_allele),
            "results": [r.to_dict() for r in self.results],
        }


def locus_conclusion(locus: str, evidence: Sequence[str] | None, reference: Sequence[str] | None,
                     evidence_heights: Sequence[float] | None = None,
                     policy: InterpretationPolicy = InterpretationPolicy()) -> tuple[str, str]:
    """Conclusion at one locus under ``policy`` and its reason (see
    :class:`InterpretationPolicy` for the rules). Returns (conclusion, reason)."""
    if evidence is None:
        return INCONCLUSIVE, "not typed in the evidence"
    if not reference:
        return INCONCLUSIVE, "not typed in the reference"
    if len(set(reference)) > 2:
        return INCONCLUSIVE, f"reference shows {len(set(reference))} alleles (not single-source)"
    ev, ref = set(evidence), set(reference)
    if len(ev) > 2:
        return INCONCLUSIVE, (f"evidence shows {len(ev)} alleles: more than one contributor; "
                              "this single-source comparison does not apply")
    partial = ""
    if not ev:
        partial = "no allele detected in the evidence (complete drop-out)"
    elif locus in policy.dropout_loci:
        partial = "flagged by the analyst as possible drop-out"
    elif (len(ev) == 1 and policy.stochastic_threshold is not None and evidence_heights
          and max(evidence_heights) < policy.stochastic_threshold):
        partial = (f"single allele at {max(evidence_heights):g} RFU, below the stochastic "
                   f"threshold of {policy.stochastic_threshold:g} RFU: a sister allele may "
                   "have dropped out")
    foreign = sorted(ev - ref, key=allele_sort_key)
    if foreign and (not partial or policy.foreign_allele_excludes):
        return EXCLUSION, f"evidence allele(s) {', '.join(foreign)} not in the reference"
    if partial:
        return INCONCLUSIVE, partial
    missing = sorted(ref - ev, key=allele_sort_key)
    if missing:
        return EXCLUSION, (f"reference allele(s) {', '.join(missing)} absent from the complete "
                           "evidence locus")
    return INCLUSION, "same alleles in evidence and reference"


def locus_match_probability(locus: str, alleles: Sequence[str], table: FrequencyTable,
                            theta: float = DEFAULT_THETA,
                            rare_allele: RareAlleleRule = RareAlleleRule(),
                            model: str = "nrc2_4.10") -> tuple[float, dict[str, float], list[str]]:
    """Match probability of a single-source genotype (1 or 2 distinct alleles) at ``locus``.

    Returns (probability, {allele: frequency used}, warnings). Frequencies come from
    ``table`` through ``rare_allele`` (5/2N by default). Equation: NRC II 4.10a/b (model
    ``nrc2_4.10``), 4.4a (``nrc2_4.4``) or 4.1a/b (``hw``); see :mod:`habeas.dna.genotype`.
    Raises :class:`MissingFrequencyError` (allele absent and no floor),
    :class:`DNAError` (bad θ, model, or allele count).
    """
    distinct = sorted(set(alleles), key=allele_sort_key)
    used: dict[str, float] = {}
    warns: list[str] = []
    for a in distinct:
        f, w = rare_allele.frequency(table, locus, a)
        used[a] = f
        if w:
            warns.append(w)
    return genotype_probability([used[a] for a in distinct], theta, model), used, warns


def _locus_order(evidence: Profile, reference: Profile, policy: InterpretationPolicy) -> list[str]:
    if policy.loci is not None:
        return list(policy.loci)
    order = list(evidence.loci)
    order += [l for l in reference.loci if l not in evidence.loci]
    return order


def compare_one(evidence: Profile, reference: Profile, table: FrequencyTable,
                theta: float = DEFAULT_THETA, rare_allele: RareAlleleRule = RareAlleleRule(),
                policy: InterpretationPolicy = InterpretationPolicy(),
                model: str = "nrc2_4.10") -> ComparisonResult:
    """Compare a single-source evidence profile with a reference against one table.

    Returns a :class:`ComparisonResult`: per-locus conclusions (see
    :class:`InterpretationPolicy`), and over the included loci present in the table the
    combined log10 RMP (Σ log10 of NRC II 4.10 match probabilities) and log10 LR (its
    negative). Loci absent from the table are left out of the statistic, with a warning.
    Raises :class:`DNAError` for bad θ or model, :class:`MissingFrequencyError` when the
    rare-allele rule cannot give a frequency.
    """
    theta = check_theta(theta)
    if model not in MODELS:
        raise DNAError(f"unknown genotype model {model!r}; models: {', '.join(MODELS)}")
    results: list[LocusResult] = []
    warnings: list[str] = []
    skipped = [l for l in _locus_order(evidence, reference, policy) if not is_statistical(l)]
    if skipped:
        warnings.append(f"not used in statistics (sex / Y markers): {', '.join(skipped)}")
    if policy.stochastic_threshold is None:
        warnings.append("no stochastic threshold given: a single allele is taken as a true "
                        "homozygote (no drop-out check)")
    for locus in _locus_order(evidence, reference, policy):
        if not is_statistical(locus):
            continue
        ev = evidence.loci.get(locus)
        ref = reference.loci.get(locus)
        concl, reason = locus_conclusion(locus, ev, ref, evidence.heights.get(locus), policy)
        lw: list[str] = []
        if (concl == INCLUSION and ev is not None and len(ev) == 1
                and policy.stochastic_threshold is not None and locus not in evidence.heights):
            lw.append(f"{locus}: no peak heights; single allele taken as a true homozygote")
        if concl != INCLUSION:
            results.append(LocusResult(locus, ev, ref, concl, reason, warnings=tuple(lw)))
            continue
        if locus not in table.freqs:
            lw.append(f"{locus}: not in table {table.name}; left out of the statistic")
            results.append(LocusResult(locus, ev, ref, concl, reason, warnings=tuple(lw)))
            continue
        prob, used, fw = locus_match_probability(locus, ev, table, theta, rare_allele, model)
        lw.extend(fw)
        results.append(LocusResult(locus, ev, ref, concl, reason, used=True, rmp=prob,
                                   log10_lr=-math.log10(prob), frequencies_used=used,
                                   warnings=tuple(lw)))
    conclusion = overall_conclusion([r.conclusion for r in results], policy)
    log10_rmp = log10_lr = None
    if conclusion == INCLUSION:
        used_loci = [r for r in results if r.used]
        log10_rmp = math.fsum(math.log10(r.rmp) for r in used_loci)  # type: ignore[arg-type]
        log10_lr = -log10_rmp
        if not used_loci:
            warnings.append(f"no included locus is in table {table.name}: no statistic")
            log10_rmp = log10_lr = None
    for r in results:
        warnings.extend(r.warnings)
    return ComparisonResult(population=table.name, population_label=table.population or table.name,
                            theta=theta, model=model, loci=tuple(results), log10_rmp=log10_rmp,
                            log10_lr=log10_lr, conclusion=conclusion, warnings=tuple(warnings))


def overall_conclusion(conclusions: Iterable[str], policy: InterpretationPolicy = InterpretationPolicy()) -> str:
    """Any exclusion -> exclusion; else >= ``policy.min_inclusion_loci`` inclusions ->
    inclusion; else inconclusive."""
    cs = list(conclusions)
    if EXCLUSION in cs:
        return EXCLUSION
    if cs.count(INCLUSION) >= policy.min_inclusion_loci:
        return INCLUSION
    return INCONCLUSIVE


def compare(evidence: Profile, reference: Profile, tables: Sequence[FrequencyTable],
            theta: float = DEFAULT_THETA, rare_allele: RareAlleleRule = RareAlleleRule(),
            policy: InterpretationPolicy = InterpretationPolicy(),
            model: str = "nrc2_4.10") -> MultiPopulationResult:
    """Compare a single-source evidence profile with a reference profile against each table.

    ``tables``: one or more :class:`FrequencyTable` (e.g. ``load_population_set("NIST1036")``).
    ``theta``: co-ancestry coefficient, default 0.01, in [0, 1). ``rare_allele``: minimum
    allele frequency rule (default 5/2N). ``policy``: :class:`InterpretationPolicy`.
    ``model``: ``"nrc2_4.10"`` (default), ``"nrc2_4.4"`` or ``"hw"``.

    Returns a :class:`MultiPopulationResult` with one :class:`ComparisonResult` per table and
    the name of the most conservative (largest combined RMP = smallest LR). Raises
    :class:`DNAError` when ``tables`` is empty or a parameter is invalid.
    """
    if not tables:
        raise DNAError("no frequency table given")
    res = tuple(compare_one(evidence, reference, t, theta, rare_allele, policy, model)
                for t in tables)
    with_stat = [r for r in res if r.log10_rmp is not None]
    most = max(with_stat, key=lambda r: r.log10_rmp).population if with_stat else None  # type: ignore[arg-type,return-value]
    return MultiPopulationResult(evidence_sample=evidence.sample, reference_sample=reference.sample,
                                 conclusion=res[0].conclusion, results=res, most_conservative=most,
                                 policy=policy, rare_allele=rare_allele)
