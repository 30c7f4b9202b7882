"""Case-scoped access for the API, built on the web UI's rule (one rule, not two).

Every API model reaches its case by a lookup path (``case``, ``evidence_item__case``,
``request__case``, ``lab_result__request__case``); its queryset is filtered to the rows
whose case is in :func:`habeas.web.access.visible_cases` for the requesting user. A row on
a case the user may not see is a 404, exactly as in the UI, so its existence does not leak.
"""

from __future__ import annotations

from django.db.models import QuerySet

from habeas.web.access import visible_cases


def scope(qs: QuerySet, user, case_path: str) -> QuerySet:
    """``qs`` restricted to rows whose case (reached by ``case_path``) ``user`` may see."""
    if not user.is_authenticated:
        return qs.none()
    if case_path == "pk":
        return qs.filter(pk__in=visible_cases(user).values("pk"))
    return qs.filter(**{f"{case_path}__in": visible_cases(user).values("pk")})
