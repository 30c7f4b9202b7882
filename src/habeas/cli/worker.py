"""``habeas worker``: run queued background jobs (document extraction, OCR, imports, searches)
in a process of its own.

The queue lives in the database (:mod:`habeas.jobs`): jobs are claimed with a compare-and-set
``UPDATE``, so any number of workers on any number of machines, on SQLite or PostgreSQL, never
run the same job twice. ``habeas serve`` also runs an embedded worker thread, so a one-person
install needs no worker process; a team server runs one or more ``habeas worker`` services
(see docs/deployment.md). There is no Redis backend: the database queue needs no extra server.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("worker", help="run queued background jobs (document extraction, OCR, …)",
                       description="Run queued background jobs until stopped (SIGTERM / Ctrl-C ends it after "
                                   "the current job). Several workers may run at once, on one or more machines.")
    p.add_argument("--once", action="store_true", help="run the jobs queued now, then exit")
    p.add_argument("--poll", type=float, default=None, metavar="SECONDS",
                   help="seconds between polls of an empty queue (default: JOBS_POLL_SECONDS, 2)")
    p.add_argument("--max-jobs", type=int, default=None, metavar="N",
                   help="exit after N jobs (a supervisor restarts the process: bounds memory growth)")
    p.add_argument("--database", metavar="URL", help="database URL (overrides HABEAS_DATABASE_URL)")
    p.add_argument("--quiet", action="store_true", help="print nothing per job")
    p.set_defaults(handler=cmd_worker)


def cmd_worker(args) -> int:
    if args.database:
        os.environ["HABEAS_DATABASE_URL"] = args.database
    from habeas.cli import CommandError, setup_django

    setup_django()
    try:
        from habeas.jobs import worker
    except ImportError as exc:  # pragma: no cover - the jobs app is part of the distribution
        raise CommandError(f"background jobs are not available: {exc}") from exc
    from django.conf import settings
    from django.db import close_old_connections, connection

    poll = args.poll if args.poll is not None else getattr(settings, "JOBS_POLL_SECONDS", 2.0)
    stop = threading.Event()

    def _stop(signum, frame):  # finish the current job, then leave
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)

    requeued = worker.requeue_stale()
    if requeued and not args.quiet:
        print(f"habeas worker: re-queued {requeued} interrupted job(s)", flush=True)
    if not args.once and not args.quiet:
        print(f"habeas worker: polling every {poll:g} s on {connection.vendor} (Ctrl-C to stop)", flush=True)
    ran = failed = 0
    while not stop.is_set():
        close_old_connections()
        jobs = worker.run_pending(limit=1)
        for job in jobs:
            ran += 1
            failed += job.status == job.Status.FAILED
            if not args.quiet:
                print(f"job {job.pk} {job.kind}: {job.status} {job.message}", flush=True)
        if args.max_jobs is not None and ran >= args.max_jobs:
            break
        if not jobs:
            if args.once:
                break
            connection.close()
            stop.wait(poll)
    if not args.quiet:
        print(f"habeas worker: {ran} job(s) run, {failed} failed", file=sys.stderr if failed else sys.stdout)
    return 1 if (args.once and failed) else 0
