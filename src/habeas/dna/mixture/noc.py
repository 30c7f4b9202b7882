"""Number of contributors (NOC).

Two estimates, reported beside the LR (neither replaces the analyst's judgement):

- the maximum-allele-count lower bound: ceil(max_l,r |R_{l,r}| / 2), the largest number of
  distinct alleles at any locus of any replicate halved and rounded up (Clayton et al. 1998;
  Buckleton et al. 2007). Drop-in can inflate it, drop-out and shared alleles deflate it;
  with drop-in it is not a strict bound.
- a likelihood-based estimate: for n = 1..max_noc, the evidence probability under a
  proposition of n unknown contributors (plus any given known contributors), maximised over
  the unknowns' drop-out on a grid (a profile likelihood); the n with the largest maximised
  likelihood is reported, with every value so the reader sees how clear the choice is
  (Haned et al. 2011, J Forensic Sci 56:23; Gill & Haned 2013 §2.5).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np

from habeas.dna.errors import DNAError
from habeas.dna.frequencies import FrequencyTable
from habeas.dna.mixture.model import (
    Contributor, MixtureParameters, Proposition, evaluation_loci, prepare,
)
from habeas.dna.profile import Profile

__all__ = ["NOCEstimate", "allele_count_lower_bound", "estimate_noc"]


@dataclass(frozen=True)
class NOCEstimate:
    """``lower_bound``: ceil(max alleles / 2); ``max_alleles`` at ``max_locus`` (replicate
    ``max_replicate``). ``likelihood_estimate``: the NOC maximising the profile likelihood
    (``None`` when not computed); ``log10_likelihood``: n -> max over the drop-out grid of
    log10 Pr(E | n contributors); ``dropout_at_max``: n -> the maximising drop-out."""

    lower_bound: int
    max_alleles: int
    max_locus: str
    max_replicate: str
    likelihood_estimate: int | None = None
    log10_likelihood: dict = field(default_factory=dict)
    dropout_at_max: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"lower_bound": self.lower_bound, "max_alleles": self.max_alleles,
                "max_locus": self.max_locus, "max_replicate": self.max_replicate,
                "likelihood_estimate": self.likelihood_estimate,
                "log10_likelihood": {str(k): (v if math.isfinite(v) else None)
                                     for k, v in self.log10_likelihood.items()},
                "dropout_at_max": {str(k): v for k, v in self.dropout_at_max.items()}}


def allele_count_lower_bound(replicates: Sequence[Profile],
                             loci: Iterable[str] | None = None) -> NOCEstimate:
    """The maximum-allele-count lower bound over the evaluated loci of every replicate."""
    eval_loci = evaluation_loci(replicates, loci)
    best = (0, "", "")
    for r in replicates:
        for l in eval_loci:
            n = len(r.loci.get(l, ()))
            if n > best[0]:
                best = (n, l, r.sample)
    return NOCEstimate(max(1, math.ceil(best[0] / 2)), best[0], best[1], best[2])


def estimate_noc(replicates: Sequence[Profile], freqs: FrequencyTable,
                 params: MixtureParameters | None = None, *,
                 knowns: Sequence[Contributor] = (), max_noc: int = 4,
                 dropout_grid: Sequence[float] | None = None,
                 loci: Iterable[str] | None = None) -> NOCEstimate:
    """Both NOC estimates (see the module docstring). ``knowns``: known contributors kept
    under every n (default none: unknowns only); n runs from max(1, len(knowns)) to
    ``max_noc``. ``dropout_grid``: default 0.00, 0.05, ..., 0.95. Cost: one model per n and
    len(grid) evaluations of it; with max_noc = 4 over 20 loci about a second.

    Raises :class:`DNAError` when ``max_noc`` < the number of knowns or > 6.
    """
    params = params or MixtureParameters()
    knowns = tuple(knowns)
    if max_noc < max(1, len(knowns)) or max_noc > 6:
        raise DNAError(f"max_noc must lie between max(1, number of knowns) and 6, got {max_noc}")
    grid = tuple(dropout_grid) if dropout_grid is not None else tuple(
        round(0.05 * k, 2) for k in range(20))
    base = allele_count_lower_bound(replicates, loci)
    eval_loci = evaluation_loci(replicates, loci)
    ll: dict[int, float] = {}
    arg: dict[int, float] = {}
    for n in range(max(1, len(knowns)), max_noc + 1):
        h = Proposition(f"NOC={n}", knowns, n - len(knowns), 0.0)
        case = prepare(replicates, h, h, freqs, params, eval_loci)
        vals = []
        for d in grid:
            with np.errstate(divide="ignore"):
                vals.append(float(np.log10(case.locus_probabilities("hd", None, d)).sum()))
        i = int(np.argmax(vals))
        ll[n], arg[n] = vals[i], grid[i]
    finite = {n: v for n, v in ll.items() if math.isfinite(v)}
    est = max(finite, key=finite.get) if finite else None
    return NOCEstimate(base.lower_bound, base.max_alleles, base.max_locus, base.max_replicate,
                       est, ll, arg)
