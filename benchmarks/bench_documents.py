"""Benchmark of documents: text-layer ingestion (pages/s) and search latency (p50/p95) over a
corpus of 100 000 pages, on SQLite (FTS5) and PostgreSQL (tsvector + GIN).

    HABEAS_HOME=$(mktemp -d) .venv/bin/python benchmarks/bench_documents.py
    HABEAS_HOME=$(mktemp -d) .venv/bin/python benchmarks/bench_documents.py \
        --database postgres://postgres@127.0.0.1:5432/habeas_bench

The PostgreSQL database is created when missing and emptied first. The corpus is synthetic
"legal" text: words drawn (Zipf-like) from the vocabulary of the shipped court-opinion excerpts,
with case citations, dates, item numbers and names mixed in. Ingestion runs the whole pipeline
(PDFium text layer, page storage and index, eyecite citations, dates, mentions). The search part
bulk-inserts pages directly, then times :func:`habeas.documents.search.search` (ranked hits with
snippets and the total count) for a fixed mix of word, phrase, prefix and filtered queries.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import statistics
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--database", help="database URL (default: SQLite in HABEAS_HOME)")
    p.add_argument("--pages", type=int, default=100_000, help="search corpus size (default 100000)")
    p.add_argument("--ingest-pages", type=int, default=400, help="pages of the ingestion PDF (default 400)")
    p.add_argument("--repeat", type=int, default=5, help="runs of each query (default 5)")
    p.add_argument("--reuse", action="store_true",
                   help="search only, over the corpus a previous run left in the same database "
                        "(same HABEAS_HOME / --database); the database is migrated, not emptied")
    return p.parse_args()


# --- synthetic text -------------------------------------------------------------------------------

def vocabulary() -> list[str]:
    words: dict[str, int] = {}
    for f in sorted((ROOT / "src/habeas/documents/demo").glob("*.txt")):
        for w in re.findall(r"[A-Za-z][a-z']+", f.read_text()):
            words[w] = words.get(w, 0) + 1
    extra = ("testimony witness sheriff deputy laboratory serology hatchet footprint shoe print tennis "
             "bloodstain hallway evidence custody envelope analyst criminalist report transcript "
             "cross-examination objection sustained overruled juror verdict penalty mitigation "
             "aggravating habeas petition exculpatory suppressed Brady impeachment detective").split()
    for w in extra:
        words[w] = words.get(w, 0) + 3
    return [w for w, _ in sorted(words.items(), key=lambda kv: -kv[1])]


class TextMaker:
    def __init__(self, seed=7):
        self.rng = random.Random(seed)
        self.vocab = vocabulary()
        n = len(self.vocab)
        self.weights = [1 / (i + 1) ** 0.9 for i in range(n)]
        self.cum = []
        total = 0.0
        for w in self.weights:
            total += w
            self.cum.append(total)

    def words(self, k):
        return self.rng.choices(self.vocab, cum_weights=self.cum, k=k)

    def sentence(self):
        r = self.rng
        s = " ".join(self.words(r.randint(8, 22)))
        roll = r.random()
        if roll < 0.08:
            s += f", {r.randint(100, 999)} F.{r.choice(['2d', '3d'])} {r.randint(1, 1500)} (9th Cir. {r.randint(1970, 2020)})"
        elif roll < 0.14:
            s += f" on {r.choice(['January', 'March', 'June', 'August', 'October'])} {r.randint(1, 28)}, {r.randint(1978, 2021)}"
        elif roll < 0.18:
            s += f" item {r.choice('ABCDEV')}-{r.randint(1, 300)}"
        return s[0].upper() + s[1:] + "."

    def page(self, lines=42):
        out, line = [], ""
        while len(out) < lines:
            for w in self.sentence().split():
                if len(line) + len(w) + 1 > 88:
                    out.append(line)
                    line = ""
                line = f"{line} {w}" if line else w
        return "\n".join(out[:lines])


# --- a minimal text-layer PDF writer (Helvetica, one text object per page) ---------------------

def write_pdf(path: Path, pages: list[str]) -> None:
    objs: list[bytes] = []

    def add(b: bytes) -> int:
        objs.append(b)
        return len(objs)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    pages_id = len(objs) + 1 + 2 * len(pages)  # placeholder id, fixed below
    kids = []
    for text in pages:
        ops = ["BT /F1 10 Tf 13 TL 54 740 Td"]
        for line in text.split("\n"):
            esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({esc}) Tj T*")
        ops.append("ET")
        data = zlib.compress("\n".join(ops).encode("latin-1", "replace"))
        content = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, content, font)))
    assert add(b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
               + b"] /Count %d >>" % len(kids)) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, catalog, xref)
    path.write_bytes(bytes(out))


# --- the benchmark ------------------------------------------------------------------------------

def setup(database: str | None, reuse: bool = False):
    if database:
        os.environ["HABEAS_DATABASE_URL"] = database
        if database.startswith("postgres") and not reuse:
            import psycopg

            base, _, name = database.rpartition("/")
            with psycopg.connect(base + "/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "habeas.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def bench_ingest(n_pages: int, maker: TextMaker) -> dict:
    import tempfile

    from habeas.cases.models import Case, EvidenceItem
    from habeas.documents import extract
    from habeas.documents.ingest import add_file, extract_document

    case = Case.objects.create(caption="Benchmark v. Ingestion")
    for i in range(1, 40):
        EvidenceItem.objects.create(case=case, item_number=f"A-{i}", description="bench item")
    pages = [maker.page() for _ in range(n_pages)]
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "bench.pdf"
        write_pdf(pdf, pages)
        t = time.perf_counter()
        n = sum(1 for _ in extract.read(pdf, "pdf", ocr=False))
        text_only = n / (time.perf_counter() - t)
        t = time.perf_counter()
        result = add_file(case, pdf, queue=False)
        doc = extract_document(result.document)
        elapsed = time.perf_counter() - t
        t = time.perf_counter()
        pdf2 = Path(tmp) / "bench2.pdf"
        write_pdf(pdf2, pages[::-1])
        r2 = add_file(case, pdf2, queue=False)
        extract_document(r2.document, analyze_pages=False)
        index_only = n_pages / (time.perf_counter() - t)
    assert doc.status == "ready" and doc.page_count == n_pages, doc.error
    return {"pages": n_pages, "full_pipeline_pages_per_s": n_pages / elapsed,
            "text_layer_only_pages_per_s": text_only, "store_and_index_pages_per_s": index_only,
            "citations": doc.citations.count(), "dates": doc.proposed_events.count(),
            "mentions": doc.mentions.count()}


def build_corpus(n_pages: int, maker: TextMaker) -> list:
    from django.db import connection, transaction

    from habeas.cases.models import Case
    from habeas.documents.models import Document, Page

    cases = [Case.objects.create(caption=f"Benchmark case {i}") for i in range(10)]
    per_doc = 100
    kinds = [k for k, _ in Document.Kind.choices]
    rng = random.Random(3)
    import datetime as dt

    t = time.perf_counter()
    made = 0
    pool = [maker.page() for _ in range(2000)]  # shuffled pages from a pool, with a unique line each
    while made < n_pages:
        with transaction.atomic():
            docs = Document.objects.bulk_create([
                Document(case=cases[(made // per_doc + j) % 10], title=f"Bench document {made // per_doc + j}",
                         kind=kinds[(made // per_doc + j) % len(kinds)],
                         date=dt.date(1980, 1, 1) + dt.timedelta(days=rng.randint(0, 15000)),
                         original_filename="bench.pdf", sha256=f"{made // per_doc + j:064x}", size=1,
                         file_type="pdf", status="ready", page_count=per_doc)
                for j in range(10)])
            rows = []
            for d in docs:
                for number in range(1, per_doc + 1):
                    text = rng.choice(pool) + f"\nExhibit {made + 1} page {number} {maker.sentence()}"
                    rows.append(Page(document=d, number=number, text=text))
                    made += 1
            Page.objects.bulk_create(rows, batch_size=2000)
    load = time.perf_counter() - t
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE documents_page")
    else:
        with connection.cursor() as cur:
            cur.execute("INSERT INTO documents_page_fts(documents_page_fts) VALUES ('optimize')")
            cur.execute("ANALYZE")
    return cases, load


QUERIES = [
    ("word (common)", "court", {}),
    ("word (common)", "petition", {}),
    ("word (medium)", "testimony", {}),
    ("word (medium)", "serology", {}),
    ("word (rare)", "hatchet", {}),
    ("word (rare)", "impeachment", {}),
    ("two words", "habeas corpus", {}),
    ("two words", "blood hallway", {}),
    ("three words", "sheriff evidence custody", {}),
    ("phrase", '"the court"', {}),
    ("phrase", '"habeas corpus"', {}),
    ("phrase", '"state prison"', {}),
    ("prefix", "exculpat*", {}),
    ("prefix", "testi*", {}),
    ("prefix", "cal*", {}),
    ("prefix + word", "murder* Cooper", {}),
    ("citation", '"9th Cir"', {}),
    ("exclusion", "blood -hatchet", {}),
    ("case filter", "testimony", {"case": True}),
    ("kind filter", "petition", {"kind": "transcript"}),
    ("date filter", "evidence", {"date_from": "1990-01-01", "date_to": "1999-12-31"}),
    ("case + phrase", '"habeas corpus"', {"case": True}),
]


def bench_search(cases, repeat: int) -> dict:
    from habeas.documents.search import search

    times, per_kind = [], {}
    for label, q, opts in QUERIES:
        kwargs = {k: v for k, v in opts.items() if k != "case"}
        if opts.get("case"):
            kwargs["cases"] = [cases[3]]
        search(q, **kwargs)  # warm
        for _ in range(repeat):
            t = time.perf_counter()
            r = search(q, limit=20, **kwargs)
            ms = (time.perf_counter() - t) * 1000
            times.append(ms)
            per_kind.setdefault(label, []).append(ms)
        per_kind[label + f" [{q}] hits"] = r.total
    times.sort()
    pct = lambda p: times[min(len(times) - 1, int(round(p / 100 * (len(times) - 1))))]  # noqa: E731
    return {"queries": len(times), "p50_ms": pct(50), "p95_ms": pct(95), "max_ms": times[-1],
            "mean_ms": statistics.mean(times), "per_query": per_kind}


def main() -> int:
    args = parse_args()
    setup(args.database, args.reuse)
    from django.db import connection

    maker = TextMaker()
    vendor = connection.vendor
    version = connection.cursor().connection.info.server_version if vendor == "postgresql" else \
        __import__("sqlite3").sqlite_version
    print(f"# documents benchmark — {vendor} {version}")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPU, "
          f"Python {platform.python_version()}, {platform.system()} {platform.release()}")
    if args.reuse:
        return search_only(args)
    ing = bench_ingest(args.ingest_pages, maker)
    print(f"ingestion ({ing['pages']}-page text PDF): full pipeline {ing['full_pipeline_pages_per_s']:.0f} pages/s "
          f"(text layer alone {ing['text_layer_only_pages_per_s']:.0f} pages/s; store+index without "
          f"citations/dates/mentions {ing['store_and_index_pages_per_s']:.0f} pages/s); "
          f"found {ing['citations']} citations, {ing['dates']} dates, {ing['mentions']} mentions")
    cases, load = build_corpus(args.pages, maker)
    print(f"corpus: {args.pages} pages bulk-inserted and indexed in {load:.1f} s")
    report_search(bench_search(cases, args.repeat), args.pages)
    return 0


def search_only(args) -> int:
    from django.db import connection

    from habeas.cases.models import Case
    from habeas.documents.models import Page

    cases = list(Case.objects.filter(caption__startswith="Benchmark case ").order_by("pk"))
    n = Page.objects.filter(document__case__in=cases).count()
    if len(cases) != 10 or not n:
        print("no corpus to reuse: run once without --reuse", file=sys.stderr)
        return 1
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE documents_page" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"corpus: {n} pages (reused)")
    report_search(bench_search(cases, args.repeat), n)
    return 0


def report_search(s: dict, pages: int) -> None:
    print(f"search over {pages} pages: {s['queries']} timed queries, p50 {s['p50_ms']:.1f} ms, "
          f"p95 {s['p95_ms']:.1f} ms, max {s['max_ms']:.1f} ms, mean {s['mean_ms']:.1f} ms")
    for k, v in s["per_query"].items():
        if isinstance(v, list):
            print(f"  {k:18} median {statistics.median(v):7.1f} ms")
        else:
            print(f"      {k}: {v}")


if __name__ == "__main__":
    sys.exit(main())
