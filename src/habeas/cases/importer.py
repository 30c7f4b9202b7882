"""Import a case file (the habeas case format, ``schema/case.schema.json``; docs/case-format.md).

:func:`import_case` reads the file, checks it in three passes — JSON syntax, the JSON Schema,
then the meaning (references between objects, real calendar dates, unique item numbers,
unnamed private persons) — and only then writes the whole case in one transaction. Any
problem raises :class:`CaseImportError` naming the file, the line and the field, and nothing
is written.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterator

import jsonschema
from django.contrib.auth import get_user_model
from django.db import transaction

from habeas.cases import models as m
from habeas.cases.json_lines import format_path, line_of
from habeas.cases.partial_dates import DAY, MONTH, YEAR

FORMAT, VERSION = "habeas-case", 1
SCHEMA_PATH = Path(__file__).with_name("schema") / "case.schema.json"

Path_ = tuple  # a JSON path: keys and list indexes


class CaseImportError(ValueError):
    """A case file that cannot be imported. Nothing was written.

    ``file``, ``line`` (1-based, or None) and ``field`` (a JSON path such as
    ``evidence_items[3].custody[0].seal_condition``) locate the first problem;
    ``problems`` lists every problem found as ``(line, field, message)``.
    """

    def __init__(self, message: str, *, file: str, line: int | None = None, field: str = "",
                 problems: list[tuple[int | None, str, str]] | None = None):
        self.file, self.line, self.field, self.reason = file, line, field, message
        self.problems = problems or [(line, field, message)]
        where = file + (f": line {line}" if line else "") + (f": {field}" if field else "")
        more = len(self.problems) - 1
        super().__init__(f"{where}: {message}" + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""))


@functools.cache
def case_schema() -> dict:
    """The JSON Schema of the case format (draft 2020-12), as a dict."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


# --- reading and checking ---------------------------------------------------------------------

def _read(path_or_file: str | os.PathLike | IO) -> tuple[str, str]:
    """Return ``(text, display name)`` of a path or an open (text or binary) file."""
    if isinstance(path_or_file, (str, os.PathLike)):
        name = str(path_or_file)
        raw = Path(path_or_file).read_bytes()
    else:
        name = str(getattr(path_or_file, "name", "<stream>"))
        raw = path_or_file.read()
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CaseImportError(f"not UTF-8 text (byte {exc.start})", file=name) from None
    return raw, name


def _parse(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CaseImportError(f"invalid JSON: {exc.msg} (column {exc.colno})", file=name, line=exc.lineno,
                              field="") from None
    except RecursionError:  # thousands of nested brackets: no case file looks like that
        raise CaseImportError("invalid JSON: nested too deeply", file=name, line=1, field="") from None


def _schema_problems(data: Any, text: str) -> list[tuple[int, str, str]]:
    validator = jsonschema.Draft202012Validator(case_schema())
    problems = []
    for err in validator.iter_errors(data):
        path = list(err.absolute_path)
        message = err.message
        if err.validator == "required" and isinstance(err.instance, dict):
            missing = [k for k in err.validator_value if k not in err.instance]
            field = format_path(path + missing[:1])
            message = f"required field {missing[0]!r} is missing" if missing else message
        elif err.validator == "additionalProperties" and isinstance(err.instance, dict):
            allowed = err.schema.get("properties", {})
            extra = [k for k in err.instance if k not in allowed]
            path = path + extra[:1]
            field = format_path(path)
            message = f"unknown field {extra[0]!r}" if extra else message
        else:
            field = format_path(path)
            if len(message) > 200:
                message = message[:200] + "…"
        problems.append((line_of(text, path), field, message))
    return problems


def _each(data: dict, key: str) -> Iterator[tuple[int, dict]]:
    yield from enumerate(data.get(key) or [])


_PARTIAL_DATE_KEYS = {"offense_date", "conviction_date", "sentencing_date", "start", "end", "collected_on",
                      "occurred", "requested_on", "report_date", "decided", "date"}
_DAY_KEYS = {"opened_on", "closed_on", "due_on"}


def _walk(value: Any, path: tuple) -> Iterator[tuple[tuple, str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "field_sources":
                continue
            yield path, k, v
            yield from _walk(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, path + (i,))


def _semantic_problems(data: dict) -> list[tuple[Path_, str]]:
    """Problems the schema cannot express, as ``(json path, message)``."""
    problems: list[tuple[Path_, str]] = []

    for path, key, value in _walk(data, ()):
        if isinstance(value, str) and "\x00" in value:  # PostgreSQL text cannot hold NUL
            problems.append((path + (key,), "contains a NUL character (\\u0000)"))
        if key in _PARTIAL_DATE_KEYS | _DAY_KEYS and isinstance(value, str):
            try:
                parse_date(value)
            except ValueError as exc:
                problems.append((path + (key,), f"impossible date {value!r} ({exc})"))
        if key == "created_at" and isinstance(value, str):
            try:
                dt.datetime.fromisoformat(value)
            except ValueError:
                problems.append((path + (key,), f"not an ISO 8601 date-time: {value!r}"))

    def unique(collection: str, key: str, what: str) -> set[str]:
        seen: set[str] = set()
        for i, obj in _each(data, collection):
            if key not in obj:
                continue
            if obj[key] in seen:
                problems.append(((collection, i, key), f"duplicate {what} {obj[key]!r}"))
            seen.add(obj[key])
        return seen

    people = unique("people", "id", "person id")
    claims = unique("claims", "id", "claim id")
    items = unique("evidence_items", "item_number", "item number")

    def ref(path: Path_, value: Any, known: set[str], what: str, where: str) -> None:
        if value is not None and value not in known:
            problems.append((path, f"no {what} {value!r} in {where}"))

    for i, p in _each(data, "people"):
        if p.get("public") and not m.may_be_named(p.get("kind", "")):
            problems.append((("people", i, "public"), f"a person of kind {p.get('kind')!r} is private: only the "
                                                      "client, officials, counsel and experts may be public"))
        if p.get("name") and not p.get("public", False):
            problems.append((("people", i, "name"), "a private person must not be named: remove the name "
                                                   "(the label identifies them) or mark the person public"))
    for i, c in _each(data, "convictions"):
        ref(("convictions", i, "defendant"), c.get("defendant"), people, "person with id", "people")
    for i, f in _each(data, "contributing_factors"):
        ref(("contributing_factors", i, "claim"), f.get("claim"), claims, "claim with id", "claims")
    for i, t in _each(data, "timeline"):
        ref(("timeline", i, "evidence_item"), t.get("evidence_item"), items, "evidence item", "evidence_items")
    for i, r in _each(data, "lab_requests"):
        for j, number in enumerate(r.get("items") or []):
            ref(("lab_requests", i, "items", j), number, items, "evidence item", "evidence_items")
        for k, res in enumerate(r.get("results") or []):
            for n, prof in enumerate(res.get("profiles") or []):
                base = ("lab_requests", i, "results", k, "profiles", n)
                ref(base + ("evidence_item",), prof.get("evidence_item"), items, "evidence item", "evidence_items")
                ref(base + ("person",), prof.get("person"), people, "person with id", "people")
                problems.extend(_profile_problems(base, prof))
    return problems


def _profile_problems(base: Path_, prof: dict) -> list[tuple[Path_, str]]:
    """Loci and alleles the DNA library would refuse, and more than two alleles at a locus of a
    profile not marked as a mixture (a single source has at most two)."""
    from habeas.dna import DNAError, Profile

    heights = prof.get("heights") or {}
    for locus, alleles in (prof.get("loci") or {}).items():
        try:
            one = Profile.from_mapping("", {locus: alleles}, {locus: heights[locus]} if locus in heights else None)
        except DNAError as exc:
            return [(base + ("loci", locus), str(exc))]
        n = len(next(iter(one.loci.values())))
        if n > 2 and not prof.get("is_mixture"):
            return [(base + ("loci", locus), f"{n} alleles in a profile not marked as a mixture "
                                             "(set is_mixture: true)")]
    return []


def parse_date(value: str | None) -> tuple[dt.date | None, str]:
    """``'1983'``, ``'1983-06'`` or ``'1983-06-05'`` → ``(first day of the period, precision)``.

    ``None`` → ``(None, 'day')``. Raises ``ValueError`` for an impossible date (1983-02-30)
    or text that is not one of the three forms.
    """
    if value is None:
        return None, DAY
    parts = value.split("-")
    if len(parts) == 1 and len(parts[0]) == 4:
        return dt.date(int(parts[0]), 1, 1), YEAR
    if len(parts) == 2:
        return dt.date(int(parts[0]), int(parts[1]), 1), MONTH
    if len(parts) == 3:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2])), DAY
    raise ValueError(f"not a date: {value!r}")


def check_case_file(path_or_file: str | os.PathLike | IO) -> tuple[dict, str]:
    """Read and check a case file without writing anything.

    Returns ``(data, display name)``. Raises :class:`CaseImportError` (file, line, field) for
    invalid JSON, a schema violation or a semantic problem; all schema problems (or, if there
    are none, all semantic problems) are listed in ``problems``, the first one by line in the
    message.
    """
    text, name = _read(path_or_file)
    data = _parse(text, name)
    problems = _schema_problems(data, text)
    if not problems:
        problems = [(line_of(text, path), format_path(path), msg) for path, msg in _semantic_problems(data)]
    if problems:
        problems.sort(key=lambda p: (p[0] or 0))
        line, field, message = problems[0]
        raise CaseImportError(message, file=name, line=line, field=field, problems=problems)
    return data, name


# --- writing ----------------------------------------------------------------------------------

def _sourced(obj: dict) -> dict:
    return {"source": obj.get("source", ""), "confidence": obj.get("confidence", m.CONFIRMED)}


def _pdate(obj: dict, name: str) -> dict:
    date, precision = parse_date(obj.get(name))
    return {name: date, f"{name}_precision": precision, f"{name}_text": obj.get(f"{name}_text", "")}


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@dataclass
class _Users:
    """Usernames → users of this installation (unknown names → None)."""

    cache: dict
    missing: set = field(default_factory=set)

    def get(self, username: str | None):
        if not username:
            return None
        if username not in self.cache:
            self.cache[username] = get_user_model().objects.filter(username=username).first()
            if self.cache[username] is None:
                self.missing.add(username)
        return self.cache[username]


def _write(data: dict) -> m.Case:
    users = _Users({})
    c = data["case"]
    case = m.Case.objects.create(
        caption=c["caption"], jurisdiction=c.get("jurisdiction", ""), court=c.get("court", ""),
        stage=c.get("stage", m.Case.Stage.INTAKE), outcome=c.get("outcome", ""), summary=c.get("summary", ""),
        crime_location=c.get("crime_location", ""), investigating_agency=c.get("investigating_agency", ""),
        prosecuting_office=c.get("prosecuting_office", ""), current_status=c.get("current_status", ""),
        opened_on=_day(c.get("opened_on")), closed_on=_day(c.get("closed_on")),
        field_sources=c.get("field_sources", {}), record_gaps=c.get("record_gaps", []),
        external_id=data.get("external_id", ""),
    )
    for t in data.get("team", []):
        if user := users.get(t["username"]):
            m.CaseMembership.objects.get_or_create(case=case, user=user, defaults={"role": t.get("role", "attorney")})
    for d in data.get("docket_numbers", []):
        m.DocketNumber.objects.create(case=case, court=d["court"], number=d["number"], **_sourced(d))

    roles: dict[str, m.Role] = {}
    for p in data.get("people", []):
        public = p.get("public", False)
        person = m.Person.objects.create(name=(p.get("name") or "") if public else "", is_public=public)
        roles[p["id"]] = m.Role.objects.create(case=case, person=person, kind=p["kind"], label=p["label"],
                                               description=p.get("description", ""), facts=p.get("facts", []))

    for cv in data.get("convictions", []):
        conviction = m.Conviction.objects.create(
            case=case, defendant=roles.get(cv.get("defendant")), court=cv.get("court", ""),
            **_pdate(cv, "offense_date"), **_pdate(cv, "conviction_date"), **_pdate(cv, "sentencing_date"),
            verdict=cv.get("verdict", ""), sentence=cv.get("sentence", ""),
            death_sentence=cv.get("death_sentence", False), sentence_source=cv.get("sentence_source", ""),
            **_sourced(cv))
        for o in cv.get("offenses", []):
            m.Offense.objects.create(conviction=conviction, description=o["description"],
                                     statute=o.get("statute", ""), counts=o.get("counts", 1), **_sourced(o))

    for r in data.get("custody_records", []):
        m.CustodyRecord.objects.create(case=case, facility=r["facility"], prisoner_number=r.get("prisoner_number", ""),
                                       **_pdate(r, "start"), **_pdate(r, "end"), **_sourced(r))

    claims: dict[str, m.Claim] = {}
    for cl in data.get("claims", []):
        claim = m.Claim.objects.create(case=case, ground=cl["ground"], description=cl["description"], **_sourced(cl))
        if "id" in cl:
            claims[cl["id"]] = claim
    for f in data.get("contributing_factors", []):
        m.ContributingFactor.objects.create(case=case, claim=claims.get(f.get("claim")), factor=f["factor"],
                                            status=f.get("status", "claimed"),
                                            description=f.get("description", ""), **_sourced(f))

    items: dict[str, m.EvidenceItem] = {}
    for e in data.get("evidence_items", []):
        item = m.EvidenceItem.objects.create(
            case=case, item_number=e["item_number"], external_id=e.get("external_id", ""),
            description=e["description"], kind=e.get("kind", "other"), **_pdate(e, "collected_on"),
            collected_at=e.get("collected_at", ""), collected_by=e.get("collected_by", ""),
            collection_source=e.get("collection_source", ""),
            collection_confidence=e.get("collection_confidence", m.CONFIRMED),
            current_custodian=e.get("current_custodian", ""), current_location=e.get("current_location", ""),
            status=e.get("status", "unknown"), testing_summary=e.get("testing_summary", ""), **_sourced(e))
        items[item.item_number] = item
        for ev in e.get("custody", []):
            m.CustodyEvent(
                evidence_item=item, **_pdate(ev, "occurred"), from_party=ev.get("from_party", ""),
                to_party=ev.get("to_party", ""), purpose=ev.get("purpose", ""),
                seal_condition=ev.get("seal_condition", "not_recorded"), description=ev.get("description", ""),
                recorded_by=users.get(ev.get("recorded_by")), **_sourced(ev)).save()

    for r in data.get("lab_requests", []):
        request = m.LabRequest.objects.create(
            case=case, reference=r.get("reference", ""), laboratory=r.get("laboratory", ""),
            test_kind=r.get("test_kind", "str"), method=r.get("method", ""),
            ordered_by=r.get("ordered_by", "defence"), ordered_by_detail=r.get("ordered_by_detail", ""),
            **_pdate(r, "requested_on"), status=r.get("status", "requested"), **_sourced(r))
        request.items.set([items[n] for n in r.get("items", [])])
        for res in r.get("results", []):
            result = m.LabResult.objects.create(request=request, **_pdate(res, "report_date"),
                                                finding=res.get("finding", "other"), conclusion=res["conclusion"],
                                                **_sourced(res))
            for prof in res.get("profiles", []):
                m.STRProfile.objects.create(
                    lab_result=result, kind=prof["kind"], sample_name=prof["sample_name"],
                    evidence_item=items.get(prof.get("evidence_item")), person_role=roles.get(prof.get("person")),
                    loci=prof["loci"], heights=prof.get("heights", {}), source_format=prof.get("source_format", ""),
                    is_mixture=prof.get("is_mixture", False))

    for d in data.get("decisions", []):
        m.Decision.objects.create(case=case, **_pdate(d, "decided"), body=d["body"], kind=d.get("kind", ""),
                                  outcome=d.get("outcome", ""), citation=d.get("citation", ""),
                                  external_id=d.get("external_id", ""), **_sourced(d))
    for t in data.get("timeline", []):
        m.TimelineEvent.objects.create(case=case, **_pdate(t, "date"), what=t["what"],
                                       evidence_item=items.get(t.get("evidence_item")), **_sourced(t))
    for n in data.get("notes", []):
        note = m.Note.objects.create(case=case, text=n["text"], privileged=n.get("privileged", False),
                                     author=users.get(n.get("author")))
        if n.get("created_at"):
            m.Note.objects.filter(pk=note.pk).update(created_at=dt.datetime.fromisoformat(n["created_at"]))
    for t in data.get("tasks", []):
        m.Task.objects.create(case=case, title=t["title"], assignee=users.get(t.get("assignee")),
                              due_on=_day(t.get("due_on")), done=t.get("done", False))
    case.unknown_usernames = sorted(users.missing)  # for the caller to report; not stored
    return case


def import_case(path_or_file: str | os.PathLike | IO) -> m.Case:
    """Import a habeas case file (a path, or an open text or binary file) and return the new Case.

    The file is checked whole first (:func:`check_case_file`), then written in one database
    transaction: either every record is created or none is. Each import creates a new case,
    even when a case with the same ``external_id`` exists (see :func:`find_imported`).
    Usernames (team, note authors, task assignees) with no account here are left empty and
    listed in the returned case's ``unknown_usernames``.
    Raises :class:`CaseImportError` (a ``ValueError``) with file, line and field.
    """
    data, _name = check_case_file(path_or_file)
    with transaction.atomic():
        return _write(data)


def import_case_text(text: str, name: str = "<text>") -> m.Case:
    """:func:`import_case` for a JSON string (``name`` is used in error messages)."""
    stream = io.StringIO(text)
    stream.name = name
    return import_case(stream)


def find_imported(external_id: str) -> m.Case | None:
    """The first case imported with this ``external_id``, or None."""
    if not external_id:
        return None
    return m.Case.objects.filter(external_id=external_id).order_by("pk").first()


def record_counts(case: m.Case) -> dict[str, int]:
    """How many records of each kind a case has: ``{'people': 18, 'evidence items': 17, …}``."""
    return {
        "docket numbers": case.docket_numbers.count(),
        "people": case.roles.count(),
        "convictions": case.convictions.count(),
        "custody records": case.custody_records.count(),
        "claims": case.claims.count(),
        "contributing factors": case.contributing_factors.count(),
        "evidence items": case.evidence_items.count(),
        "custody events": m.CustodyEvent.objects.filter(evidence_item__case=case).count(),
        "lab requests": case.lab_requests.count(),
        "lab results": m.LabResult.objects.filter(request__case=case).count(),
        "decisions": case.decisions.count(),
        "timeline events": case.timeline_events.count(),
        "notes": case.notes.count(),
        "tasks": case.tasks.count(),
    }
