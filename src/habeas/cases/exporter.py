"""Export a case in the habeas case format (``schema/case.schema.json``; docs/case-format.md).

:func:`export_case` writes every field the importer reads, so import → export → import
loses nothing. Local ids (people ``p1``…, claims ``c1``…) are assigned in database order;
custody events come in chain order; hashes, sequence numbers and record timestamps other
than a note's ``created_at`` are not exported (the importer recomputes them). Attached lab
report files are not part of the case file.
"""

from __future__ import annotations

import json

from habeas.cases import models as m
from habeas.cases.importer import FORMAT, VERSION
from habeas.cases.partial_dates import format_partial


def _sourced(obj) -> dict:
    return {"source": obj.source, "confidence": obj.confidence}


def _pdate(obj, name: str) -> dict:
    value = getattr(obj, name)
    return {name: format_partial(value, getattr(obj, f"{name}_precision")) if value else None,
            f"{name}_text": getattr(obj, f"{name}_text")}


def _day(value) -> str | None:
    return value.isoformat() if value else None


def _username(user) -> str | None:
    return user.get_username() if user else None


def export_case(case: m.Case) -> dict:
    """The case as a dict in the habeas case format, version 1 (JSON-ready, deterministic)."""
    roles = list(case.roles.select_related("person").order_by("pk"))
    person_ids = {r.pk: f"p{i}" for i, r in enumerate(roles, 1)}
    claims = list(case.claims.order_by("pk"))
    claim_ids = {c.pk: f"c{i}" for i, c in enumerate(claims, 1)}
    items = list(case.evidence_items.order_by("pk"))
    item_numbers = {e.pk: e.item_number for e in items}

    data: dict = {
        "format": FORMAT,
        "version": VERSION,
        "external_id": case.external_id,
        "case": {
            "caption": case.caption, "jurisdiction": case.jurisdiction, "court": case.court,
            "stage": case.stage, "outcome": case.outcome, "summary": case.summary,
            "crime_location": case.crime_location, "investigating_agency": case.investigating_agency,
            "prosecuting_office": case.prosecuting_office, "current_status": case.current_status,
            "opened_on": _day(case.opened_on), "closed_on": _day(case.closed_on),
            "field_sources": case.field_sources, "record_gaps": case.record_gaps,
        },
        "team": [{"username": ms.user.get_username(), "role": ms.role}
                 for ms in case.memberships.select_related("user").order_by("pk")],
        "docket_numbers": [{"court": d.court, "number": d.number, **_sourced(d)}
                           for d in case.docket_numbers.order_by("pk")],
        "people": [{"id": person_ids[r.pk], "kind": r.kind, "label": r.label, "public": r.person.is_public,
                    "name": r.person.name if r.person.is_public else None,
                    "description": r.description, "facts": r.facts} for r in roles],
        "convictions": [
            {"defendant": person_ids.get(cv.defendant_id), "court": cv.court,
             **_pdate(cv, "offense_date"), **_pdate(cv, "conviction_date"), "verdict": cv.verdict,
             "sentence": cv.sentence, "death_sentence": cv.death_sentence, **_pdate(cv, "sentencing_date"),
             "sentence_source": cv.sentence_source, **_sourced(cv),
             "offenses": [{"description": o.description, "statute": o.statute, "counts": o.counts, **_sourced(o)}
                          for o in cv.offenses.order_by("pk")]}
            for cv in case.convictions.order_by("pk")],
        "custody_records": [{"facility": r.facility, "prisoner_number": r.prisoner_number,
                             **_pdate(r, "start"), **_pdate(r, "end"), **_sourced(r)}
                            for r in case.custody_records.order_by("pk")],
        "claims": [{"id": claim_ids[c.pk], "ground": c.ground, "description": c.description, **_sourced(c)}
                   for c in claims],
        "contributing_factors": [{"factor": f.factor, "status": f.status, "claim": claim_ids.get(f.claim_id),
                                  "description": f.description, **_sourced(f)}
                                 for f in case.contributing_factors.order_by("pk")],
        "evidence_items": [
            {"item_number": e.item_number, "external_id": e.external_id, "description": e.description,
             "kind": e.kind, **_pdate(e, "collected_on"), "collected_at": e.collected_at,
             "collected_by": e.collected_by, "collection_source": e.collection_source,
             "collection_confidence": e.collection_confidence, "current_custodian": e.current_custodian,
             "current_location": e.current_location, "status": e.status, "testing_summary": e.testing_summary,
             **_sourced(e),
             "custody": [{**_pdate(ev, "occurred"), "from_party": ev.from_party, "to_party": ev.to_party,
                          "purpose": ev.purpose, "seal_condition": ev.seal_condition,
                          "description": ev.description, "recorded_by": _username(ev.recorded_by),
                          **_sourced(ev)}
                         for ev in e.custody_events.select_related("recorded_by").order_by("sequence")]}
            for e in items],
        "lab_requests": [
            {"reference": r.reference, "items": [item_numbers[i.pk] for i in r.items.order_by("pk")],
             "laboratory": r.laboratory, "test_kind": r.test_kind, "method": r.method,
             "ordered_by": r.ordered_by, "ordered_by_detail": r.ordered_by_detail,
             **_pdate(r, "requested_on"), "status": r.status, **_sourced(r),
             "results": [
                 {**_pdate(res, "report_date"), "finding": res.finding, "conclusion": res.conclusion,
                  **_sourced(res),
                  "profiles": [{"kind": p.kind, "sample_name": p.sample_name,
                                "evidence_item": item_numbers.get(p.evidence_item_id),
                                "person": person_ids.get(p.person_role_id), "loci": p.loci, "heights": p.heights,
                                "source_format": p.source_format, "is_mixture": p.is_mixture}
                               for p in res.profiles.order_by("pk")]}
                 for res in r.results.order_by("pk")]}
            for r in case.lab_requests.order_by("pk")],
        "decisions": [{"external_id": d.external_id, **_pdate(d, "decided"), "body": d.body, "kind": d.kind,
                       "outcome": d.outcome, "citation": d.citation, **_sourced(d)}
                      for d in case.decisions.order_by("pk")],
        "timeline": [{**_pdate(t, "date"), "what": t.what, "evidence_item": item_numbers.get(t.evidence_item_id),
                      **_sourced(t)}
                     for t in case.timeline_events.order_by("pk")],
        "notes": [{"text": n.text, "privileged": n.privileged, "author": _username(n.author),
                   "created_at": n.created_at.isoformat() if n.created_at else None}
                  for n in case.notes.select_related("author").order_by("pk")],
        "tasks": [{"title": t.title, "assignee": _username(t.assignee), "due_on": _day(t.due_on), "done": t.done}
                  for t in case.tasks.select_related("assignee").order_by("pk")],
    }
    return data


def dumps(data: dict) -> str:
    """The case-file text of an exported (or converted) case: UTF-8 JSON, 2-space indent, final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
