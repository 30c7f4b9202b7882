"""DNA pages: the case-wide comparison matrix (recomputed in the background when a profile is
added) and the database search page (a background job with progress).

Expected LRs are computed here from the shipped NIST 1036 tables with NRC II eq. 4.10 written
out (the most conservative of the four populations), not by habeas.dna.
"""

from __future__ import annotations

import csv
import math
from importlib import resources

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse

from habeas.cases.models import Case, CaseMembership, LabRequest, LabResult, STRProfile
from habeas.jobs.models import Job
from habeas.jobs.worker import run_pending

THETA = 0.01
GENO = {"D3S1358": ["15", "16"], "vWA": ["17", "18"], "TH01": ["6", "9.3"], "FGA": ["21", "24"]}
OTHER = {"D3S1358": ["14", "17"], "vWA": ["16", "16"], "TH01": ["7", "8"], "FGA": ["20", "22"]}


def nist(pop):
    path = resources.files("habeas.dna").joinpath(f"data/NIST1036_{pop}.csv")
    with path.open() as f:
        return {(r["marker"], r["allele"]): float(r["frequency"]) for r in csv.DictReader(f)}


def expected_log10_lr(geno) -> float:
    """Smallest log10 LR over the 4 NIST 1036 populations; NRC II 4.10; 5/2N floor."""
    import json

    meta = json.loads(resources.files("habeas.dna").joinpath("data/tables.json").read_text())
    ns = {t["name"]: t["n_individuals"] for t in meta["tables"]}
    out = []
    for pop in ("AfAm", "Asian", "Cauc", "Hisp"):
        f, n = nist(pop), ns[f"NIST1036_{pop}"]
        total = 0.0
        for locus, (a, b) in geno.items():
            floor = 5 / (2 * n[locus])
            p, q = max(f[(locus, a)], floor), max(f[(locus, b)], floor)
            t = THETA
            if a == b:
                pr = (2 * t + (1 - t) * p) * (3 * t + (1 - t) * p) / ((1 + t) * (1 + 2 * t))
            else:
                pr = 2 * (t + (1 - t) * p) * (t + (1 - t) * q) / ((1 + t) * (1 + 2 * t))
            total -= math.log10(pr)
        out.append(total)
    return min(out)


@pytest.fixture
def setup(db, django_user_model, client):
    user = django_user_model.objects.create_user("analyst", password="a-long-password-9")
    case = Case.objects.create(caption="State v. Petitioner D", jurisdiction="Fictional")
    CaseMembership.objects.create(case=case, user=user)
    req = LabRequest.objects.create(case=case, laboratory="Lab")
    result = LabResult.objects.create(request=req, conclusion="Profiles developed.")
    client.force_login(user)
    return case, result, user


def add(result, kind, name, loci, **kw):
    return STRProfile.objects.create(lab_result=result, kind=kind, sample_name=name, loci=loci, **kw)


def test_matrix_is_recomputed_in_the_background_when_a_profile_is_added(setup, client,
                                                                          django_capture_on_commit_callbacks):
    case, result, _ = setup
    with django_capture_on_commit_callbacks(execute=True):
        ev = add(result, "evidence", "Q1 swab", GENO)
        ref1 = add(result, "reference", "K1 petitioner", OTHER)
    jobs = Job.objects.filter(case=case, kind="dna.case_matrix")
    assert jobs.count() == 1 and jobs.first().status == "queued"    # one queued job, not two
    page = client.get(reverse("dnaweb:case-matrix", args=[case.pk]))
    assert b"Recomputing in the background" in page.content
    run_pending()
    with django_capture_on_commit_callbacks(execute=True):
        ref2 = add(result, "reference", "K2 alternate suspect", GENO)
    assert Job.objects.filter(case=case, kind="dna.case_matrix", status="queued").count() == 1
    run_pending()
    done = Job.objects.filter(case=case, kind="dna.case_matrix", status="done").first()
    m = done.result
    assert [r["name"] for r in m["references"]] == ["K1 petitioner", "K2 alternate suspect"]
    assert m["cells"][0][0]["log10_lr"] == "-inf" and m["cells"][0][0]["conclusion"] == "exclusion"
    assert m["cells"][0][1]["log10_lr"] == pytest.approx(expected_log10_lr(GENO), rel=1e-9)
    html = client.get(reverse("dnaweb:case-matrix", args=[case.pk])).content.decode()
    v = expected_log10_lr(GENO)
    band = "weak" if v < 2 else "mod" if v < 6 else "strong" if v < 12 else "vstrong"
    assert '<td class="lr-excl"' in html and f'<td class="lr-{band}"' in html
    assert f"{v:.1f}" in html
    assert reverse("dnaweb:pair", args=[case.pk, ev.pk, ref2.pk]) in html
    pair = client.get(reverse("dnaweb:pair", args=[case.pk, ev.pk, ref2.pk]))
    assert pair.status_code == 200 and b"most conservative" in pair.content
    # the inclusion tag for the case page
    out = Template("{% load dnaweb_tags %}{% case_dna_matrix case %}").render(Context({"case": case}))
    assert "K2 alternate suspect" in out and "DNA comparison matrix" in out


def test_mixture_evidence_gets_a_mixture_lr(setup, django_capture_on_commit_callbacks):
    case, result, _ = setup
    mix = {l: sorted(set(GENO[l]) | set(OTHER[l])) for l in GENO}
    with django_capture_on_commit_callbacks(execute=True):
        add(result, "evidence", "Q2 mixture", mix, is_mixture=True)
        add(result, "reference", "K1", OTHER)
        add(result, "reference", "K3 stranger", {"D3S1358": ["12", "13"], "vWA": ["12", "13"],
                                                  "TH01": ["10", "10"], "FGA": ["30", "31"]})
    run_pending()
    m = Job.objects.filter(case=case, kind="dna.case_matrix", status="done").first().result
    k1, k3 = m["cells"][0]
    assert k1["kind"] == "mixture" and float(k1["log10_lr"]) > 1
    assert k3["log10_lr"] == "-inf" or float(k3["log10_lr"]) < 0


def test_other_users_cannot_see_the_matrix(setup, client, django_user_model):
    case, _, _ = setup
    other = django_user_model.objects.create_user("outsider", password="a-long-password-7")
    client.force_login(other)
    assert client.get(reverse("dnaweb:case-matrix", args=[case.pk])).status_code == 404


def test_database_search_page_runs_in_the_background(setup, client, tmp_path, monkeypatch):
    from habeas.dna.database import generate, save

    monkeypatch.setenv("HABEAS_HOME", str(tmp_path))
    db = generate(2000, seed=4, name="refs")
    save(db, tmp_path / "dna-databases")
    q = db.profile(1234)
    body = "sample,marker,allele\n" + "".join(f"q,{l},{a}\n" for l, als in q.loci.items() for a in als)
    page = client.get(reverse("dnaweb:search"))
    assert page.status_code == 200 and b"refs" in page.content
    resp = client.post(reverse("dnaweb:search"), {
        "db": "refs", "sample": SimpleUploadedFile("q.csv", body.encode()), "theta": "0.01",
        "freqs": "NIST1036_Cauc", "top": "5", "max_mismatches": "0"})
    assert resp.status_code == 302
    job = Job.objects.get(kind="dna.db_search")
    status = client.get(reverse("dnaweb:search-status", args=[job.pk]))
    assert status["X-Job-Status"] == "queued" and b"<progress" in status.content
    run_pending([job.pk])
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert job.result["hits"][0]["id"] == q.sample
    page = client.get(resp["Location"]).content.decode()
    assert q.sample in page and "single-source LR" in page
    client.force_login(type(job.created_by).objects.create_user("x", password="a-long-password-5"))
    assert client.get(resp["Location"]).status_code == 404
