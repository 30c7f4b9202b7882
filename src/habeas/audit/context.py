"""The request being served, for the audit signals (a context variable: thread- and task-safe)."""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

current_request: contextvars.ContextVar = contextvars.ContextVar("habeas_audit_request", default=None)
suspended: contextvars.ContextVar[bool] = contextvars.ContextVar("habeas_audit_suspended", default=False)


@contextmanager
def request_context(request):
    token = current_request.set(request)
    try:
        yield
    finally:
        current_request.reset(token)


def client_ip(request) -> str:
    """The client address: ``REMOTE_ADDR``; the first ``X-Forwarded-For`` hop only when
    ``AUDIT_TRUST_X_FORWARDED_FOR`` is set (behind a reverse proxy you control)."""
    from django.conf import settings

    if getattr(settings, "AUDIT_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:45]
    return (request.META.get("REMOTE_ADDR") or "")[:45]
