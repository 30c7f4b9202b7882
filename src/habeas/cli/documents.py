"""``habeas documents add|list|work`` and ``habeas search``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from habeas.cli import CommandError, setup_django

KINDS = ["transcript", "police_report", "lab_report", "court_opinion", "correspondence", "other"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("documents", help="add and list a case's documents",
                       description="Documents of a case: store, extract text (OCR for scans), list.")
    dsub = p.add_subparsers(dest="documents_command", metavar="ACTION", required=True)

    a = dsub.add_parser("add", help="add files to a case and extract their text",
                        description="Store files in a case (content-addressed; duplicates reported) and "
                                    "extract their text, showing progress, unless --no-wait.")
    a.add_argument("case_id", type=int, metavar="CASE_ID")
    a.add_argument("files", nargs="+", metavar="FILE")
    a.add_argument("--kind", choices=KINDS, default="other", help="kind of document (default: other)")
    a.add_argument("--date", type=dt.date.fromisoformat, help="date of the document, YYYY-MM-DD")
    a.add_argument("--author", default="", help="court, agency, lab or writer")
    a.add_argument("--bates", default="", metavar="FIRST[-LAST]", help="Bates range")
    a.add_argument("--no-wait", action="store_true",
                   help="queue the extraction for the server's worker and return at once")
    a.set_defaults(handler=cmd_add)

    ls = dsub.add_parser("list", help="list a case's documents")
    ls.add_argument("case_id", type=int, metavar="CASE_ID")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=cmd_list)

    w = dsub.add_parser("work", help="run queued extraction jobs now (when no server runs)")
    w.set_defaults(handler=cmd_work)

    s = sub.add_parser("search", help="full-text search of a case's documents",
                       description='Search the pages of a case\'s documents: words (all must appear), '
                                   '"a phrase", prefix*, -excluded.')
    s.add_argument("case_id", type=int, metavar="CASE_ID")
    s.add_argument("query", metavar="QUERY")
    s.add_argument("--kind", choices=KINDS)
    s.add_argument("--from", dest="date_from", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
    s.add_argument("--to", dest="date_to", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
    s.add_argument("--limit", type=int, default=20)
    s.add_argument("--json", action="store_true", help="print the hits as JSON")
    s.set_defaults(handler=cmd_search)


def _case(case_id: int):
    from habeas.cases.models import Case

    try:
        return Case.objects.get(pk=case_id)
    except Case.DoesNotExist:
        raise CommandError(f"no case with id {case_id}") from None


def _bar(fraction: float, width: int = 28) -> str:
    n = int(round(fraction * width))
    return "[" + "#" * n + "-" * (width - n) + f"] {fraction * 100:3.0f}%"


def cmd_add(args) -> int:
    setup_django()
    from pathlib import Path


    from habeas.documents.ingest import add_file
    from habeas.documents.models import Document
    from habeas.jobs import api
    from habeas.jobs.worker import run_pending

    case = _case(args.case_id)
    first, _, last = args.bates.partition("-")
    jobs, docs, problems = [], [], 0
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            print(f"{name}: not found", file=sys.stderr)
            problems += 1
            continue
        result = add_file(case, path, kind=args.kind, date=args.date, author=args.author,
                          bates_start=first.strip(), bates_end=last.strip())
        print(result.message)
        if result.document is None or (result.created and result.document.status == Document.Status.FAILED):
            problems += 1
        if result.created and result.document and result.document.job_id:
            jobs.append(result.document.job_id)
            docs.append(result.document)
    if args.no_wait:
        if jobs:
            print(f"{len(jobs)} extraction job(s) queued; the server's worker (habeas serve) or "
                  f"'habeas documents work' runs them")
        return 1 if problems else 0
    tty = sys.stderr.isatty()
    by_job = {d.job_id: d for d in docs}

    def show(job):
        doc = by_job.get(job.pk)
        label = doc.original_filename if doc else f"job {job.pk}"
        line = f"{label[:40]:40} {_bar(job.progress)} {job.message[:40]}"
        if tty:
            sys.stderr.write("\r" + line.ljust(120)[:120])
            sys.stderr.flush()

    api.listeners.append(show)
    try:
        for job in run_pending(jobs):
            if tty:
                sys.stderr.write("\r" + " " * 120 + "\r")
            doc = Document.objects.get(pk=by_job[job.pk].pk)
            if doc.status == Document.Status.READY:
                ocr = f", {doc.ocr_pages} by OCR" if doc.ocr_pages else ""
                print(f"{doc.original_filename}: ready — {doc.page_count} page(s){ocr} (document #{doc.pk})")
            else:
                problems += 1
                print(f"{doc.original_filename}: failed — {doc.error} (document #{doc.pk}; the file is kept)")
    finally:
        api.listeners.remove(show)
    return 1 if problems else 0


def cmd_list(args) -> int:
    setup_django()
    from habeas.documents.models import Document

    case = _case(args.case_id)
    docs = Document.objects.filter(case=case).order_by("date", "title", "pk")
    rows = [{"id": d.pk, "title": d.title, "kind": d.kind, "date": d.date.isoformat() if d.date else None,
             "pages": d.page_count, "ocr_pages": d.ocr_pages, "status": d.status, "error": d.error,
             "sha256": d.sha256, "file": d.original_filename} for d in docs]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for r in rows:
        extra = f" — {r['error']}" if r["error"] else ""
        print(f"#{r['id']:<5} {r['status']:<10} {r['pages']:>5} p.  {r['date'] or '':10}  {r['title']}{extra}")
    return 0


def cmd_work(args) -> int:
    setup_django()
    from habeas.jobs.worker import run_pending

    ran = run_pending()
    for job in ran:
        print(f"job {job.pk} {job.kind}: {job.status} — {job.message}")
    print(f"{len(ran)} job(s) run")
    return 0


def cmd_search(args) -> int:
    setup_django()
    from habeas.documents.search import QueryError, search

    case = _case(args.case_id)
    try:
        results = search(args.query, cases=[case], kind=args.kind, date_from=args.date_from,
                         date_to=args.date_to, limit=args.limit)
    except QueryError as exc:
        raise CommandError(str(exc)) from None
    if args.json:
        print(json.dumps({"query": args.query, "case": case.pk, "total": results.total, "capped": results.capped,
                          "hits": [h.as_dict() for h in results.hits]}, indent=2, ensure_ascii=False))
        return 0
    if not results.hits:
        print(f"no page matches {args.query!r}")
        return 0
    many = f"more than {results.ranked_among}" if results.capped else str(results.total)
    print(f"{many} page(s) match {args.query!r}; best {len(results.hits)}:")
    for i, h in enumerate(results.hits, 1):
        d = h.as_dict()
        print(f"{i:>3}. {h.title} (document #{h.document_id}), page {h.page}")
        print(f"     {d['snippet']}")
    return 0
