"""``habeas worker``: runs the database-queued jobs, records failures, ``--once`` exits."""

from __future__ import annotations

import pytest

from habeas.cli import main
from habeas.jobs.api import enqueue
from habeas.jobs.models import Job


@pytest.mark.django_db(transaction=True)
def test_worker_once_runs_queued_jobs(capsys):
    ok = enqueue("test.progress", "habeas.jobs.api.report_progress", fraction=0.5, message="half way")
    bad = enqueue("test.missing", "habeas.jobs.api.no_such_function")
    assert main(["worker", "--once"]) == 1  # one job failed
    out = capsys.readouterr().out
    assert f"job {ok.pk} test.progress: done" in out
    assert Job.objects.get(pk=ok.pk).status == Job.Status.DONE
    assert Job.objects.get(pk=bad.pk).status == Job.Status.FAILED
    assert main(["worker", "--once", "--quiet"]) == 0  # nothing left to do


@pytest.mark.django_db(transaction=True)
def test_worker_max_jobs(capsys):
    for _ in range(3):
        enqueue("test.progress", "habeas.jobs.api.report_progress", fraction=1.0)
    assert main(["worker", "--max-jobs", "2", "--poll", "0.01"]) == 0
    assert Job.objects.filter(status=Job.Status.QUEUED).count() == 1


def test_worker_in_help(capsys):
    with pytest.raises(SystemExit):
        main(["worker", "--help"])
    assert "--once" in capsys.readouterr().out
