"""Analytics of the reference data: each topic is a page of sections, each section a table (the
numbers) and a chart drawn from exactly that table.

A page reads its records in one query and aggregates in Python (a few thousand rows); charts of
the unfiltered data are cached in :class:`~habeas.reference.models.ChartCache` until the next
import of their dataset.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from habeas.reference import charts
from habeas.reference.models import EXECUTIONS, EXONERATIONS, FACTORS, ChartCache, Dataset

FACTOR_NAMES = [f"{label} ({abbr})" for _, abbr, label in FACTORS]


@dataclass
class Section:
    slug: str
    title: str
    columns: list[str]
    rows: list[list]
    draw: Callable[[str], str]  # footer -> svg
    note: str = ""
    svg: str = ""


@dataclass
class Page:
    topic: str
    title: str
    intro: str
    n: int
    sections: list[Section] = field(default_factory=list)


def pct(a, b) -> float:
    return round(100.0 * a / b, 1) if b else 0.0


def quartiles(xs) -> tuple[float, float, float]:
    q1, med, q3 = np.percentile(np.asarray(xs, dtype=float), [25, 50, 75])
    return round(float(q1), 1), round(float(med), 1), round(float(q3), 1)


EXO_COLUMNS = ["worst_crime", "exoneration_year", "years_to_exoneration", "dna", "death_sentence", "state"] + [
    c for c, _, _ in FACTORS]


def _exo_rows(qs):
    return [dict(zip(EXO_COLUMNS, r)) for r in qs.values_list(*EXO_COLUMNS)]


# --- exoneration topics ---------------------------------------------------------------------------

def factors_page(rows) -> Page:
    n = len(rows)
    page = Page("factors", "Contributing factors",
                "Share of exonerations in which each contributing factor was present (the NRE taxonomy). "
                "A case usually has several factors, so the shares add up to more than 100%.", n)
    counts = [sum(r[c] for r in rows) for c, _, _ in FACTORS]
    trows = [[name, abbr, k, pct(k, n)] for (_, abbr, name), k in zip(FACTORS, counts)]
    page.sections.append(Section(
        "overall", "Contributing factors, all exonerations", ["Factor", "Code", "Exonerations", "% of exonerations"],
        trows, lambda foot, t=trows: charts.hbar(
            [f"{r[0]} ({r[1]})" for r in t], [r[3] for r in t], value_fmt="{:.0f}%",
            title=f"Contributing factors in {n:,} exonerations", xlabel="% of exonerations with the factor",
            footer=foot)))
    by_crime = defaultdict(list)
    for r in rows:
        by_crime[r["worst_crime"] or "(not recorded)"].append(r)
    top = [c for c, rs in sorted(by_crime.items(), key=lambda kv: -len(kv[1])) if len(rs) >= 20][:10]
    groups = [(c, by_crime[c]) for c in top]
    rest = [r for c, rs in by_crime.items() if c not in top for r in rs]
    if rest:
        groups.append(("All other crimes", rest))
    crows = [[c, len(rs)] + [pct(sum(r[f] for r in rs), len(rs)) for f, _, _ in FACTORS] for c, rs in groups]
    page.sections.append(Section(
        "by-crime", "Contributing factors by worst crime", ["Worst crime", "Exonerations"] + [
            f"% {abbr}" for _, abbr, _ in FACTORS],
        crows, lambda foot, t=crows: charts.heatmap(
            [f"{r[0]} (n={r[1]})" for r in t], [abbr for _, abbr, _ in FACTORS], [r[2:] for r in t],
            title="Contributing factors by worst crime (% of the crime's exonerations)",
            cbar_label="% of exonerations", footer=foot),
        note="Crimes with at least 20 exonerations are listed; the rest are pooled."))
    return page


def years_page(rows) -> Page:
    n = len(rows)
    page = Page("years", "Exonerations per year", "Number of exonerations by year of exoneration.", n)
    c = Counter(r["exoneration_year"] for r in rows if r["exoneration_year"])
    if c:
        years = list(range(min(c), max(c) + 1))
        trows = [[y, c.get(y, 0)] for y in years]
    else:
        years, trows = [], []
    page.sections.append(Section(
        "per-year", "Exonerations per year", ["Year of exoneration", "Exonerations"], trows,
        lambda foot, t=trows: charts.columns(
            [r[0] for r in t], {"Exonerations": [r[1] for r in t]}, title=f"Exonerations per year (n={n:,})",
            ylabel="Exonerations", xlabel="Year of exoneration", footer=foot),
        note="The last year is incomplete when the file was exported during it; the first years "
             "reflect what the registry has found so far, not all exonerations of the time."))
    return page


def time_page(rows) -> Page:
    known = [r for r in rows if r["years_to_exoneration"] is not None]
    n = len(rows)
    page = Page("time", "Time from conviction to exoneration",
                "Years from the first conviction to the exoneration: from the dates where the file has "
                "them, else the difference of the years.", n)
    ys = [r["years_to_exoneration"] for r in known]
    top = int(max(ys, default=0) // 5 + 1) * 5
    edges = list(range(0, max(top, 5) + 1, 5))
    hist = [0] * (len(edges) - 1)
    for y in ys:
        hist[min(int(y // 5), len(hist) - 1)] += 1
    trows = [[f"{a}–{b}", c] for a, b, c in zip(edges[:-1], edges[1:], hist)]
    page.sections.append(Section(
        "distribution", "Distribution", ["Years from conviction to exoneration (5-year bins, lower bound "
                                         "included)", "Exonerations"],
        trows, lambda foot, e=edges, h=hist: charts.histogram(
            e, h, title=f"Years from conviction to exoneration (n={len(ys):,})", xlabel="Years",
            ylabel="Exonerations", footer=foot),
        note=f"{n - len(known)} of {n} records have no usable conviction date and are left out."))
    groups = [("All exonerations", ys)] + [
        (name, [r["years_to_exoneration"] for r in known if r[code]]) for code, _, name in FACTORS]
    groups += [("DNA", [r["years_to_exoneration"] for r in known if r["dna"]]),
               ("No DNA", [r["years_to_exoneration"] for r in known if not r["dna"]])]
    groups = [(g, s) for g, s in groups if s]
    frows = [[g, len(s), *quartiles(s), round(float(np.mean(s)), 1)] for g, s in groups]
    page.sections.append(Section(
        "by-factor", "By contributing factor", ["Group", "n", "Q1 (years)", "Median (years)", "Q3 (years)",
                                                "Mean (years)"],
        frows, lambda foot, g=groups: charts.boxes(
            [x for x, _ in g], [s for _, s in g], title="Years from conviction to exoneration, by factor",
            xlabel="Years (box: quartiles; line: median; whiskers: 1.5 × IQR)", footer=foot),
        note="A case counts in every factor it has."))
    return page


def dna_page(rows) -> Page:
    n = len(rows)
    page = Page("dna", "DNA and non-DNA exonerations",
                "Exonerations in which DNA evidence contributed to the exoneration, against the rest.", n)
    c = Counter((r["exoneration_year"], r["dna"]) for r in rows if r["exoneration_year"])
    ys = sorted({y for y, _ in c})
    years = list(range(ys[0], ys[-1] + 1)) if ys else []
    trows = [[y, c.get((y, True), 0), c.get((y, False), 0), pct(c.get((y, True), 0),
                                                               c.get((y, True), 0) + c.get((y, False), 0))]
             for y in years]
    page.sections.append(Section(
        "per-year", "DNA and non-DNA exonerations per year", ["Year of exoneration", "DNA", "Non-DNA", "% DNA"],
        trows, lambda foot, t=trows: charts.columns(
            [r[0] for r in t], {"DNA": [r[1] for r in t], "Non-DNA": [r[2] for r in t]},
            title="DNA and non-DNA exonerations per year", ylabel="Exonerations", xlabel="Year of exoneration",
            footer=foot)))
    dna = [r for r in rows if r["dna"]]
    other = [r for r in rows if not r["dna"]]
    frows = [[name, pct(sum(r[code] for r in dna), len(dna)), pct(sum(r[code] for r in other), len(other))]
             for code, _, name in FACTORS]
    page.sections.append(Section(
        "factors", "Contributing factors in DNA and non-DNA exonerations",
        ["Factor", f"% of DNA exonerations (n={len(dna)})", f"% of non-DNA exonerations (n={len(other)})"],
        frows, lambda foot, t=frows: charts.grouped_hbar(
            [r[0] for r in t], {f"DNA (n={len(dna):,})": [r[1] for r in t],
                                f"Non-DNA (n={len(other):,})": [r[2] for r in t]},
            title="Contributing factors: DNA vs non-DNA exonerations", xlabel="% of exonerations in the group",
            footer=foot)))
    return page


def death_page(rows) -> Page:
    death = [r for r in rows if r["death_sentence"]]
    n = len(rows)
    page = Page("death", "Death-sentence exonerations",
                f"Exonerations of people sentenced to death: {len(death):,} of {n:,} "
                f"({pct(len(death), n)}%).", n)
    c = Counter(r["exoneration_year"] for r in death if r["exoneration_year"])
    years = list(range(min(c), max(c) + 1)) if c else []
    trows = [[y, c.get(y, 0)] for y in years]
    page.sections.append(Section(
        "per-year", "Per year", ["Year of exoneration", "Death-sentence exonerations"], trows,
        lambda foot, t=trows: charts.columns(
            [r[0] for r in t], {"Death-sentence exonerations": [r[1] for r in t]},
            title=f"Exonerations after a death sentence, per year (n={len(death)})", ylabel="Exonerations",
            xlabel="Year of exoneration", footer=foot)))
    s = Counter(r["state"] for r in death)
    srows = [[st, k] for st, k in sorted(s.items(), key=lambda kv: (-kv[1], kv[0]))]
    top = srows[:15]
    page.sections.append(Section(
        "by-state", "By state", ["State", "Death-sentence exonerations"], srows,
        lambda foot, t=top: charts.hbar(
            [r[0] for r in t], [r[1] for r in t], title="Death-sentence exonerations by state (top 15)",
            xlabel="Exonerations", footer=foot, color=charts.ORANGE)))
    frows = [[name, pct(sum(r[code] for r in death), len(death)), pct(sum(r[code] for r in rows), n)]
             for code, _, name in FACTORS]
    page.sections.append(Section(
        "factors", "Contributing factors", ["Factor", f"% of death-sentence exonerations (n={len(death)})",
                                            f"% of all exonerations (n={n})"],
        frows, lambda foot, t=frows: charts.grouped_hbar(
            [r[0] for r in t], {f"Death sentence (n={len(death):,})": [r[1] for r in t],
                                f"All exonerations (n={n:,})": [r[2] for r in t]},
            title="Contributing factors: death-sentence exonerations vs all", xlabel="% of exonerations in the group",
            footer=foot)))
    return page


# --- executions -----------------------------------------------------------------------------------

def executions_page(qs) -> Page:
    rows = list(qs.values_list("year", "state", "race"))
    n = len(rows)
    page = Page("executions", "Executions by state and year", "Executions listed in the file.", n)
    c = Counter(y for y, _, _ in rows)
    years = list(range(min(c), max(c) + 1)) if c else []
    trows = [[y, c.get(y, 0)] for y in years]
    page.sections.append(Section(
        "per-year", "Per year", ["Year", "Executions"], trows,
        lambda foot, t=trows: charts.columns(
            [r[0] for r in t], {"Executions": [r[1] for r in t]}, title=f"Executions per year (n={n:,})",
            ylabel="Executions", xlabel="Year", footer=foot)))
    s = Counter(st for _, st, _ in rows)
    srows = [[st, k, pct(k, n)] for st, k in sorted(s.items(), key=lambda kv: (-kv[1], kv[0]))]
    page.sections.append(Section(
        "by-state", "By state", ["State", "Executions", "% of executions"], srows,
        lambda foot, t=srows: charts.hbar(
            [("FE (federal)" if r[0] == "FE" else r[0]) for r in t], [r[1] for r in t],
            title=f"Executions by state (n={n:,})", xlabel="Executions",
            footer=foot)))
    r_ = Counter(race or "(not recorded)" for _, _, race in rows)
    rrows = [[race, k, pct(k, n)] for race, k in sorted(r_.items(), key=lambda kv: -kv[1])]
    page.sections.append(Section(
        "by-race", "By race of the person executed", ["Race", "Executions", "% of executions"], rrows,
        lambda foot, t=rrows: charts.hbar(
            [r[0] for r in t], [r[2] for r in t], value_fmt="{:.1f}%",
            title="Executions by race of the person executed", xlabel="% of executions", footer=foot),
        note="Race as the file records it. The race of victims is in each record."))
    return page


TOPICS = {
    "factors": (EXONERATIONS, "Contributing factors", factors_page),
    "years": (EXONERATIONS, "Exonerations per year", years_page),
    "time": (EXONERATIONS, "Conviction to exoneration", time_page),
    "dna": (EXONERATIONS, "DNA vs non-DNA", dna_page),
    "death": (EXONERATIONS, "Death-sentence exonerations", death_page),
    "executions": (EXECUTIONS, "Executions by state and year", executions_page),
}


def build(topic: str, dataset: Dataset, qs) -> Page:
    """The page's tables (charts not drawn yet: see :func:`draw`)."""
    kind, _, fn = TOPICS[topic]
    return fn(_exo_rows(qs)) if kind == EXONERATIONS else fn(qs)


def footer(dataset: Dataset, filtered: bool) -> str:
    batch = dataset.batches.order_by("-pk").first()
    src = f"{batch.file_name}, retrieved {batch.retrieved_on:%Y-%m-%d}" if batch else "no import"
    as_of = f", data as of {dataset.as_of:%Y-%m-%d}" if dataset.as_of else ""
    return (f"Source: {dataset.publisher} ({src}{as_of})."
            + (" Filtered selection." if filtered else "") + " Chart: habeas.")


def draw(page: Page, dataset: Dataset, filtered: bool) -> None:
    """Fill ``svg`` of each section; unfiltered charts come from, and go to, the cache (which the
    importer empties when a dataset's records or its source facts change)."""
    foot = footer(dataset, filtered)
    if filtered:
        for s in page.sections:
            s.svg = s.draw(foot)
        return
    keys = {s.slug: f"{dataset.slug}:{page.topic}:{s.slug}" for s in page.sections}
    cached = dict(ChartCache.objects.filter(key__in=keys.values()).values_list("key", "svg"))
    fresh = []
    for s in page.sections:
        k = keys[s.slug]
        if k in cached:
            s.svg = cached[k]
        else:
            s.svg = s.draw(foot)
            fresh.append(ChartCache(key=k, svg=s.svg))
    if fresh:
        ChartCache.objects.bulk_create(fresh, ignore_conflicts=True)


def warm(dataset: Dataset) -> None:
    """Draw and cache every unfiltered chart of ``dataset`` (after an import: first views stay fast)."""
    from habeas.reference.filters import filter_executions, filter_exonerations

    qs = (filter_exonerations if dataset.kind == EXONERATIONS else filter_executions)(dataset, {})
    for topic, (kind, _, _) in TOPICS.items():
        if kind == dataset.kind:
            draw(build(topic, dataset, qs), dataset, filtered=False)
