"""Deadlines on cases: AEDPA from the case's filings, rule-based periods, upcoming lists."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from habeas.deadlines.engine import TOLLING, UNKNOWN, AedpaInput, DeadlineResult, compute_aedpa, compute_period
from habeas.deadlines.models import Deadline, Filing

DEFAULT_WITHIN = 14  # days: "due soon" highlight on the dashboard


def tolling_filings_of(case) -> tuple[list[tuple[dt.date, dt.date | None]], list[str]]:
    """Pending periods of the case's filings marked as tolling § 2244(d)(2), and a warning for
    each marked filing that cannot be used (a kind that does not toll, no filing date, a status
    contradicting its decision date — e.g. saved through the API or the admin): it is left out."""
    periods, warnings = [], []
    for f in case.filings.filter(tolls_aedpa=True).order_by("filed_on", "pk"):
        problems = f.aedpa_problems()
        if problems:
            name = f"{f.get_kind_display()} #{f.pk}" + (f" filed {f.filed_on.isoformat()}" if f.filed_on else "")
            warnings.append(f"filing {name} is marked as tolling but is not counted: "
                            + " ".join(m for _, m in problems) + " Correct the filing and recompute.")
            continue
        periods.append((f.filed_on, f.decided_on))
    return periods, warnings


def state_petitions_of(case) -> list[tuple[dt.date, dt.date | None]]:
    """Pending periods of the case's filings that toll § 2244(d)(2) (unusable ones left out)."""
    return tolling_filings_of(case)[0]


class DeadlineKept(ValueError):
    """A computation that would replace a stored date with "unknown": refused, nothing saved."""


def aedpa_for_case(case, facts: AedpaInput, *, user=None, use_filings: bool = True) -> tuple[Deadline, DeadlineResult]:
    """Compute the § 2244(d) deadline of ``case`` and save it (replacing the earlier computation).

    Nothing is saved when the facts are impossible (:class:`~habeas.deadlines.engine.InputError`)
    or when the result is unknown while the stored computation has a date or a tolling status
    (:class:`DeadlineKept`): an incomplete submission never erases a computed deadline."""
    skipped: list[str] = []
    if use_filings:
        periods, skipped = tolling_filings_of(case)
        facts.state_petitions = list(facts.state_petitions) + periods
    result = compute_aedpa(facts)
    result.warnings.extend(skipped)
    existing = case.deadlines.filter(source=Deadline.Source.COMPUTED, rule_id=result.rule_id, filing=None).first()
    if (existing is not None and result.status == UNKNOWN
            and (existing.due_on is not None or existing.explanation.get("status") == TOLLING)):
        kept = existing.due_on.isoformat() if existing.due_on else "tolling"
        raise DeadlineKept(f"No date can be computed from these facts ({' '.join(result.unknown)}) The stored "
                           f"deadline ({kept}) is left unchanged; to retire it, mark it as no longer applying.")
    new = Deadline.from_result(case, result, title="Federal habeas petition (§ 2254) — AEDPA one-year period",
                               inputs=facts.to_dict(), created_by=user)
    if existing:
        for f in ("due_on", "rule_version", "citation", "inputs", "explanation", "title"):
            setattr(existing, f, getattr(new, f))
        existing.save()
        return existing, result
    new.save()
    return new, result


def period_for_case(case, rule_id: str, trigger_date: dt.date | None, *, filing: Filing | None = None,
                    user=None, title: str = "") -> tuple[Deadline, DeadlineResult]:
    result = compute_period(rule_id, trigger_date)
    d = Deadline.from_result(case, result, title=title or result.rule_title, filing=filing,
                             inputs={"trigger_date": trigger_date.isoformat() if trigger_date else None},
                             created_by=user)
    d.save()
    return d, result


def open_deadlines(cases: QuerySet) -> QuerySet[Deadline]:
    return (Deadline.objects.filter(case__in=cases, status=Deadline.Status.OPEN)
            .select_related("case", "assignee", "filing"))


def upcoming_for_user(user, *, today: dt.date | None = None, horizon_days: int | None = None) -> QuerySet[Deadline]:
    """Open deadlines on the cases ``user`` may see (unknown dates last)."""
    from habeas.web.access import visible_cases

    qs = open_deadlines(visible_cases(user))
    if horizon_days is not None:
        today = today or dt.date.today()
        qs = qs.filter(due_on__lte=today + dt.timedelta(days=horizon_days))
    return qs


def annotate(deadlines, *, today: dt.date | None = None, within: int = DEFAULT_WITHIN) -> list[dict]:
    """Rows for templates: deadline, days left, and a state (overdue, soon, later, unknown)."""
    today = today or dt.date.today()
    rows = []
    for d in deadlines:
        left = d.days_left(today)
        if left is None:
            state = "unknown"
        elif left < 0:
            state = "overdue"
        elif left <= within:
            state = "soon"
        else:
            state = "later"
        rows.append({"deadline": d, "days_left": left, "state": state,
                     "overdue_by": -left if left is not None and left < 0 else None})
    return rows
