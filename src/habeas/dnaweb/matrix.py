"""The case-wide comparison matrix: every evidence profile × every reference profile.

Single-source evidence: the single-source comparison of :mod:`habeas.dna.match` against the
four NIST 1036 tables, θ = 0.01, the most conservative population's LR (an exclusion is
LR 0). Evidence with more than two alleles at a locus (or marked as a mixture): the
semi-continuous LR of :mod:`habeas.dna.mixture` with the reference as a contributor
(Hp: reference + N-1 unknowns; Hd: N unknowns, the reference a non-contributor),
N = ⌈max alleles / 2⌉ (at least 2), drop-out 0.1, drop-in 0.05, θ = 0.01, rare-allele
frequency 0.001, evaluated at the loci typed in both, the smallest LR over the NIST 1036
tables. These parameters are shown with the matrix.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone

from habeas.dna.profile import Profile

SINGLE = {"theta": 0.01, "populations": "NIST1036 (most conservative)", "rare_allele": "5/2N"}
MIXTURE = {"dropout": 0.1, "dropin": 0.05, "theta": 0.01, "rare_allele_frequency": 0.001,
           "populations": "NIST1036 (smallest LR)"}


def profile_of(sp) -> Profile:
    loci = {k: v for k, v in (sp.loci or {}).items() if v is not None}
    return Profile.from_mapping(sp.sample_name, loci)


def is_mixture(sp, prof: Profile) -> bool:
    return bool(sp.is_mixture) or any(len(a) > 2 for a in prof.loci.values())


def case_profiles(case):
    from habeas.cases.models import STRProfile

    qs = STRProfile.objects.filter(lab_result__request__case=case).order_by("pk")
    ev = [p for p in qs if p.kind == STRProfile.Kind.EVIDENCE]
    ref = [p for p in qs if p.kind == STRProfile.Kind.REFERENCE]
    return ev, ref


def compare_pair(ev_sp, ref_sp, tables=None) -> dict:
    """One cell: {"kind", "conclusion", "log10_lr", "detail"} (detail: the full result dict)."""
    from habeas.dna.tables import load_population_set

    tables = tables or load_population_set("NIST1036")
    evp, refp = profile_of(ev_sp), profile_of(ref_sp)
    if is_mixture(ev_sp, evp):
        from habeas.dna.mixture import MixtureParameters, likelihood_ratio, standard_propositions

        max_al = max((len(a) for a in evp.loci.values()), default=0)
        n = max(2, math.ceil(max_al / 2))
        loci = [l for l in evp.statistical_loci() if refp.loci.get(l)
                and all(l in t.freqs for t in tables)]
        if not loci:
            return {"kind": "mixture", "conclusion": "inconclusive", "log10_lr": None,
                    "detail": {"reason": "no locus typed in both"}}
        hp, hd = standard_propositions(refp, [], unknowns_hp=n - 1, unknowns_hd=n,
                                       dropout_poi=MIXTURE["dropout"],
                                       dropout_unknown_hp=MIXTURE["dropout"],
                                       dropout_unknown_hd=MIXTURE["dropout"])
        params = MixtureParameters(dropin=MIXTURE["dropin"], theta=MIXTURE["theta"],
                                   rare_allele_frequency=MIXTURE["rare_allele_frequency"])
        results = []
        for t in tables:
            try:
                results.append(likelihood_ratio([evp], hp, hd, t, params, loci=loci))
            except ValueError as e:
                return {"kind": "mixture", "conclusion": "inconclusive", "log10_lr": None,
                        "detail": {"reason": str(e)}}
        worst = min(results, key=lambda r: r.log10_lr)
        v = worst.log10_lr
        return {"kind": "mixture", "log10_lr": v if math.isfinite(v) else (None if v > 0 else "-inf"),
                "conclusion": "exclusion" if v == -math.inf else "LR", "contributors": n,
                "detail": worst.to_dict()}
    from habeas.dna.match import compare

    res = compare(evp, refp, tables, theta=SINGLE["theta"])
    c = res.conservative
    v = c.log10_lr if (c is not None and res.conclusion == "inclusion") else None
    return {"kind": "single-source", "conclusion": res.conclusion,
            "log10_lr": v if res.conclusion != "exclusion" else "-inf",
            "detail": res.to_dict()}


def compute(case, progress=None) -> dict:
    """The whole matrix as JSON-ready data."""
    from habeas.dna.tables import load_population_set

    tables = load_population_set("NIST1036")
    ev, ref = case_profiles(case)
    cells = []
    total = max(1, len(ev) * len(ref))
    k = 0
    for e in ev:
        row = []
        for r in ref:
            try:
                cell = compare_pair(e, r, tables)
                cell.pop("detail", None)
            except ValueError as exc:
                cell = {"kind": "error", "conclusion": "error", "log10_lr": None, "error": str(exc)}
            row.append(cell)
            k += 1
            if progress:
                progress(k / total, f"{k} of {total} comparisons")
        cells.append(row)
    return {
        "case_id": case.pk,
        "evidence": [{"id": e.pk, "name": e.sample_name, "mixture": is_mixture(e, profile_of(e))}
                     for e in ev],
        "references": [{"id": r.pk, "name": r.sample_name,
                        "role": str(r.person_role) if r.person_role_id else ""} for r in ref],
        "cells": cells,
        "params": {"single_source": SINGLE, "mixture": MIXTURE},
        "computed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def band(log10_lr) -> str:
    """Colour band of a cell by log10 LR."""
    if log10_lr is None:
        return "none"
    if log10_lr == "-inf":
        return "excl"
    v = float(log10_lr)
    if v < 0:
        return "neg"
    if v < 2:
        return "weak"
    if v < 6:
        return "mod"
    if v < 12:
        return "strong"
    return "vstrong"
