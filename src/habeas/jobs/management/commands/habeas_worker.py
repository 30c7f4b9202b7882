"""Run a stand-alone job worker (for a team install that runs several web processes).

``habeas worker`` is the documented command and has more options; this one is for deployments
that drive everything through ``django-admin``. Both wait on Redis when ``HABEAS_REDIS_URL`` is set.
"""

import threading

from django.core.management.base import BaseCommand

from habeas.jobs.redisqueue import QueueUnavailable, configured_url
from habeas.jobs.worker import open_queue, requeue_stale, run_pending, work


class Command(BaseCommand):
    help = "Run queued background jobs (documents extraction, OCR, …) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run what is queued now, then exit")
        parser.add_argument("--poll", type=float, default=2.0, help="seconds between polls (default 2)")

    def handle(self, *args, once=False, poll=2.0, **options):
        requeue_stale()

        def report(job):
            self.stdout.write(f"job {job.pk} {job.kind}: {job.status} {job.message}")

        if once:
            for job in run_pending():
                report(job)
            return
        queue = None
        if configured_url():
            try:
                queue = open_queue(configured_url())
            except QueueUnavailable as exc:
                self.stderr.write(f"{exc}; polling the jobs table instead")
        try:
            work(threading.Event(), poll=poll, queue=queue, on_job=report)
        finally:
            if queue is not None:
                queue.close()
