"""Mixture analysis shown on the evidence page and in the case matrix: the semi-continuous LR
(LRmix model, :mod:`habeas.dna.mixture`) with one reference of the case as the person of
interest (POI).

Propositions: Hp = known contributors + POI + (N − knowns − 1) unknowns; Hd = known
contributors + (N − knowns) unknowns, the POI a non-contributor. The known contributors are
the case's victim references (other than the POI); N is the maximum-allele-count lower bound
(at least knowns + 1).
Drop-out: estimated by the LRmix Studio Monte Carlo method under Hp and Hd (the frequencies of
the first population); the LR is then evaluated over the estimated 5th–95th percentile range
of drop-out, in every population. Reported: that range of log10 LR, and as the headline the
value closest to LR = 1 — the weakest support for either proposition — so that neither an
inclusion nor an exclusion is overstated. Drop-in C = 0.05, θ = 0.01, rare alleles 0.001.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from habeas.dna import Profile
from habeas.dna.mixture import MixtureParameters, prepare, standard_propositions
from habeas.dna.mixture.dropout import conservative_lr, estimate_dropouts, sensitivity
from habeas.dna.mixture.noc import allele_count_lower_bound
from habeas.dna.mixture.plots import plot_sensitivity

DROPIN = 0.05
THETA = 0.01
RARE_FREQUENCY = 0.001
ITERATIONS = 500
PERCENTILE = 5.0
STEP = 0.01


@dataclass
class PopulationRange:
    """log10 LR over the drop-out range in one population: lowest, highest, and the value
    closest to 0 (LR closest to 1) with the drop-out where it is reached."""

    population: str
    low: float
    high: float
    neutral: float
    neutral_dropout: float


@dataclass
class MixtureView:
    poi_label: str
    hp: str = ""
    hd: str = ""
    parameters: dict = field(default_factory=dict)
    noc: object = None
    dropout: tuple = ()            # (DropoutEstimate under Hp, under Hd)
    dropout_range: tuple = ()      # (lower, upper) drop-out searched
    populations: list = field(default_factory=list)  # PopulationRange per table
    result: object = None          # MixtureResult at the headline's population and drop-out
    plot_svg: str = ""
    error: str = ""
    ev_pk: int | None = None       # the stored profiles, set per page (not part of the cached result)
    poi_pk: int | None = None

    @property
    def headline(self) -> PopulationRange | None:
        """Across populations, the value closest to LR = 1."""
        return min(self.populations, key=lambda p: abs(p.neutral), default=None)

    @property
    def percentile_range(self) -> str:
        return f"{PERCENTILE:g}th–{100 - PERCENTILE:g}th percentile"


def _range_of(values: np.ndarray, grid: list[float], population: str) -> PopulationRange:
    finite = np.where(np.isfinite(values), values, np.sign(values) * 1e300)
    i = int(np.argmin(np.abs(finite)))
    return PopulationRange(population, float(np.min(values)), float(np.max(values)),
                           float(values[i]), grid[i])


def analyse_mixture(ev_profile: Profile, poi: Profile, poi_label: str, knowns: list[Profile],
                    tables) -> MixtureView:
    """Analyse one POI against a mixture (see the module docstring). ``tables``: the
    population tables, the first used for the drop-out simulation. Errors of the model
    (impossible evidence, a missing frequency, no simulation matching the allele count) come
    back in ``error``, never as a number."""
    noc = allele_count_lower_bound([ev_profile])
    n_hd = max(noc.lower_bound, len(knowns) + 1) - len(knowns)
    params = MixtureParameters(dropin=DROPIN, theta=THETA, rare_allele_frequency=RARE_FREQUENCY)
    view = MixtureView(poi_label=poi_label, noc=noc, parameters={
        "drop-in C": DROPIN, "θ": THETA, "rare-allele frequency": RARE_FREQUENCY,
        "simulations per drop-out value": ITERATIONS,
        "frequencies": ", ".join(t.population or t.name for t in tables)})

    def prepared(table, d: float):
        hp, hd = standard_propositions(poi, knowns, unknowns_hp=n_hd - 1, unknowns_hd=n_hd,
                                       dropout_poi=d, dropout_knowns=[d] * len(knowns),
                                       dropout_unknown_hp=d, dropout_unknown_hd=d)
        return prepare([ev_profile], hp, hd, table, params)

    try:
        first = prepared(tables[0], 0.05)
        view.hp, view.hd = first.hp.describe(), first.hd.describe()
        estimates = estimate_dropouts(first, iterations=ITERATIONS, seed=2013)
        span = conservative_lr(first, estimates, percentile=PERCENTILE)  # its range is what we need
        lo, hi = span.lower, span.upper
        grid = [round(lo + k * STEP, 6) for k in range(int(round((hi - lo) / STEP)) + 1)]
        view.dropout, view.dropout_range = estimates, (lo, hi)
        cases = {t.population or t.name: (t, first if t is tables[0] else prepared(t, 0.05)) for t in tables}
        view.populations = [_range_of(sensitivity(c, grid).both, grid, label) for label, (_, c) in cases.items()]
        head = view.headline
        table, best = cases[head.population]
        view.result = prepared(table, head.neutral_dropout).result()
        with tempfile.TemporaryDirectory() as tmp:
            path = plot_sensitivity(sensitivity(best), Path(tmp) / "sensitivity.svg", estimates)
            svg = Path(path).read_text()
        view.plot_svg = svg[svg.index("<svg"):]
    except ValueError as exc:  # DNAError and the refusal above
        view.error = str(exc)
    return view

