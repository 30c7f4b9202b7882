"""Who may see which case.

Every view that reads or writes a case goes through :func:`visible_cases`, so a later
security pass (per-case roles, ethical walls, audit) extends one function.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from habeas.cases.models import Case


def visible_cases(user) -> QuerySet[Case]:
    """Cases ``user`` may see: all for staff and superusers, else those on whose team they are."""
    if not user.is_authenticated:
        return Case.objects.none()
    if user.is_staff or user.is_superuser:
        return Case.objects.all()
    return Case.objects.filter(memberships__user=user).distinct()


def get_case_for(user, pk: int) -> Case:
    """The case ``pk`` if ``user`` may see it; 404 otherwise (so its existence does not leak)."""
    return get_object_or_404(visible_cases(user), pk=pk)
