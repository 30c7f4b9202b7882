"""Clemency and DNA-testing-motion packets assembled from the case record.

:func:`packet_data` collects the record into plain data (strings, lists, dicts) that both
renderers use: :func:`render_html` / :func:`render_pdf` (Django template → WeasyPrint) and
:func:`render_docx` (a docxtpl ``.docx`` template). Templates can be replaced by an
organisation: put files of the same name in ``$HABEAS_HOME/packet_templates/`` —
``petitions/packet/<kind>.html`` (or ``base.html``, ``sections.html``) and ``packet.docx``.

The exhibit index is a simple input: a list of :class:`Exhibit` (title, date, kind, pages).
Left out, it is filled from the documents app when that app has a ``Document`` model.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.template import Context, Engine

from habeas.petitions.dna_hook import COLUMNS as DNA_COLUMNS
from habeas.petitions.dna_hook import HEADERS as DNA_HEADERS
from habeas.petitions.dna_hook import dna_statistics_rows

PACKAGE_DIR = Path(__file__).parent
DOCX_TEMPLATE = PACKAGE_DIR / "docx" / "packet.docx"

KINDS = {
    "clemency": {
        "title": "Application for Executive Clemency",
        "subtitle": "Supporting record: commutation of sentence / pardon",
        "addressee": "To the Governor",
        "requirement_rules": {"california": ["california:clemency"]},
        "filename": "clemency-packet",
    },
    "dna-motion": {
        "title": "Motion for Post-Conviction DNA Testing",
        "subtitle": "Supporting record and exhibits",
        "addressee": "To the Court that entered the judgment",
        "requirement_rules": {"california": ["california:pc1405-motion"]},
        "filename": "dna-motion-packet",
    },
}
FORMATS = ("pdf", "docx", "html")


@dataclass
class Exhibit:
    title: str
    date: str = ""
    kind: str = ""
    pages: int | None = None
    source: str = ""


def org_template_dir() -> Path:
    return Path(getattr(settings, "HOME", ".")) / "packet_templates"


def _d(obj, name: str) -> str:
    return obj.partial(name) if obj is not None else ""


def _src(obj) -> str:
    s = (getattr(obj, "source", "") or "").strip()
    if s and getattr(obj, "confidence", "") == "reported":
        s += " [reported — verify]"
    return s


def exhibits_from_documents(case, ids: list[int] | None = None) -> list[Exhibit] | None:
    """Exhibits from the documents app, or None when that app has no Document model yet."""
    try:
        from habeas.documents import models as doc_models
    except ImportError:
        return None
    Document = getattr(doc_models, "Document", None)
    if Document is None:
        return None
    fields = {f.name for f in Document._meta.get_fields()}
    qs = Document.objects.all()
    if "case" in fields:
        qs = qs.filter(case=case)
    elif "cases" in fields:
        qs = qs.filter(cases=case)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    out = []
    for doc in qs.order_by("pk"):
        date = ""
        for name in ("date", "document_date", "dated", "filed_on"):
            if name in fields and getattr(doc, name, None):
                v = getattr(doc, name)
                date = doc.partial(name) if hasattr(doc, "partial") and f"{name}_precision" in fields else str(v)
                break
        kind = ""
        if "kind" in fields:
            kind = getattr(doc, "get_kind_display", lambda: doc.kind)()
        pages = next((getattr(doc, n) for n in ("page_count", "pages", "num_pages") if n in fields), None)
        out.append(Exhibit(title=getattr(doc, "title", "") or str(doc), date=date, kind=str(kind or ""),
                           pages=pages if isinstance(pages, int) and pages > 0 else None,
                           source=getattr(doc, "citation", "") or getattr(doc, "source", "") or ""))
    return out


def _ordered_by(req) -> str:
    """'Governor (Gov. Newsom, executive order)' — the detail alone when it already names the kind."""
    kind, detail = req.get_ordered_by_display(), (req.ordered_by_detail or "").strip()
    if not detail:
        return kind
    return detail if detail.lower().startswith(kind.lower()) else f"{kind} ({detail})"


def _letters(n: int) -> str:
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


# The parameters under each statistic, in print order, with their labels (the row's other keys —
# sample, item, statistic, value — are the block's heading and its prominent line).
DNA_DETAIL_LABELS = dict(zip(DNA_COLUMNS, DNA_HEADERS)) | {
    "reference": "Compared with", "noc": "Number of contributors (NOC)"}
DNA_DETAILS = ["reference", "propositions", "population", "theta", "dropout_dropin", "noc", "model", "note"]
_HP_HD = re.compile(r"^\s*Hp\s*:\s*(?P<hp>.*?)\s*[/;]\s*Hd\s*:\s*(?P<hd>.*?)\s*$", re.S)


def dna_blocks(rows: list[dict]) -> list[dict]:
    """The statistics rows grouped for print: one entry per evidence sample (in the rows' order),
    each with its statistics; a statistic has ``statistic``, ``value`` and ``details`` — a list
    of ``{"label", "value"}`` for the parameters that are given (blank ones are left out), the
    propositions split into an Hp and an Hd line when written ``Hp: … / Hd: …``."""
    samples: list[dict] = []
    for r in rows:
        key = (r.get("sample", ""), r.get("item", ""))
        if not samples or (samples[-1]["sample"], samples[-1]["item"]) != key:
            samples.append({"sample": key[0], "item": key[1], "stats": []})
        details = []
        for col in DNA_DETAILS:
            value = (r.get(col) or "").strip()
            if not value:
                continue
            m = _HP_HD.match(value) if col == "propositions" else None
            if m:
                details += [{"label": "Proposition Hp", "value": m["hp"]},
                            {"label": "Proposition Hd", "value": m["hd"]}]
            else:
                details.append({"label": DNA_DETAIL_LABELS[col], "value": value})
        samples[-1]["stats"].append({"statistic": r.get("statistic", ""), "value": r.get("value", ""),
                                     "reference": r.get("reference", ""), "details": details})
    return samples


def requirement_checklist(case, kind: str) -> list[dict]:
    from habeas.deadlines.rules import RuleFileError, get_rule

    jur = (case.jurisdiction or "").lower()
    out = []
    for key, rule_ids in KINDS[kind]["requirement_rules"].items():
        if key not in jur:
            continue
        for rid in rule_ids:
            try:
                rule, _ = get_rule(rid)
            except (KeyError, RuleFileError):
                continue
            out += [{"text": q.text, "citation": q.citation, "verify": q.verify} for q in rule.requirements]
    return out


def packet_data(case, kind: str, exhibits: list[Exhibit] | None = None, *, organisation: str = "",
                today: dt.date | None = None) -> dict:
    """The record of ``case`` as plain data for a ``kind`` packet (``clemency`` or ``dna-motion``)."""
    if kind not in KINDS:
        raise ValueError(f"unknown packet kind {kind!r} (choose {', '.join(KINDS)})")
    from habeas.cases.models import Role

    meta = KINDS[kind]
    today = today or dt.date.today()
    roles = list(case.roles.select_related("person"))
    clients = [r.display_name for r in roles if r.kind == Role.Kind.CLIENT]
    convictions = []
    for c in case.convictions.select_related("defendant__person").prefetch_related("offenses"):
        convictions.append({
            "defendant": c.defendant.display_name if c.defendant else "",
            "court": c.court, "offense_date": _d(c, "offense_date"), "conviction_date": _d(c, "conviction_date"),
            "verdict": c.verdict, "sentence": c.sentence, "death_sentence": c.death_sentence,
            "sentencing_date": _d(c, "sentencing_date"), "source": _src(c),
            "sentence_source": c.sentence_source,
            "offenses": [{"description": o.description, "statute": o.statute, "counts": o.counts, "source": o.source}
                         for o in c.offenses.all()],
            "offenses_text": "; ".join(f"{o.counts} × {o.description}" + (f" ({o.statute})" if o.statute else "")
                                       for o in c.offenses.all()),
        })
    custody = [{"facility": r.facility, "prisoner_number": r.prisoner_number, "start": _d(r, "start"),
                "end": _d(r, "end") or "present", "source": _src(r)} for r in case.custody_records.all()]
    claims = []
    for cl in case.claims.prefetch_related("factors"):
        claims.append({"ground": cl.get_ground_display(), "description": cl.description, "source": _src(cl)})
    factors = [{"factor": f.get_factor_display(), "status": f.get_status_display(), "description": f.description,
                "source": _src(f)} for f in case.contributing_factors.all()]
    evidence = []
    for item in case.evidence_items.prefetch_related("custody_events"):
        events = list(item.custody_events.all())
        evidence.append({
            "number": item.item_number, "description": item.description, "kind": item.get_kind_display(),
            "collected": _d(item, "collected_on"), "collected_at": item.collected_at,
            "collected_by": item.collected_by, "status": item.get_status_display(),
            "custodian": item.current_custodian, "location": item.current_location,
            "testing": item.testing_summary, "custody_events": len(events),
            "last_custody": (f"{events[-1].partial('occurred')} {events[-1].from_party} → {events[-1].to_party}".strip()
                             if events else ""),
            "source": _src(item),
        })
    lab = []
    for req in case.lab_requests.prefetch_related("items", "results"):
        lab.append({
            "reference": req.reference, "laboratory": req.laboratory, "test": req.get_test_kind_display(),
            "method": req.method, "ordered_by": req.get_ordered_by_display(), "ordered_by_detail": req.ordered_by_detail,
            "ordered_by_text": _ordered_by(req),
            "requested": _d(req, "requested_on"), "status": req.get_status_display(),
            "items": ", ".join(i.item_number for i in req.items.all()),
            "source": _src(req),
            "results": [{"date": _d(r, "report_date"), "finding": r.get_finding_display(), "conclusion": r.conclusion,
                         "source": _src(r)} for r in req.results.all()],
        })
    lab_results = [dict(r, laboratory=l["laboratory"], test=l["test"], items=l["items"], ordered_by=l["ordered_by_text"])
                   for l in lab for r in l["results"]]
    decisions = [{"date": _d(d, "decided"), "body": d.body, "kind": d.kind, "outcome": d.outcome,
                  "citation": d.citation, "source": _src(d)} for d in case.decisions.all()]
    timeline = [{"date": _d(t, "date"), "what": t.what, "source": _src(t)} for t in case.timeline_events.all()]
    filings = []
    if hasattr(case, "filings"):
        for f in case.filings.all():
            filings.append({"kind": f.get_kind_display(), "title": f.title, "court": f.court_or_office,
                            "filed": f.filed_on.isoformat() if f.filed_on else "", "status": f.get_status_display(),
                            "decided": f.decided_on.isoformat() if f.decided_on else "",
                            "outcome": f.get_outcome_display() if f.outcome else "", "detail": f.outcome_detail})
    if exhibits is None:
        exhibits = exhibits_from_documents(case) or []
    ex_rows = [dict(asdict(e), label=_letters(i), pages=e.pages if e.pages is not None else "")
               for i, e in enumerate(exhibits)]
    dna_rows = dna_statistics_rows(case)
    custody_now = next((c for c in reversed(custody) if c["end"] == "present"), custody[-1] if custody else None)
    return {
        "kind": kind, "title": meta["title"], "subtitle": meta["subtitle"], "addressee": meta["addressee"],
        "organisation": organisation, "generated_on": today.isoformat(),
        "generated_on_long": today.strftime("%B %-d, %Y"),
        "caption": case.caption, "jurisdiction": case.jurisdiction, "court": case.court,
        "petitioner": ", ".join(clients) or "the petitioner",
        "summary": case.summary, "current_status": case.current_status, "crime_location": case.crime_location,
        "investigating_agency": case.investigating_agency, "prosecuting_office": case.prosecuting_office,
        "death_sentence": any(c["death_sentence"] for c in convictions),
        "dockets": [{"court": d.court, "number": d.number} for d in case.docket_numbers.all()],
        "convictions": convictions, "custody": custody, "custody_now": custody_now,
        "claims": claims, "factors": factors,
        "evidence": evidence, "lab": lab, "lab_results": lab_results,
        "dna_headers": DNA_HEADERS, "dna_rows": dna_rows, "dna_samples": dna_blocks(dna_rows),
        "dna_note": ("" if dna_rows else "No DNA statistics have been computed for this case in habeas yet. "
                     "Statistics (random match probability, likelihood ratio) will appear here with their "
                     "parameters: frequency database, population, theta, drop-out/drop-in and model."),
        "decisions": decisions, "timeline": timeline, "filings": filings,
        "exhibits": ex_rows, "requirements": requirement_checklist(case, kind),
        "record_gaps": list(case.record_gaps or []),
    }


# --- rendering --------------------------------------------------------------------------------

def _engine() -> Engine:
    dirs = [str(org_template_dir())] if org_template_dir().is_dir() else []
    return Engine(dirs=dirs, app_dirs=True, autoescape=True)


def render_html(data: dict) -> str:
    kind = data["kind"].replace("-", "_")
    tpl = _engine().select_template([f"petitions/packet/{kind}.html", "petitions/packet/base.html"])
    return tpl.render(Context(data))


def render_pdf(data: dict) -> bytes:
    from weasyprint import HTML

    html = render_html(data)
    return HTML(string=html, base_url=str(PACKAGE_DIR)).write_pdf()


def docx_template_path() -> Path:
    org = org_template_dir() / "packet.docx"
    return org if org.is_file() else DOCX_TEMPLATE


def render_docx(data: dict) -> bytes:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(docx_template_path()))
    tpl.render(data, autoescape=True)
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


def build_packet(case, kind: str, fmt: str, exhibits: list[Exhibit] | None = None, **kw) -> bytes:
    """The packet of ``kind`` for ``case`` in ``fmt`` (``pdf``, ``docx`` or ``html``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose {', '.join(FORMATS)})")
    data = packet_data(case, kind, exhibits, **kw)
    if fmt == "pdf":
        return render_pdf(data)
    if fmt == "docx":
        return render_docx(data)
    return render_html(data).encode()


def filename(case, kind: str, fmt: str) -> str:
    from django.utils.text import slugify

    return f"{KINDS[kind]['filename']}-{slugify(case.caption)[:50]}.{fmt}"
