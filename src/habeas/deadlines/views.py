"""Deadline pages (login required) and calendar feeds (authenticated by the user's secret token)."""

from __future__ import annotations


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from habeas.deadlines import ical, services
from habeas.deadlines.engine import InputError
from habeas.deadlines.forms import AedpaForm, DeadlineForm, FilingForm, PeriodForm
from habeas.deadlines.models import CalendarToken, Deadline
from habeas.deadlines.rules import RuleFileError, jurisdictions
from habeas.web.access import get_case_for, visible_cases


def _within(request) -> int:
    try:
        return max(0, min(365, int(request.GET.get("within", services.DEFAULT_WITHIN))))
    except ValueError:
        return services.DEFAULT_WITHIN


@login_required
def dashboard(request):
    """Open deadlines of the user's cases: overdue, due within N days (highlighted), later, unknown."""
    within = _within(request)
    mine = request.GET.get("mine") == "1"
    qs = services.upcoming_for_user(request.user)
    if mine:
        qs = qs.filter(assignee=request.user)
    rows = services.annotate(qs, within=within)
    return render(request, "deadlines/dashboard.html", {
        "rows": [r for r in rows if r["state"] != "unknown"],
        "unknown": [r for r in rows if r["state"] == "unknown"],
        "within": within, "mine": mine,
        "soon_count": sum(r["state"] in ("soon", "overdue") for r in rows),
    })


@login_required
def case_deadlines(request, case_pk):
    case = get_case_for(request.user, case_pk)
    rows = services.annotate(case.deadlines.select_related("assignee", "filing"), within=_within(request))
    return render(request, "deadlines/case.html", {
        "case": case, "rows": rows, "filings": case.filings.prefetch_related("documents"),
        "within": _within(request),
    })


@login_required
def filing_add(request, case_pk, pk=None):
    case = get_case_for(request.user, case_pk)
    instance = get_object_or_404(case.filings, pk=pk) if pk else None
    form = FilingForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        filing = form.save(commit=False)
        filing.case = case
        filing.full_clean()
        filing.save()
        messages.success(request, f"Filing saved: {filing}.")
        return redirect("deadlines:case", case_pk=case.pk)
    return render(request, "web/form.html", {
        "form": form, "case": case, "title": "Edit filing" if instance else "Add a filing",
        "back_url": reverse("deadlines:case", args=[case.pk]),
        "intro": "A state post-conviction application that was properly filed tolls the federal one-year period "
                 "while it is pending (28 U.S.C. § 2244(d)(2)): tick the box so the AEDPA computation counts it.",
    })


def filing_edit(request, case_pk, pk):
    return filing_add(request, case_pk, pk)


@login_required
def deadline_add(request, case_pk):
    case = get_case_for(request.user, case_pk)
    form = DeadlineForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        d = form.save(commit=False)
        d.case, d.source, d.created_by = case, Deadline.Source.MANUAL, request.user
        d.remind_days = form.cleaned_data["reminders"]
        d.save()
        messages.success(request, f"Deadline added: {d}.")
        return redirect("deadlines:case", case_pk=case.pk)
    return render(request, "web/form.html", {
        "form": form, "case": case, "title": "Add a deadline by hand",
        "back_url": reverse("deadlines:case", args=[case.pk]),
        "intro": "For dates set by a court order, a scheduling order or a rule not in the rule files. "
                 "Give the source in the citation field.",
    })


@login_required
def aedpa_compute(request, case_pk):
    case = get_case_for(request.user, case_pk)
    existing = case.deadlines.filter(rule_id="federal:aedpa", source=Deadline.Source.COMPUTED).first()
    initial = {"use_filings": True}
    if existing:
        initial.update({k: v for k, v in existing.inputs.items() if k != "state_petitions" and v})
    form = AedpaForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            deadline, result = services.aedpa_for_case(case, form.facts(), user=request.user,
                                                       use_filings=c["use_filings"])
        except InputError as exc:  # e.g. a filing of the case decided before it was filed
            form.add_input_errors(exc)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            if result.status == "unknown":
                messages.warning(request, "No date computed: " + " ".join(result.unknown))
            return redirect(deadline.get_absolute_url())
    return render(request, "web/form.html", {
        "form": form, "case": case, "title": "Compute the AEDPA one-year period",
        "back_url": reverse("deadlines:case", args=[case.pk]),
        "intro": "28 U.S.C. § 2244(d)(1): the period runs from the latest of triggers (A)–(D). Give the dates you "
                 "know; an unknown date is reported as unknown, never guessed.",
    })


@login_required
def period_compute(request, case_pk):
    case = get_case_for(request.user, case_pk)
    form = PeriodForm(request.POST if request.method == "POST" else None, case=case)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            d, _ = services.period_for_case(case, c["rule"], c["trigger_date"], filing=c["filing"], user=request.user)
        except InputError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(d.get_absolute_url())
    return render(request, "web/form.html", {
        "form": form, "case": case, "title": "Compute a response time",
        "back_url": reverse("deadlines:case", args=[case.pk]),
    })


def _deadline_for(user, pk) -> Deadline:
    return get_object_or_404(Deadline.objects.select_related("case", "filing", "assignee"),
                             pk=pk, case__in=visible_cases(user))


@login_required
def deadline_detail(request, pk):
    d = _deadline_for(request.user, pk)
    return render(request, "deadlines/detail.html", {
        "deadline": d, "case": d.case, "x": d.explanation, "days_left": d.days_left(),
        "statuses": Deadline.Status.choices,
    })


@login_required
@require_POST
def deadline_status(request, pk):
    d = _deadline_for(request.user, pk)
    status = request.POST.get("status")
    if status in Deadline.Status.values:
        d.status = status
        d.save(update_fields=["status", "updated_at"])
        messages.success(request, f"Marked {d.get_status_display().lower()}.")
    return redirect(d.get_absolute_url())


@login_required
def rules_index(request):
    try:
        jurs, error = list(jurisdictions().values()), None
    except RuleFileError as exc:
        jurs, error = [], str(exc)
    return render(request, "deadlines/rules.html", {"jurisdictions": jurs, "error": error})


@login_required
def calendar_settings(request):
    token = CalendarToken.for_user(request.user)
    if request.method == "POST" and request.POST.get("rotate"):
        token.rotate()
        messages.success(request, "New calendar address made; the old addresses no longer work.")
        return redirect("deadlines:calendar")
    feed = request.build_absolute_uri(reverse("deadlines:feed-user", args=[token.token]))
    cases = [(c, request.build_absolute_uri(reverse("deadlines:feed-case", args=[token.token, c.pk])))
             for c in visible_cases(request.user).order_by("caption")]
    return render(request, "deadlines/calendar.html", {"feed": feed, "cases": cases})


def _token_user(token: str):
    tok = CalendarToken.objects.select_related("user").filter(token=token).first()
    if tok is None or not tok.user.is_active:
        raise Http404("no such calendar")
    return tok.user


def _ics(data: bytes, filename: str) -> HttpResponse:
    resp = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    resp["Content-Disposition"] = f'inline; filename="{filename}"'
    resp["Cache-Control"] = "private, max-age=300"
    resp["X-Robots-Tag"] = "noindex"
    return resp


def feed_user(request, token):
    """All open deadlines of the token owner's cases."""
    user = _token_user(token)
    qs = services.upcoming_for_user(user)
    base = request.build_absolute_uri("/").rstrip("/")
    return _ics(ical.build_calendar(qs, name=f"habeas deadlines — {user.get_username()}", base_url=base),
                "habeas-deadlines.ics")


def feed_case(request, token, case_pk):
    user = _token_user(token)
    case = get_case_for(user, case_pk)
    qs = services.open_deadlines(visible_cases(user).filter(pk=case.pk))
    base = request.build_absolute_uri("/").rstrip("/")
    return _ics(ical.build_calendar(qs, name=f"habeas deadlines — {case.caption}", base_url=base),
                f"habeas-case-{case.pk}.ics")
