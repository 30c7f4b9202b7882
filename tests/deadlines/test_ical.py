"""iCalendar feeds: parsed back with icalendar, checked field by field; secret-token auth."""

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from habeas.deadlines.models import CalendarToken, Deadline

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def deadlines(case, other_case):
    long = ("Federal habeas petition (§ 2254) — AEDPA one-year period with a title long enough to need "
            "folding of its content line")
    a = Deadline.objects.create(case=case, title=long, due_on=D(2027, 3, 15), citation="28 U.S.C. § 2244(d)",
                                explanation={"steps": ["Step one.", "Step two."]}, remind_days=[30, 7, 1])
    b = Deadline.objects.create(case=case, title="No date yet", source="computed")
    c = Deadline.objects.create(case=other_case, title="Not mine", due_on=D(2027, 1, 1))
    return a, b, c


def parse(resp):
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(resp.content)


def test_user_feed(client, member, deadlines):
    a, _, _ = deadlines
    token = CalendarToken.for_user(member).token
    url = reverse("deadlines:feed-user", args=[token])
    resp = client.get(url)  # no login: the token authenticates
    raw = resp.content
    cal = parse(resp)
    assert cal["PRODID"] == "-//habeas//deadlines//EN"
    assert cal["VERSION"] == "2.0"
    events = cal.walk("VEVENT")
    assert len(events) == 1  # the undated deadline and the other team's case are left out
    ev = events[0]
    assert str(ev["UID"]) == f"{a.uid}@habeas"
    start = ev.decoded("DTSTART")
    assert type(start) is dt.date and start == D(2027, 3, 15)
    assert ev.decoded("DTEND") == D(2027, 3, 16)
    assert b"DTSTART;VALUE=DATE:20270315" in raw
    assert "AEDPA" in str(ev["SUMMARY"]) and "People v. Roe" in str(ev["SUMMARY"])
    assert "Step two." in str(ev["DESCRIPTION"])
    assert "DTSTAMP" in ev
    alarms = ev.walk("VALARM")
    assert sorted(al.decoded("TRIGGER") for al in alarms) == [dt.timedelta(days=-30), dt.timedelta(days=-7),
                                                              dt.timedelta(days=-1)]
    assert all(str(al["ACTION"]) == "DISPLAY" and al.get("DESCRIPTION") for al in alarms)
    # RFC 5545 §3.1: lines of at most 75 octets, CRLF-terminated; long ones folded.
    lines = raw.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    # The UID is stable from one fetch to the next.
    again = Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]
    assert again["UID"] == ev["UID"]


def test_case_feed_and_access(client, member, case, other_case, deadlines):
    token = CalendarToken.for_user(member).token
    cal = parse(client.get(reverse("deadlines:feed-case", args=[token, case.pk])))
    assert len(cal.walk("VEVENT")) == 1
    assert client.get(reverse("deadlines:feed-case", args=[token, other_case.pk])).status_code == 404


def test_bad_and_rotated_tokens(client, member, deadlines):
    tok = CalendarToken.for_user(member)
    old = tok.token
    assert client.get(reverse("deadlines:feed-user", args=["nope"])).status_code == 404
    tok.rotate()
    assert tok.token != old
    assert client.get(reverse("deadlines:feed-user", args=[old])).status_code == 404
    assert client.get(reverse("deadlines:feed-user", args=[tok.token])).status_code == 200
    member.is_active = False
    member.save()
    assert client.get(reverse("deadlines:feed-user", args=[tok.token])).status_code == 404


def test_calendar_page_shows_and_rotates_feed(client_in, member, case):
    page = client_in.get(reverse("deadlines:calendar")).content.decode()
    token = CalendarToken.objects.get(user=member).token
    assert f"/deadlines/feed/{token}/deadlines.ics" in page
    assert f"/deadlines/feed/{token}/case/{case.pk}.ics" in page
    client_in.post(reverse("deadlines:calendar"), {"rotate": "1"})
    assert CalendarToken.objects.get(user=member).token != token
