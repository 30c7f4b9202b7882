"""Which filings toll § 2244(d)(2), and filings whose status contradicts their dates.

Worked by hand for every case below: judgment final 2023-02-28 (Tuesday); the trigger day is
excluded, so the untolled one-year period ends on the anniversary, 2024-02-28 (Wednesday, a
business day). A state application pending 2023-06-01 through 2023-06-30 tolls 30 days (both
days counted): 2024-02-28 + 30 days = 2024-03-29 (2024 is a leap year: 02-29 is day 1, 03-29
day 30), a Friday.
"""

import datetime as dt

import pytest
from django.urls import reverse

from habeas.deadlines.engine import AedpaInput
from habeas.deadlines.forms import FilingForm
from habeas.deadlines.models import Deadline, Filing
from habeas.deadlines.services import aedpa_for_case, state_petitions_of

pytestmark = pytest.mark.django_db
D = dt.date
UNTOLLED = D(2024, 2, 28)
TOLLED_30 = D(2024, 3, 29)


def compute(case):
    return aedpa_for_case(case, AedpaInput(judgment_final=D(2023, 2, 28)))


def form(**data):
    base = {"kind": "state_habeas", "filed_on": "2023-06-01", "status": "decided", "decided_on": "2023-06-30",
            "outcome": "denied"}
    base.update(data)
    return FilingForm(data={k: v for k, v in base.items() if v is not None})


# Form: kinds that may toll.

@pytest.mark.parametrize("kind", ["federal_habeas", "clemency", "commutation", "pardon", "executive_order", "other"])
def test_form_refuses_tolling_on_a_kind_that_does_not_toll(kind):
    f = form(kind=kind, tolls_aedpa="on")
    assert not f.is_valid()
    assert list(f.errors) == ["tolls_aedpa"]
    msg = f.errors["tolls_aedpa"][0]
    assert "§ 2244(d)(2)" in msg and "Duncan v. Walker, 533 U.S. 167 (2001)" in msg


@pytest.mark.parametrize("kind", ["federal_habeas", "clemency", "pardon", "executive_order"])
def test_form_accepts_those_kinds_without_tolling(kind):
    f = form(kind=kind)
    assert f.is_valid(), f.errors
    assert f.cleaned_data["tolls_aedpa"] is False


@pytest.mark.parametrize("kind", ["state_habeas", "dna_motion"])
@pytest.mark.parametrize("ticked", [True, False])
def test_form_keeps_the_users_choice_on_state_kinds(kind, ticked):
    f = form(kind=kind, tolls_aedpa="on" if ticked else None)
    assert f.is_valid(), f.errors
    assert f.cleaned_data["tolls_aedpa"] is ticked


# Form: contradictory status.

def test_form_refuses_decided_without_decision_date():
    f = form(decided_on=None, outcome=None, tolls_aedpa="on")
    assert not f.is_valid()
    assert list(f.errors) == ["decided_on"] and "date of the decision" in f.errors["decided_on"][0]


def test_form_refuses_pending_with_decision_date():
    f = form(status="filed", outcome=None)
    assert not f.is_valid()
    assert list(f.errors) == ["decided_on"] and "still pending" in f.errors["decided_on"][0]


def test_form_refuses_tolling_without_filing_date():
    f = form(status="draft", filed_on=None, decided_on=None, outcome=None, tolls_aedpa="on")
    assert not f.is_valid()
    assert list(f.errors) == ["filed_on"] and "needs the day it was filed" in f.errors["filed_on"][0]


def test_form_accepts_consistent_statuses():
    assert form(status="filed", decided_on=None, outcome=None, tolls_aedpa="on").is_valid()
    assert form(status="draft", filed_on=None, decided_on=None, outcome=None).is_valid()


def test_web_form_refuses_federal_petition_marked_tolling(client_in, case):
    resp = client_in.post(reverse("deadlines:filing-add", args=[case.pk]), {
        "kind": "federal_habeas", "filed_on": "2023-06-01", "status": "filed", "tolls_aedpa": "on"})
    assert resp.status_code == 200 and "Duncan v. Walker" in resp.context["form"].errors["tolls_aedpa"][0]
    assert not Filing.objects.exists()


# Computation: stored filings (saved without validation, e.g. through the API or the admin).

def test_pending_federal_petition_marked_tolling_is_ignored(case):
    # Before the fix: status "tolling", no date. Now: no tolling, the untolled 2024-02-28, and a warning.
    Filing.objects.create(case=case, kind="federal_habeas", filed_on=D(2023, 6, 1), status="filed", tolls_aedpa=True)
    d, result = compute(case)
    assert result.status == "computed" and d.due_on == UNTOLLED
    assert result.tolling == [] and result.tolled_days == 0
    assert any("Duncan v. Walker" in w and "not counted" in w for w in d.explanation["warnings"])


@pytest.mark.parametrize("kind", ["clemency", "commutation", "pardon", "executive_order"])
def test_executive_applications_marked_tolling_are_ignored(case, kind):
    Filing.objects.create(case=case, kind=kind, filed_on=D(2023, 6, 1), status="decided",
                          decided_on=D(2023, 6, 30), tolls_aedpa=True)
    d, result = compute(case)
    assert d.due_on == UNTOLLED and result.tolled_days == 0
    assert len(result.warnings) == 1 and "§ 2244(d)(2)" in result.warnings[0]


def test_state_petition_tolls_and_the_federal_one_beside_it_does_not(case):
    Filing.objects.create(case=case, kind="state_habeas", filed_on=D(2023, 6, 1), status="decided",
                          decided_on=D(2023, 6, 30), tolls_aedpa=True)
    Filing.objects.create(case=case, kind="federal_habeas", filed_on=D(2023, 8, 1), status="filed", tolls_aedpa=True)
    d, result = compute(case)
    assert d.due_on == TOLLED_30 and result.tolled_days == 30
    assert len(result.warnings) == 1 and "Federal habeas" in result.warnings[0]


def test_dna_motion_marked_tolling_tolls(case):
    Filing.objects.create(case=case, kind="dna_motion", filed_on=D(2023, 6, 1), status="decided",
                          decided_on=D(2023, 6, 30), tolls_aedpa=True)
    d, result = compute(case)
    assert d.due_on == TOLLED_30 and result.warnings == []


def test_dna_motion_not_marked_does_not_toll(case):
    Filing.objects.create(case=case, kind="dna_motion", filed_on=D(2023, 6, 1), status="decided",
                          decided_on=D(2023, 6, 30), tolls_aedpa=False)
    d, result = compute(case)
    assert d.due_on == UNTOLLED and result.warnings == []


@pytest.mark.parametrize("fields,needle", [
    # Decided with no decision date: before the fix, pending for ever (status "tolling").
    ({"status": "decided", "filed_on": D(2023, 6, 1)}, "date of the decision"),
    # Pending with a decision date: contradictory, which date ends the tolling is unknown.
    ({"status": "filed", "filed_on": D(2023, 6, 1), "decided_on": D(2023, 6, 30)}, "still pending"),
    # Marked tolling with no filing date: before the fix, silently left out.
    ({"status": "filed"}, "needs the day it was filed"),
])
def test_contradictory_stored_filing_is_skipped_with_a_warning(case, fields, needle):
    f = Filing.objects.create(case=case, kind="state_habeas", tolls_aedpa=True, **fields)
    d, result = compute(case)
    assert result.status == "computed" and d.due_on == UNTOLLED and result.tolled_days == 0
    assert len(result.warnings) == 1
    assert f"#{f.pk}" in result.warnings[0] and needle in result.warnings[0]
    assert f"WARNING: filing State habeas corpus petition #{f.pk}" in result.explanation()
    assert state_petitions_of(case) == []


def test_warning_shown_on_the_deadline_page(client_in, case):
    Filing.objects.create(case=case, kind="federal_habeas", filed_on=D(2023, 6, 1), status="filed", tolls_aedpa=True)
    client_in.post(reverse("deadlines:aedpa", args=[case.pk]), {"judgment_final": "2023-02-28", "use_filings": "on"})
    d = Deadline.objects.get(case=case, rule_id="federal:aedpa")
    assert d.due_on == UNTOLLED
    page = client_in.get(d.get_absolute_url()).content.decode()
    assert "Duncan v. Walker" in page and "not counted" in page
