"""One audit entry per request to a case-data URL (who, what, when, from where)."""

from __future__ import annotations

import re

from django.conf import settings

from habeas.audit.context import client_ip, request_context

# URL paths that read or write case data; ``AUDIT_PATHS`` in settings overrides.
DEFAULT_AUDIT_PATHS = (r"^/cases/", r"^/api/", r"^/documents/", r"^/petitions/", r"^/deadlines/",
                       r"^/dna/", r"^/admin/cases/", r"^/admin/documents/")
CASE_KWARGS = ("case_pk", "case_id")


class AuditMiddleware:
    """Place after ``AuthenticationMiddleware``. Reads are GET/HEAD/OPTIONS, the rest writes;
    the response status is kept, so refused attempts are logged too."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.patterns = [re.compile(p) for p in getattr(settings, "AUDIT_PATHS", DEFAULT_AUDIT_PATHS)]

    def __call__(self, request):
        with request_context(request):
            response = self.get_response(request)
        if any(p.search(request.path) for p in self.patterns):
            try:
                self._log(request, response)
            except Exception:  # never lose the response over the log; the failure is logged
                import logging

                logging.getLogger("habeas.audit").exception("audit entry not written for %s", request.path)
                if getattr(settings, "AUDIT_FAIL_CLOSED", False):
                    raise
        return response

    def _log(self, request, response) -> None:
        from habeas.audit.models import record

        match = getattr(request, "resolver_match", None)
        kwargs = match.kwargs if match else {}
        case_id = next((kwargs[k] for k in CASE_KWARGS if k in kwargs), None)
        object_id = kwargs.get("pk", "")
        if case_id is None and match and (match.url_name or "").startswith("case") and "pk" in kwargs:
            case_id = kwargs["pk"]
        try:
            case_id = int(case_id) if case_id is not None else None
        except (TypeError, ValueError):
            case_id = None
        method = request.method.upper()
        record(action="read" if method in ("GET", "HEAD", "OPTIONS") else "write", operation=method,
               object_type=(match.view_name if match else "")[:100], object_id=object_id, case_id=case_id,
               user=getattr(request, "user", None), ip=client_ip(request), path=request.get_full_path(),
               status=response.status_code)
