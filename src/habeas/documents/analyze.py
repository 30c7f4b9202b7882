"""What a page says that the case record cares about: legal citations (eyecite), dates
(regular expressions for the forms legal documents use, read by dateparser), and mentions of
the case's evidence item numbers and people.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
         r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
YEAR = r"(?:1[89]\d\d|20\d\d)"
DATE_PATTERNS = [
    (re.compile(rf"\b{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{YEAR}\b"), "day"),
    (re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH},?\s+{YEAR}\b"), "day"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "day"),
    (re.compile(r"\b\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b"), "day"),
    (re.compile(rf"\b{MONTH},?\s+{YEAR}\b"), "month"),
]


@dataclass
class FoundDate:
    date: dt.date
    precision: str
    text: str
    start: int
    end: int


@dataclass
class FoundCitation:
    text: str
    normalized: str
    kind: str
    volume: str = ""
    reporter: str = ""
    first_page: str = ""
    pin_cite: str = ""
    year: str = ""
    case_name: str = ""


@dataclass
class PageFindings:
    citations: list[FoundCitation] = field(default_factory=list)
    dates: list[FoundDate] = field(default_factory=list)


_MONTH_NUMBERS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_PLAIN = re.compile(r"([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")


@functools.lru_cache(maxsize=4096)
def parse_date(text: str) -> dt.date | None:
    """Read one date found by DATE_PATTERNS: 'Month D, YYYY' directly, other forms by dateparser."""
    m = _PLAIN.match(text)
    if m and m.group(1).lower() in _MONTH_NUMBERS:
        try:
            return dt.date(int(m.group(3)), _MONTH_NUMBERS[m.group(1).lower()], int(m.group(2)))
        except ValueError:
            return None
    import dateparser

    d = dateparser.parse(text, languages=["en"], settings={
        "DATE_ORDER": "MDY", "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year"],
        "RETURN_AS_TIMEZONE_AWARE": False})
    return d.date() if d else None


def find_dates(text: str) -> list[FoundDate]:
    """Dates written out in ``text``, earliest position first, without overlaps."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for pattern, precision in DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            d = parse_date(m.group(0))
            if d is None or not (1900 <= d.year <= 2100):
                continue
            if precision == "month":
                d = d.replace(day=1)
            taken.append((m.start(), m.end()))
            found.append(FoundDate(d, precision, m.group(0), m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


_SENTENCE_END = re.compile(r"(?<![A-Z])(?<!\bv)(?<!\bNo)(?<!\bCir)(?<!\bal)(?<!\bCal)(?<!\bSt)(?<!\bDr)(?<!\bMr)"
                           r"(?<!\bMs)(?<!\bJr)[.!?][\"\u201d\u2019)]?\s+(?=[A-Z\"\u201c\[])|\n\s*\n")


def sentence_around(text: str, start: int, end: int, limit: int = 300) -> str:
    """The sentence holding text[start:end], whitespace collapsed, at most ``limit`` characters."""
    left = 0
    for m in _SENTENCE_END.finditer(text, max(0, start - 2000), start):
        left = m.end()
    m = _SENTENCE_END.search(text, end)
    right = m.start() + 1 if m else len(text)
    s = " ".join(text[left:right].split())
    if len(s) > limit:
        s = "…" + " ".join(text[max(left, start - limit // 2):min(right, end + limit // 2)].split()) + "…"
    return s


_SKIP_CITATIONS = {"IdCitation", "SupraCitation", "UnknownCitation", "IdLawCitation", "ReferenceCitation"}


#: A page without anything like "<volume> <reporter> <page>" or a section sign has no citation
#: eyecite would find; skipping it saves eyecite's tokenizer (the slow part of the analysis).
_MAYBE_CITATION = re.compile(r"\d\s+[A-Z][A-Za-z.0-9' ]{0,30}?\s\d|§|\bU\.\s?S\.\s?C")


def find_citations(text: str) -> list[FoundCitation]:
    from eyecite import get_citations

    out = []
    text = " ".join(text.split())  # a citation broken over two lines is still one citation
    if not _MAYBE_CITATION.search(text):
        return out
    for c in get_citations(text):
        kind = type(c).__name__
        if kind in _SKIP_CITATIONS:
            continue
        groups = getattr(c, "groups", {}) or {}
        meta = getattr(c, "metadata", None)
        plaintiff = getattr(meta, "plaintiff", None) or ""
        defendant = getattr(meta, "defendant", None) or ""
        try:
            normalized = c.corrected_citation()
        except Exception:  # noqa: BLE001
            normalized = c.matched_text()
        out.append(FoundCitation(
            text=c.matched_text()[:300], normalized=(normalized or c.matched_text())[:300], kind=kind,
            volume=str(groups.get("volume") or "")[:20],
            reporter=str(groups.get("reporter") or getattr(c, "corrected_reporter", lambda: "")() or "")[:50],
            first_page=str(groups.get("page") or "")[:20],
            pin_cite=str(getattr(meta, "pin_cite", None) or "")[:50],
            year=str(getattr(meta, "year", None) or "")[:10],
            case_name=(f"{plaintiff} v. {defendant}" if plaintiff and defendant else "")[:300],
        ))
    return out


def analyze_page(text: str) -> PageFindings:
    return PageFindings(citations=find_citations(text), dates=find_dates(text))


# --- mentions of the case's evidence items and people ------------------------------------------

@dataclass
class Matcher:
    kind: str  # "evidence" or "person"
    obj_id: int
    pattern: re.Pattern


def item_pattern(item_number: str) -> re.Pattern:
    """'A-41' also matches 'A41', 'A 41' and 'a-41'; never inside a longer number."""
    parts = re.findall(r"[A-Za-z]+|\d+", item_number)
    if not parts:
        return re.compile(re.escape(item_number))
    body = r"[-\s.]?".join(re.escape(p) for p in parts)
    return re.compile(rf"(?<![\w-]){body}(?![\w]|-\d)", re.IGNORECASE)


def build_matchers(case) -> list[Matcher]:
    """Patterns for the case's evidence items and its public people (a private person has no
    name in the record, so only public persons — the client and officials — are matched)."""
    matchers = [Matcher("evidence", item.pk, item_pattern(item.item_number))
                for item in case.evidence_items.all() if item.item_number.strip()]
    for role in case.roles.select_related("person"):
        name = role.person.name.strip() if role.person.is_public else ""
        if not name:
            continue
        words = name.split()
        alternatives = [re.escape(name)]
        if len(words) >= 2 and len(words[-1]) >= 4 and role.kind == "client":
            alternatives.append(re.escape(words[-1]))
        matchers.append(Matcher("person", role.pk, re.compile(rf"\b(?:{'|'.join(alternatives)})\b")))
    return matchers


def find_mentions(text: str, matchers: list[Matcher]):
    """One (matcher, match) per matcher per page: the first mention, with its sentence."""
    for m in matchers:
        hit = m.pattern.search(text)
        if hit:
            yield m, hit.group(0), sentence_around(text, hit.start(), hit.end(), 240)
