"""Legal holidays computed from their rules, for the roll-forward of a last day.

A calendar is data (the ``[[holidays]]`` tables of a jurisdiction's rule file): each holiday
is a fixed date (``month``, ``day``) or the n-th weekday of a month (``month``, ``weekday``,
``nth``; ``nth = -1`` is the last), with the years it applies (``since``, ``until``). The
``observed`` policy of the calendar moves a fixed-date holiday that falls on a weekend:

* ``federal`` — 5 U.S.C. § 6103(b) and Executive Order 11582: a Saturday holiday is observed on
  the Friday before, a Sunday holiday on the Monday after;
* ``sunday-to-monday`` — only a Sunday holiday moves (to the Monday after);
* ``none`` — no observed days.

Pure Python: no Django, so ``habeas deadline aedpa`` runs without a database.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

WEEKDAYS = {"MON": 0, "TUE": 1, "WED": 2, "THU": 3, "FRI": 4, "SAT": 5, "SUN": 6}
OBSERVED_POLICIES = ("federal", "sunday-to-monday", "none")


@dataclass(frozen=True)
class HolidayRule:
    name: str
    month: int = 0
    day: int | None = None          # fixed date …
    weekday: int | None = None      # … or n-th weekday (0 = Monday)
    nth: int | None = None          # 1..5, or -1 for the last
    since: int | None = None
    until: int | None = None
    citation: str = ""
    on: dt.date | None = None       # … or a single declared day (e.g. by executive order)

    def actual(self, year: int) -> dt.date | None:
        """The holiday's own date in ``year`` (before any observed-day move), or None."""
        if self.on is not None:
            return self.on if self.on.year == year else None
        if (self.since and year < self.since) or (self.until and year > self.until):
            return None
        if self.day is not None:
            return dt.date(year, self.month, self.day)
        days = [d for d in calendar.Calendar().itermonthdates(year, self.month)
                if d.month == self.month and d.weekday() == self.weekday]
        return days[-1] if self.nth == -1 else days[self.nth - 1]


@dataclass(frozen=True)
class HolidayCalendar:
    name: str
    observed: str = "federal"
    rules: tuple[HolidayRule, ...] = field(default_factory=tuple)
    citation: str = ""

    def holidays(self, year: int) -> dict[dt.date, str]:
        """All holidays and observed days falling in ``year``: ``{date: name}``."""
        return dict(_holidays(self, year))

    def holiday_name(self, day: dt.date) -> str | None:
        return self.holidays(day.year).get(day)

    def is_business_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and self.holiday_name(day) is None


@lru_cache(maxsize=512)
def _holidays(cal: HolidayCalendar, year: int) -> tuple[tuple[dt.date, str], ...]:
    out: dict[dt.date, str] = {}
    # The holidays of the neighbouring years matter: 1 January of next year on a Saturday is
    # observed on 31 December of this year.
    for y in (year - 1, year, year + 1):
        for rule in cal.rules:
            d = rule.actual(y)
            if d is None:
                continue
            if d.year == year:
                out.setdefault(d, rule.name)
            if rule.day is None or rule.on is not None:
                continue
            obs = None
            if d.weekday() == 6 and cal.observed in ("federal", "sunday-to-monday"):
                obs = d + dt.timedelta(days=1)
            elif d.weekday() == 5 and cal.observed == "federal":
                obs = d - dt.timedelta(days=1)
            if obs is not None and obs.year == year:
                out.setdefault(obs, f"{rule.name} (observed)")
    return tuple(sorted(out.items()))


WEEKEND = "Saturday or Sunday"


def roll_forward(day: dt.date, cal: HolidayCalendar) -> tuple[dt.date, list[str]]:
    """The first day on or after ``day`` that is not a Saturday, Sunday or legal holiday.

    Returns the date and the reasons for each day skipped (empty when ``day`` stands).
    """
    skipped: list[str] = []
    while True:
        if day.weekday() >= 5:
            skipped.append(f"{day.isoformat()} is a {day.strftime('%A')}")
        elif name := cal.holiday_name(day):
            skipped.append(f"{day.isoformat()} is a legal holiday ({name})")
        else:
            return day, skipped
        day += dt.timedelta(days=1)
