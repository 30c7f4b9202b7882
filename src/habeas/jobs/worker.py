"""Run queued jobs: synchronously (:func:`run_pending`), in a loop (:func:`work`, used by
``habeas worker``) or in a thread of the web server (:func:`start_embedded_worker`). Jobs are
claimed with a compare-and-set ``UPDATE``, so several workers (threads or processes, SQLite or
PostgreSQL) never run the same job twice. Idle workers poll the jobs table, or, with Redis
configured, block on a Redis list of job ids (:mod:`habeas.jobs.redisqueue`) and sweep the table
after each timeout.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from datetime import timedelta

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from habeas.jobs.api import wakeup
from habeas.jobs.models import Job

log = logging.getLogger("habeas.jobs")

_embedded: threading.Thread | None = None
_embedded_queue = None
_stop = threading.Event()


def claim(job_id: int | None = None) -> Job | None:
    """Take the oldest queued job (or job ``job_id``) and mark it running; None when there is none."""
    qs = Job.objects.filter(status=Job.Status.QUEUED)
    if job_id is not None:
        qs = qs.filter(pk=job_id)
    for pk in qs.order_by("created_at", "pk").values_list("pk", flat=True)[:5]:
        now = timezone.now()
        taken = Job.objects.filter(pk=pk, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING, started_at=now, updated_at=now, message="started",
            attempts=F("attempts") + 1)
        if taken:
            # The job is ours now: reading it back must not fail on a momentary lock, or it would
            # sit 'running' until requeue_stale.
            return _retrying(lambda: Job.objects.get(pk=pk), f"job {pk}: reading the claimed row")
    return None


def _retrying(fn, what: str, attempts: int = 5):
    """``fn()``, tried again on a database ``OperationalError`` (a lock held for a moment)."""
    for attempt in range(attempts):
        try:
            return fn()
        except OperationalError:
            if attempt == attempts - 1:
                raise
            log.warning("%s failed, retrying", what, exc_info=True)
            time.sleep(0.05 * 3 ** attempt)


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
    # A job's outcome (maybe minutes of OCR) is not lost to a momentary lock.
    _retrying(lambda: Job.objects.filter(pk=job.pk).update(
        status=job.status, result=job.result, error=job.error, progress=job.progress, message=job.message,
        finished_at=job.finished_at, updated_at=job.finished_at), f"job {job.pk}: recording its outcome")
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


def redis_block_seconds() -> float:
    """How long an idle worker blocks on Redis before it sweeps the jobs table once."""
    return float(getattr(settings, "JOBS_REDIS_BLOCK_SECONDS", 10.0))


def open_queue(url: str, block: float | None = None):
    """A :class:`~habeas.jobs.redisqueue.RedisQueue` on ``url`` (raises ``QueueUnavailable``)."""
    from habeas.jobs.redisqueue import RedisQueue  # noqa: PLC0415 — Redis only when configured

    return RedisQueue(url, block=block if block is not None else redis_block_seconds())


def work(stop: threading.Event, *, poll: float, queue=None, max_jobs: int | None = None, on_job=None,
         keep_going: bool = False, idle: threading.Event | None = None) -> int:
    """Run queued jobs until ``stop`` is set (or ``max_jobs`` ran); return how many ran.

    Without ``queue`` the jobs table is polled every ``poll`` seconds (``idle``, when given, cuts
    the wait short: the embedded worker's :data:`~habeas.jobs.api.wakeup`). With a
    :class:`~habeas.jobs.redisqueue.RedisQueue` the worker blocks on Redis (BRPOP, ``queue.block``
    seconds) for the next job id and claims that row; on start and after every BRPOP timeout it
    sweeps the table instead (until nothing is claimable), so jobs whose id never reached Redis
    (Redis down or flushed, a push that failed) still run. While Redis does not answer, the worker
    sweeps the table every ``poll`` seconds and logs a warning once per outage.

    ``keep_going`` logs a database error and goes on (the embedded thread); otherwise it is raised
    (``habeas worker``: its supervisor restarts it). ``on_job(job)`` is called after each job.
    """
    from habeas.jobs.redisqueue import QueueUnavailable  # noqa: PLC0415 — no redis import here

    ran = 0
    sweep = True  # on start: the table first
    redis_down = False
    while not stop.is_set() and (max_jobs is None or ran < max_jobs):
        try:
            job = None
            if queue is None or sweep:
                close_old_connections()
                job = claim()
                if job is None and queue is not None:
                    sweep = False  # the table is empty: back to Redis
            if job is None and queue is not None and not sweep:
                connection.close()  # no database connection held while blocked on Redis
                try:
                    got = queue.pop()
                except QueueUnavailable as exc:
                    if not redis_down:
                        log.warning("%s; sweeping the jobs table every %g s until it answers", exc, poll)
                        redis_down = True
                    sweep = True
                    stop.wait(poll)
                    continue
                if redis_down:
                    log.warning("Redis at %s answers again", queue)
                    redis_down = False
                if got is queue.WAKE:
                    continue
                if got is None:  # BRPOP timed out: sweep the table once
                    sweep = True
                    continue
                close_old_connections()
                job = claim(got)
                if job is None:  # already run by a sweep (here or elsewhere), or deleted: nothing to do
                    continue
            if job is None:  # database queue, nothing to do
                connection.close()
                if idle is not None:
                    idle.wait(poll)
                    idle.clear()
                else:
                    stop.wait(poll)
                continue
            run_job(job)
            ran += 1
            if on_job is not None:
                on_job(job)
        except Exception:  # noqa: BLE001 — the embedded worker must survive a database hiccup
            if not keep_going:
                raise
            log.exception("job worker error")
            sweep = True  # whatever an id popped from Redis was, the table still has the job
            try:
                connection.close()
            except Exception:  # noqa: BLE001
                pass
            stop.wait(poll)
    return ran


def _loop(poll: float, queue) -> None:
    try:
        requeue_stale()
    except Exception:  # noqa: BLE001
        log.exception("could not re-queue stale jobs")
    try:
        work(_stop, poll=poll, queue=queue, keep_going=True, idle=wakeup)
    finally:
        connection.close()
        if queue is not None:
            queue.close()


def start_embedded_worker(poll: float | None = None, *, redis_url: str | None = None,
                          block: float | None = None) -> threading.Thread:
    """Start (once per process) a daemon thread that runs queued jobs inside the web server.

    Without Redis it polls the table every ``poll`` seconds (default ``JOBS_POLL_SECONDS``). With
    Redis configured (``redis_url`` or ``settings.JOBS_REDIS_URL``) it blocks on Redis for
    ``block`` seconds (default ``JOBS_REDIS_BLOCK_SECONDS``) and sweeps the table after each
    timeout; ``poll`` is then the retry interval while Redis is down. When the ``redis`` package
    is missing it warns and polls the table.
    """
    global _embedded, _embedded_queue
    if _embedded is not None and _embedded.is_alive():
        return _embedded
    _stop.clear()
    from habeas.jobs.redisqueue import QueueUnavailable, configured_url  # noqa: PLC0415

    url = redis_url or configured_url()
    queue = None
    if url:
        try:
            queue = open_queue(url, block=block)
        except QueueUnavailable as exc:
            log.warning("embedded job worker: %s; polling the jobs table instead", exc)
    if poll is None:
        poll = getattr(settings, "JOBS_POLL_SECONDS", 2.0)
    _embedded_queue = queue
    _embedded = threading.Thread(target=_loop, args=(poll, queue), name="habeas-jobs", daemon=True)
    _embedded.start()
    return _embedded


def stop_embedded_worker(timeout: float = 10) -> None:
    """Ask the embedded worker to stop after its current job (tests, orderly shutdown)."""
    global _embedded, _embedded_queue
    _stop.set()
    wakeup.set()
    if _embedded_queue is not None:
        _embedded_queue.wake()  # out of BRPOP now, not at its timeout
    if _embedded is not None:
        _embedded.join(timeout)
    _embedded = _embedded_queue = None
