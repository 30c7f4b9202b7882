"""Mixture analysis for the evidence page: the semi-continuous LR (LRmix model,
:mod:`habeas.dna.mixture`) with each reference of the case as the person of interest.

Propositions: Hp = victim reference(s) + POI + (NOC − knowns − 1) unknowns;
Hd = victim reference(s) + (NOC − knowns) unknowns, with NOC the maximum-allele-count lower
bound (at least knowns + 1). Drop-out is estimated by the LRmix Studio Monte Carlo method and
the LR reported at the conservative end (5th–95th percentile range), as LRmix Studio
reports it; drop-in C = 0.05, θ = 0.01, rare alleles at 0.001 unless the table lists them.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

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


@dataclass
class MixtureView:
    poi_label: str
    hp: str
    hd: str
    parameters: dict
    noc: object
    result: object          # MixtureResult at the conservative drop-out
    dropout: tuple          # (DropoutEstimate under Hp, under Hd)
    conservative: object    # ConservativeLR or None
    plot_svg: str
    error: str = ""

    @property
    def percentile_range(self) -> str:
        """E.g. '5th–95th percentile' for the conservative LR's drop-out range."""
        p = self.conservative.percentile
        return f"{p:g}th–{100 - p:g}th percentile"


def analyse_mixture(ev, ev_profile: Profile, poi, victims, table) -> MixtureView:
    """Run the analysis for one POI reference (``STRProfile``) against evidence ``ev``."""
    from habeas.web.dna_context import reference_label, to_profile

    label = reference_label(poi)
    knowns = [to_profile(v) for v in victims]
    noc = allele_count_lower_bound([ev_profile])
    n_hd = max(noc.lower_bound, len(knowns) + 1) - len(knowns)
    params = MixtureParameters(dropin=DROPIN, theta=THETA, rare_allele_frequency=RARE_FREQUENCY)

    def case_at(d: float):
        hp, hd = standard_propositions(to_profile(poi), knowns, unknowns_hp=n_hd - 1, unknowns_hd=n_hd,
                                       dropout_poi=d, dropout_knowns=[d] * len(knowns),
                                       dropout_unknown_hp=d, dropout_unknown_hd=d)
        return prepare([ev_profile], hp, hd, table, params)

    try:
        first = case_at(0.05)
        estimates = estimate_dropouts(first, iterations=ITERATIONS, seed=2013)
        cons = conservative_lr(first, estimates, percentile=PERCENTILE)
        case = case_at(cons.dropout)
        result = case.result()
        sens = sensitivity(case)
        with tempfile.TemporaryDirectory() as tmp:
            path = plot_sensitivity(sens, Path(tmp) / "sensitivity.svg", estimates, conservative=cons)
            svg = Path(path).read_text()
        svg = svg[svg.index("<svg"):]
    except ValueError as exc:  # DNAError: impossible evidence, missing frequency, no estimate
        return MixtureView(label, "", "", {}, noc, None, (), None, "", error=str(exc))
    return MixtureView(
        poi_label=label, hp=result.hp.describe(), hd=result.hd.describe(),
        parameters={"drop-in C": DROPIN, "θ": THETA, "rare-allele frequency": RARE_FREQUENCY,
                    "drop-out (all contributors)": cons.dropout, "frequencies": table.name,
                    "simulations per drop-out value": ITERATIONS},
        noc=noc, result=result, dropout=estimates, conservative=cons, plot_svg=svg)
