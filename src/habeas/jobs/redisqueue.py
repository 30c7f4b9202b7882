"""The optional Redis side of the job queue: a list of job ids that idle workers block on.

Turned on by ``HABEAS_REDIS_URL`` (``settings.JOBS_REDIS_URL``) or ``habeas worker --redis URL``.
Redis only says *which job to look at next*; the database stays the record of every job (status,
progress, result) and its compare-and-set claim (:func:`habeas.jobs.worker.claim`) stays the one
guard against running a job twice. So Redis may lose ids (a flush, a failed push, a worker that
died between BRPOP and claim) or hold ids of jobs already run (a table sweep ran them first):
a lost id is found by the next table sweep, a stale one claims nothing and is dropped.

* :func:`push` — ``LPUSH habeas:jobs <id>`` (called by ``enqueue`` after the transaction
  commits); never raises: when Redis cannot be reached the job stays queued in the database and
  a warning is logged.
* :class:`RedisQueue` — what a worker blocks on (``BRPOP`` with a timeout). Each worker also
  listens on a private wake-up list, so it can be told to stop without waiting for the timeout.

The ``redis`` package (``pip install 'habeas[redis]'``) is imported here only, and only when a
Redis URL is configured.
"""

from __future__ import annotations

import logging
import threading
import uuid
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

log = logging.getLogger("habeas.jobs")

#: How long ``enqueue`` waits for Redis before giving up (the job is safe in the database anyway).
PUSH_TIMEOUT = 2.0

_push_clients: dict[str, object] = {}
_push_lock = threading.Lock()


class QueueUnavailable(Exception):
    """Redis could not be used (not installed, not reachable, refused the command)."""


def configured_url() -> str | None:
    """The Redis URL the settings name, or None for the database-only queue."""
    return getattr(settings, "JOBS_REDIS_URL", None) or None


def queue_key() -> str:
    return getattr(settings, "JOBS_REDIS_KEY", None) or "habeas:jobs"


def safe_url(url: str) -> str:
    """``url`` without its password, for logs and messages."""
    try:
        parts = urlsplit(url)
        if parts.password:
            host = parts.hostname or ""
            if parts.port:
                host = f"{host}:{parts.port}"
            user = parts.username or ""
            return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))
    except ValueError:
        return "<unparsable Redis URL>"
    return url


def _redis_module():
    try:
        import redis  # noqa: PLC0415 — lazily: only installs that use Redis need the package
    except ImportError as exc:
        raise QueueUnavailable("the redis package is not installed (pip install 'habeas[redis]')") from exc
    return redis


def _client(url: str, *, socket_timeout: float):
    redis = _redis_module()
    from redis.backoff import NoBackoff  # noqa: PLC0415
    from redis.retry import Retry  # noqa: PLC0415

    # No retries with back-off inside redis-py: a push that fails is covered by the table sweep,
    # and a worker that loses Redis sweeps the table and tries again after its poll interval.
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=PUSH_TIMEOUT, socket_timeout=socket_timeout,
                                    socket_keepalive=True, retry=Retry(NoBackoff(), 0), health_check_interval=30)
    except ValueError as exc:  # a malformed URL
        raise QueueUnavailable(f"bad Redis URL {safe_url(url)}: {exc}") from exc


def push(job_id: int, url: str | None = None, key: str | None = None) -> bool:
    """Tell the workers listening on Redis that job ``job_id`` is queued; False (and a warning)
    when Redis cannot be reached — the job then waits in the database for a worker's table sweep."""
    url = url or configured_url()
    if not url:
        return False
    key = key or queue_key()
    try:
        with _push_lock:
            client = _push_clients.get(url)
            if client is None:
                client = _push_clients[url] = _client(url, socket_timeout=PUSH_TIMEOUT)
        client.lpush(key, int(job_id))
    except Exception as exc:  # noqa: BLE001 — never lose work: the row is queued whatever Redis says
        log.warning("job %s: could not push to Redis at %s (%s: %s); it stays queued in the database "
                    "and a worker's table sweep will run it", job_id, safe_url(url), type(exc).__name__, exc)
        return False
    return True


class RedisQueue:
    """A worker's view of the Redis list: block for the next job id, or be woken to stop."""

    WAKE = object()  #: what :meth:`pop` returns when :meth:`wake` was called

    def __init__(self, url: str, *, block: float, key: str | None = None):
        self.url = url
        self.key = key or queue_key()
        self.block = max(0.01, float(block))  # BRPOP's 0 would mean "forever"
        self.wake_key = f"{self.key}:wake:{uuid.uuid4().hex}"
        self.blocking = False  #: True while :meth:`pop` waits in BRPOP (``habeas worker``'s signal handler)
        # The socket must outlast the longest BRPOP, or redis-py reports a timeout as an error.
        self.client = _client(url, socket_timeout=self.block + 10)

    def __repr__(self):
        return f"<RedisQueue {safe_url(self.url)} {self.key}>"

    def ping(self) -> None:
        try:
            self.client.ping()
        except Exception as exc:  # noqa: BLE001
            raise QueueUnavailable(f"Redis at {safe_url(self.url)}: {type(exc).__name__}: {exc}") from exc

    def pop(self, timeout: float | None = None):
        """The next job id, :attr:`WAKE`, or None after ``timeout`` (default: ``block``) seconds."""
        timeout = self.block if timeout is None else max(0.01, float(timeout))
        self.blocking = True
        try:
            got = self.client.brpop([self.wake_key, self.key], timeout=timeout)
        except Exception as exc:  # noqa: BLE001 — redis.ConnectionError, TimeoutError, ResponseError …
            raise QueueUnavailable(f"Redis at {safe_url(self.url)}: {type(exc).__name__}: {exc}") from exc
        finally:
            self.blocking = False
        if got is None:
            return None
        list_name, value = got
        if isinstance(list_name, bytes):
            list_name = list_name.decode()
        if list_name == self.wake_key:
            return self.WAKE
        try:
            return int(value)
        except (TypeError, ValueError):
            log.warning("ignoring %r on Redis list %s: not a job id", value, self.key)
            return None

    def wake(self) -> None:
        """Make a blocked :meth:`pop` return :attr:`WAKE` now (from another thread)."""
        try:
            with self.client.pipeline() as pipe:
                pipe.lpush(self.wake_key, "stop").expire(self.wake_key, 60).execute()
        except Exception as exc:  # noqa: BLE001 — the pop ends at its timeout anyway
            log.debug("could not wake %r: %s", self, exc)

    def close(self) -> None:
        try:
            self.client.delete(self.wake_key)
        except Exception:  # noqa: BLE001
            pass
        try:
            self.client.close()
        except Exception:  # noqa: BLE001
            pass
