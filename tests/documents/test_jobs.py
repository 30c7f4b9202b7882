"""The background queue: enqueue, progress, failures, the embedded worker."""

import time

import pytest

from habeas.jobs.api import enqueue, report_progress
from habeas.jobs.models import Job
from habeas.jobs.worker import run_pending, start_embedded_worker, stop_embedded_worker


def sample_job(job, n=3, fail=False):
    for i in range(n):
        report_progress(job, (i + 1) / n, f"step {i + 1} of {n}")
    if fail:
        raise RuntimeError("the lab file is unreadable")
    return {"steps": n}


def test_enqueue_run_and_progress(db, case):
    job = enqueue("test.sample", f"{__name__}.sample_job", case=case, n=4)
    assert job.status == Job.Status.QUEUED and job.kwargs == {"n": 4}
    [ran] = run_pending()
    job.refresh_from_db()
    assert ran.pk == job.pk
    assert (job.status, job.result, job.progress, job.message) == ("done", {"steps": 4}, 1.0, "step 4 of 4")
    assert job.started_at and job.finished_at and job.attempts == 1
    assert run_pending() == []  # nothing runs twice


def test_failure_is_recorded_on_the_job(db):
    job = enqueue("test.sample", f"{__name__}.sample_job", fail=True)
    run_pending()
    job.refresh_from_db()
    assert job.status == "failed" and "RuntimeError: the lab file is unreadable" in job.error
    bad = enqueue("test.missing", f"{__name__}.no_such_function")
    run_pending()
    bad.refresh_from_db()
    assert bad.status == "failed" and "ImportError" in bad.error


@pytest.mark.django_db(transaction=True)
def test_embedded_worker_runs_queued_jobs():
    job = enqueue("test.sample", f"{__name__}.sample_job", n=2)
    start_embedded_worker(poll=0.1)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.finished:
                break
            time.sleep(0.1)
    finally:
        stop_embedded_worker()
    assert job.status == "done" and job.result == {"steps": 2}
