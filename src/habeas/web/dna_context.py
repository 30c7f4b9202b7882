"""The DNA section of the evidence item page: each evidence profile of the item compared
with each reference profile of the case, with the populations and θ beside every number.

Single-source evidence: :func:`habeas.dna.match.compare` against the NIST 1036 populations
(Steffen et al. 2017), θ = 0.01 (NRC II 4.10), minimum allele frequency 5/2N; per-locus table
for the most conservative population and a per-locus plot.
Mixture evidence: CPI/CPE per population (loci with possible drop-out excluded) and the
semi-continuous LR (LRmix model) with each reference as the person of interest, the victim's
reference as a known contributor under both propositions, the drop-out estimate and a
sensitivity plot.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field

from django.core.cache import cache

from habeas.cases.models import EvidenceItem, Role, STRProfile
from habeas.dna import Profile
from habeas.dna.cpi import combined_probability_of_inclusion
from habeas.dna.match import compare
from habeas.dna.plots import profile_comparison_svg
from habeas.dna.tables import load_population_set

POPULATION_SET = "NIST1036"
THETA = 0.01
#: Bump when the mixture analysis or its parameters change, so cached results are not reused.
MIXTURE_MODEL_VERSION = 3


def to_profile(sp: STRProfile) -> Profile:
    """The library's :class:`Profile` of a stored STR profile (loci stored as null are left out)."""
    loci = {k: v for k, v in (sp.loci or {}).items() if v is not None}
    heights = {k: v for k, v in (sp.heights or {}).items() if k in loci}
    return Profile.from_mapping(sp.sample_name, loci, heights or None)


def is_mixture(sp: STRProfile, profile: Profile) -> bool:
    """Marked as a mixture, or showing more than two alleles at a locus (no single source does)."""
    return bool(sp.is_mixture) or any(len(a) > 2 for a in profile.loci.values())


def reference_label(sp: STRProfile) -> str:
    """Whose reference this is, by role label for private persons (never a private name)."""
    if sp.person_role_id:
        return sp.person_role.display_name
    return sp.sample_name


@dataclass
class SingleSourceComparison:
    reference: STRProfile
    label: str
    result: object  # habeas.dna.match.MultiPopulationResult
    plot_svg: str

    @property
    def conservative(self):
        return self.result.conservative

    @property
    def excluding_loci(self) -> list[str]:
        """Loci at which the reference is excluded (the same in every population)."""
        return [l.locus for l in self.result.results[0].loci if l.conclusion == "exclusion"]


@dataclass
class EvidenceProfileView:
    profile: STRProfile
    comparisons: list[SingleSourceComparison] = field(default_factory=list)
    cpi: list = field(default_factory=list)
    mixtures: list = field(default_factory=list)
    error: str = ""


def _content_key(kind: str, *profiles: STRProfile) -> str:
    """A cache key from what the result depends on (the profiles' content and labels), not
    from row ids, so an edited or re-created profile never meets a stale result."""
    payload = json.dumps([kind, MIXTURE_MODEL_VERSION] + [
        [p.sample_name, p.loci, p.heights, reference_label(p)] for p in profiles], sort_keys=True)
    return f"dna-{kind}-" + hashlib.sha256(payload.encode()).hexdigest()


def _cached(key: str, compute):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, 3600)
    return value


def dna_context(item: EvidenceItem) -> dict:
    """Context for ``web/_evidence_dna.html``: ``dna_profiles`` (one
    :class:`EvidenceProfileView` per evidence profile of the item), ``dna_populations``
    (table names) and ``dna_theta``. Empty dict when the item has no evidence profile."""
    evidence = list(STRProfile.objects.filter(evidence_item=item, kind=STRProfile.Kind.EVIDENCE)
                    .select_related("lab_result"))
    if not evidence:
        return {}
    references = list(STRProfile.objects.filter(lab_result__request__case_id=item.case_id,
                                                kind=STRProfile.Kind.REFERENCE)
                      .select_related("person_role__person").order_by("sample_name"))
    tables = load_population_set(POPULATION_SET)
    views = []
    for ev in evidence:
        view = EvidenceProfileView(profile=ev)
        try:
            ev_profile = to_profile(ev)
            if is_mixture(ev, ev_profile):
                view.cpi = [combined_probability_of_inclusion(ev_profile, t, theta=THETA) for t in tables]
                view.mixtures = mixture_views(ev, references, tables)
            else:
                for ref in references:
                    ref_profile = to_profile(ref)
                    result = compare(ev_profile, ref_profile, tables, theta=THETA)
                    plot = _cached(_content_key("plot", ev, ref),
                                   lambda: profile_comparison_svg(ev_profile, ref_profile))
                    view.comparisons.append(SingleSourceComparison(ref, reference_label(ref), result, plot))
        except ValueError as exc:  # a stored profile the library refuses: say so on the page
            view.error = str(exc)
        views.append(view)
    return {"dna_profiles": views, "dna_populations": [t.name for t in tables],
            "dna_population_labels": {t.name: t.population or t.name for t in tables}, "dna_theta": THETA}


def mixture_analysis(ev: STRProfile, poi: STRProfile, references: list[STRProfile], tables):
    """The mixture analysis of ``poi`` against evidence ``ev`` (see :mod:`habeas.web.dna_mixture`),
    with the case's other victim references as known contributors; cached by content, so the
    evidence page and the case matrix show the same numbers."""
    from habeas.web.dna_mixture import analyse_mixture

    knowns = [r for r in references
              if r.pk != poi.pk and r.person_role_id and r.person_role.kind == Role.Kind.VICTIM]
    view = _cached(_content_key("mixture", ev, poi, *knowns),
                   lambda: analyse_mixture(to_profile(ev), to_profile(poi), reference_label(poi),
                                           [to_profile(k) for k in knowns], tables))
    return dataclasses.replace(view, ev_pk=ev.pk, poi_pk=poi.pk)


def mixture_views(ev: STRProfile, references: list[STRProfile], tables) -> list:
    """The mixture analysis of each non-victim reference of the case as the person of interest."""
    return [mixture_analysis(ev, poi, references, tables) for poi in references
            if not (poi.person_role_id and poi.person_role.kind == Role.Kind.VICTIM)]
