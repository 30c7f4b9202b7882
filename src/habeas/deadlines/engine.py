"""The deadline engine: a due date with the explanation of how it was computed.

The same engine serves the web UI, the case records and ``habeas deadline aedpa``. Pure
Python, no Django.

Conventions (each shown in the explanation of a result):

* the trigger day is excluded and a period in years ends on the anniversary date
  (Fed. R. Civ. P. 6(a)(1)(A); Patterson v. Stewart, 251 F.3d 1243, 1246 (9th Cir. 2001));
  a 29 February trigger has no anniversary in a common year: 28 February is used (the earlier
  reading — verify in your circuit);
* a period in days counts every day after the trigger day (Fed. R. Civ. P. 6(a)(1)(B));
* § 2244(d)(2) tolling: a state application is pending from the day it is filed through the day
  it is decided (both days tolled); overlapping or back-to-back applications are merged; only
  days after the trigger day count; the tolled days are added to the end of the period; an
  application filed after the period expired does not revive it;
* a last day on a Saturday, Sunday or legal holiday runs to the next day that is not
  (Fed. R. Civ. P. 6(a)(1)(C)), with the holidays of the rule file's calendar.

A trigger whose date is unknown is reported as unknown; the engine never guesses a date.

Facts that cannot all be true are refused before anything is computed (:class:`InputError`, a
``ValueError`` listing each bad field): a certiorari decision on or before the decision it
reviews, a judgment final before the decision on direct review or before certiorari was
decided, a state application decided before it was filed, and any date entered that is after
today (a trigger must have happened; no rule in the files is a projection). A date the engine
derives (finality = decision + 90 days) may lie in the future.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from habeas.deadlines.holidays import roll_forward
from habeas.deadlines.rules import Jurisdiction, Rule, get_rule

AEDPA_ENACTED = dt.date(1996, 4, 24)
CERT_DAYS = 90  # Sup. Ct. R. 13.1

COMPUTED, UNKNOWN, TOLLING = "computed", "unknown", "tolling"


class InputError(ValueError):
    """Facts that cannot all be true. ``errors`` lists ``(field, message)``, ``field`` being the
    name of the input (an :class:`AedpaInput` attribute, or ``"trigger_date"``); the text of the
    exception is the messages on one line."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = list(errors)
        super().__init__("; ".join(m for _, m in self.errors))


AEDPA_LABELS = {
    "judgment_final": "the date the judgment became final",
    "direct_review_decided": "the state high court's decision on direct review",
    "cert_decided": "the certiorari decision",
    "impediment_removed": "the removal of the impediment (B)",
    "new_right_recognized": "the recognition of the new right (C)",
    "factual_predicate": "the discovery of the factual predicate (D)",
}


def _after_today(label: str, day: dt.date, today: dt.date) -> str:
    return (f"{label} ({day.isoformat()}) is after today ({today.isoformat()}): only a date that has "
            f"passed can start or toll a period")


def check_aedpa_input(facts: "AedpaInput", today: dt.date | None = None) -> list[tuple[str, str]]:
    """Every impossibility in ``facts`` as ``(field, message)``; an empty list when consistent."""
    today = today or dt.date.today()
    errors: list[tuple[str, str]] = []
    for name, label in AEDPA_LABELS.items():
        day = getattr(facts, name)
        if day is not None and day > today:
            errors.append((name, _after_today(label, day, today)))
    dr, cert, jf = facts.direct_review_decided, facts.cert_decided, facts.judgment_final
    if dr and cert and cert <= dr:
        errors.append(("cert_decided", f"the certiorari decision ({cert.isoformat()}) must come after the state high "
                                       f"court's decision it reviews ({dr.isoformat()})"))
    if jf and dr and jf < dr:
        errors.append(("judgment_final", f"the judgment cannot become final ({jf.isoformat()}) before the state high "
                                         f"court's decision on direct review ({dr.isoformat()})"))
    if jf and cert and jf < cert:
        errors.append(("judgment_final", f"the judgment cannot become final ({jf.isoformat()}) before certiorari "
                                         f"was decided ({cert.isoformat()})"))
    for filed, decided in facts.state_petitions:
        if filed is None:
            errors.append(("state_petitions", "a state application needs the date it was filed"))
            continue
        if decided is not None and decided < filed:
            errors.append(("state_petitions", f"the state application filed {filed.isoformat()} cannot be decided "
                                              f"earlier ({decided.isoformat()})"))
        if filed > today:
            errors.append(("state_petitions", _after_today("the state application's filing date", filed, today)))
        elif decided is not None and decided > today:
            errors.append(("state_petitions", _after_today(f"the decision of the state application filed "
                                                           f"{filed.isoformat()}", decided, today)
                           + " (enter it as pending)"))
    return errors


def anniversary(day: dt.date, years: int = 1) -> tuple[dt.date, str]:
    """Same month and day ``years`` later; 29 February → 28 February in a common year."""
    try:
        return day.replace(year=day.year + years), ""
    except ValueError:
        return (day.replace(year=day.year + years, day=28),
                f"{day.isoformat()} has no anniversary in {day.year + years}: the period is taken to end on "
                f"28 February (the earlier reading; some courts may read 1 March — verify)")


@dataclass
class TriggerRow:
    key: str
    label: str
    citation: str
    date: dt.date | None = None
    status: str = "not claimed"   # used | earlier | not claimed | unknown
    detail: str = ""


@dataclass
class TollRow:
    filed: dt.date
    decided: dt.date | None
    counted_from: dt.date | None = None
    counted_to: dt.date | None = None
    days: int = 0
    status: str = "counted"  # counted | before period | after expiry | pending
    detail: str = ""
    merged_from: int = 1


@dataclass
class DeadlineResult:
    rule_id: str
    rule_title: str
    citation: str
    source_url: str
    rule_version: str
    rule_effective: dt.date
    jurisdiction: str
    status: str                      # computed | unknown | tolling
    due: dt.date | None = None
    trigger_key: str = ""
    trigger_date: dt.date | None = None
    period: str = ""
    period_start: dt.date | None = None
    untolled_end: dt.date | None = None
    tolled_days: int = 0
    last_day: dt.date | None = None  # before roll-forward
    roll_forward: list[str] = field(default_factory=list)
    roll_forward_rule: str = ""
    triggers: list[TriggerRow] = field(default_factory=list)
    tolling: list[TollRow] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    remaining_days: int | None = None  # for status "tolling": days of the period left

    def to_dict(self) -> dict:
        def conv(v):
            if isinstance(v, dt.date):
                return v.isoformat()
            if isinstance(v, list):
                return [conv(x) for x in v]
            if isinstance(v, dict):
                return {k: conv(x) for k, x in v.items()}
            return v
        return conv(asdict(self))

    def explanation(self) -> str:
        """The computation as plain text, one step per line."""
        out = [f"{self.rule_title}", f"Rule: {self.citation} (rules version {self.rule_version}, "
                                     f"in force since {self.rule_effective.isoformat()})"]
        if self.source_url:
            out.append(f"Source: {self.source_url}")
        out += [f"  {s}" for s in self.steps]
        for u in self.unknown:
            out.append(f"UNKNOWN: {u}")
        for w in self.warnings:
            out.append(f"WARNING: {w}")
        if self.status == COMPUTED:
            out.append(f"DUE: {self.due.isoformat()} ({self.due.strftime('%A')})")
        elif self.status == TOLLING:
            out.append(f"NOT YET DUE: the period is tolled; {self.remaining_days} days remain once the pending application is decided")
        else:
            out.append("DUE: unknown — no date computed")
        return "\n".join(out)


def _base(rule: Rule, jur: Jurisdiction, status: str) -> DeadlineResult:
    return DeadlineResult(
        rule_id=rule.qualified_id, rule_title=rule.title, citation=rule.citation,
        source_url=rule.source_url, rule_version=rule.version, rule_effective=rule.effective,
        jurisdiction=jur.name, status=status, period=rule.period_text,
        roll_forward_rule=rule.roll_forward, notes=list(rule.notes))


def _fmt(d: dt.date) -> str:
    return f"{d.isoformat()} ({d.strftime('%a')})"


def merge_periods(periods: list[tuple[dt.date, dt.date | None]]) -> list[TollRow]:
    """Merge overlapping or back-to-back pending periods (a None decision means still pending)."""
    rows: list[TollRow] = []
    for filed, decided in sorted(periods, key=lambda p: p[0]):
        if decided is not None and decided < filed:
            raise ValueError(f"state application filed {filed.isoformat()} cannot be decided earlier ({decided.isoformat()})")
        if rows and (rows[-1].decided is None or filed <= rows[-1].decided + dt.timedelta(days=1)):
            last = rows[-1]
            if last.decided is not None:
                last.decided = None if decided is None else max(last.decided, decided)
            last.merged_from += 1
            continue
        rows.append(TollRow(filed, decided))
    for r in rows:
        if r.merged_from > 1:
            r.detail = f"{r.merged_from} overlapping or back-to-back applications merged"
    return rows


@dataclass
class AedpaInput:
    """Facts for § 2244(d). A trigger date left ``None`` is not claimed; a key listed in
    ``unknown_triggers`` is claimed but its date is not known."""

    judgment_final: dt.date | None = None
    direct_review_decided: dt.date | None = None
    cert_decided: dt.date | None = None
    impediment_removed: dt.date | None = None
    new_right_recognized: dt.date | None = None
    factual_predicate: dt.date | None = None
    state_petitions: list[tuple[dt.date, dt.date | None]] = field(default_factory=list)
    unknown_triggers: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        d = asdict(self)
        return {k: (v.isoformat() if isinstance(v, dt.date) else
                    [[a.isoformat(), b.isoformat() if b else None] for a, b in v] if k == "state_petitions" else
                    list(v) if isinstance(v, tuple) else v) for k, v in d.items()}

    @classmethod
    def from_dict(cls, d: dict) -> "AedpaInput":
        def dd(v):
            return dt.date.fromisoformat(v) if v else None
        return cls(
            judgment_final=dd(d.get("judgment_final")), direct_review_decided=dd(d.get("direct_review_decided")),
            cert_decided=dd(d.get("cert_decided")), impediment_removed=dd(d.get("impediment_removed")),
            new_right_recognized=dd(d.get("new_right_recognized")), factual_predicate=dd(d.get("factual_predicate")),
            state_petitions=[(dd(a), dd(b)) for a, b in d.get("state_petitions", [])],
            unknown_triggers=tuple(d.get("unknown_triggers", ())))


def compute_aedpa(facts: AedpaInput, rule_id: str = "federal:aedpa", *, today: dt.date | None = None) -> DeadlineResult:
    """The § 2244(d) deadline for ``facts`` under the rule ``rule_id`` (method ``aedpa``).

    Raises :class:`InputError` for facts that cannot all be true (:func:`check_aedpa_input`)."""
    rule, jur = get_rule(rule_id)
    if rule.method != "aedpa":
        raise ValueError(f"rule {rule_id!r} is not an AEDPA rule")
    errors = check_aedpa_input(facts, today)
    if errors:
        raise InputError(errors)
    cal = jur.calendar
    res = _base(rule, jur, UNKNOWN)
    by_key = {t.key: t for t in rule.triggers}
    rows = {k: TriggerRow(k, t.label, t.citation) for k, t in by_key.items()}
    res.triggers = [rows[k] for k in "ABCD"]

    # (A) finality of the judgment.
    a = rows["A"]
    derived = None  # finality from the other dates, to compare with a date entered
    if facts.cert_decided:
        derived = facts.cert_decided
    elif facts.direct_review_decided:
        derived = roll_forward(facts.direct_review_decided + dt.timedelta(days=CERT_DAYS), cal)[0]
    if facts.judgment_final:
        a.date, a.detail = facts.judgment_final, "date the judgment became final, as entered"
        if derived is not None and derived != facts.judgment_final:
            res.warnings.append(
                f"the judgment-final date entered ({facts.judgment_final.isoformat()}) differs from the finality the "
                f"other dates give ({derived.isoformat()}, from the "
                f"{'certiorari decision' if facts.cert_decided else 'state high court decision + 90 days'}): "
                f"the date entered is used — check it")
    elif facts.cert_decided:
        a.date, a.detail = facts.cert_decided, "certiorari denied or decided by the Supreme Court: direct review concluded"
    elif facts.direct_review_decided:
        expiry = facts.direct_review_decided + dt.timedelta(days=CERT_DAYS)
        rolled, why = roll_forward(expiry, cal)
        a.date = rolled
        a.detail = (f"state high court decided {facts.direct_review_decided.isoformat()}; no certiorari petition: "
                    f"+{CERT_DAYS} days = {_fmt(expiry)} (Sup. Ct. R. 13.1)")
        if why:
            a.detail += f"; {'; '.join(why)} → {_fmt(rolled)} (Sup. Ct. R. 30.1)"
    else:
        a.status = "unknown"
        res.unknown.append("the date the judgment became final (§ 2244(d)(1)(A)) is not known: enter it, or the "
                           "date of the state high court's decision on direct review and of any certiorari decision. "
                           "No deadline is computed without it.")
    for key, value in (("B", facts.impediment_removed), ("C", facts.new_right_recognized), ("D", facts.factual_predicate)):
        if value:
            rows[key].date = value
        elif key in facts.unknown_triggers:
            rows[key].status = "unknown"
            res.warnings.append(f"trigger ({key}) is claimed but its date is unknown: the period may run from a later "
                                f"date; the date below does not account for it")
    if a.date is None:
        res.steps.append("The period runs from the latest of the triggers of § 2244(d)(1); (A) is unknown.")
        return res

    known = [rows[k] for k in "ABCD" if rows[k].date]
    latest = max(known, key=lambda r: (r.date, r.key))
    for r in known:
        r.status = "used" if r is latest else "earlier"
    trigger = latest.date
    res.steps.append("Triggers known: " + "; ".join(f"({r.key}) {_fmt(r.date)}" for r in known)
                     + f". The latest, ({latest.key}), starts the period.")
    if trigger < AEDPA_ENACTED:
        res.steps.append(f"The trigger {trigger.isoformat()} precedes AEDPA's enactment: the one-year grace period runs "
                         f"from {AEDPA_ENACTED.isoformat()} (Patterson v. Stewart, 251 F.3d 1243 (9th Cir. 2001)).")
        trigger = AEDPA_ENACTED
    res.trigger_key, res.trigger_date = latest.key, trigger
    start = trigger + dt.timedelta(days=1)
    res.period_start = start
    end, leap_note = anniversary(trigger, rule.period_years or 1)
    if rule.period_days:
        end += dt.timedelta(days=rule.period_days)
    res.untolled_end = end
    res.steps.append(f"The trigger day is excluded: the period begins {_fmt(start)}; one year ends on the anniversary, "
                     f"{_fmt(end)}.")
    if leap_note:
        res.warnings.append(leap_note)

    # § 2244(d)(2) tolling.
    res.tolling = merge_periods(facts.state_petitions)
    for row in res.tolling:
        current_last, _ = roll_forward(end, cal)
        if row.filed > current_last:
            row.status = "after expiry"
            row.detail = (row.detail + "; " if row.detail else "") + (
                f"filed after the period expired on {current_last.isoformat()}: does not revive it "
                f"(Ferguson v. Palmateer, 321 F.3d 820 (9th Cir. 2003))")
            res.steps.append(f"State application filed {row.filed.isoformat()}: after the period expired; no tolling.")
            continue
        if row.decided is not None and row.decided < start:
            row.status = "before period"
            row.detail = (row.detail + "; " if row.detail else "") + "decided before the period began"
            res.steps.append(f"State application {row.filed.isoformat()}–{row.decided.isoformat()}: decided before "
                             f"the period began; no tolling.")
            continue
        row.counted_from = max(row.filed, start)
        if row.decided is None:
            row.status = "pending"
            used = (row.counted_from - start).days - res.tolled_days
            res.remaining_days = (end - start).days + 1 - used
            res.status = TOLLING
            res.steps.append(f"A state application filed {row.filed.isoformat()} is still pending: the period is tolled "
                             f"from {_fmt(row.counted_from)}. {res.remaining_days} days of the period remain and start "
                             f"running the day after it is decided.")
            return res
        row.counted_to = row.decided
        row.days = (row.decided - row.counted_from).days + 1
        res.tolled_days += row.days
        end += dt.timedelta(days=row.days)
        merged = f" ({row.detail})" if row.detail else ""
        res.steps.append(f"Tolled {row.counted_from.isoformat()} through {row.decided.isoformat()}{merged} "
                         f"(filing and decision days included): {row.days} days → period now ends {_fmt(end)}.")
    res.last_day = end
    due, why = roll_forward(end, cal)
    res.roll_forward = why
    if why:
        res.steps.append(f"Last day {_fmt(end)}: " + "; ".join(why) + f" → runs to {_fmt(due)} ({rule.roll_forward}).")
    else:
        res.steps.append(f"Last day {_fmt(end)} is a business day; no roll-forward.")
    res.due, res.status = due, COMPUTED
    return res


def compute_period(rule_id: str, trigger_date: dt.date | None, *, today: dt.date | None = None) -> DeadlineResult:
    """A rule with method ``period``: ``period`` after ``trigger_date``, rolled forward.

    A trigger date after today is refused (:class:`InputError`): the event has not happened."""
    rule, jur = get_rule(rule_id)
    if rule.method != "period":
        raise ValueError(f"rule {rule_id!r} computes no period ({rule.method}); see its requirements")
    today = today or dt.date.today()
    if trigger_date is not None and trigger_date > today:
        raise InputError([("trigger_date", _after_today(f"the date of {rule.trigger_label or 'the trigger'}",
                                                        trigger_date, today))])
    res = _base(rule, jur, UNKNOWN)
    res.triggers = [TriggerRow("", rule.trigger_label, rule.citation, trigger_date,
                               "used" if trigger_date else "unknown")]
    if trigger_date is None:
        res.unknown.append(f"the date of {rule.trigger_label} is not known: no deadline is computed.")
        return res
    res.trigger_key, res.trigger_date = "", trigger_date
    res.period_start = trigger_date + dt.timedelta(days=1)
    if rule.period_years:
        end, note = anniversary(trigger_date, rule.period_years)
        if note:
            res.warnings.append(note)
    else:
        end = trigger_date
    end += dt.timedelta(days=rule.period_days)
    res.untolled_end = res.last_day = end
    res.steps.append(f"Trigger: {rule.trigger_label}, {_fmt(trigger_date)} (excluded); {rule.period_text} "
                     f"→ last day {_fmt(end)}.")
    due, why = roll_forward(end, jur.calendar)
    res.roll_forward = why
    if why:
        res.steps.append("; ".join(why) + f" → runs to {_fmt(due)} ({rule.roll_forward}).")
    res.due, res.status = due, COMPUTED
    if rule.verify:
        res.warnings.append("this rule is marked 'verify' in its rule file: check the statute's current text")
    return res
