"""Combined probability of inclusion (CPI) and exclusion (CPE) for a mixture.

At each locus, with P the sum of the frequencies of the alleles seen in the mixture,

    PI = P²            (probability that a random unrelated person has only alleles seen)
    PE = 1 - PI

and over loci CPI = Π PI, CPE = 1 - CPI (Budowle et al. 2009, "Mixture interpretation:
defining the relevant features for guidelines for the assessment of mixed DNA profiles in
forensic casework", J Forensic Sci 54:810-821; SWGDAM Interpretation Guidelines for
Autosomal STR Typing, 2017; Bieber, Buckleton, Budowle, Butler, Coble 2016, "Evaluation of
forensic DNA mixture evidence: protocol for evaluation, interpretation, and statistical
calculations using the combined probability of inclusion", BMC Genetics 17:125).

CPI assumes every allele of every contributor was detected. A locus where drop-out is
possible must therefore be left out of the product (SWGDAM 2017; Bieber et al. 2016):
a locus with any allele below the stochastic threshold (when peak heights are given), a
locus the analyst flags, and a locus with no allele. Such loci are reported, flagged, and
excluded. With ``theta`` > 0 the optional subpopulation form PI = P² + θP(1-P) is used (NRC
II eq. 4.4a applied to the summed frequency P, as given for CPI in the SWGDAM guidelines).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Iterable, Sequence

from habeas.dna.errors import DNAError
from habeas.dna.frequencies import FrequencyTable
from habeas.dna.genotype import RareAlleleRule, check_theta
from habeas.dna.loci import is_statistical, normalise_locus
from habeas.dna.match import _plain
from habeas.dna.profile import Profile


@dataclass(frozen=True)
class CPILocus:
    """One locus of a CPI calculation: ``alleles`` seen, ``frequencies_used``, ``sum_p`` (P),
    ``pi`` (P² or its θ form) — ``None`` when the locus is ``excluded`` (then ``reason``)."""

    locus: str
    alleles: tuple[str, ...]
    excluded: bool
    reason: str
    sum_p: float | None = None
    pi: float | None = None
    frequencies_used: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class CPIResult:
    """CPI over the loci used: ``log10_cpi`` = Σ log10 PI; ``cpi`` = 10**log10_cpi;
    ``cpe`` = 1 - cpi (computed without cancellation). ``None`` when no locus is usable."""

    sample: str
    population: str
    theta: float
    loci: tuple[CPILocus, ...]
    log10_cpi: float | None
    warnings: tuple[str, ...] = ()

    @property
    def cpi(self) -> float | None:
        return None if self.log10_cpi is None else 10.0 ** self.log10_cpi

    @property
    def cpe(self) -> float | None:
        return None if self.log10_cpi is None else -math.expm1(self.log10_cpi * math.log(10))

    @property
    def loci_used(self) -> list[str]:
        return [l.locus for l in self.loci if not l.excluded]

    @property
    def loci_excluded(self) -> list[str]:
        return [l.locus for l in self.loci if l.excluded]

    def to_dict(self) -> dict:
        d = {f.name: _plain(getattr(self, f.name)) for f in fields(self)}
        d.update(cpi=self.cpi, cpe=self.cpe, loci_used=self.loci_used,
                 loci_excluded=self.loci_excluded)
        return d


def probability_of_inclusion(freqs: Iterable[float], theta: float = 0.0) -> float:
    """PI at one locus from the frequencies of the alleles seen (Budowle et al. 2009):
    P² with P = Σ p_i; with θ > 0, P² + θP(1-P). P is capped at 1 (a table whose listed
    frequencies sum above 1). Raises :class:`DNAError` on an empty list or bad θ."""
    fs = list(freqs)
    if not fs:
        raise DNAError("probability of inclusion needs at least one allele")
    theta = check_theta(theta)
    p = min(1.0, math.fsum(fs))
    return p * p + theta * p * (1 - p)


def combined_probability_of_inclusion(
        mixture: Profile, table: FrequencyTable, *, theta: float = 0.0,
        stochastic_threshold: float | None = None, dropout_loci: Iterable[str] = (),
        rare_allele: RareAlleleRule = RareAlleleRule(),
        loci: Sequence[str] | None = None) -> CPIResult:
    """CPI / CPE of a mixture profile against one frequency table.

    A locus is flagged and excluded from the product when: it is AMEL or a Y marker; it
    shows no allele; it is in ``dropout_loci``; ``stochastic_threshold`` (RFU) is given, the
    locus has peak heights and any allele is below it; or it is not in the table. When a
    stochastic threshold is given but a locus has no heights, it is used with a warning
    (drop-out could not be checked). Rare / missing alleles follow ``rare_allele``.
    ``loci`` restricts the calculation to those loci. Returns a :class:`CPIResult`.
    """
    theta = check_theta(theta)
    flagged = {normalise_locus(l, strict=False) for l in dropout_loci}
    order = [normalise_locus(l, strict=False) for l in loci] if loci else list(mixture.loci)
    out: list[CPILocus] = []
    warnings: list[str] = []
    for locus in order:
        alleles = tuple(mixture.loci.get(locus, ()))
        hs = mixture.heights.get(locus)
        if not is_statistical(locus):
            out.append(CPILocus(locus, alleles, True, "sex / Y marker: never used"))
            continue
        if locus not in mixture.loci:
            out.append(CPILocus(locus, alleles, True, "not typed"))
            continue
        if not alleles:
            out.append(CPILocus(locus, alleles, True, "no allele detected (drop-out)"))
            continue
        if locus in flagged:
            out.append(CPILocus(locus, alleles, True, "flagged as possible drop-out"))
            continue
        lw: list[str] = []
        if stochastic_threshold is not None:
            if hs:
                low = [a for a, h in zip(alleles, hs) if h < stochastic_threshold]
                if low:
                    out.append(CPILocus(locus, alleles, True,
                                        f"allele(s) {', '.join(low)} below the stochastic threshold "
                                        f"({stochastic_threshold:g} RFU): drop-out possible"))
                    continue
            else:
                lw.append(f"{locus}: no peak heights; drop-out could not be checked")
        if locus not in table.freqs:
            out.append(CPILocus(locus, alleles, True, f"not in table {table.name}"))
            continue
        used: dict[str, float] = {}
        for a in alleles:
            f, w = rare_allele.frequency(table, locus, a)
            used[a] = f
            if w:
                lw.append(w)
        p = min(1.0, math.fsum(used.values()))
        out.append(CPILocus(locus, alleles, False, "used", sum_p=p,
                            pi=probability_of_inclusion(used.values(), theta),
                            frequencies_used=used, warnings=tuple(lw)))
    if stochastic_threshold is None:
        warnings.append("no stochastic threshold given: drop-out was checked only at loci "
                        "flagged by the caller")
    for l in out:
        warnings.extend(l.warnings)
    used_loci = [l for l in out if not l.excluded]
    log10_cpi = math.fsum(math.log10(l.pi) for l in used_loci) if used_loci else None  # type: ignore[arg-type]
    if not used_loci:
        warnings.append("no locus usable for CPI")
    return CPIResult(sample=mixture.sample, population=table.name, theta=theta,
                     loci=tuple(out), log10_cpi=log10_cpi, warnings=tuple(warnings))
