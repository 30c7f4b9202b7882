"""Filings, deadlines and the dashboard through the web UI; template tags."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse

from habeas.deadlines.models import Deadline, Filing

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.mark.parametrize("name,args", [
    ("deadlines:dashboard", []), ("deadlines:rules", []), ("deadlines:calendar", []),
    ("deadlines:case", [1]), ("deadlines:aedpa", [1]), ("deadlines:deadline-add", [1]),
    ("deadlines:filing-add", [1]), ("deadlines:deadline-detail", [1]), ("petitions:case", [1]),
])
def test_login_required(client, name, args):
    resp = client.get(reverse(name, args=args))
    assert resp.status_code == 302 and "/login/" in resp["Location"]


def test_aedpa_from_case_filings(client_in, case):
    # A properly filed state habeas petition, pending 2023-06-01..2023-06-30 (30 days), tolls the period.
    resp = client_in.post(reverse("deadlines:filing-add", args=[case.pk]), {
        "kind": "state_habeas", "title": "Petition for writ of habeas corpus", "court_or_office": "Superior Court",
        "filed_on": "2023-06-01", "status": "decided", "decided_on": "2023-06-30", "outcome": "denied",
        "tolls_aedpa": "on"})
    assert resp.status_code == 302
    assert Filing.objects.get(case=case).tolls_aedpa
    resp = client_in.post(reverse("deadlines:aedpa", args=[case.pk]),
                          {"judgment_final": "2023-02-28", "use_filings": "on"})
    d = Deadline.objects.get(case=case, rule_id="federal:aedpa")
    # 2024-02-28 + 30 days = 2024-03-29 (Friday: 2024-03-03 is a Sunday → 03-29 Friday).
    assert d.due_on == D(2024, 3, 29)
    assert resp["Location"] == d.get_absolute_url()
    page = client_in.get(d.get_absolute_url()).content.decode()
    assert "How it was computed" in page and "28 U.S.C. § 2244(d)(1)–(2)" in page
    assert "Tolled 2023-06-01 through 2023-06-30" in page
    # Recomputing replaces the same deadline (stable calendar UID).
    uid = d.uid
    client_in.post(reverse("deadlines:aedpa", args=[case.pk]), {"judgment_final": "2023-03-01", "use_filings": "on"})
    d2 = Deadline.objects.get(case=case, rule_id="federal:aedpa")
    assert d2.uid == uid and d2.due_on == D(2024, 4, 1)  # 2024-03-01 + 30 = 03-31 (Sunday) → Monday 04-01


def test_unknown_trigger_is_recorded_as_unknown(client_in, case):
    # (D) known, (A) not: no date is computed, and the deadline is recorded as unknown.
    client_in.post(reverse("deadlines:aedpa", args=[case.pk]), {"factual_predicate": "2021-08-10", "use_filings": "on"})
    d = Deadline.objects.get(case=case)
    assert d.due_on is None
    page = client_in.get(d.get_absolute_url()).content.decode()
    assert "Due date unknown" in page and "is not known" in page
    dash = client_in.get(reverse("deadlines:dashboard")).content.decode()
    assert "cannot be computed yet" in dash


def test_manual_deadline_and_dashboard_highlight(client_in, case, member, today):
    resp = client_in.post(reverse("deadlines:deadline-add", args=[case.pk]), {
        "title": "Reply brief", "due_on": (today + dt.timedelta(days=5)).isoformat(),
        "citation": "Scheduling order", "assignee": member.pk, "reminders": "10, 2"})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    d = Deadline.objects.get(title="Reply brief")
    assert d.source == "manual" and d.remind_days == [10, 2]
    Deadline.objects.create(case=case, title="Far away", due_on=today + dt.timedelta(days=200))
    page = client_in.get(reverse("deadlines:dashboard")).content.decode()
    assert 'class="dl-row-soon"' in page and "in 5 days" in page
    assert 'class="dl-row-later"' in page
    assert "1</strong> overdue or due within 14 days" in page
    page = client_in.get(reverse("deadlines:dashboard") + "?within=365").content.decode()
    assert "2</strong> overdue or due within 365 days" in page


def test_manual_deadline_needs_a_date(client_in, case):
    resp = client_in.post(reverse("deadlines:deadline-add", args=[case.pk]), {"title": "x", "reminders": ""})
    assert resp.status_code == 200 and not Deadline.objects.exists()


def test_other_teams_cases_are_hidden(client, outsider, case):
    d = Deadline.objects.create(case=case, title="Secret", due_on=D(2030, 1, 1))
    client.force_login(outsider)
    assert client.get(reverse("deadlines:case", args=[case.pk])).status_code == 404
    assert client.get(d.get_absolute_url()).status_code == 404
    assert "Secret" not in client.get(reverse("deadlines:dashboard")).content.decode()


def test_status_change(client_in, case):
    d = Deadline.objects.create(case=case, title="File it", due_on=D(2030, 1, 1))
    client_in.post(reverse("deadlines:deadline-status", args=[d.pk]), {"status": "done"})
    d.refresh_from_db()
    assert d.status == "done"


def test_period_rule_from_ui(client_in, case):
    client_in.post(reverse("deadlines:period", args=[case.pk]),
                   {"rule": "california:pc1405-writ", "trigger_date": "2026-03-11"})
    d = Deadline.objects.get(case=case)
    assert d.due_on == D(2026, 4, 1)  # see test_engine: Cesar Chavez Day roll-forward


def test_rules_page_lists_citations(client_in):
    page = client_in.get(reverse("deadlines:rules")).content.decode()
    assert "28 U.S.C. § 2244(d)(1)(D)" in page and "Pen. Code § 4804" in page and "verify" in page


def test_template_tags(case, member, today):
    Deadline.objects.create(case=case, title="Soon one", due_on=today + dt.timedelta(days=3))
    Deadline.objects.create(case=case, title="Unknown one", source="computed")
    html = Template("{% load deadline_tags %}{% case_deadlines case %}").render(Context({"case": case}))
    assert "Soon one" in html and "Compute AEDPA period" in html and "dl-row-soon" in html
    html = Template("{% load deadline_tags %}{% upcoming_deadlines user %}").render(Context({"user": member}))
    assert "Soon one" in html and "People v. Roe" in html and "1 with an unknown date" in html


def test_case_page_lists_filings_and_documents(client_in, case):
    from habeas.deadlines.models import FilingDocument

    f = Filing.objects.create(case=case, kind="dna_motion", title="Motion for DNA testing (§ 1405)",
                              court_or_office="Superior Court", filed_on=D(2025, 1, 6), status="filed")
    FilingDocument.objects.create(filing=f, title="Declaration of the lab director", pages=4)
    page = client_in.get(reverse("deadlines:case", args=[case.pk])).content.decode()
    assert "Motion for DNA testing (§ 1405)" in page and "Declaration of the lab director (4 pp.)" in page
    assert "Filed, pending" in page


def test_filing_decided_before_filed_is_refused(case):
    from django.core.exceptions import ValidationError

    f = Filing(case=case, kind="state_habeas", filed_on=D(2025, 2, 1), decided_on=D(2025, 1, 1))
    with pytest.raises(ValidationError):
        f.full_clean()


def _computed(client_in, case):
    """An AEDPA deadline computed through the form: final 2023-02-28 → due 2024-02-28 (see test_engine)."""
    client_in.post(reverse("deadlines:aedpa", args=[case.pk]), {"judgment_final": "2023-02-28", "use_filings": "on"})
    d = Deadline.objects.get(case=case, rule_id="federal:aedpa")
    assert d.due_on == D(2024, 2, 28)
    return d


def _snapshot(d):
    d.refresh_from_db()
    return (d.due_on, d.inputs, d.explanation, d.updated_at)


@pytest.mark.parametrize("data", [
    {},                                                       # nothing at all
    {"use_filings": "on"},                                    # the blank form as a browser sends it
    {"judgment_final": "", "cert_decided": "", "use_filings": "on", "unknown_triggers": ["D"]},
    {"factual_predicate": "2021-08-10", "use_filings": "on"},  # (A) missing: would be "unknown"
    {"judgment_final": "not a date"},
    {"direct_review_decided": "2020-01-01", "cert_decided": "2019-01-01"},
    {"judgment_final": "2099-01-01"},
])
def test_empty_or_invalid_aedpa_submission_changes_nothing(client_in, case, data):
    d = _computed(client_in, case)
    before = _snapshot(d)
    resp = client_in.post(reverse("deadlines:aedpa", args=[case.pk]), data)
    assert resp.status_code == 200  # the form again, with its errors
    assert 'role="alert"' in resp.content.decode() or "field-error" in resp.content.decode()
    assert _snapshot(d) == before
    assert Deadline.objects.filter(case=case).count() == 1


def test_empty_aedpa_form_creates_nothing(client_in, case):
    resp = client_in.post(reverse("deadlines:aedpa", args=[case.pk]), {"use_filings": "on"})
    assert resp.status_code == 200 and "Enter at least one date" in resp.content.decode()
    assert not Deadline.objects.exists()


def test_impossible_aedpa_dates_are_field_errors(client_in, case):
    resp = client_in.post(reverse("deadlines:aedpa", args=[case.pk]),
                          {"direct_review_decided": "2020-01-01", "cert_decided": "2019-01-01"})
    form = resp.context["form"]
    assert list(form.errors) == ["cert_decided"]
    assert "must come after the state high court" in form.errors["cert_decided"][0]
    resp = client_in.post(reverse("deadlines:aedpa", args=[case.pk]),
                          {"judgment_final": "2020-01-01", "direct_review_decided": "2021-01-01"})
    assert list(resp.context["form"].errors) == ["judgment_final"]
    resp = client_in.post(reverse("deadlines:aedpa", args=[case.pk]), {"judgment_final": "2099-01-01"})
    assert "is after today" in resp.context["form"].errors["judgment_final"][0]
    assert not Deadline.objects.exists()


def test_inconsistent_stored_filing_is_a_form_error(client_in, case):
    # Saved without validation (e.g. through the API): decided before filed.
    Filing.objects.create(case=case, kind="state_habeas", filed_on=D(2023, 6, 1), decided_on=D(2023, 5, 1),
                          tolls_aedpa=True)
    resp = client_in.post(reverse("deadlines:aedpa", args=[case.pk]), {"judgment_final": "2023-02-28", "use_filings": "on"})
    assert resp.status_code == 200
    assert "cannot be decided earlier" in resp.context["form"].non_field_errors()[0]
    assert not Deadline.objects.exists()


def test_filing_form_refuses_future_decision(client_in, case, today):
    future = (today + dt.timedelta(days=1)).isoformat()
    resp = client_in.post(reverse("deadlines:filing-add", args=[case.pk]), {
        "kind": "state_habeas", "filed_on": "2023-06-01", "status": "decided", "decided_on": future})
    assert resp.status_code == 200 and "decided_on" in resp.context["form"].errors
    resp = client_in.post(reverse("deadlines:filing-add", args=[case.pk]), {
        "kind": "state_habeas", "filed_on": future, "status": "filed"})
    assert "filed_on" in resp.context["form"].errors
    assert not Filing.objects.exists()


def test_period_trigger_after_today_is_a_field_error(client_in, case, today):
    resp = client_in.post(reverse("deadlines:period", args=[case.pk]),
                          {"rule": "california:pc1405-writ", "trigger_date": (today + dt.timedelta(days=1)).isoformat()})
    assert "trigger_date" in resp.context["form"].errors
    assert not Deadline.objects.exists()
