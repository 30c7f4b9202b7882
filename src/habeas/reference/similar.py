"""Known exonerations most like a case in habeas.

A case is described by what the record says: its contributing factors (NRE codes, the same as
the registry's), the crime of conviction (mapped to the registry's "worst crime" categories),
the jurisdiction (a state, or a federal district), whether DNA evidence is in play (biological
evidence items or DNA lab requests) and whether a death sentence was imposed. Each exoneration
scores the sum of the weights of the attributes it shares with the case; ties go to the most
recent exoneration. The ranking runs in the database (portable SQL: CASE WHEN sums).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Case as When_, IntegerField, Q, Value, When

from habeas.reference.filters import default_dataset
from habeas.reference.models import EXONERATIONS, FACTOR_LABELS, FACTORS, Exoneration

WEIGHTS = {"factor": 3, "crime": 3, "state": 2, "dna": 2, "death": 2}

US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas",
    "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia",
    "WI": "Wisconsin", "WY": "Wyoming", "PR": "Puerto Rico", "GU": "Guam",
}

# Offence wording → NRE "worst crime" category; the first rule that matches wins, so the more
# specific wording comes first.
CRIME_RULES = [
    (r"attempt\w*\s+(first|second|1st|2nd)?[- ]?\w*\s*murder", "Attempted Murder"),
    (r"accessory.*murder", "Accessory to Murder"),
    (r"murder|homicide|capital", "Murder"),
    (r"manslaughter", "Manslaughter"),
    (r"child.*(sex|molest|abuse)|(sex|molest).*child|lewd", "Child Sex Abuse"),
    (r"rape|sexual (assault|battery)|sodomy", "Sexual Assault"),
    (r"robbery", "Robbery"),
    (r"arson", "Arson"),
    (r"kidnap|abduct", "Kidnapping"),
    (r"burglary|unlawful entry", "Burglary/Unlawful Entry"),
    (r"drug|narcotic|controlled substance|cocaine|heroin", "Drug Possession or Sale"),
    (r"assault|battery", "Assault"),
    (r"weapon|firearm|gun", "Weapon Possession or Sale"),
    (r"theft|larceny", "Theft"),
    (r"fraud", "Fraud"),
]
DNA_ITEM_KINDS = {"biological", "hair", "fingernail", "cigarette"}
DNA_TESTS = {"str", "y_str", "mtdna"}


def crime_category(description: str) -> str | None:
    d = description.lower()
    for pattern, cat in CRIME_RULES:
        if re.search(pattern, d):
            return cat
    return None


def state_of(jurisdiction: str) -> str | None:
    """'California', 'State of California', 'CA' → 'California'; 'Federal (N.D. Cal.)' → None."""
    j = jurisdiction.strip()
    if not j:
        return None
    if j.upper() in US_STATES:
        return US_STATES[j.upper()]
    for name in sorted(US_STATES.values(), key=len, reverse=True):  # "West Virginia" before "Virginia"
        if re.search(rf"\b{re.escape(name)}\b", j, re.I):
            return name
    return None


@dataclass
class Profile:
    """What the case shows, in the registry's terms."""

    factors: list[str] = field(default_factory=list)
    crimes: list[str] = field(default_factory=list)
    state: str | None = None
    dna: bool = False
    death: bool = False

    def empty(self) -> bool:
        return not (self.factors or self.crimes or self.state or self.dna or self.death)


def profile_of(case) -> Profile:
    factors = sorted(set(case.contributing_factors.values_list("factor", flat=True)) & set(FACTOR_LABELS))
    offenses = []
    death = False
    for conv in case.convictions.prefetch_related("offenses"):
        death = death or conv.death_sentence
        offenses += [o.description for o in conv.offenses.all()]
    crimes = []
    for o in offenses:
        if (c := crime_category(o)) and c not in crimes:
            crimes.append(c)
    dna = (case.evidence_items.filter(kind__in=DNA_ITEM_KINDS).exists()
           or case.lab_requests.filter(test_kind__in=DNA_TESTS).exists())
    return Profile(factors=[c for c, _, _ in FACTORS if c in factors], crimes=crimes,
                   state=state_of(case.jurisdiction or ""), dna=dna, death=death)


@dataclass
class Match:
    exoneration: Exoneration
    score: int
    matched: list[str]


def _w(cond: Q, weight: int):
    return When_(When(cond, then=Value(weight)), default=Value(0), output_field=IntegerField())


def similar(profile: Profile, dataset=None, limit: int = 10) -> list[Match]:
    """The ``limit`` best-scoring exonerations of ``dataset`` (default: the newest edition)."""
    dataset = dataset or default_dataset(EXONERATIONS)
    if dataset is None or profile.empty():
        return []
    terms = [_w(Q(**{code: True}), WEIGHTS["factor"]) for code in profile.factors]
    if profile.crimes:
        terms.append(_w(Q(worst_crime__in=profile.crimes), WEIGHTS["crime"]))
    if profile.state:
        terms.append(_w(Q(state=profile.state), WEIGHTS["state"]))
    if profile.dna:
        terms.append(_w(Q(dna=True), WEIGHTS["dna"]))
    if profile.death:
        terms.append(_w(Q(death_sentence=True), WEIGHTS["death"]))
    score = terms[0]
    for t in terms[1:]:
        score = score + t
    qs = (Exoneration.objects.filter(dataset=dataset).annotate(score=score).filter(score__gt=0)
          .order_by("-score", "-exoneration_year", "last_name", "pk")[:limit])
    return [Match(e, e.score, explain(profile, e)) for e in qs]


def explain(profile: Profile, e: Exoneration) -> list[str]:
    out = [f"{FACTOR_LABELS[c]} ({dict((f, a) for f, a, _ in FACTORS)[c]})" for c in profile.factors
           if getattr(e, c)]
    if e.worst_crime in profile.crimes:
        out.append(f"crime: {e.worst_crime}")
    if profile.state and e.state == profile.state:
        out.append(f"jurisdiction: {e.state}")
    if profile.dna and e.dna:
        out.append("DNA evidence")
    if profile.death and e.death_sentence:
        out.append("death sentence")
    return out
