"""iCalendar feeds of deadlines (RFC 5545, through the ``icalendar`` library).

Each deadline is an all-day VEVENT (DTSTART as a DATE, DTEND the day after) whose UID is the
deadline's stable UUID, with a VALARM per reminder (``remind_days``). Deadlines without a date
are left out (they are shown on the dashboard as unknown).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from icalendar import Alarm, Calendar, Event

PRODID = "-//habeas//deadlines//EN"


def build_calendar(deadlines, *, name: str, base_url: str = "") -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(dt.timezone.utc).replace(microsecond=0)
    for d in deadlines:
        if d.due_on is None:
            continue
        ev = Event()
        ev.add("uid", f"{d.uid}@habeas")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", d.due_on)
        ev.add("dtend", d.due_on + dt.timedelta(days=1))
        ev.add("summary", f"DUE: {d.title} — {d.case.caption}")
        lines = [f"Case: {d.case.caption}", f"Due: {d.due_on.isoformat()}"]
        if d.citation:
            lines.append(f"Rule: {d.citation}")
        lines += d.explanation_steps
        if d.notes:
            lines.append(d.notes)
        if base_url:
            lines.append(base_url + d.get_absolute_url())
            ev.add("url", base_url + d.get_absolute_url())
        ev.add("description", "\n".join(lines))
        ev.add("categories", ["deadline", d.get_source_display()])
        ev.add("transp", "TRANSPARENT")
        ev.add("status", "CONFIRMED")
        if d.updated_at:
            ev.add("last-modified", d.updated_at.astimezone(dt.timezone.utc).replace(microsecond=0))
        for days in sorted(set(d.remind_days or []), reverse=True):
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{d.title} is due in {days} day{'s' if days != 1 else ''} ({d.due_on.isoformat()})")
            alarm.add("trigger", dt.timedelta(days=-days))
            ev.add_component(alarm)
        cal.add_component(ev)
    return cal.to_ical()
