"""``{% load reference_tags %}{% similar_exonerations case %}``: the known exonerations most like a case."""

from django import template

from habeas.reference.filters import default_dataset
from habeas.reference.models import EXONERATIONS, FACTOR_ABBR
from habeas.reference.similar import WEIGHTS, profile_of, similar

register = template.Library()


def describe(p) -> str:
    parts = []
    if p.factors:
        parts.append("factors " + ", ".join(FACTOR_ABBR[c] for c in p.factors))
    if p.crimes:
        parts.append("crime " + ", ".join(p.crimes))
    if p.state:
        parts.append(f"jurisdiction {p.state}")
    if p.dna:
        parts.append("DNA evidence")
    if p.death:
        parts.append("death sentence")
    return "; ".join(parts) or "nothing to compare"


@register.inclusion_tag("reference/_similar_cases.html")
def similar_exonerations(case, limit=10):
    dataset = default_dataset(EXONERATIONS)
    profile = profile_of(case)
    matches = similar(profile, dataset, limit=limit) if dataset else []
    return {"matches": matches, "dataset": dataset, "weights": WEIGHTS, "profile_text": describe(profile)}
