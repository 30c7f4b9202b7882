"""``habeas worker``: run queued background jobs (document extraction, OCR, imports, searches)
in a process of its own.

The queue lives in the database (:mod:`habeas.jobs`): jobs are claimed with a compare-and-set
``UPDATE``, so any number of workers on any number of machines, on SQLite or PostgreSQL, never
run the same job twice. ``habeas serve`` also runs an embedded worker thread, so a one-person
install needs no worker process; a team server runs one or more ``habeas worker`` services
(see docs/deployment.md). With Redis (``HABEAS_REDIS_URL`` or ``--redis URL``) idle workers block
on a Redis list of job ids instead of polling the table, and sweep the table after each timeout;
the database stays the record of every job and the guard against double runs.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading


class _Interrupted(BaseException):
    """Raised by the signal handler to leave a blocking Redis wait at once (BaseException, so no
    ``except Exception`` on the way swallows it)."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("worker", help="run queued background jobs (document extraction, OCR, …)",
                       description="Run queued background jobs until stopped (SIGTERM / Ctrl-C ends it after "
                                   "the current job). Several workers may run at once, on one or more machines.")
    p.add_argument("--once", action="store_true", help="run the jobs queued now, then exit")
    p.add_argument("--poll", type=float, default=None, metavar="SECONDS",
                   help="seconds between polls of an empty queue (default: JOBS_POLL_SECONDS, 2); with "
                        "Redis, how long to block on Redis before sweeping the jobs table "
                        "(default: JOBS_REDIS_BLOCK_SECONDS, 10)")
    p.add_argument("--max-jobs", type=int, default=None, metavar="N",
                   help="exit after N jobs (a supervisor restarts the process: bounds memory growth)")
    p.add_argument("--database", metavar="URL", help="database URL (overrides HABEAS_DATABASE_URL)")
    p.add_argument("--redis", metavar="URL",
                   help="wait for jobs on Redis, e.g. redis://127.0.0.1:6379/0 (overrides HABEAS_REDIS_URL; "
                        "needs pip install 'habeas[redis]')")
    p.add_argument("--quiet", action="store_true", help="print nothing per job")
    p.set_defaults(handler=cmd_worker)


def cmd_worker(args) -> int:
    if args.database:
        os.environ["HABEAS_DATABASE_URL"] = args.database
    if args.redis:
        os.environ["HABEAS_REDIS_URL"] = args.redis  # jobs that queue further jobs push them there too
    from habeas.cli import CommandError, setup_django

    setup_django()
    try:
        from habeas.jobs import worker
        from habeas.jobs.redisqueue import QueueUnavailable, configured_url, safe_url
    except ImportError as exc:  # pragma: no cover - the jobs app is part of the distribution
        raise CommandError(f"background jobs are not available: {exc}") from exc
    from django.conf import settings
    from django.db import connection

    redis_url = None if args.once else (args.redis or configured_url())
    queue = None
    if redis_url:
        try:
            queue = worker.open_queue(redis_url, block=args.poll)
            queue.ping()
        except QueueUnavailable as exc:
            if queue is None:  # not installed, malformed URL: the operator must fix that
                raise CommandError(str(exc)) from exc
            # Not reachable now: start anyway, sweeping the table until Redis answers.
            print(f"habeas worker: {exc}; sweeping the jobs table until it answers", file=sys.stderr, flush=True)
    poll = args.poll if args.poll is not None else getattr(settings, "JOBS_POLL_SECONDS", 2.0)
    stop = threading.Event()

    def _stop(signum, frame):  # finish the current job, then leave
        stop.set()
        if queue is not None and queue.blocking:
            raise _Interrupted  # idle on Redis: leave the BRPOP now (a popped id is never lost: the table has it)

    previous = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous[sig] = signal.signal(sig, _stop)

    ran = failed = 0

    def _done(job):
        nonlocal ran, failed
        ran += 1
        failed += job.status == job.Status.FAILED
        if not args.quiet:
            print(f"job {job.pk} {job.kind}: {job.status} {job.message}", flush=True)

    try:
        requeued = worker.requeue_stale()
        if requeued and not args.quiet:
            print(f"habeas worker: re-queued {requeued} interrupted job(s)", flush=True)
        if args.once:
            while not stop.is_set() and (args.max_jobs is None or ran < args.max_jobs):
                jobs = worker.run_pending(limit=1)
                if not jobs:
                    break
                _done(jobs[0])
        else:
            if not args.quiet:
                if queue is not None:
                    print(f"habeas worker: waiting on Redis {safe_url(queue.url)} (list {queue.key}), sweeping "
                          f"the {connection.vendor} jobs table every {queue.block:g} s when idle "
                          "(Ctrl-C to stop)", flush=True)
                else:
                    print(f"habeas worker: polling every {poll:g} s on {connection.vendor} (Ctrl-C to stop)",
                          flush=True)
            try:
                worker.work(stop, poll=poll, queue=queue, max_jobs=args.max_jobs, on_job=_done)
            except _Interrupted:
                pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if queue is not None:
            queue.close()
    if not args.quiet:
        print(f"habeas worker: {ran} job(s) run, {failed} failed", file=sys.stderr if failed else sys.stdout)
    return 1 if (args.once and failed) else 0
