"""Convert the Cooper fixture (``cooper/case.json`` + ``timeline.csv`` + ``SOURCES.md``) to a habeas case file.

The fixture has its own layout (see ``cooper/README.md``); this module maps it onto the habeas
case format (docs/case-format.md) and keeps every citation: each fact that has a ``source``
in the fixture keeps it, word for word, with its ``confidence``. Run it to regenerate the
committed file (the output is deterministic)::

    python -m habeas.cases.demo.convert            # writes cooper/cooper.habeas.json
    python -m habeas.cases.demo.convert --check    # exit 1 when the committed file is stale

Our reading of the record, where the fixture gives text and the format wants a category,
is spelled out in the tables below (role kinds, evidence kinds and status, test kinds,
who ordered each test, findings) and in docs/case-format.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

from habeas.cases.partial_dates import format_partial, parse_partial_date

HERE = Path(__file__).resolve().parent / "cooper"
OUTPUT_NAME = "cooper.habeas.json"

# --- our reading of the fixture's text --------------------------------------------------------

ROLE_KINDS = [  # (pattern in the fixture's role text, Role.kind) — first match wins
    (r"^convicted person$", "client"),
    (r"^(surviving )?victim\b", "victim"),
    (r"alternate suspect named", "alternate_suspect"),
    (r"criminalist|expert", "expert"),
    (r"special master", "official"),
    (r"special counsel", "official"),  # counsel appointed by the Board of Parole Hearings: an official capacity
    (r"defense counsel", "attorney"),
    (r"father of victim|girlfriend|acquaintances|bar patrons", "witness"),
]

EVIDENCE_KINDS = {
    "EV-A41": "biological", "EV-CIG-HR": "cigarette", "EV-CIG-MF": "cigarette", "EV-TSHIRT": "clothing",
    "EV-TOWEL": "clothing", "EV-HATCHET": "weapon", "EV-SHEATH": "other", "EV-HAIRS": "hair",
    "EV-BUTTON": "other", "EV-NAILS": "fingernail", "EV-BLOOD-VICTIMS": "biological",
    "EV-WAGON-BLOOD": "biological", "EV-COVERALLS": "clothing", "EV-SHOEPRINTS": "impression",
    "EV-REFBLOOD": "reference", "EV-HIDEOUT-TRACE": "biological", "EV-WEAPONS-MISSING": "weapon",
}
# Item numbers as labelled in the record; items without a label of record keep the fixture id.
ITEM_NUMBERS = {"EV-A41": "A-41"}
# Status where the record says so: destroyed (coveralls, reported discarded), never recovered
# (knife, ice pick), or retested in 2019-2021 (so in custody then); otherwise unknown.
EVIDENCE_STATUS = {"EV-COVERALLS": "destroyed", "EV-WEAPONS-MISSING": "missing"}
RETEST_ID = "T-2019-RETEST"

# What each result means for the person convicted (our reading of the fixture's `result`).
FINDINGS = {
    "T-1983-SER-A41": "disputed", "T-1983-SER-TSHIRT": "other", "T-1983-HAIR-MICRO": "other",
    "T-2002-DNA-A41": "inclusion", "T-2002-DNA-CIG-HR": "inclusion", "T-2002-DNA-CIG-MF": "inclusion",
    "T-2002-DNA-TSHIRT": "inclusion", "T-2002-DNA-HATCHET": "other", "T-2004-MTDNA-HAIRS": "other",
    "T-2004-EDTA-DEF": "other", "T-2004-EDTA-STATE": "disputed", "T-2004-DNA-TSHIRT-2": "other",
    "T-2019-RETEST": "disputed",
}

# SOURCES.md keys of court records (opinions, orders, transcripts): a fact they support is confirmed.
COURT_RECORDS = {"CAL91", "CALDERON", "WOODFORD_PANEL", "WOODFORD_EB", "HUFF2005", "BROWN2007", "BROWN2009",
                 "RAMOS2012", "EDTAORDER", "HEARING2004", "HEARING2004APR", "RT_TRANSCRIPT"}
# Sources that are partisan or secondary by SOURCES.md's own notes (advocacy, defence-aligned,
# prosecution position, opinion column, secondary compilation) or are blog/wiki reposts.
PARTISAN_OR_SECONDARY = {"KCORG_KENNEDY", "KCORG_BG", "SAVEKC", "INDYBAY2004", "PETITION2016", "KRISTOF2018B",
                         "DA2021", "WTI", "MURDERPEDIA", "VOTS", "OCONNOR2012", "ROAD2J2011", "CURTAIN2011",
                         "WIKI", "WIKIMILI"}


# --- helpers ----------------------------------------------------------------------------------

def is_missing_docket(d: dict) -> bool:
    """The fixture records a docket number it could not find as text starting 'not found'."""
    return d["number"].lower().startswith("not found")


def read_sources(path: Path) -> dict[str, str]:
    """SOURCES.md table → ``{key: citation text}`` (the text facts cite)."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) >= 5 and cells[1] and cells[1] not in ("key",) and not set(cells[1]) <= {"-"}:
            out[cells[1]] = cells[2]
    return out


def cited_keys(source: str, sources: dict[str, str]) -> set[str]:
    """The SOURCES.md keys whose citation text appears in ``source``."""
    return {k for k, text in sources.items() if text and text in source}


def confidence_by_key(source: str, sources: dict[str, str]) -> str:
    """The fixture's confidence key applied to a cited source (for timeline rows, which carry none):
    confirmed when a court record supports it or two or more independent non-partisan sources do."""
    keys = cited_keys(source, sources)
    if not keys:
        raise ValueError(f"source not in SOURCES.md: {source[:80]!r}")
    if keys & COURT_RECORDS or len(keys - PARTISAN_OR_SECONDARY) >= 2:
        return "confirmed"
    return "reported"


def date_and_text(text: str | None, *, prefix: str = "") -> tuple[str | None, str]:
    """Fixture date wording → (``YYYY[-MM[-DD]]`` or None, the wording when it says more)."""
    if not text:
        return None, ""
    lead = text[len(prefix):] if prefix and text.startswith(prefix) else text
    pd = parse_partial_date(lead)
    if pd is None:
        return None, text
    iso = format_partial(pd.date, pd.precision)
    return iso, ("" if text.strip() == iso else text)


def event_date(event: str) -> tuple[str | None, str]:
    """Date of a narrative custody event: its leading date, else a 'Mon. YYYY' inside it."""
    pd = parse_partial_date(event)
    if pd is not None:
        iso = format_partial(pd.date, pd.precision)
        token = event.split()[0].rstrip(":,;")
        return iso, ("" if token == iso else token)
    m = re.search(r"\b(Jan|Feb|Mar|Apr|May|June?|July?|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+\d{4}\b", event)
    if m and (pd := parse_partial_date(m.group(0))):
        return format_partial(pd.date, pd.precision), ""
    return None, ""


def compact(obj):
    """Drop empty values (None, '', [], {}) so the file shows only what the record says."""
    if isinstance(obj, dict):
        out = {k: compact(v) for k, v in obj.items()}
        return {k: v for k, v in out.items() if v not in (None, "", [], {})}
    if isinstance(obj, list):
        return [compact(v) for v in obj]
    return obj


def sourced(obj: dict) -> dict:
    return {"source": obj.get("source") or "", "confidence": obj.get("confidence", "confirmed")}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].rstrip("-")


def role_kind(role: str) -> str:
    for pattern, kind in ROLE_KINDS:
        if re.search(pattern, role):
            return kind
    raise ValueError(f"no role kind for {role!r}: add it to ROLE_KINDS")


# --- the conversion ---------------------------------------------------------------------------

def convert(folder: Path = HERE) -> dict:
    """Read the fixture in ``folder`` and return the habeas case file as a dict."""
    fx = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    sources = read_sources(folder / "SOURCES.md")
    c = fx["case"]

    def fs(key: str, *, with_value: bool) -> dict:
        entry = c[key]
        out = {"source": entry["source"], "confidence": entry.get("confidence", "confirmed")}
        if with_value:
            out = {"value": entry["value"], **({"date": entry["date"]} if "date" in entry else {}), **out}
        if "note" in entry:
            out["note"] = entry["note"]
        return out

    case = {
        "caption": c["caption"],
        "jurisdiction": c["jurisdiction"]["value"],
        "court": c["trial_court"]["value"],
        "stage": "clemency",
        "summary": fx["fixture"]["title"],
        "crime_location": c["crime_location"]["value"],
        "investigating_agency": c["investigating_agency"]["value"],
        "prosecuting_office": c["prosecuting_office"]["value"],
        "current_status": c["status"]["value"],
        "field_sources": {
            "jurisdiction": fs("jurisdiction", with_value=False),
            "court": fs("trial_court", with_value=False),
            "crime_location": fs("crime_location", with_value=False),
            "investigating_agency": fs("investigating_agency", with_value=False),
            "prosecuting_office": fs("prosecuting_office", with_value=False),
            "current_status": fs("status", with_value=False),
            "preliminary_hearing": fs("preliminary_hearing", with_value=True),
            "offenses": fs("offenses", with_value=True),
            "offense_date": fs("offense_date", with_value=True),
            "conviction": fs("conviction", with_value=True),
            "sentence": fs("sentence", with_value=True),
        },
        "record_gaps": fx["not_found"] + [f"Docket number of the {d['court']}: {d['number']}"
                                          for d in c["docket_numbers"] if is_missing_docket(d)],
    }

    people, ids = [], {}
    for p in fx["people"]:
        pid = slug(p["role"].split("(")[0])
        assert pid not in ids.values(), pid
        ids[p["role"]] = pid
        public = bool(p.get("public"))
        people.append({"id": pid, "kind": role_kind(p["role"]), "label": p["role"], "public": public,
                       "name": p["name"] if public else None,
                       "facts": [{"fact": f["fact"], **sourced(f)} for f in p["facts"]]})
    client = ids["convicted person"]
    client_facts = next(p for p in fx["people"] if p["role"] == "convicted person")["facts"]

    offense_src = {"source": c["offenses"]["source"], "confidence": c["offenses"].get("confidence", "confirmed")}
    offense_date = date_and_text(re.search(r"\d{4}-\d{2}-\d{2}", c["offense_date"]["value"]).group(0))[0]
    sentencing_date, sentencing_text = date_and_text(c["sentence"]["date"])
    conviction = {
        "defendant": client, "court": c["trial_court"]["value"],
        "offense_date": offense_date, "offense_date_text": c["offense_date"]["value"],
        "conviction_date": date_and_text(c["conviction"]["date"])[0],
        "verdict": c["conviction"]["value"],
        "sentence": c["sentence"]["value"], "death_sentence": c["sentence"]["value"].startswith("Death"),
        "sentencing_date": sentencing_date, "sentencing_date_text": sentencing_text,
        "sentence_source": c["sentence"]["source"],
        **sourced(c["conviction"]),
        "offenses": [  # the fixture's one sentence on the offences, itemised
            {"description": "first-degree murder (two adults, two children)", "counts": 4, **offense_src},
            {"description": "attempted murder of a surviving child, with a finding of intentional infliction "
                            "of great bodily injury", "counts": 1, **offense_src},
            {"description": "escape from prison (separate guilty plea)", "counts": 1, **offense_src},
        ],
    }

    custody_records = []
    for r in c["custody"]:
        start, start_text = date_and_text(r["from"])
        end, end_text = date_and_text(r["to"])
        custody_records.append({"facility": r["facility"], "start": start, "start_text": start_text,
                                "end": end, "end_text": end_text, **sourced(r)})

    by_id = {e["id"]: e for e in fx["evidence_items"]}
    retested = set(next(t for t in fx["tests"] if t["id"] == RETEST_ID)["items"])

    def cite(*keys: str) -> str:
        return " ; ".join(sources[k] for k in keys)

    claims = [
        {"id": "innocence", "ground": "actual_innocence",
         "description": "Cooper has maintained his innocence since his arrest.", **sourced(client_facts[1])},
        {"id": "manufactured-evidence", "ground": "false_evidence",
         "description": "The defence claims that evidence against Cooper was manufactured: the hallway blood "
                        "spot A-41, the cigarette butts from the station wagon and the shoe prints (2004 "
                        "application to file a successive petition).",
         "source": cite("WOODFORD_PANEL"), "confidence": "confirmed"},
        {"id": "destroyed-coveralls", "ground": "other",
         "description": "Exculpatory evidence lost: blood-spattered coveralls handed in by the former girlfriend "
                        "of the alternate suspect were reportedly discarded by a deputy without testing.",
         **sourced(by_id["EV-COVERALLS"]["custody"][0])},
        {"id": "dna-testing", "ground": "dna",
         "description": "Cooper sought post-conviction DNA testing (2001, 2003, 2004, 2011); governors ordered "
                        "further testing in 2018 and 2019.",
         "source": cite("LAT2002", "KCORG_KENNEDY", "NBCSD2011", "CBS2018", "AP2019"), "confidence": "confirmed"},
    ]
    factors = [
        {"factor": "f_mfe", "status": "claimed", "claim": "manufactured-evidence",
         "description": "Claimed: the blood spot A-41, cigarette butts and shoe prints were manufactured; the "
                        "defence says Cooper's blood on the T-shirt came from his EDTA-preserved reference "
                        "vial (EDTA testing of 2004, disputed).",
         "source": cite("WOODFORD_PANEL", "LAT2004AUG", "LAT2004NOV", "KRISTOF2018B"), "confidence": "reported"},
        {"factor": "om", "status": "claimed", "claim": "manufactured-evidence",
         "description": "Claimed: investigators planted evidence, and coveralls linked to the alternate suspect "
                        "were discarded without testing.",
         "source": cite("WOODFORD_PANEL", "BROWN2009", "LAT2004JAN"), "confidence": "reported"},
    ]

    evidence = []
    for e in fx["evidence_items"]:
        col = e["collection"]
        collected_on, collected_text = date_and_text(col.get("when"))
        custody = []
        for ev in e["custody"]:
            occurred, occurred_text = event_date(ev["event"])
            custody.append({"occurred": occurred, "occurred_text": occurred_text, "description": ev["event"],
                            **sourced(ev)})
        status = EVIDENCE_STATUS.get(e["id"]) or ("in_custody" if e["id"] in retested else "unknown")
        evidence.append({
            "item_number": ITEM_NUMBERS.get(e["id"], e["id"]), "external_id": e["id"],
            "description": f"{e['label']}. {e['description']}", "kind": EVIDENCE_KINDS[e["id"]],
            "collected_on": collected_on, "collected_on_text": collected_text,
            "collected_at": col.get("where"), "collected_by": col.get("by"),
            "collection_source": col.get("source"), "collection_confidence": col.get("confidence", "confirmed"),
            "status": status, "testing_summary": e["testing_summary"], **sourced(e), "custody": custody,
        })
    item_number = {e["id"]: ITEM_NUMBERS.get(e["id"], e["id"]) for e in fx["evidence_items"]}

    lab_requests = []
    for t in fx["tests"]:
        method = t["method"].lower()
        kind = ("mtdna" if "mitochondrial" in method
                else "str" if "nuclear dna" in method or re.search(r"\bSTR\b", t["method"])
                else "chemical" if "edta" in method
                else "serology" if "serology" in method or "blood typing" in method else "other")
        ordered = t.get("ordered_by", "")
        if "Gov." in ordered:
            ordered_by, detail = "governor", ordered
        elif "Court" in ordered:
            ordered_by, detail = "court", ordered
        elif t.get("requested_by") == "Kevin Cooper":
            ordered_by, detail = "defence", ("Requested by Kevin Cooper; testing agreed by the California "
                                             "Attorney General under Cal. Penal Code § 1405 (D-2001-DNA-AGREE)")
        else:
            ordered_by, detail = "agency", "Investigating agency (pre-trial laboratory work)"
        requested_on, requested_text = date_and_text(t["date"], prefix="ordered ")
        m = re.search(r"results (?:announced|reviewed by) (?:early )?([^);]+)", t["date"])
        report_date = date_and_text(m.group(1))[0] if m else None
        report_text = m.group(0) if m else ""
        unknown = t["result"].startswith("Result not found")
        lab_requests.append({
            "reference": t["id"], "items": [item_number[i] for i in t["items"]], "laboratory": t["lab"],
            "test_kind": kind, "method": t["method"], "ordered_by": ordered_by, "ordered_by_detail": detail,
            "requested_on": requested_on, "requested_on_text": requested_text,
            "status": "unknown" if unknown else "completed", **sourced(t),
            "results": [{"report_date": report_date, "report_date_text": report_text, "finding": FINDINGS[t["id"]],
                         "conclusion": t["result"], **sourced(t)}],
        })

    decisions = []
    for d in fx["decisions_and_actions"]:
        decided, decided_text = date_and_text(d["date"])
        decisions.append({"external_id": d["id"], "decided": decided, "decided_text": decided_text,
                          "body": d["body"], "kind": d["type"], "outcome": d["outcome"],
                          "citation": "" if d["citation"] in ("—", "-") else d["citation"], **sourced(d)})

    timeline = []
    with (folder / "timeline.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            date, date_text = date_and_text(row["date"])
            timeline.append({"date": date, "date_text": date_text, "what": row["event"], "source": row["source"],
                             "confidence": confidence_by_key(row["source"], sources)})

    return compact({
        "format": "habeas-case", "version": 1, "external_id": fx["fixture"]["id"],
        "case": case,
        # A docket "number" that says it was not found is a gap of the record, not a number.
        "docket_numbers": [{"court": d["court"], "number": d["number"], **sourced(d)}
                           for d in c["docket_numbers"] if not is_missing_docket(d)],
        "people": people,
        "convictions": [conviction],
        "custody_records": custody_records,
        "claims": claims,
        "contributing_factors": factors,
        "evidence_items": evidence,
        "lab_requests": lab_requests,
        "decisions": decisions,
        "timeline": timeline,
    })


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Convert the Cooper fixture to the habeas case format.")
    parser.add_argument("--folder", type=Path, default=HERE, help="fixture folder (default: the packaged copy)")
    parser.add_argument("-o", "--output", type=Path, help=f"output file (default: FOLDER/{OUTPUT_NAME})")
    parser.add_argument("--check", action="store_true", help="exit 1 when the output file differs")
    args = parser.parse_args(argv)
    text = json.dumps(convert(args.folder), indent=2, ensure_ascii=False) + "\n"
    out = args.output or args.folder / OUTPUT_NAME
    if args.check:
        same = out.exists() and out.read_text(encoding="utf-8") == text
        print(f"{out}: {'up to date' if same else 'STALE'}")
        return 0 if same else 1
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
