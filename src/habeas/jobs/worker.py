"""Run queued jobs: synchronously (:func:`run_pending`) or in a thread of the web server
(:func:`start_embedded_worker`). Jobs are claimed with a compare-and-set ``UPDATE``, so several
workers (threads or processes, SQLite or PostgreSQL) never run the same job twice.
"""

from __future__ import annotations

import logging
import threading
import traceback
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.module_loading import import_string

from habeas.jobs.api import wakeup
from habeas.jobs.models import Job

log = logging.getLogger("habeas.jobs")

_embedded: threading.Thread | None = None
_stop = threading.Event()


def claim(job_id: int | None = None) -> Job | None:
    """Take the oldest queued job (or job ``job_id``) and mark it running; None when there is none."""
    qs = Job.objects.filter(status=Job.Status.QUEUED)
    if job_id is not None:
        qs = qs.filter(pk=job_id)
    for pk in qs.order_by("created_at", "pk").values_list("pk", flat=True)[:5]:
        now = timezone.now()
        taken = Job.objects.filter(pk=pk, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING, started_at=now, updated_at=now, message="started")
        if taken:
            job = Job.objects.get(pk=pk)
            Job.objects.filter(pk=pk).update(attempts=job.attempts + 1)
            return job
    return None


def run_job(job: Job) -> Job:
    """Run a claimed job to the end; a failure is recorded on the job, never raised."""
    try:
        func = import_string(job.func_path)
        result = func(job, **(job.kwargs or {}))
    except Exception as exc:  # noqa: BLE001 — any failure belongs on the job
        log.exception("job %s failed", job.pk)
        job.status, job.error = Job.Status.FAILED, f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc()}"
        job.message = f"failed: {exc}"[:500]
    else:
        job.status, job.result, job.progress = Job.Status.DONE, result, 1.0
        if not job.message or job.message == "started":
            job.message = "done"
    job.finished_at = timezone.now()
    Job.objects.filter(pk=job.pk).update(status=job.status, result=job.result, error=job.error,
                                         progress=job.progress, message=job.message,
                                         finished_at=job.finished_at, updated_at=job.finished_at)
    return job


def run_pending(job_ids=None, *, limit: int | None = None) -> list[Job]:
    """Run queued jobs in this thread until none is left (or ``limit`` ran); return them.

    With ``job_ids`` only those jobs run (the CLI waits for what it queued).
    """
    done: list[Job] = []
    pending = list(job_ids) if job_ids is not None else None
    while limit is None or len(done) < limit:
        if pending is not None:
            if not pending:
                break
            job = claim(pending.pop(0))
            if job is None:
                continue
        else:
            job = claim()
            if job is None:
                break
        done.append(run_job(job))
    return done


def requeue_stale() -> int:
    """Put back jobs left 'running' by a process that died (no progress for JOBS_STALE_AFTER)."""
    limit = timezone.now() - timedelta(seconds=getattr(settings, "JOBS_STALE_AFTER", 900))
    return Job.objects.filter(status=Job.Status.RUNNING, updated_at__lt=limit).update(
        status=Job.Status.QUEUED, message="re-queued after an interrupted run")


def _loop(poll: float) -> None:
    try:
        requeue_stale()
    except Exception:  # noqa: BLE001
        log.exception("could not re-queue stale jobs")
    while not _stop.is_set():
        try:
            close_old_connections()
            ran = run_pending(limit=1)
        except Exception:  # noqa: BLE001 — the worker must survive a database hiccup
            log.exception("embedded worker error")
            ran = []
        finally:
            connection.close()
        if not ran:
            wakeup.wait(poll)
            wakeup.clear()


def start_embedded_worker(poll: float | None = None) -> threading.Thread:
    """Start (once per process) a daemon thread that runs queued jobs inside the web server."""
    global _embedded
    if _embedded is not None and _embedded.is_alive():
        return _embedded
    _stop.clear()
    poll = poll if poll is not None else getattr(settings, "JOBS_POLL_SECONDS", 2.0)
    _embedded = threading.Thread(target=_loop, args=(poll,), name="habeas-jobs", daemon=True)
    _embedded.start()
    return _embedded


def stop_embedded_worker(timeout: float = 10) -> None:
    """Ask the embedded worker to stop after its current job (tests, orderly shutdown)."""
    global _embedded
    _stop.set()
    wakeup.set()
    if _embedded is not None:
        _embedded.join(timeout)
    _embedded = None
