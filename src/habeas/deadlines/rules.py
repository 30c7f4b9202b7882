"""Rules as data: limitation periods, response times and filing requirements.

One TOML file per jurisdiction (``rules/federal.toml``, ``rules/california.toml`` in the
package; an organisation may add or replace files in ``$HABEAS_HOME/rules/``). Each rule
carries its citation, the version of the file and the date the rule took effect. A file
with an error is refused at load with its path and line: :class:`RuleFileError`.

Pure Python (stdlib ``tomllib``), no Django.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from habeas.deadlines.holidays import OBSERVED_POLICIES, WEEKDAYS, HolidayCalendar, HolidayRule

PACKAGE_RULES = Path(__file__).with_name("rules")
KINDS = ("limitation", "response", "requirement")
METHODS = ("aedpa", "period", "none")


class RuleFileError(ValueError):
    """A rule file that cannot be used; the message starts with ``path:line:``."""

    def __init__(self, path, line: int | None, message: str):
        self.path, self.line = str(path), line
        super().__init__(f"{path}:{line if line else '?'}: {message}")


@dataclass(frozen=True)
class Trigger:
    key: str
    label: str
    citation: str


@dataclass(frozen=True)
class Requirement:
    text: str
    citation: str
    verify: bool = False


@dataclass(frozen=True)
class Rule:
    id: str
    jurisdiction: str
    title: str
    kind: str
    method: str
    citation: str
    effective: dt.date
    version: str
    source_url: str = ""
    summary: str = ""
    period_years: int = 0
    period_days: int = 0
    trigger_label: str = ""
    roll_forward: str = ""
    triggers: tuple[Trigger, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    notes: tuple[str, ...] = ()
    filing_kinds: tuple[str, ...] = ()
    verify: bool = False
    file: str = ""
    line: int = 0

    @property
    def qualified_id(self) -> str:
        return f"{self.jurisdiction}:{self.id}"

    @property
    def period_text(self) -> str:
        if self.period_years:
            return f"{self.period_years} year{'s' if self.period_years > 1 else ''}"
        if self.period_days:
            return f"{self.period_days} days"
        return "no fixed period"


@dataclass(frozen=True)
class Jurisdiction:
    id: str
    name: str
    version: str
    reviewed: dt.date | None
    calendar: HolidayCalendar
    rules: dict[str, Rule] = field(default_factory=dict)
    file: str = ""
    notes: str = ""


# --- locating lines for semantic errors ------------------------------------------------------

class _Lines:
    def __init__(self, text: str):
        self.lines = text.splitlines()

    def table(self, header: str, index: int) -> int:
        """Line (1-based) of the ``index``-th ``[[header]]`` table."""
        pat = re.compile(r"^\s*\[\[\s*" + re.escape(header) + r"\s*\]\]")
        n = -1
        for i, line in enumerate(self.lines, 1):
            if pat.match(line):
                n += 1
                if n == index:
                    return i
        return 0

    def key(self, start: int, key: str) -> int:
        """Line of ``key = …`` at or after ``start`` and before the next table header."""
        pat = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
        for i in range(max(start, 1), len(self.lines) + 1):
            line = self.lines[i - 1]
            if i > start and re.match(r"^\s*\[", line):
                break
            if pat.match(line):
                return i
        return start


# The shape of a rule file: which keys hold tables, lists of tables and lists of text, and
# which hold plain text. Checked before anything is built, so a value of the wrong type is
# refused with its file and line rather than failing later with a TypeError.
_TABLE_LISTS = {"calendar": {"holidays"}, "rule": {"triggers", "requirements"}}
_TEXT_LISTS = {"rule": {"notes", "filing_kinds"}}
_TEXT = {"jurisdiction": {"notes"}, "calendar": {"name", "citation"},
         "rule": {"version", "source_url", "summary", "trigger_label", "roll_forward"},
         "holiday": {"citation"}}


def _check_shape(data: dict, lines: "_Lines", fail) -> None:
    """Refuse values of the wrong type (see ``_TABLE_LISTS``/``_TEXT_LISTS``/``_TEXT``)."""
    def check(table: dict, kind: str, line: int, label: str) -> None:
        for key in _TABLE_LISTS.get(kind, ()):
            v = table.get(key, [])
            if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
                fail(lines.key(line, key), f"{label}: '{key}' must be a list of tables ([[…]])")
        for key in _TEXT_LISTS.get(kind, ()):
            v = table.get(key, [])
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                fail(lines.key(line, key), f"{label}: '{key}' must be a list of text")
        for key in _TEXT.get(kind, ()):
            if key in table and not isinstance(table[key], str):
                fail(lines.key(line, key), f"{label}: '{key}' must be text")

    for key in ("calendar", "jurisdiction"):
        if key in data and not isinstance(data[key], dict):
            fail(lines.key(1, key), f"'{key}' must be a table ([{key}])")
    if not isinstance(data.get("rules", []), list) or not all(isinstance(r, dict) for r in data.get("rules", [])):
        fail(lines.key(1, "rules"), "'rules' must be a list of tables ([[rules]])")
    jur = data.get("jurisdiction", {})
    check(jur, "jurisdiction", 1, "[jurisdiction]")
    cal = data.get("calendar", {})
    check(cal, "calendar", 1, "[calendar]")
    for i, h in enumerate(cal.get("holidays", [])):
        hl = lines.table("calendar.holidays", i)
        check(h, "holiday", hl, f"holiday #{i + 1}")
        for key in ("since", "until"):  # years
            if key in h and (not isinstance(h[key], int) or isinstance(h[key], bool)):
                fail(lines.key(hl, key), f"holiday #{i + 1}: '{key}' must be a year (a whole number)")
    for i, r in enumerate(data.get("rules", [])):
        rl = lines.table("rules", i)
        check(r, "rule", rl, f"rule {r.get('id', f'#{i + 1}')!r}")
        if not isinstance(r.get("period", {}), dict):
            fail(lines.key(rl, "period"), f"rule #{i + 1}: 'period' must be a table (years, days)")


def _date(value, where) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise where(f"expected a date (YYYY-MM-DD), got {value!r}")


def load_file(path: str | Path) -> Jurisdiction:
    """Load and check one jurisdiction's rule file; raise :class:`RuleFileError` on any error."""
    path = Path(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:  # TOML is UTF-8 by definition (TOML 1.0, "Spec")
        raise RuleFileError(path, raw[:exc.start].count(b"\n") + 1,
                            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(m[1]) if m else getattr(exc, "lineno", None)
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        col = f" (column {m[2]})" if m else ""
        raise RuleFileError(path, line, f"TOML syntax error{col}: {msg}") from None
    lines = _Lines(text)

    def fail(line, message):
        raise RuleFileError(path, line, message)

    if data.get("schema") != 1:
        fail(lines.key(1, "schema") or 1, "missing or unknown 'schema' (expected schema = 1)")
    _check_shape(data, lines, fail)
    jur = data.get("jurisdiction")
    if not isinstance(jur, dict):
        fail(1, "missing [jurisdiction] table")
    jline = next((i for i, s in enumerate(lines.lines, 1) if s.strip() == "[jurisdiction]"), 1)
    for key in ("id", "name", "version"):
        if not isinstance(jur.get(key), str) or not jur[key].strip():
            fail(lines.key(jline, key), f"[jurisdiction] needs a non-empty '{key}'")
    reviewed = None
    if "reviewed" in jur:
        reviewed = _date(jur["reviewed"], lambda m: fail(lines.key(jline, "reviewed"), m))

    cal_data = data.get("calendar", {})
    cline = next((i for i, s in enumerate(lines.lines, 1) if s.strip() == "[calendar]"), 1)
    observed = cal_data.get("observed", "federal")
    if observed not in OBSERVED_POLICIES:
        fail(lines.key(cline, "observed"), f"calendar 'observed' must be one of {', '.join(OBSERVED_POLICIES)}")
    hrules = []
    for i, h in enumerate(cal_data.get("holidays", [])):
        hl = lines.table("calendar.holidays", i)
        if not isinstance(h.get("name"), str):
            fail(hl, "holiday needs a 'name'")
        if "date" in h:
            on = _date(h["date"], lambda m, hl=hl: fail(lines.key(hl, "date"), f"holiday {h['name']!r}: {m}"))
            hrules.append(HolidayRule(h["name"], on=on, citation=h.get("citation", "")))
            continue
        month = h.get("month")
        if not isinstance(month, int) or not 1 <= month <= 12:
            fail(lines.key(hl, "month"), f"holiday {h.get('name')!r}: 'month' must be 1–12")
        if "day" in h:
            try:
                dt.date(2024, month, h["day"])
            except (TypeError, ValueError):
                fail(lines.key(hl, "day"), f"holiday {h['name']!r}: impossible day {h['day']!r}")
            hrules.append(HolidayRule(h["name"], month, day=h["day"], since=h.get("since"),
                                      until=h.get("until"), citation=h.get("citation", "")))
        else:
            wd = WEEKDAYS.get(str(h.get("weekday", "")).upper())
            nth = h.get("nth")
            if wd is None:
                fail(lines.key(hl, "weekday"), f"holiday {h['name']!r}: needs 'day' or 'weekday' (MON…SUN)")
            if nth not in (1, 2, 3, 4, 5, -1):
                fail(lines.key(hl, "nth"), f"holiday {h['name']!r}: 'nth' must be 1–5 or -1 (last)")
            hrules.append(HolidayRule(h["name"], month, weekday=wd, nth=nth, since=h.get("since"),
                                      until=h.get("until"), citation=h.get("citation", "")))
    calendar = HolidayCalendar(cal_data.get("name", jur["name"]), observed, tuple(hrules),
                               cal_data.get("citation", ""))

    rules: dict[str, Rule] = {}
    for i, r in enumerate(data.get("rules", [])):
        rl = lines.table("rules", i)

        def need(key, typ=str, r=r, rl=rl):
            v = r.get(key)
            if not isinstance(v, typ) or (isinstance(v, str) and not v.strip()):
                fail(lines.key(rl, key), f"rule {r.get('id', f'#{i + 1}')!r}: missing or empty '{key}'")
            return v

        rid = need("id")
        if rid in rules:
            fail(lines.key(rl, "id"), f"rule {rid!r} defined twice")
        kind = need("kind")
        if kind not in KINDS:
            fail(lines.key(rl, "kind"), f"rule {rid!r}: 'kind' must be one of {', '.join(KINDS)}")
        method = r.get("method", "none")
        if method not in METHODS:
            fail(lines.key(rl, "method"), f"rule {rid!r}: 'method' must be one of {', '.join(METHODS)}")
        period = r.get("period", {})
        years, days = period.get("years", 0), period.get("days", 0)
        if method in ("aedpa", "period") and not (years or days):
            fail(lines.key(rl, "period"), f"rule {rid!r}: method {method!r} needs a 'period' (years or days)")
        if not isinstance(years, int) or not isinstance(days, int) or years < 0 or days < 0:
            fail(lines.key(rl, "period"), f"rule {rid!r}: period years/days must be whole numbers ≥ 0")
        effective = _date(r.get("effective"), lambda m, rl=rl: fail(lines.key(rl, "effective"), f"rule {rid!r}: 'effective': {m}"))
        triggers = []
        for t in r.get("triggers", []):
            if not all(isinstance(t.get(k), str) and t[k] for k in ("key", "label", "citation")):
                fail(lines.key(rl, "triggers"), f"rule {rid!r}: each trigger needs key, label and citation")
            triggers.append(Trigger(t["key"], t["label"], t["citation"]))
        if method == "aedpa" and [t.key for t in triggers] != ["A", "B", "C", "D"]:
            fail(lines.key(rl, "triggers"), f"rule {rid!r}: an aedpa rule lists triggers A, B, C, D")
        reqs = []
        for q in r.get("requirements", []):
            if not isinstance(q.get("text"), str) or not isinstance(q.get("citation"), str) or not q["citation"]:
                fail(lines.key(rl, "requirements"), f"rule {rid!r}: each requirement needs text and citation")
            reqs.append(Requirement(q["text"], q["citation"], bool(q.get("verify", False))))
        rules[rid] = Rule(
            id=rid, jurisdiction=jur["id"], title=need("title"), kind=kind, method=method,
            citation=need("citation"), effective=effective, version=r.get("version", jur["version"]),
            source_url=r.get("source_url", ""), summary=r.get("summary", ""),
            period_years=years, period_days=days, trigger_label=r.get("trigger_label", ""),
            roll_forward=r.get("roll_forward", ""), triggers=tuple(triggers), requirements=tuple(reqs),
            notes=tuple(r.get("notes", [])), filing_kinds=tuple(r.get("filing_kinds", [])),
            verify=bool(r.get("verify", False)), file=str(path), line=rl,
        )
    return Jurisdiction(jur["id"], jur["name"], jur["version"], reviewed, calendar, rules,
                        str(path), jur.get("notes", ""))


def rule_dirs() -> list[Path]:
    """Package rules, then the organisation's ``$HABEAS_HOME/rules`` (which may replace a file)."""
    dirs = [PACKAGE_RULES]
    home = os.environ.get("HABEAS_HOME")
    if home and (Path(home) / "rules").is_dir():
        dirs.append(Path(home) / "rules")
    return dirs


def load_all(dirs: list[Path] | None = None) -> dict[str, Jurisdiction]:
    """Every jurisdiction, by id; a later directory's file replaces an earlier one of the same id."""
    out: dict[str, Jurisdiction] = {}
    for d in dirs if dirs is not None else rule_dirs():
        for p in sorted(Path(d).glob("*.toml")):
            j = load_file(p)
            out[j.id] = j
    return out


_cache: dict[tuple, dict[str, Jurisdiction]] = {}


def jurisdictions() -> dict[str, Jurisdiction]:
    """Cached :func:`load_all` (reloaded when a file changes)."""
    dirs = rule_dirs()
    key = tuple((str(p), p.stat().st_mtime_ns) for d in dirs for p in sorted(d.glob("*.toml")))
    if key not in _cache:
        _cache.clear()
        _cache[key] = load_all(dirs)
    return _cache[key]


def get_rule(qualified_id: str) -> tuple[Rule, Jurisdiction]:
    """``"federal:aedpa"`` → (rule, its jurisdiction). ``KeyError`` with a clear message."""
    jid, _, rid = qualified_id.partition(":")
    jur = jurisdictions().get(jid)
    if jur is None or rid not in jur.rules:
        raise KeyError(f"no rule {qualified_id!r}")
    return jur.rules[rid], jur


def all_rules() -> list[tuple[Rule, Jurisdiction]]:
    return [(r, j) for j in jurisdictions().values() for r in j.rules.values()]
