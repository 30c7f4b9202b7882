"""Enqueue work and report its progress."""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from habeas.jobs.models import Job

#: Set when a job is queued, so an embedded worker in this process wakes at once.
wakeup = threading.Event()

#: In-process progress listeners ``fn(job)`` (e.g. the CLI's progress bar).
listeners: list = []


def enqueue(kind: str, func_path: str, *, case=None, user=None, **kwargs) -> Job:
    """Queue ``func_path(job, **kwargs)`` to run in the background; ``kwargs`` must be JSON-ready.

    The job row is the queue entry (status, progress and result live there). With Redis configured
    (``HABEAS_REDIS_URL``) its id is also pushed onto the Redis list once the surrounding
    transaction commits, so a worker blocked on Redis starts it at once; if Redis cannot be
    reached the job simply waits in the table for a worker's sweep (see :mod:`habeas.jobs.redisqueue`).
    """
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    job = Job.objects.create(kind=kind, func_path=func_path, kwargs=kwargs, case=case, created_by=user,
                             message="queued")
    wakeup.set()
    transaction.on_commit(wakeup.set)  # the row is visible to other connections only from here
    if getattr(settings, "JOBS_REDIS_URL", None):
        from habeas.jobs import redisqueue  # noqa: PLC0415 — Redis is loaded only when configured

        job_id = job.pk
        transaction.on_commit(lambda: redisqueue.push(job_id), robust=True)
    return job


def report_progress(job: Job, fraction: float, message: str = "") -> None:
    """Record how far ``job`` is (0..1) and what it is doing; cheap enough to call per page."""
    fraction = max(0.0, min(1.0, float(fraction)))
    job.progress, job.message = fraction, message[:500]
    Job.objects.filter(pk=job.pk).update(progress=fraction, message=job.message, updated_at=timezone.now())
    for fn in list(listeners):
        fn(job)
