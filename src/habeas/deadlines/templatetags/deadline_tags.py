"""Template tags for other pages: ``{% load deadline_tags %}`` then
``{% case_deadlines case %}`` (the case page) and ``{% upcoming_deadlines user %}`` (a dashboard)."""

from __future__ import annotations

from django import template

from habeas.deadlines import services

register = template.Library()


@register.inclusion_tag("deadlines/_case_deadlines.html")
def case_deadlines(case, within: int = services.DEFAULT_WITHIN):
    """Open deadlines of ``case``, soonest first, with links to compute and add more."""
    qs = case.deadlines.filter(status="open").select_related("assignee", "filing")
    return {"case": case, "rows": services.annotate(qs, within=within), "within": within}


@register.inclusion_tag("deadlines/_upcoming_deadlines.html")
def upcoming_deadlines(user, within: int = services.DEFAULT_WITHIN, limit: int = 10):
    """The user's next open deadlines (across the cases they may see); unknown dates counted apart."""
    rows = services.annotate(services.upcoming_for_user(user), within=within)
    dated = [r for r in rows if r["state"] != "unknown"]
    return {"rows": dated[:limit], "more": max(0, len(dated) - limit),
            "unknown_count": len(rows) - len(dated), "within": within}


@register.filter
def days_phrase(days_left):
    if days_left is None:
        return "date unknown"
    if days_left < 0:
        return f"{-days_left} day{'s' if days_left != -1 else ''} overdue"
    if days_left == 0:
        return "due today"
    return f"in {days_left} day{'s' if days_left != 1 else ''}"
