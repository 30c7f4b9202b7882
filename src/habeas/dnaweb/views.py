"""Case-wide comparison matrix and database search pages."""

from __future__ import annotations


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from habeas.cases.models import STRProfile
from habeas.dnaweb.signals import MATRIX_KIND, enqueue_matrix
from habeas.jobs.models import Job
from habeas.web.access import get_case_for, is_administrator

SEARCH_KIND = "dna.db_search"


def matrix_context(case) -> dict:
    """What the matrix partial needs: the newest finished matrix and any pending job."""
    from habeas.dnaweb.matrix import band

    done = Job.objects.filter(case=case, kind=MATRIX_KIND, status=Job.Status.DONE).first()
    pending = Job.objects.filter(case=case, kind=MATRIX_KIND,
                                 status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).first()
    failed = Job.objects.filter(case=case, kind=MATRIX_KIND).first()
    failed = failed if failed is not None and failed.status == Job.Status.FAILED else None
    data = done.result if done else None
    rows = []
    if data:
        for e, cells in zip(data["evidence"], data["cells"]):
            row = []
            for r, c in zip(data["references"], cells):
                v = c.get("log10_lr")
                row.append({**c, "ref": r, "band": band(v),
                            "text": ("excluded" if v == "-inf" else
                                     "—" if v is None else f"{float(v):.1f}")})
            rows.append({"evidence": e, "cells": row})
    return {"case": case, "matrix": data, "rows": rows, "pending": pending, "failed": failed,
            "has_profiles": STRProfile.objects.filter(lab_result__request__case=case).exists()}


@login_required
def case_matrix(request, case_pk):
    case = get_case_for(request.user, case_pk)
    return render(request, "dnaweb/case_matrix.html", matrix_context(case))


@login_required
def matrix_status(request, case_pk):
    case = get_case_for(request.user, case_pk)
    ctx = matrix_context(case)
    resp = render(request, "dnaweb/_case_matrix.html", ctx)
    resp["X-Matrix-Pending"] = "1" if ctx["pending"] else "0"
    resp["Cache-Control"] = "no-store"
    return resp


@login_required
@require_POST
def recompute(request, case_pk):
    case = get_case_for(request.user, case_pk)
    enqueue_matrix(case, request.user)
    messages.info(request, "The comparison matrix is being recomputed in the background.")
    nxt = request.POST.get("next", "")
    if nxt.startswith("/") and not nxt.startswith("//"):
        return redirect(nxt)
    return redirect("dnaweb:case-matrix", case_pk=case.pk)


@login_required
def pair(request, case_pk, ev_pk, ref_pk):
    from habeas.dnaweb.matrix import band, compare_pair

    case = get_case_for(request.user, case_pk)
    qs = STRProfile.objects.filter(lab_result__request__case=case)
    ev = get_object_or_404(qs, pk=ev_pk, kind=STRProfile.Kind.EVIDENCE)
    ref = get_object_or_404(qs, pk=ref_pk, kind=STRProfile.Kind.REFERENCE)
    if ev.evidence_item_id:  # the item's page holds the full comparison, with its plots
        from habeas.web.dna_context import is_mixture, to_profile

        anchor = f"mix-{ev.pk}-{ref.pk}" if is_mixture(ev, to_profile(ev)) else f"cmp-{ev.pk}-{ref.pk}"
        return redirect(reverse("evidence-detail", args=[case.pk, ev.evidence_item_id]) + "#" + anchor)
    try:
        cell = compare_pair(ev, ref)
        error = None
    except ValueError as e:
        cell, error = None, str(e)
    return render(request, "dnaweb/pair.html", {
        "case": case, "ev": ev, "ref": ref, "cell": cell, "error": error,
        "band": band(cell["log10_lr"]) if cell else "none"})


# --- database search ---------------------------------------------------------------------------

def _profiles_from_upload(f) -> list[dict]:
    """The profiles of an uploaded file as JSON-ready dicts for the search job."""
    from habeas.web.profile_upload import read_uploaded_profiles

    return [{"sample": p.sample, "loci": {k: list(v) for k, v in p.loci.items()}}
            for p in read_uploaded_profiles(f)[1]]


@login_required
def search(request):
    from habeas.dna.database import list_databases
    from habeas.dna.tables import list_tables
    from habeas.dnaweb.forms import SearchForm

    dbs = list_databases()
    tables = [t.name for t in list_tables()]
    form = SearchForm(request.POST or None, request.FILES or None, databases=dbs, tables=tables)
    if request.method == "POST" and form.is_valid():
        from habeas.dna.errors import DNAError
        from habeas.jobs.api import enqueue

        d = form.cleaned_data
        try:
            samples = _profiles_from_upload(d["sample"])
            knowns = _profiles_from_upload(d["known"]) if d.get("known") else []
            if not samples:
                raise DNAError("the evidence file holds no profile")
        except (DNAError, ValueError) as e:
            form.add_error("sample", str(e))
        else:
            params = {k: d.get(k) for k in ("contributors", "dropout", "dropin", "theta", "freqs",
                                             "rare_freq", "threshold", "top", "stringency",
                                             "max_mismatches", "familial")}
            job = enqueue(SEARCH_KIND, "habeas.dnaweb.tasks.db_search_job", user=request.user,
                          db=d["db"], samples=samples, knowns=knowns, params=params)
            return redirect("dnaweb:search-job", job_pk=job.pk)
    recent = Job.objects.filter(kind=SEARCH_KIND, created_by=request.user)[:10]
    return render(request, "dnaweb/search.html", {"form": form, "databases": dbs, "recent": recent})


def _search_job_for(user, pk) -> Job:
    job = get_object_or_404(Job, pk=pk, kind=SEARCH_KIND)
    if job.created_by_id != user.pk and not is_administrator(user):
        raise Http404
    return job


@login_required
def search_job(request, job_pk):
    job = _search_job_for(request.user, job_pk)
    return render(request, "dnaweb/search_job.html", {"job": job, "result": job.result})


@login_required
def search_status(request, job_pk):
    job = _search_job_for(request.user, job_pk)
    resp = render(request, "dnaweb/_search_status.html", {"job": job})
    resp["X-Job-Status"] = job.status
    resp["Cache-Control"] = "no-store"
    return resp
