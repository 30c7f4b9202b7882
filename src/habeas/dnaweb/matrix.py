"""The case-wide comparison matrix: every evidence profile × every reference profile.

Single-source evidence: the single-source comparison of :mod:`habeas.dna.match` against the
four NIST 1036 tables, θ = 0.01, the most conservative population's LR (an exclusion is
LR 0). Evidence with more than two alleles at a locus (or marked as a mixture): the
mixture analysis of the evidence page (:mod:`habeas.web.dna_mixture`: the victims' references
as known contributors, drop-out estimated, the LR closest to 1 over the estimated drop-out
range and the NIST 1036 populations). These parameters are shown with the matrix.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone


SINGLE = {"theta": 0.01, "populations": "NIST1036 (most conservative)", "rare_allele": "5/2N"}
MIXTURE = {"dropout": "estimated (LRmix Monte Carlo), 5th–95th percentile range", "dropin": 0.05,
           "theta": 0.01, "rare_allele_frequency": 0.001,
           "populations": "NIST1036; the LR closest to 1 over the drop-out range and populations",
           "knowns": "the case's victim references"}


def case_profiles(case):
    from habeas.cases.models import STRProfile

    qs = STRProfile.objects.filter(lab_result__request__case=case).order_by("pk")
    ev = [p for p in qs if p.kind == STRProfile.Kind.EVIDENCE]
    ref = [p for p in qs if p.kind == STRProfile.Kind.REFERENCE]
    return ev, ref


def compare_pair(ev_sp, ref_sp, tables=None, references=None) -> dict:
    """One cell: {"kind", "conclusion", "log10_lr", "detail"}. The numbers are those of the
    evidence item page (:mod:`habeas.web.dna_context`): ``detail`` is the single-source
    :class:`~habeas.dna.match.MultiPopulationResult` or the mixture view."""
    from habeas.dna.tables import load_population_set
    from habeas.web.dna_context import is_mixture, mixture_analysis, to_profile

    tables = tables or load_population_set("NIST1036")
    evp, refp = to_profile(ev_sp), to_profile(ref_sp)
    if is_mixture(ev_sp, evp):
        if references is None:
            references = case_profiles(ev_sp.lab_result.request.case)[1]
        view = mixture_analysis(ev_sp, ref_sp, references, tables)
        if view.error:
            return {"kind": "mixture", "conclusion": "inconclusive", "log10_lr": None, "detail": view}
        v = view.headline.neutral
        return {"kind": "mixture", "log10_lr": v if math.isfinite(v) else (None if v > 0 else "-inf"),
                "conclusion": "exclusion" if v == -math.inf else "LR",
                "contributors": view.noc.lower_bound, "detail": view}
    from habeas.dna.match import compare

    res = compare(evp, refp, tables, theta=SINGLE["theta"])
    c = res.conservative
    v = c.log10_lr if (c is not None and res.conclusion == "inclusion") else None
    return {"kind": "single-source", "conclusion": res.conclusion,
            "log10_lr": v if res.conclusion != "exclusion" else "-inf", "detail": res}


def compute(case, progress=None) -> dict:
    """The whole matrix as JSON-ready data."""
    from habeas.dna.tables import load_population_set
    from habeas.web.dna_context import is_mixture, to_profile

    tables = load_population_set("NIST1036")
    ev, ref = case_profiles(case)
    cells = []
    total = max(1, len(ev) * len(ref))
    k = 0
    for e in ev:
        row = []
        for r in ref:
            try:
                cell = compare_pair(e, r, tables, ref)
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
        "evidence": [{"id": e.pk, "name": e.sample_name, "mixture": is_mixture(e, to_profile(e))}
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
