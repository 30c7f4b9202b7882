"""Dates known to the day, the month or only the year.

The public record often says "June 1983" or "1985". A :class:`PartialDate` keeps the
precision so the UI never invents a day; ``text`` keeps the original wording when it says
more than a date ("1983-06-04/05", "2004-08 (early)").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

DAY, MONTH, YEAR = "day", "month", "year"
PRECISION_CHOICES = [(DAY, "day"), (MONTH, "month"), (YEAR, "year")]

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


@dataclass(frozen=True)
class PartialDate:
    """``date`` is the first day of the known period; ``precision`` is day, month or year."""

    date: dt.date
    precision: str

    def __str__(self) -> str:
        return format_partial(self.date, self.precision)


def parse_partial_date(text: str) -> PartialDate | None:
    """Read the leading date of ``text``: ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, or
    ``Month YYYY`` / ``Month D, YYYY`` (English month names). Anything after the date
    (a range ``/05``, a note) is ignored here and kept by the caller as text.
    Returns ``None`` when no date leads the text. Raises ``ValueError`` for an impossible
    date such as ``1983-02-30``.
    """
    s = (text or "").strip()
    if m := re.match(r"(\d{4})-(\d{2})-(\d{2})(?!\d)", s):
        return PartialDate(dt.date(int(m[1]), int(m[2]), int(m[3])), DAY)
    if m := re.match(r"(\d{4})-(\d{2})(?![\d-])", s):
        return PartialDate(dt.date(int(m[1]), int(m[2]), 1), MONTH)
    if m := re.match(r"([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),\s*(\d{4})", s):
        if m[1].lower() in _MONTHS:
            return PartialDate(dt.date(int(m[3]), _MONTHS[m[1].lower()], int(m[2])), DAY)
    if m := re.match(r"([A-Za-z]{3})[a-z]*\.?\s+(\d{4})", s):
        if m[1].lower() in _MONTHS:
            return PartialDate(dt.date(int(m[2]), _MONTHS[m[1].lower()], 1), MONTH)
    if m := re.match(r"(\d{4})(?![\d])", s):
        return PartialDate(dt.date(int(m[1]), 1, 1), YEAR)
    return None


def format_partial(date: dt.date | None, precision: str) -> str:
    """ISO-style text at the stored precision: ``1983-06-05``, ``1983-06`` or ``1983``."""
    if date is None:
        return ""
    if precision == YEAR:
        return f"{date.year:04d}"
    if precision == MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()
