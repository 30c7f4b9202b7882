"""The deadline arithmetic. Every expected date is worked out by hand in the comments
(weekday of a date: from a known 1 January and the day count mod 7), never from the code."""

import datetime as dt

import pytest

from habeas.deadlines.engine import AedpaInput, compute_aedpa, compute_period, merge_periods
from habeas.deadlines.rules import get_rule

D = dt.date


def aedpa(**kw):
    return compute_aedpa(AedpaInput(**kw))


# --- federal holidays (5 U.S.C. § 6103, observed days) ----------------------------------------

def test_federal_holidays_2026_by_hand():
    cal = get_rule("federal:aedpa")[1].calendar
    h = cal.holidays(2026)
    # 2026-01-01 is a Thursday. July 1 is 181 days later (31+28+31+30+31+30); 181 mod 7 = 6 → Wednesday,
    # so July 4 is a Saturday and is observed on Friday July 3 (5 U.S.C. § 6103(b)).
    assert h[D(2026, 7, 3)] == "Independence Day (observed)"
    assert not cal.is_business_day(D(2026, 7, 3))
    # First Monday of January 2026 is Jan 5 → third Monday Jan 19 (MLK Day).
    assert h[D(2026, 1, 19)].startswith("Birthday of Martin Luther King")
    # Nov 1 2026: 304 days after Jan 1 (304 mod 7 = 3 → Sunday); first Thursday Nov 5 → fourth Nov 26.
    assert h[D(2026, 11, 26)] == "Thanksgiving Day"
    # May 1 2026: 120 days after Jan 1 → Friday; Mondays 4, 11, 18, 25 → Memorial Day May 25.
    assert h[D(2026, 5, 25)] == "Memorial Day"
    # Day after Thanksgiving is not a federal holiday.
    assert cal.is_business_day(D(2026, 11, 27))


def test_new_years_day_on_saturday_observed_the_year_before():
    cal = get_rule("federal:aedpa")[1].calendar
    # 2022-01-01 was a Saturday → observed Friday 2021-12-31.
    assert cal.holiday_name(D(2021, 12, 31)) == "New Year's Day (observed)"


def test_juneteenth_only_from_2021():
    cal = get_rule("federal:aedpa")[1].calendar
    # 2020-06-19: Jan 1 2020 Wednesday + 170 days (170 mod 7 = 2) → Friday, an ordinary business day then.
    assert cal.is_business_day(D(2020, 6, 19))
    # 2023-06-19 was a Monday and a holiday.
    assert cal.holiday_name(D(2023, 6, 19)) == "Juneteenth National Independence Day"


# --- AEDPA: anniversary method and leap years -------------------------------------------------

def test_trigger_2023_02_28_ends_on_anniversary_in_leap_year():
    # 2023-02-28 + 1 year = 2024-02-28. 2024-01-01 Monday + 58 days (58 mod 7 = 2) → Wednesday: stands.
    r = aedpa(judgment_final=D(2023, 2, 28))
    assert r.status == "computed"
    assert r.period_start == D(2023, 3, 1)
    assert r.due == D(2024, 2, 28)
    assert r.roll_forward == []
    assert not r.warnings


def test_trigger_2024_02_29_has_no_anniversary():
    # No 2025-02-29: the earlier reading, 2025-02-28. 2025-01-01 Wednesday + 58 days → Friday: stands.
    r = aedpa(judgment_final=D(2024, 2, 29))
    assert r.due == D(2025, 2, 28)
    assert any("no anniversary" in w for w in r.warnings)


def test_last_day_on_sunday_runs_to_monday():
    # 2024-03-02 + 1 year = 2025-03-02. 2025-02-28 is a Friday (above) → 03-01 Sat, 03-02 Sun → Mon 03-03.
    r = aedpa(judgment_final=D(2024, 3, 2))
    assert r.last_day == D(2025, 3, 2)
    assert r.due == D(2025, 3, 3)
    assert "2025-03-02 is a Sunday" in r.roll_forward[0]


def test_last_day_on_observed_july_4_holiday():
    # 2025-07-03 + 1 year = 2026-07-03: Friday, the observed Independence Day (July 4, 2026 is a Saturday).
    # 07-03 holiday, 07-04 Saturday, 07-05 Sunday → Monday 2026-07-06.
    r = aedpa(judgment_final=D(2025, 7, 3))
    assert r.due == D(2026, 7, 6)
    assert len(r.roll_forward) == 3
    assert "legal holiday (Independence Day (observed))" in r.roll_forward[0]


def test_pre_aedpa_judgment_gets_grace_period():
    # Final before 1996-04-24 → the period runs from 1996-04-24 and ends 1997-04-24 (Patterson v. Stewart).
    # 1997-01-01 Wednesday + 113 days (31+28+31+23; 113 mod 7 = 1) → Thursday: stands.
    r = aedpa(judgment_final=D(1995, 6, 1))
    assert r.due == D(1997, 4, 24)


def test_finality_from_state_high_court_decision_plus_90_days():
    # Decided 2023-03-15. +90 days: 16 to Mar 31, +30 April = 46, +31 May = 77, +13 → June 13.
    # 2023-01-01 Sunday + 163 days (163 mod 7 = 2) → Tuesday, no roll-forward: A = 2023-06-13.
    # Due 2024-06-13: 2024-01-01 Monday + 164 days (164 mod 7 = 3) → Thursday.
    r = aedpa(direct_review_decided=D(2023, 3, 15))
    assert r.trigger_date == D(2023, 6, 13)
    assert r.due == D(2024, 6, 13)
    assert "Sup. Ct. R. 13.1" in r.triggers[0].detail


def test_cert_denied_is_finality():
    r = aedpa(direct_review_decided=D(2023, 3, 15), cert_decided=D(2023, 10, 2))
    # 2024-10-02: 2024-01-01 Monday + 275 days (275 mod 7 = 2) → Wednesday.
    assert r.trigger_date == D(2023, 10, 2)
    assert r.due == D(2024, 10, 2)


def test_latest_trigger_runs():
    # (A) 2020-05-01, (D) 2021-08-10 → (D). 2022-08-10: 2022-01-01 Saturday + 221 days (221 mod 7 = 4) → Wednesday.
    r = aedpa(judgment_final=D(2020, 5, 1), factual_predicate=D(2021, 8, 10))
    assert r.trigger_key == "D"
    assert r.due == D(2022, 8, 10)
    assert [t.status for t in r.triggers] == ["earlier", "not claimed", "not claimed", "used"]


# --- AEDPA: statutory tolling ------------------------------------------------------------------

def test_overlapping_state_petitions_are_merged():
    # Pending 2023-06-01..06-30 and 06-20..07-10 → one period June 1 – July 10: 30 + 10 = 40 days.
    # 2024-02-28 + 40: Feb 29 (1), March 1–31 (32), April 1–8 (40) → 2024-04-08, a Monday
    # (2024-03-03 is a Sunday, so 03-31 Sunday, 04-08 Monday).
    r = aedpa(judgment_final=D(2023, 2, 28),
              state_petitions=[(D(2023, 6, 1), D(2023, 6, 30)), (D(2023, 6, 20), D(2023, 7, 10))])
    assert r.tolled_days == 40
    assert len(r.tolling) == 1 and r.tolling[0].merged_from == 2
    assert r.due == D(2024, 4, 8)


def test_separate_petitions_add_up_and_gap_is_not_tolled():
    # 2023-04-03..04-12 = 10 days; 2023-05-01..05-05 = 5 days; the gap between them runs. 15 days:
    # 2024-02-28 + 15 = 2024-03-14 (Thursday: 03-10 is a Sunday).
    r = aedpa(judgment_final=D(2023, 2, 28),
              state_petitions=[(D(2023, 5, 1), D(2023, 5, 5)), (D(2023, 4, 3), D(2023, 4, 12))])
    assert [t.days for t in r.tolling] == [10, 5]
    assert r.due == D(2024, 3, 14)


def test_back_to_back_petitions_merge():
    # Decided 04-12, next filed 04-13: one period 04-03..04-20 = 18 days.
    rows = merge_periods([(D(2023, 4, 3), D(2023, 4, 12)), (D(2023, 4, 13), D(2023, 4, 20))])
    assert len(rows) == 1 and rows[0].decided == D(2023, 4, 20)


def test_petition_pending_at_trigger_counts_only_after_trigger_day():
    # Filed 2022-10-01, decided 2023-03-10; trigger 2023-02-28 → tolled 03-01..03-10 = 10 days.
    # 2024-02-28 + 10 = 2024-03-09, a Saturday → Sunday 03-10 → Monday 2024-03-11.
    r = aedpa(judgment_final=D(2023, 2, 28), state_petitions=[(D(2022, 10, 1), D(2023, 3, 10))])
    assert r.tolling[0].counted_from == D(2023, 3, 1)
    assert r.tolled_days == 10
    assert r.last_day == D(2024, 3, 9)
    assert r.due == D(2024, 3, 11)


def test_petition_filed_after_expiry_does_not_revive():
    # Trigger 2020-01-15 → 2021-01-15, a Friday (2021-01-01 was a Friday). A petition filed 2021-02-01
    # comes after the period expired: no tolling.
    r = aedpa(judgment_final=D(2020, 1, 15), state_petitions=[(D(2021, 2, 1), D(2021, 5, 1))])
    assert r.tolled_days == 0
    assert r.tolling[0].status == "after expiry"
    assert "Ferguson v. Palmateer" in r.tolling[0].detail
    assert r.due == D(2021, 1, 15)


def test_petition_filed_on_rolled_forward_last_day_still_tolls():
    # Trigger 2024-03-02 → last day 2025-03-02 (Sunday) → due Monday 2025-03-03. A petition filed that
    # Monday is timely and tolls 03-03..03-12 = 10 days: 2025-03-02 + 10 = 2025-03-12 (Wednesday).
    r = aedpa(judgment_final=D(2024, 3, 2), state_petitions=[(D(2025, 3, 3), D(2025, 3, 12))])
    assert r.tolled_days == 10
    assert r.due == D(2025, 3, 12)


def test_pending_petition_reports_days_remaining():
    # Period begins 2023-03-01; filed 2023-06-01: March+April+May = 31+30+31 = 92 days used.
    # The period 2023-03-01..2024-02-28 has 365 days → 273 remain.
    r = aedpa(judgment_final=D(2023, 2, 28), state_petitions=[(D(2023, 6, 1), None)])
    assert r.status == "tolling"
    assert r.due is None
    assert r.remaining_days == 273


# --- unknown triggers ---------------------------------------------------------------------------

def test_unknown_finality_says_so():
    r = aedpa(factual_predicate=D(2021, 8, 10))
    assert r.status == "unknown"
    assert r.due is None
    assert "not known" in r.unknown[0]
    assert "DUE: unknown" in r.explanation()


def test_claimed_trigger_with_unknown_date_warns():
    r = aedpa(judgment_final=D(2023, 2, 28), unknown_triggers=("D",))
    assert r.due == D(2024, 2, 28)
    assert r.triggers[3].status == "unknown"
    assert any("(D) is claimed but its date is unknown" in w for w in r.warnings)


def test_decided_before_filed_is_refused():
    with pytest.raises(ValueError):
        aedpa(judgment_final=D(2023, 2, 28), state_petitions=[(D(2023, 6, 1), D(2023, 5, 1))])


# --- response times -------------------------------------------------------------------------------

def test_california_writ_period_skips_cesar_chavez_day():
    # 2026-03-11 + 20 days = 2026-03-31. 2026-01-01 Thursday + 89 days (89 mod 7 = 5) → Tuesday,
    # Cesar Chavez Day (a California court holiday in the rule file) → Wednesday 2026-04-01.
    r = compute_period("california:pc1405-writ", D(2026, 3, 11))
    assert r.last_day == D(2026, 3, 31)
    assert r.due == D(2026, 4, 1)
    assert any("verify" in w for w in r.warnings)


def test_federal_notice_of_appeal_skips_thanksgiving():
    # 2026-10-27 + 30 days: 4 to Oct 31, 26 more → Nov 26 = Thanksgiving → Friday Nov 27 (not a federal holiday).
    r = compute_period("federal:notice-of-appeal", D(2026, 10, 27))
    assert r.due == D(2026, 11, 27)


def test_period_with_unknown_trigger():
    r = compute_period("federal:cert-petition", None)
    assert r.status == "unknown" and r.due is None
    assert "not known" in r.unknown[0]


def test_explanation_names_rule_source_and_version():
    r = aedpa(judgment_final=D(2023, 2, 28))
    text = r.explanation()
    assert "28 U.S.C. § 2244(d)(1)–(2)" in text
    assert "rules version" in text
    d = r.to_dict()
    assert d["due"] == "2024-02-28" and d["triggers"][0]["date"] == "2023-02-28"


# --- impossible or future facts are refused ---------------------------------------------------------

from habeas.deadlines.engine import InputError  # noqa: E402

TODAY = D(2026, 11, 29)


def fields_of(exc) -> list[str]:
    return [f for f, _ in exc.value.errors]


def test_cert_decided_before_the_decision_it_reviews_is_refused():
    # The tester's case: it used to print "DUE: 2020-01-02" (cert date taken as finality, 2019-01-01 + 1 year
    # → New Year's Day → 2020-01-02).
    with pytest.raises(InputError) as e:
        compute_aedpa(AedpaInput(direct_review_decided=D(2020, 1, 1), cert_decided=D(2019, 1, 1)), today=TODAY)
    assert fields_of(e) == ["cert_decided"]
    assert "2019-01-01" in str(e.value) and "2020-01-01" in str(e.value)
    with pytest.raises(InputError):  # on the same day: no certiorari decision can follow that fast
        compute_aedpa(AedpaInput(direct_review_decided=D(2020, 1, 1), cert_decided=D(2020, 1, 1)), today=TODAY)


def test_judgment_final_before_direct_review_or_cert_is_refused():
    with pytest.raises(InputError) as e:
        compute_aedpa(AedpaInput(judgment_final=D(2020, 1, 1), direct_review_decided=D(2021, 1, 1)), today=TODAY)
    assert fields_of(e) == ["judgment_final"]
    with pytest.raises(InputError) as e:
        compute_aedpa(AedpaInput(judgment_final=D(2020, 1, 1), cert_decided=D(2020, 3, 2)), today=TODAY)
    assert fields_of(e) == ["judgment_final"]


def test_trigger_after_today_is_refused_today_itself_is_not():
    with pytest.raises(InputError) as e:
        compute_aedpa(AedpaInput(judgment_final=D(2099, 1, 1)), today=TODAY)
    assert fields_of(e) == ["judgment_final"] and "after today (2026-11-29)" in str(e.value)
    for name in ("direct_review_decided", "cert_decided", "impediment_removed", "new_right_recognized",
                 "factual_predicate"):
        with pytest.raises(InputError) as e:
            compute_aedpa(AedpaInput(judgment_final=D(2020, 1, 2), **{name: D(2026, 11, 30)}), today=TODAY)
        assert name in fields_of(e)
    # Final on "today" 2026-01-15 → 2027-01-15. 2027-01-01 is a Friday (2026-01-01 Thursday + 365 days,
    # 365 mod 7 = 1), so 01-15 is a Friday; MLK Day 2027 is the third Monday, 01-18: no roll-forward.
    r = compute_aedpa(AedpaInput(judgment_final=D(2026, 1, 15)), today=D(2026, 1, 15))
    assert r.due == D(2027, 1, 15)


def test_finality_derived_in_the_future_is_a_projection_and_allowed():
    # Decided 2026-11-01 (entered, in the past). +90: Nov 2–30 = 29, December 31 → 60, January 30 → 90:
    # 2027-01-30, a Saturday (2027-01-01 Friday + 29 days, 29 mod 7 = 1) → Sunday → Monday 2027-02-01.
    # Due 2028-02-01: 2028-01-01 is a Saturday (2027-01-01 Friday + 365 days) + 31 days (31 mod 7 = 3) → Tuesday.
    r = compute_aedpa(AedpaInput(direct_review_decided=D(2026, 11, 1)), today=TODAY)
    assert r.trigger_date == D(2027, 2, 1)
    assert r.due == D(2028, 2, 1)


def test_state_petition_dates_are_checked():
    base = dict(judgment_final=D(2023, 2, 28))
    with pytest.raises(InputError) as e:
        compute_aedpa(AedpaInput(**base, state_petitions=[(D(2023, 6, 1), D(2023, 5, 1))]), today=TODAY)
    assert fields_of(e) == ["state_petitions"] and "cannot be decided earlier" in str(e.value)
    with pytest.raises(InputError) as e:
        compute_aedpa(AedpaInput(**base, state_petitions=[(D(2026, 12, 1), None)]), today=TODAY)
    assert "filing date (2026-12-01) is after today" in str(e.value)
    with pytest.raises(InputError) as e:
        compute_aedpa(AedpaInput(**base, state_petitions=[(D(2026, 6, 1), D(2027, 1, 1))]), today=TODAY)
    assert "enter it as pending" in str(e.value)


def test_every_error_is_reported_at_once():
    with pytest.raises(InputError) as e:
        compute_aedpa(AedpaInput(judgment_final=D(2099, 1, 1), direct_review_decided=D(2020, 1, 1),
                                 cert_decided=D(2019, 1, 1)), today=TODAY)
    assert fields_of(e) == ["judgment_final", "cert_decided"]
    assert "\n" not in str(e.value)


def test_judgment_final_differing_from_the_other_dates_warns():
    # Cert denied 2023-10-02 gives finality 2023-10-02; the entered 2023-10-09 is used, with a warning.
    # 2024-10-09: 2024-01-01 Monday + 282 days (282 mod 7 = 2) → Wednesday.
    r = compute_aedpa(AedpaInput(judgment_final=D(2023, 10, 9), direct_review_decided=D(2023, 3, 15),
                                 cert_decided=D(2023, 10, 2)), today=TODAY)
    assert r.due == D(2024, 10, 9)
    assert any("differs from the finality the other dates give (2023-10-02" in w for w in r.warnings)
    # Consistent dates: no warning (2023-03-15 + 90 days = 2023-06-13, see above).
    r = compute_aedpa(AedpaInput(judgment_final=D(2023, 6, 13), direct_review_decided=D(2023, 3, 15)), today=TODAY)
    assert not r.warnings


def test_period_trigger_after_today_is_refused():
    with pytest.raises(InputError) as e:
        compute_period("federal:notice-of-appeal", D(2026, 11, 30), today=TODAY)
    assert fields_of(e) == ["trigger_date"]
    # 2026-11-29 + 30 days: Nov 30 (1), Dec 1–29 (30) → 2026-12-29, a Tuesday (12-25 Christmas is a Friday:
    # 2026-01-01 Thursday + 358 days, 358 mod 7 = 1).
    assert compute_period("federal:notice-of-appeal", TODAY, today=TODAY).due == D(2026, 12, 29)
