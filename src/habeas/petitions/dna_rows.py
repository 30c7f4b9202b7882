"""DNA statistics rows of a packet: the same numbers the evidence item pages show
(:mod:`habeas.web.dna_context`), one row per evidence profile × reference and statistic."""

from __future__ import annotations

from habeas.cases.models import EvidenceItem

from habeas.web.dna_context import dna_context
from habeas.web.templatetags.habeas_dna import one_in, pow10


def statistics_rows(case) -> list[dict]:
    """Rows in the columns of :data:`habeas.petitions.dna_hook.COLUMNS`."""
    rows = []
    for item in EvidenceItem.objects.filter(case=case, profiles__kind="evidence").distinct():
        ctx = dna_context(item)
        theta = str(ctx.get("dna_theta", ""))
        for view in ctx.get("dna_profiles", []):
            base = {"sample": view.profile.sample_name, "item": item.item_number, "theta": theta}
            for c in view.comparisons:
                r = c.conservative
                if r is None:  # an exclusion: no statistic, the conclusion is the finding
                    rows.append(base | {"reference": c.label, "statistic": "conclusion",
                                        "value": c.result.conclusion, "population": ", ".join(ctx["dna_populations"]),
                                        "model": "single-source, NRC II 4.10"})
                    continue
                rows.append(base | {
                    "reference": c.label, "statistic": "RMP / LR (most conservative population)",
                    "value": f"RMP {one_in(r.log10_rmp)}; LR {pow10(r.log10_lr)}",
                    "propositions": "Hp: the reference is the source / Hd: an unrelated person is",
                    "population": r.population_label or r.population, "noc": "1",
                    "model": f"single-source, {r.model}", "note": f"{len(r.loci_used)} loci"})
            for cpi in view.cpi:
                rows.append(base | {"statistic": "CPI", "value": one_in(cpi.log10_cpi), "population": cpi.population,
                                    "note": "loci excluded: " + (", ".join(cpi.loci_excluded) or "none"),
                                    "model": "combined probability of inclusion"})
            for m in view.mixtures:
                if m.error:
                    continue
                rows.append(base | {
                    "reference": m.poi_label, "statistic": "LR (semi-continuous, conservative)",
                    "value": pow10(m.conservative.log10_lr), "propositions": f"Hp: {m.hp} / Hd: {m.hd}",
                    "population": m.parameters["frequencies"],
                    "dropout_dropin": f"d = {m.conservative.dropout} / C = {m.parameters['drop-in C']}",
                    "noc": f"≥ {m.noc.lower_bound}", "model": "LRmix model (habeas.dna.mixture)"})
    return rows
