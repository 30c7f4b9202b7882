"""Reference pages: overview, the exoneration and execution browsers, record pages, analytics
with charts, and CSV downloads of every table. Login required throughout."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from habeas.reference import analytics
from habeas.reference.filters import (
    EXECUTION_SORTS,
    EXONERATION_SORTS,
    FILTER_PARAMS,
    active_filters,
    choices,
    filter_executions,
    filter_exonerations,
    pick_dataset,
    sort,
)
from habeas.reference.models import EXECUTIONS, EXONERATIONS, FACTORS, Dataset, Execution, Exoneration

PER_PAGE = 50


def _nav(kind=None, dataset=None, request=None):
    return {
        "topics": [(slug, label, k) for slug, (k, label, _) in analytics.TOPICS.items()],
        "datasets": {k: list(Dataset.objects.filter(kind=k)) for k in (EXONERATIONS, EXECUTIONS)},
        "dataset": dataset,
        "kind": kind,
    }


def _query_without(request, *names) -> str:
    q = request.GET.copy()
    for n in names:
        q.pop(n, None)
    return q.urlencode()


def _csv_response(filename: str, columns, rows) -> HttpResponse:
    resp = HttpResponse(content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    w = csv.writer(resp)
    w.writerow(columns)
    w.writerows(rows)
    return resp


@login_required
def index(request):
    datasets = Dataset.objects.prefetch_related("batches")
    return render(request, "reference/index.html", {**_nav(), "all_datasets": datasets})


# --- exonerations ---------------------------------------------------------------------------------

EXO_CSV_FIELDS = ["nre_id", "last_name", "first_name", "age", "race", "sex", "state", "county", "worst_crime",
                  "additional_crimes", "sentence", "death_sentence"] + [c for c, _, _ in FACTORS] + [
    "dna", "dna_partly", "tags", "om_tags", "crime_year", "conviction_year", "conviction_date", "exoneration_year",
    "exoneration_date", "release_year", "release_date", "posting_date", "years_to_exoneration"]


def _exonerations(request):
    ds = pick_dataset(EXONERATIONS, request.GET.get("dataset"))
    if ds is None:
        return None, None, None
    qs = filter_exonerations(ds, request.GET)
    qs, sort_key = sort(qs, request.GET, EXONERATION_SORTS, "-exonerated")
    return ds, qs, sort_key


@login_required
def exoneration_list(request):
    ds, qs, sort_key = _exonerations(request)
    ctx = {**_nav(EXONERATIONS, ds), "params": request.GET}
    if ds is not None:
        base = Exoneration.objects.filter(dataset=ds)
        page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
        ctx.update(
            page=page, sort=sort_key, filtered=active_filters(EXONERATIONS, request.GET),
            states=choices(base, "state"), crimes=choices(base, "worst_crime"), races=choices(base, "race"),
            sexes=choices(base, "sex"), factors=FACTORS, selected_factors=request.GET.getlist("factor"),
            query_nosort=_query_without(request, "sort", "page"), query_nopage=_query_without(request, "page"),
            query=request.GET.urlencode(),
            columns=[("name", "Name"), ("state", "State"), ("crime", "Worst crime"), ("sentence", "Sentence"),
                     ("race", "Race"), ("age", "Age"), ("convicted", "Convicted"), ("exonerated", "Exonerated"),
                     ("years", "Years")],
        )
    return render(request, "reference/exoneration_list.html", ctx)


@login_required
def exoneration_csv(request):
    ds, qs, _ = _exonerations(request)
    if ds is None:
        raise Http404("no exoneration data imported")
    return _csv_response(f"exonerations-{ds.slug}.csv", EXO_CSV_FIELDS, qs.values_list(*EXO_CSV_FIELDS))


@login_required
def exoneration_detail(request, pk):
    e = get_object_or_404(Exoneration.objects.select_related("dataset", "batch"), pk=pk)
    factors = [(abbr, label, getattr(e, code)) for code, abbr, label in FACTORS]
    return render(request, "reference/exoneration_detail.html",
                  {**_nav(EXONERATIONS, e.dataset), "e": e, "factors": factors})


# --- executions -----------------------------------------------------------------------------------

EXE_CSV_FIELDS = ["date", "name", "age", "sex", "race", "victims", "state", "region", "method", "juvenile",
                  "federal", "volunteer", "foreign_national", "county", "state_sequence", "link"]


def _executions(request):
    ds = pick_dataset(EXECUTIONS, request.GET.get("dataset"))
    if ds is None:
        return None, None, None
    qs = filter_executions(ds, request.GET)
    qs, sort_key = sort(qs, request.GET, EXECUTION_SORTS, "-date")
    return ds, qs, sort_key


@login_required
def execution_list(request):
    ds, qs, sort_key = _executions(request)
    ctx = {**_nav(EXECUTIONS, ds), "params": request.GET}
    if ds is not None:
        base = Execution.objects.filter(dataset=ds)
        page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
        ctx.update(
            page=page, sort=sort_key, filtered=active_filters(EXECUTIONS, request.GET),
            states=choices(base, "state"), races=choices(base, "race"), methods=choices(base, "method"),
            sexes=choices(base, "sex"),
            query_nosort=_query_without(request, "sort", "page"), query_nopage=_query_without(request, "page"),
            query=request.GET.urlencode(),
            columns=[("date", "Date"), ("name", "Name"), ("age", "Age"), ("race", "Race"), ("state", "State"),
                     ("county", "County"), ("method", "Method")],
        )
    return render(request, "reference/execution_list.html", ctx)


@login_required
def execution_csv(request):
    ds, qs, _ = _executions(request)
    if ds is None:
        raise Http404("no execution data imported")
    return _csv_response(f"executions-{ds.slug}.csv", EXE_CSV_FIELDS, qs.values_list(*EXE_CSV_FIELDS))


@login_required
def execution_detail(request, pk):
    x = get_object_or_404(Execution.objects.select_related("dataset", "batch"), pk=pk)
    return render(request, "reference/execution_detail.html", {**_nav(EXECUTIONS, x.dataset), "x": x})


# --- analytics ------------------------------------------------------------------------------------

def _analytics(request, topic):
    if topic not in analytics.TOPICS:
        raise Http404("no such analysis")
    kind = analytics.TOPICS[topic][0]
    ds = pick_dataset(kind, request.GET.get("dataset"))
    if ds is None:
        return kind, None, None, False
    filtered = active_filters(kind, request.GET)
    qs = (filter_exonerations if kind == EXONERATIONS else filter_executions)(ds, request.GET)
    return kind, ds, analytics.build(topic, ds, qs), filtered


@login_required
def analytics_page(request, topic):
    kind, ds, page, filtered = _analytics(request, topic)
    ctx = {**_nav(kind, ds), "topic": topic, "page": page, "filtered": filtered, "params": request.GET,
           "query": request.GET.urlencode()}
    if page is not None:
        analytics.draw(page, ds, filtered)
        base = (Exoneration if kind == EXONERATIONS else Execution).objects.filter(dataset=ds)
        ctx.update(states=choices(base, "state"), races=choices(base, "race"))
        if kind == EXONERATIONS:
            ctx.update(crimes=choices(base, "worst_crime"), factors=FACTORS,
                       selected_factors=request.GET.getlist("factor"))
        ctx["filter_params"] = FILTER_PARAMS[kind]
    return render(request, "reference/analytics.html", ctx)


@login_required
def analytics_csv(request, topic, section):
    _, ds, page, _ = _analytics(request, topic)
    if page is None:
        raise Http404("no data imported")
    for s in page.sections:
        if s.slug == section:
            return _csv_response(f"{topic}-{section}-{ds.slug}.csv", s.columns, s.rows)
    raise Http404("no such table")
