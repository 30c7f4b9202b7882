"""The job queue on Redis: enqueue pushes the job id after commit, workers block on BRPOP, claim
the row as always, and sweep the table after each timeout, so nothing is lost when Redis is down.

Needs a Redis at 127.0.0.1:6379 (``HABEAS_TEST_REDIS_URL`` overrides it; db 15) and the ``redis``
package; skipped, with the reason, where either is missing. Every test uses a key prefix of its
own and deletes only those keys.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from types import SimpleNamespace

import pytest
from django.db import OperationalError, transaction

from habeas.cli import main
from habeas.jobs.api import enqueue
from habeas.jobs.models import Job
from habeas.jobs.worker import open_queue, start_embedded_worker, stop_embedded_worker, work

REDIS_URL = os.environ.get("HABEAS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

runs: list[tuple[int, str]] = []
_runs_lock = threading.Lock()


def sample_job(job, n=2, pause=0.0):
    with _runs_lock:
        runs.append((job.pk, threading.current_thread().name))
    if pause:
        time.sleep(pause)
    return {"n": n, "doubled": 2 * n}


def dead_redis_url() -> str:
    """A Redis URL on a loopback port where nothing listens (connection refused at once)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"redis://127.0.0.1:{port}/15"


@pytest.fixture
def rq(settings):
    redis = pytest.importorskip("redis", reason="the redis package is not installed (pip install -e '.[test]')")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis answers at {REDIS_URL} ({type(exc).__name__}); the Redis queue tests need one")
    prefix = f"habeas-test:{os.getpid()}:{uuid.uuid4().hex[:10]}"
    settings.JOBS_REDIS_URL = REDIS_URL
    settings.JOBS_REDIS_KEY = f"{prefix}:jobs"
    runs.clear()
    yield SimpleNamespace(url=REDIS_URL, key=settings.JOBS_REDIS_KEY, client=client,
                          ids=lambda: [int(v) for v in client.lrange(settings.JOBS_REDIS_KEY, 0, -1)])
    stop_embedded_worker()
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)
    client.close()


def wait_for(predicate, seconds=8.0, step=0.05):
    """Poll ``predicate``; a read that meets a worker's write lock (the shared in-memory SQLite
    test database has table locks without a busy timeout) counts as "not yet"."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if predicate():
                return True
        except OperationalError:
            pass
        if time.monotonic() >= deadline:
            return False
        time.sleep(step)


class Recording:
    """Wraps a worker's RedisQueue: records what each BRPOP returned, and when it first blocked."""

    def __init__(self, queue):
        self.queue, self.popped, self.listening = queue, [], threading.Event()
        self._pop = queue.pop
        queue.pop = self.pop

    def pop(self, timeout=None):
        self.listening.set()
        got = self._pop(timeout)
        self.popped.append(got)
        return got


def start_worker(queue, stop, *, poll=0.2, keep_going=True, **kw):
    errors = []

    def _run():
        try:
            work(stop, poll=poll, queue=queue, keep_going=keep_going, **kw)
        except Exception as exc:  # noqa: BLE001 — reported by the test
            errors.append(exc)
        finally:
            from django.db import connection

            connection.close()

    t = threading.Thread(target=_run, daemon=True)
    t.start()
    return t, errors


@pytest.mark.django_db(transaction=True)
def test_enqueue_pushes_after_commit_and_a_blocked_worker_runs_it(rq):
    # A worker that has swept the (empty) table and now blocks on Redis, for longer than the test.
    queue = Recording(open_queue(rq.url, block=30))
    stop = threading.Event()
    t, errors = start_worker(queue.queue, stop)
    try:
        assert queue.listening.wait(5)
        with transaction.atomic():
            job = enqueue("test.sample", f"{__name__}.sample_job", n=21)
            assert rq.ids() == []  # nothing is pushed before the row is committed
            assert job.status == Job.Status.QUEUED
        started = time.monotonic()
        # the id went onto the list and the worker's BRPOP took it: no table sweep (that waits 30 s)
        assert wait_for(lambda: Job.objects.get(pk=job.pk).finished, seconds=8)
        assert time.monotonic() - started < 8
    finally:
        stop.set()
        queue.queue.wake()
        t.join(5)
    assert not errors and not t.is_alive()
    job.refresh_from_db()
    assert (job.status, job.result, job.progress, job.attempts) == ("done", {"n": 21, "doubled": 42}, 1.0, 1)
    assert job.pk in queue.popped
    assert rq.ids() == []


@pytest.mark.django_db(transaction=True)
def test_a_worker_starts_with_a_table_sweep_and_a_stale_id_runs_nothing(rq):
    from habeas.jobs.worker import claim

    job = enqueue("test.sample", f"{__name__}.sample_job", n=3)
    assert rq.ids() == [job.pk]
    queue = open_queue(rq.url, block=0.2)
    # The start-up sweep takes the job from the table; its id is still on the list.
    assert work(threading.Event(), poll=0.1, queue=queue, max_jobs=1) == 1
    job.refresh_from_db()
    assert job.status == "done" and job.result == {"n": 3, "doubled": 6}
    assert rq.ids() == [job.pk]
    assert queue.pop(0.1) == job.pk and claim(job.pk) is None  # the claim refuses a job already run
    assert [pk for pk, _ in runs] == [job.pk]


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_run_the_same_job(rq):
    jobs = [enqueue("test.sample", f"{__name__}.sample_job", n=i, pause=0.01) for i in range(16)]
    for job in jobs:  # every id twice on the list, as after a double push
        rq.client.lpush(rq.key, job.pk)
    assert Counter(rq.ids()) == {job.pk: 2 for job in jobs}
    stop = threading.Event()
    workers = [start_worker(open_queue(rq.url, block=0.3), stop) for _ in range(2)]
    try:
        assert wait_for(lambda: not Job.objects.exclude(status=Job.Status.DONE).exists(), seconds=12)
        assert wait_for(lambda: rq.ids() == [], seconds=5)  # stale ids are popped and dropped
    finally:
        stop.set()
        for t, _ in workers:
            t.join(5)
    assert all(not errors for _, errors in workers)
    counts = Counter(pk for pk, _ in runs)
    assert counts == {job.pk: 1 for job in jobs}
    assert set(Job.objects.values_list("attempts", flat=True)) == {1}
    for job in jobs:
        job.refresh_from_db()
        assert job.result == {"n": job.kwargs["n"], "doubled": 2 * job.kwargs["n"]}


@pytest.mark.django_db(transaction=True)
def test_redis_unreachable_at_enqueue_the_job_still_runs_by_the_table_sweep(rq, settings, caplog):
    settings.JOBS_REDIS_URL = dead_redis_url()
    with caplog.at_level(logging.WARNING, logger="habeas.jobs"):
        job = enqueue("test.sample", f"{__name__}.sample_job", n=5)
    assert any("could not push to Redis" in r.getMessage() and "stays queued" in r.getMessage()
               for r in caplog.records)
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED
    assert rq.ids() == []  # Redis (back, or never told) knows nothing of the job
    # A worker on the live Redis finds it in the table: on start, and after each BRPOP timeout.
    queue = open_queue(rq.url, block=0.2)
    assert work(threading.Event(), poll=0.1, queue=queue, max_jobs=1) == 1
    job.refresh_from_db()
    assert job.status == "done" and job.result == {"n": 5, "doubled": 10}
    later = [None]
    stop = threading.Event()
    t, errors = start_worker(open_queue(rq.url, block=0.2), stop)
    try:
        settings.JOBS_REDIS_URL = dead_redis_url()
        later[0] = enqueue("test.sample", f"{__name__}.sample_job", n=6)  # queued while the worker blocks
        assert wait_for(lambda: Job.objects.get(pk=later[0].pk).finished, seconds=5)
    finally:
        stop.set()
        t.join(5)
    assert not errors and Job.objects.get(pk=later[0].pk).status == "done"


@pytest.mark.django_db(transaction=True)
def test_a_worker_whose_redis_is_down_sweeps_the_table(rq, settings, caplog):
    settings.JOBS_REDIS_URL = None
    stop = threading.Event()
    with caplog.at_level(logging.WARNING, logger="habeas.jobs"):
        t, errors = start_worker(open_queue(dead_redis_url(), block=5), stop, poll=0.1)
        try:
            assert wait_for(lambda: any("sweeping the jobs table" in r.getMessage() for r in caplog.records))
            job = enqueue("test.sample", f"{__name__}.sample_job", n=7)
            assert wait_for(lambda: Job.objects.get(pk=job.pk).finished, seconds=5), errors
        finally:
            stop.set()
            t.join(5)
    assert not errors and Job.objects.get(pk=job.pk).result == {"n": 7, "doubled": 14}


@pytest.mark.django_db(transaction=True)
def test_embedded_worker_on_redis_starts_at_once_and_stops_at_once(rq):
    start_embedded_worker(poll=0.1, redis_url=rq.url, block=30)  # BRPOP for 30 s: only Redis wakes it in time
    time.sleep(0.3)
    job = enqueue("test.sample", f"{__name__}.sample_job", n=8)
    assert wait_for(lambda: Job.objects.get(pk=job.pk).finished, seconds=8)
    started = time.monotonic()
    stop_embedded_worker()
    assert time.monotonic() - started < 3  # woken through its private list, not at the timeout
    assert Job.objects.get(pk=job.pk).result == {"n": 8, "doubled": 16}


@pytest.mark.django_db(transaction=True)
def test_habeas_worker_redis_option(rq, settings, monkeypatch, capsys):
    settings.JOBS_REDIS_URL = None  # only --redis names it
    monkeypatch.setenv("HABEAS_REDIS_URL", "")  # restored after the test (the command sets it)
    job = enqueue("test.sample", f"{__name__}.sample_job", n=9)
    assert main(["worker", "--redis", rq.url, "--max-jobs", "1", "--poll", "0.2"]) == 0
    out = capsys.readouterr().out
    assert f"waiting on Redis {rq.url}" in out and f"job {job.pk} test.sample: done" in out
    assert Job.objects.get(pk=job.pk).result == {"n": 9, "doubled": 18}
    assert main(["worker", "--redis", "nonsense://x", "--max-jobs", "1"]) == 2
    assert "bad Redis URL" in capsys.readouterr().err


@pytest.mark.django_db(transaction=True)
def test_habeas_worker_on_redis_stops_at_sigterm_without_waiting_for_the_timeout(rq, monkeypatch, capsys):
    monkeypatch.setenv("HABEAS_REDIS_URL", rq.url)
    previous = signal.signal(signal.SIGTERM, lambda *a: None)  # a SIGTERM sent too early must not end pytest
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGTERM))
    try:
        started = time.monotonic()
        timer.start()
        assert main(["worker", "--redis", rq.url, "--poll", "4"]) == 0
        assert time.monotonic() - started < 3.5
    finally:
        timer.cancel()
        signal.signal(signal.SIGTERM, previous)
    assert "0 job(s) run" in capsys.readouterr().out


def test_redis_is_imported_only_when_configured(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "HABEAS_REDIS_URL"}
    env.update(HABEAS_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="habeas.settings")
    code = ("import sys, django; django.setup(); "
            "import habeas.jobs.api, habeas.jobs.worker, habeas.jobs.redisqueue, habeas.cli.worker; "
            "from django.conf import settings; assert settings.JOBS_REDIS_URL is None; "
            "print('redis' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
