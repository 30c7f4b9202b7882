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
                                        "value": f"{c.result.conclusion} at {', '.join(c.excluding_loci)}",
                                        "population": ", ".join(ctx["dna_population_labels"].values()),
                                        "model": "single-source, NRC II 4.10"})
                    continue
                rows.append(base | {
                    "reference": c.label, "statistic": "RMP / LR (most conservative population)",
                    "value": f"RMP {one_in(r.log10_rmp)}; LR {pow10(r.log10_lr)}",
                    "propositions": "Hp: the reference person is the source / Hd: an unrelated person is the source",
                    "population": r.population_label or r.population, "noc": "1",
                    "model": f"single-source, {r.model}", "note": f"{len(r.loci_used)} loci"})
            for cpi in view.cpi:
                rows.append(base | {"statistic": "CPI", "value": one_in(cpi.log10_cpi),
                                    "population": ctx["dna_population_labels"].get(cpi.population, cpi.population),
                                    "note": "loci excluded: " + (", ".join(cpi.loci_excluded) or "none"),
                                    "model": "combined probability of inclusion"})
            for m in view.mixtures:
                if m.error:
                    continue
                h = m.headline
                rows.append(base | {
                    "reference": m.poi_label, "statistic": "LR (semi-continuous), value closest to 1",
                    "value": f"{pow10(h.neutral)} (range over drop-out and populations "
                             f"{pow10(min(p.low for p in m.populations))} to {pow10(max(p.high for p in m.populations))})",
                    "propositions": f"Hp: {m.hp} / Hd: {m.hd}",
                    "population": h.population,
                    "dropout_dropin": f"d = {m.dropout_range[0]}–{m.dropout_range[1]} (estimated) / "
                                      f"C = {m.parameters['drop-in C']}",
                    "noc": f"≥ {m.noc.lower_bound}", "model": "LRmix model (habeas.dna.mixture)"})
    return rows
