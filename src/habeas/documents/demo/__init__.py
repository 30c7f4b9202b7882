"""The demo case's documents: opening excerpts of seven court opinions in the Kevin Cooper case
(public domain; see PROVENANCE.md here), as text PDFs, plus two scanned copies for OCR.

``load_demo_documents(case)`` adds them to the demo case and extracts them at once (OCR when
Tesseract is installed); ``habeas demo`` calls it. Running it again adds nothing (duplicates are
detected by SHA-256).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent

#: file → (title, citation, court, date)
OPINIONS = {
    "53_Cal3d_771.excerpt.pdf": ("People v. Cooper (1991) — excerpt", "53 Cal.3d 771",
                                 "Supreme Court of California", dt.date(1991, 5, 6)),
    "255_F3d_1104.excerpt.pdf": ("Cooper v. Calderon (9th Cir. 2001) — excerpt", "255 F.3d 1104",
                                 "U.S. Court of Appeals for the Ninth Circuit", dt.date(2001, 7, 9)),
    "357_F3d_1019.excerpt.pdf": ("Cooper v. Woodford (9th Cir. 2004, panel order) — excerpt", "357 F.3d 1019",
                                 "U.S. Court of Appeals for the Ninth Circuit", dt.date(2004, 2, 8)),
    "358_F3d_1117.excerpt.pdf": ("Cooper v. Woodford (9th Cir. 2004, en banc order) — excerpt", "358 F.3d 1117",
                                 "U.S. Court of Appeals for the Ninth Circuit", dt.date(2004, 2, 9)),
    "510_F3d_870.excerpt.pdf": ("Cooper v. Brown (9th Cir. 2007) — excerpt", "510 F.3d 870",
                                "U.S. Court of Appeals for the Ninth Circuit", dt.date(2007, 12, 4)),
    "565_F3d_581.excerpt.pdf": ("Cooper v. Brown (9th Cir. 2009, order denying rehearing en banc) — excerpt",
                                "565 F.3d 581", "U.S. Court of Appeals for the Ninth Circuit", dt.date(2009, 5, 11)),
    "704_F3d_772.excerpt.pdf": ("Cooper v. Ramos (9th Cir. 2012) — excerpt", "704 F.3d 772",
                                "U.S. Court of Appeals for the Ninth Circuit", dt.date(2012, 12, 27)),
}
#: scanned copies (no text layer): OCR
SCANS = {
    "358_F3d_1117.excerpt.scan.pdf": "358_F3d_1117.excerpt.pdf",
    "565_F3d_581.excerpt.scan.pdf": "565_F3d_581.excerpt.pdf",
}


def demo_files() -> list[tuple[Path, dict]]:
    """(path, metadata) of every demo document, text PDFs first."""
    out = []
    for name, (title, cite, court, date) in OPINIONS.items():
        out.append((DEMO_DIR / name, dict(title=title, citation=cite, author=court, date=date,
                                          kind="court_opinion")))
    for name, text_name in SCANS.items():
        title, cite, court, date = OPINIONS[text_name]
        out.append((DEMO_DIR / name, dict(title=title.replace(" — excerpt", " — scanned copy (OCR)"),
                                          citation="", author=court, date=date, kind="court_opinion")))
    return out


def load_demo_documents(case, stdout=None, *, ocr: bool | None = None) -> list:
    """Add the demo opinions to ``case`` and extract them now; return the documents.

    ``ocr=None``: OCR the scans when Tesseract is installed, else skip the scans (with a note).
    """
    from habeas.documents.extract import ocr_available
    from habeas.documents.ingest import add_file
    from habeas.jobs.worker import run_pending

    out = stdout or sys.stdout
    ocr = ocr_available() if ocr is None else ocr
    docs, jobs = [], []
    for path, meta in demo_files():
        if path.name in SCANS and not ocr:
            out.write(f"documents: skipped {path.name} (a scan; install Tesseract for OCR: "
                      f"scripts/install-system-deps.sh)\n")
            continue
        result = add_file(case, path, **meta)
        if result.document is None:
            out.write(f"documents: {result.message}\n")
            continue
        docs.append(result.document)
        if result.created and result.document.job_id:
            jobs.append(result.document.job_id)
    if jobs:
        out.write(f"documents: extracting {len(jobs)} court opinion excerpt(s)"
                  f"{' (OCR of the scans takes a few seconds)' if ocr else ''}…\n")
        if hasattr(out, "flush"):
            out.flush()
        run_pending(jobs)
    for d in docs:
        d.refresh_from_db()
    ready = sum(d.status == "ready" for d in docs)
    out.write(f"documents: {len(docs)} demo document(s) in the case, {ready} ready"
              f"{'' if ready == len(docs) else ' — see the failed ones on the case page'}\n")
    return docs
