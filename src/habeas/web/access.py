"""Who may see which case, and which of its privileged material — the one access rule.

Roles:

* **administrator** — a staff user or superuser: every case, privileged material included, and the
  admin site;
* **attorney**, **investigator**, **student / volunteer** — a user with a
  :class:`~habeas.cases.models.CaseMembership` of that role on a case: that case only.

Every view, API endpoint, search, export, packet and download that reads or writes a case goes
through :func:`visible_cases` / :func:`get_case_for`; a case the user may not see is a 404, so its
existence does not leak. Privileged material (``Note.privileged``, ``Document.privileged``:
attorney–client communications and attorney work product) is further limited to the attorneys on
the case and administrators: :func:`can_see_privileged` for one case, :func:`privileged_cases` for
querysets (the same rule in set form), and the helpers :func:`visible_notes` and
:func:`visible_documents` that every place listing notes or documents uses.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from habeas.cases.models import Case, CaseMembership

ADMINISTRATOR = "administrator"


def is_administrator(user) -> bool:
    return bool(user is not None and user.is_authenticated and (user.is_staff or user.is_superuser))


def visible_cases(user) -> QuerySet[Case]:
    """Cases ``user`` may see: all for administrators, else those on whose team they are."""
    if user is None or not user.is_authenticated:
        return Case.objects.none()
    if is_administrator(user):
        return Case.objects.all()
    return Case.objects.filter(memberships__user=user).distinct()


def get_case_for(user, pk: int) -> Case:
    """The case ``pk`` if ``user`` may see it; 404 otherwise (so its existence does not leak)."""
    return get_object_or_404(visible_cases(user), pk=pk)


def case_role(user, case) -> str | None:
    """``"administrator"``, the user's :class:`CaseMembership.Role` on ``case``, or None."""
    if is_administrator(user):
        return ADMINISTRATOR
    if user is None or not user.is_authenticated:
        return None
    case_id = case if isinstance(case, int) else case.pk
    # remembered on the user object, i.e. for one request (request.user is made per request)
    roles = user.__dict__.setdefault("_habeas_case_roles", {})
    if case_id not in roles:
        roles[case_id] = (CaseMembership.objects.filter(case_id=case_id, user=user)
                          .values_list("role", flat=True).first())
    return roles[case_id]


def privileged_cases(user) -> QuerySet[Case]:
    """Cases whose privileged material ``user`` may see: all for administrators, else the cases
    on which the user is a member with the attorney role."""
    if user is None or not user.is_authenticated:
        return Case.objects.none()
    if is_administrator(user):
        return Case.objects.all()
    return Case.objects.filter(memberships__user=user, memberships__role=CaseMembership.Role.ATTORNEY).distinct()


def can_see_privileged(user, case) -> bool:
    """May ``user`` see (and write) privileged notes and documents of ``case``?"""
    if is_administrator(user):
        return True
    return case_role(user, case) == CaseMembership.Role.ATTORNEY


def visible_notes(user, case, qs=None) -> QuerySet:
    """The notes of ``case`` that ``user`` may read (``qs``: a Note queryset to narrow)."""
    from habeas.cases.models import Note

    return _narrow(Note.objects.all() if qs is None else qs, user, case)


def visible_documents(user, case=None, qs=None) -> QuerySet:
    """Documents ``user`` may read, of ``case`` or of every case they may see (``qs``: a
    Document queryset to narrow)."""
    from habeas.documents.models import Document

    qs = Document.objects.all() if qs is None else qs
    if case is not None:
        return _narrow(qs, user, case)
    if is_administrator(user):
        return qs
    return qs.filter(case__in=visible_cases(user).values("pk")).filter(
        Q(privileged=False) | Q(case__in=privileged_cases(user).values("pk")))


def _narrow(qs, user, case):
    role = case_role(user, case)
    if role is None:  # not on the case: nothing
        return qs.none()
    qs = qs.filter(case=case)
    return qs if role in (ADMINISTRATOR, CaseMembership.Role.ATTORNEY) else qs.filter(privileged=False)
