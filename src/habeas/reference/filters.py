"""Filters and sorting shared by the browser, the analytics pages and the CSV downloads."""

from __future__ import annotations

from django.db.models import Q

from habeas.reference.models import EXECUTIONS, EXONERATIONS, FACTORS, Dataset, Execution, Exoneration


def default_dataset(kind: str) -> Dataset | None:
    """The edition shown when none is chosen: newest exoneration edition; largest execution file."""
    qs = Dataset.objects.filter(kind=kind)
    if kind == EXONERATIONS:
        return qs.order_by("-as_of", "-pk").first()
    return qs.order_by("-record_count", "-as_of").first()


def pick_dataset(kind: str, slug: str | None) -> Dataset | None:
    if slug:
        ds = Dataset.objects.filter(kind=kind, slug=slug).first()
        if ds:
            return ds
    return default_dataset(kind)


def _int(v):
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _yes_no(qs, data, param, field):
    v = data.get(param)
    if v == "yes":
        return qs.filter(**{field: True})
    if v == "no":
        return qs.filter(**{field: False})
    return qs


EXONERATION_SORTS = {
    "name": ("last_name", "first_name"), "state": ("state", "last_name"), "crime": ("worst_crime", "last_name"),
    "race": ("race", "last_name"), "age": ("age", "last_name"), "convicted": ("conviction_year", "last_name"),
    "exonerated": ("exoneration_year", "last_name"), "years": ("years_to_exoneration", "last_name"),
    "sentence": ("sentence", "last_name"),
}
EXECUTION_SORTS = {
    "date": ("date", "name"), "name": ("name",), "state": ("state", "date"), "age": ("age", "date"),
    "race": ("race", "date"), "method": ("method", "date"), "county": ("county", "date"),
}


def sort(qs, data, sorts: dict, default: str):
    key = data.get("sort") or default
    desc = key.startswith("-")
    fields = sorts.get(key.lstrip("-")) or sorts[default.lstrip("-")]
    if desc or (key == default and default.startswith("-")):
        fields = tuple(f"-{f}" for f in fields)
    return qs.order_by(*fields, "pk"), key


def filter_exonerations(dataset: Dataset, data) -> object:
    """``data`` is a QueryDict (or dict): state, crime, race, sex, factor (repeatable: all must be
    present), dna, death (yes/no), year_from, year_to (exoneration year), q (name, county)."""
    qs = Exoneration.objects.filter(dataset=dataset)
    if v := data.get("state"):
        qs = qs.filter(state=v)
    if v := data.get("crime"):
        qs = qs.filter(worst_crime=v)
    if v := data.get("race"):
        qs = qs.filter(race=v)
    if v := data.get("sex"):
        qs = qs.filter(sex=v)
    getlist = getattr(data, "getlist", lambda k: [data[k]] if data.get(k) else [])
    codes = {c for c, _, _ in FACTORS}
    for f in getlist("factor"):
        if f in codes:
            qs = qs.filter(**{f: True})
    qs = _yes_no(qs, data, "dna", "dna")
    qs = _yes_no(qs, data, "death", "death_sentence")
    if (y := _int(data.get("year_from"))) is not None:
        qs = qs.filter(exoneration_year__gte=y)
    if (y := _int(data.get("year_to"))) is not None:
        qs = qs.filter(exoneration_year__lte=y)
    if q := (data.get("q") or "").strip():
        qs = qs.filter(Q(last_name__icontains=q) | Q(first_name__icontains=q) | Q(county__icontains=q))
    return qs


def filter_executions(dataset: Dataset, data) -> object:
    """state, race, sex, method, year_from, year_to, volunteer, juvenile (yes/no), q (name, county)."""
    qs = Execution.objects.filter(dataset=dataset)
    for param in ("state", "race", "method", "sex"):
        if v := data.get(param):
            qs = qs.filter(**{param: v})
    qs = _yes_no(qs, data, "volunteer", "volunteer")
    qs = _yes_no(qs, data, "juvenile", "juvenile")
    if (y := _int(data.get("year_from"))) is not None:
        qs = qs.filter(year__gte=y)
    if (y := _int(data.get("year_to"))) is not None:
        qs = qs.filter(year__lte=y)
    if q := (data.get("q") or "").strip():
        qs = qs.filter(Q(name__icontains=q) | Q(county__icontains=q))
    return qs


def choices(qs, field: str) -> list[str]:
    return [v for v in qs.order_by(field).values_list(field, flat=True).distinct() if v]


FILTER_PARAMS = {
    EXONERATIONS: ("state", "crime", "race", "sex", "factor", "dna", "death", "year_from", "year_to", "q"),
    EXECUTIONS: ("state", "race", "sex", "method", "volunteer", "juvenile", "year_from", "year_to", "q"),
}


def active_filters(kind: str, data) -> bool:
    return any(data.get(p) for p in FILTER_PARAMS[kind])
