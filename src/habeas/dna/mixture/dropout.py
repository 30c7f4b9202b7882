"""Drop-out estimation (LRmix Studio's Monte Carlo method), sensitivity analysis and the
conservative LR.

Drop-out estimation (Gill & Haned 2013 §2.6; Haned et al. 2012 §2.3; LRmix Studio manual,
"drop-out estimation"): under a proposition, for each drop-out value d on a grid and each of
M iterations, simulate a stain: draw the unknowns' genotypes from the allele frequencies, take
the known contributors' genotypes, let every allele copy drop out independently with its
contributor's probability (d for the varied persons — the person of interest and the
unknowns — the stated value for the other knowns), add one drop-in allele per locus with
probability C, and count the distinct alleles that remain over all loci. The d values whose
simulated count equals the observed count (the mean over replicates, rounded) form the
empirical distribution of drop-out rates compatible with the evidence; its 5% and 95%
quantiles are reported (quantile position p(n+1), as Apache Commons Math used by LRmix
Studio). The simulation is NumPy-vectorised over iterations, loci and allele copies and
seeded (``seed``) so a report can be reproduced.

Sensitivity analysis: log10 LR as one drop-out value d is applied to the person of interest
and the unknowns under Hp, to the unknowns under Hd, or to both (the other knowns keep their
values) — the curves a forensic report shows.

Conservative LR (our definition, following LRmix Studio practice): the lowest LR over the
drop-out values between the lower and upper chosen percentiles of the estimates under Hp and
Hd (the union of both ranges), d applied as in the "both" sensitivity curve.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

from habeas.dna.errors import DNAError
from habeas.dna.frequencies import FrequencyTable
from habeas.dna.mixture.model import (
    MixtureParameters, PreparedCase, Proposition, evaluation_loci,
)
from habeas.dna.profile import Profile

__all__ = ["DropoutEstimate", "estimate_dropout", "SensitivityResult", "sensitivity",
           "ConservativeLR", "conservative_lr", "observed_allele_count", "DEFAULT_GRID"]

#: LRmix Studio's default drop-out grid: 0.01, 0.02, ..., 0.99.
DEFAULT_GRID = tuple(round(0.01 * k, 2) for k in range(1, 100))


@dataclass(frozen=True)
class DropoutEstimate:
    """Result of :func:`estimate_dropout` for one proposition.

    ``observed_allele_count``: distinct alleles per replicate summed over loci (mean over
    replicates, rounded). ``grid``: the d values tried. ``accepted``: for each grid value,
    the number of the ``iterations`` simulations that reproduced the count. ``quantiles``:
    percentile -> d (e.g. {5: 0.08, 95: 0.31}); empty when nothing was accepted.
    ``varied``: names of the typed persons whose drop-out was varied (the unknowns always are).
    """

    proposition: str
    observed_allele_count: int
    iterations: int
    grid: tuple[float, ...]
    accepted: tuple[int, ...]
    quantiles: dict
    varied: tuple[str, ...]
    seed: int | None

    @property
    def n_accepted(self) -> int:
        return int(sum(self.accepted))

    def to_dict(self) -> dict:
        return {"proposition": self.proposition,
                "observed_allele_count": self.observed_allele_count,
                "iterations": self.iterations, "n_accepted": self.n_accepted,
                "quantiles": {str(k): v for k, v in self.quantiles.items()},
                "varied": list(self.varied), "seed": self.seed,
                "grid": list(self.grid), "accepted": list(self.accepted)}


def observed_allele_count(replicates: Sequence[Profile], loci: Iterable[str]) -> int:
    """Distinct alleles per replicate summed over ``loci``, mean over replicates, rounded
    half up (LRmix Studio's "observed allele count")."""
    loci = list(loci)
    counts = [sum(len(r.loci.get(l, ())) for l in loci) for r in replicates]
    return int(math.floor(sum(counts) / len(counts) + 0.5))


def estimate_dropout(replicates: Sequence[Profile], proposition: Proposition,
                     freqs: FrequencyTable, params: MixtureParameters | None = None, *,
                     vary: Iterable[str] = (), iterations: int = 1000,
                     grid: Sequence[float] = DEFAULT_GRID,
                     percentiles: Sequence[float] = (5, 95), seed: int | None = 2013,
                     loci: Iterable[str] | None = None) -> DropoutEstimate:
    """Monte Carlo drop-out estimation under one proposition (see the module docstring).

    ``vary``: names of known contributors whose drop-out is set to the grid value (the
    person of interest); the unknowns are always varied. Unknown genotypes are drawn from the
    table's alleles at each locus, frequencies normalised to sum 1 (θ is not used in the
    simulation, as in LRmix Studio). Cost: O(iterations x len(grid) x loci x allele copies),
    vectorised; 1000 iterations x 99 values x 20 loci x 8 copies takes about a second.

    Raises :class:`DNAError` for an empty grid, a grid value outside [0, 1], fewer than one
    iteration, or a contributor not typed at an evaluated locus.
    """
    params = params or MixtureParameters()
    grid = tuple(float(g) for g in grid)
    if not grid or any(not 0 <= g <= 1 for g in grid):
        raise DNAError("drop-out grid must be non-empty with values in [0, 1]")
    if iterations < 1:
        raise DNAError("iterations must be >= 1")
    vary = set(vary)
    unknown_names = vary - {c.name for c in proposition.contributors}
    if unknown_names:
        raise DNAError(f"cannot vary the drop-out of {sorted(unknown_names)[0]!r}: not a "
                       f"contributor under {proposition.name}")
    eval_loci = evaluation_loci(replicates, loci)
    observed = observed_allele_count(replicates, eval_loci)
    rng = np.random.default_rng(seed)
    x = proposition.unknowns
    knowns = proposition.contributors
    L = len(eval_loci)
    K = 2 * (x + len(knowns))
    if K == 0:
        raise DNAError(f"{proposition.name} has no contributor")
    # allele ids: per locus, table alleles then any reference-only alleles; offset per locus
    ids = np.zeros((iterations, L, K), dtype=np.int64)
    din_ids = np.full((iterations, L), -1, dtype=np.int64)
    offset = 0
    for li, locus in enumerate(eval_loci):
        table = freqs.freqs.get(locus)
        if not table:
            raise DNAError(f"locus {locus} is not in frequency table {freqs.name!r}")
        names = list(table)
        pv = np.array([float(table[a]) for a in names])
        pv = pv / pv.sum()
        local = {a: i for i, a in enumerate(names)}
        col = 0
        for c in knowns:
            al = c.profile.loci.get(locus)
            if not al:
                raise DNAError(f"reference {c.name!r} is not typed at {locus}")
            pair = (al[0], al[0]) if len(al) == 1 else tuple(al[:2])
            for a in pair:
                if a not in local:
                    local[a] = len(local)
                ids[:, li, col] = offset + local[a]
                col += 1
        if x:
            draws = rng.choice(len(names), size=(iterations, 2 * x), p=pv)
            ids[:, li, col:col + 2 * x] = offset + draws
        if params.dropin > 0:
            hit = rng.random(iterations) < params.dropin
            d_all = rng.choice(len(names), size=iterations, p=pv)
            din_ids[:, li] = np.where(hit, offset + d_all, -1)
        offset += len(local) + 1
    fixed = np.zeros(K)
    varied = np.zeros(K, dtype=bool)
    col = 0
    for c in knowns:
        fixed[col:col + 2] = c.dropout
        varied[col:col + 2] = c.name in vary
        col += 2
    varied[col:] = True
    accepted = []
    for d in grid:
        dcopy = np.where(varied, d, fixed)
        u = rng.random((iterations, L, K))
        surv = np.where(u >= dcopy[None, None, :], ids, -1)
        surv.sort(axis=2)
        distinct = (surv[:, :, 0] >= 0).astype(np.int64)
        if K > 1:
            distinct += ((surv[:, :, 1:] != surv[:, :, :-1]) & (surv[:, :, 1:] >= 0)).sum(axis=2)
        if params.dropin > 0:
            new = (din_ids >= 0) & ~(surv == din_ids[:, :, None]).any(axis=2)
            distinct += new
        total = distinct.sum(axis=1)
        accepted.append(int((total == observed).sum()))
    acc = np.array(accepted)
    quant: dict = {}
    if acc.sum() > 0:
        values = np.repeat(np.array(grid), acc)
        for p in percentiles:
            quant[p] = float(np.round(np.percentile(values, p, method="weibull"), 4))
    return DropoutEstimate(proposition.name, observed, iterations, grid, tuple(accepted),
                           quant, tuple(sorted(vary)), seed)


@dataclass(frozen=True)
class SensitivityResult:
    """log10 LR against drop-out. ``grid``: d values; ``both``: d applied to the varied
    persons and unknowns under Hp and to the unknowns under Hd; ``vary_hp``: d under Hp only
    (Hd at its stated drop-outs); ``vary_hd``: d under Hd only. ``at_stated``: log10 LR at the
    stated drop-outs. Arrays are float64, ``-inf``/``inf`` where an LR is 0/infinite."""

    grid: tuple[float, ...]
    both: np.ndarray
    vary_hp: np.ndarray
    vary_hd: np.ndarray
    at_stated: float
    varied: tuple[str, ...]

    def to_dict(self) -> dict:
        def f(a):
            return [None if not np.isfinite(v) else float(v) for v in a]
        return {"grid": list(self.grid), "log10_lr_both": f(self.both),
                "log10_lr_vary_hp": f(self.vary_hp), "log10_lr_vary_hd": f(self.vary_hd),
                "log10_lr_stated": self.at_stated if math.isfinite(self.at_stated) else None,
                "varied": list(self.varied)}


def _log10_sum(p: np.ndarray) -> float:
    with np.errstate(divide="ignore"):
        return float(np.log10(p).sum())


def _poi_names(case: PreparedCase) -> set[str]:
    """Contributors under Hp who are not contributors under Hd (the person(s) of interest)."""
    return {c.name for c in case.hp.contributors} - {c.name for c in case.hd.contributors}


def sensitivity(case: PreparedCase, grid: Sequence[float] | None = None,
                vary: Iterable[str] | None = None) -> SensitivityResult:
    """Sensitivity of log10 LR to drop-out (see :class:`SensitivityResult`).

    ``case``: from :func:`habeas.dna.mixture.prepare`. ``vary``: names of the contributors
    whose drop-out follows d (default: the persons of interest, contributors under Hp only).
    ``grid``: default 0.00, 0.01, ..., 0.99. Cost: 2 x len(grid) evaluations of every locus.
    """
    grid = tuple(float(g) for g in (grid if grid is not None else
                                    [round(0.01 * k, 2) for k in range(0, 100)]))
    vary = set(_poi_names(case) if vary is None else vary)
    hp_stated = _log10_sum(case.locus_probabilities("hp"))
    hd_stated = _log10_sum(case.locus_probabilities("hd"))
    hp_d = np.array([_log10_sum(case.locus_probabilities(
        "hp", {n: d for n in vary}, d if case.hp.unknowns else None)) for d in grid])
    hd_vary = vary & {c.name for c in case.hd.contributors}
    hd_d = np.array([_log10_sum(case.locus_probabilities(
        "hd", {n: d for n in hd_vary}, d if case.hd.unknowns else None)) for d in grid])
    with np.errstate(invalid="ignore"):
        both = hp_d - hd_d
        vhp = hp_d - hd_stated
        vhd = hp_stated - hd_d
    return SensitivityResult(grid, both, vhp, vhd, hp_stated - hd_stated, tuple(sorted(vary)))


@dataclass(frozen=True)
class ConservativeLR:
    """The conservative LR: ``log10_lr`` (the lowest log10 LR over drop-out values in
    [``lower``, ``upper``]), reached at ``dropout``; ``percentile``: the lower percentile
    used (upper = 100 - percentile)."""

    log10_lr: float
    dropout: float
    lower: float
    upper: float
    percentile: float

    def to_dict(self) -> dict:
        return {"log10_lr": self.log10_lr, "dropout": self.dropout, "lower": self.lower,
                "upper": self.upper, "percentile": self.percentile}


def conservative_lr(case: PreparedCase, estimates: Sequence[DropoutEstimate],
                    percentile: float = 5.0, step: float = 0.01,
                    vary: Iterable[str] | None = None) -> ConservativeLR:
    """The lowest LR over drop-out values between the ``percentile`` and ``100 - percentile``
    quantiles of the drop-out estimates (union of the ranges of ``estimates``, usually Hp and
    Hd), on a grid of ``step``, d applied as in :func:`sensitivity` ("both").

    Raises :class:`DNAError` when an estimate accepted no simulation (no range to search).
    """
    if not 0 < percentile < 50:
        raise DNAError("percentile must lie in (0, 50)")
    lows, highs = [], []
    for e in estimates:
        if not e.n_accepted:
            raise DNAError(f"drop-out estimation under {e.proposition} reproduced the observed "
                           "allele count in no simulation: no range for a conservative LR")
        vals = np.repeat(np.array(e.grid), np.array(e.accepted))
        lows.append(float(np.percentile(vals, percentile, method="weibull")))
        highs.append(float(np.percentile(vals, 100 - percentile, method="weibull")))
    lo, hi = min(lows), max(highs)
    n = int(math.floor((hi - lo) / step + 1e-9))
    grid = sorted({round(lo + k * step, 6) for k in range(n + 1)} | {round(hi, 6)})
    s = sensitivity(case, grid, vary)
    i = int(np.nanargmin(s.both))
    return ConservativeLR(float(s.both[i]), grid[i], lo, hi, float(percentile))


def estimate_dropouts(case: PreparedCase, *, iterations: int = 1000,
                      seed: int | None = 2013) -> tuple[DropoutEstimate, DropoutEstimate]:
    """Drop-out estimates under Hp and Hd for a prepared case; the persons of interest
    (contributors under Hp only) are varied with the unknowns."""
    poi = _poi_names(case)
    hp = estimate_dropout(case.replicates, case.hp, case.freqs, case.params, vary=poi,
                          iterations=iterations, seed=seed, loci=case.loci)
    hd = estimate_dropout(case.replicates, case.hd, case.freqs, case.params,
                          vary=poi & {c.name for c in case.hd.contributors},
                          iterations=iterations, seed=None if seed is None else seed + 1,
                          loci=case.loci)
    return hp, hd


__all__.append("estimate_dropouts")
