"""Run a stand-alone job worker (for a team install that runs several web processes)."""

import time

from django.core.management.base import BaseCommand

from habeas.jobs.worker import requeue_stale, run_pending


class Command(BaseCommand):
    help = "Run queued background jobs (documents extraction, OCR, …) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run what is queued now, then exit")
        parser.add_argument("--poll", type=float, default=2.0, help="seconds between polls (default 2)")

    def handle(self, *args, once=False, poll=2.0, **options):
        requeue_stale()
        while True:
            for job in run_pending():
                self.stdout.write(f"job {job.pk} {job.kind}: {job.status} {job.message}")
            if once:
                return
            time.sleep(poll)
