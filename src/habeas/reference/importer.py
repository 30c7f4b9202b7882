"""Import the public files on exonerations and executions.

Recognised layouts (by the header row; the file may be CSV or XLSX):

* ``nre-2024`` — the National Registry of Exonerations public spreadsheet as exported in 2024
  (23 columns: ``Last Name`` … ``Date of Release``; factor columns hold the code when present).
* ``nre-2018`` — the older NRE export (24 columns with ``ID``, ``Occurred``, ``Convicted``,
  ``Exonerated`` years, ``List Add'l Crimes Recode`` and the ``*`` partial-DNA flag).
* ``dpic`` — the Death Penalty Information Center execution database CSV (14 columns).
* ``tdcj`` — the Texas executions file with TDCJ last statements (DPIC columns plus
  ``Execution``, ``Link``, ``Last Statement``, ``Sentiment``, ``FIPS``).

A file whose header differs from every layout is refused with the missing and unexpected
columns named. An import runs in one transaction: all files of a call, or none. Rows that
cannot be read (no state, no date, a duplicate key) are rejected, counted and listed on the
batch; the rest go in. Re-importing the same file changes nothing (natural keys per dataset).

The files carry no open licence: they are never shipped with habeas. A user downloads them
from the publisher (see docs/reference-data.md) and imports them; :func:`import_shared_if_present`
imports the copies in ``../shared/data`` for the demo.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from habeas.reference.models import (
    EXECUTIONS,
    EXONERATIONS,
    ChartCache,
    Dataset,
    Execution,
    Exoneration,
    ImportBatch,
)


class ReferenceImportError(ValueError):
    """A file that cannot be imported (unknown layout, wrong columns, unreadable)."""


NRE_URL = "https://www.law.umich.edu/special/exoneration/ (now https://exonerationregistry.org/)"
NRE_TERMS = ("The National Registry of Exonerations provides its public spreadsheet on request; no open "
             "data licence. Research and reference use with attribution to the NRE; not redistributed.")
DPIC_URL = "https://deathpenaltyinfo.org/executions/execution-database"
DPIC_TERMS = "No open data licence; attribution: Death Penalty Information Center. Not redistributed."
TDCJ_URL = "https://www.tdcj.texas.gov/death_row/dr_executed_offenders.html"


@dataclass(frozen=True)
class Layout:
    code: str
    kind: str
    title: str
    publisher: str
    url: str
    terms: str
    columns: tuple[str, ...]


NRE_2024 = Layout(
    "nre-2024", EXONERATIONS, "National Registry of Exonerations — public spreadsheet",
    "The National Registry of Exonerations", NRE_URL, NRE_TERMS,
    ("Last Name", "First Name", "Age", "Race", "Sex", "State", "County", "Tags", "Worst Crime Display",
     "Sentence", "Posting Date", "OM Tags", "F/MFE", "FC", "ILD", "P/FA", "DNA", "MWID", "OM",
     "Date of Crime Year", "Date of Exoneration", "Date of 1st Conviction", "Date of Release"))
NRE_2018 = Layout(
    "nre-2018", EXONERATIONS, "National Registry of Exonerations — public spreadsheet (2018 layout)",
    "The National Registry of Exonerations", NRE_URL, NRE_TERMS,
    ("Last Name", "First Name", "Age", "Race", "Sex", "State", "County", "Tags", "Worst Crime Display",
     "List Add'l Crimes Recode", "Occurred", "Convicted", "Exonerated", "Sentence", "DNA", "*", "FC", "MWID",
     "F/MFE", "P/FA", "OM", "ILD", "Posting Date", "ID"))
DPIC_COLUMNS = ("Date", "Name", "Age", "Sex", "Race", "Number / Race / Sex of Victims", "State", "Region",
                "Method", "Juvenile", "Federal", "Volunteer", "Foreign National", "County")
DPIC = Layout("dpic", EXECUTIONS, "DPIC execution database", "Death Penalty Information Center",
              DPIC_URL, DPIC_TERMS, DPIC_COLUMNS)
TDCJ = Layout("tdcj", EXECUTIONS, "Texas executions with last statements (DPIC rows and TDCJ statements)",
              "Death Penalty Information Center; Texas Department of Criminal Justice", TDCJ_URL, DPIC_TERMS,
              ("Execution",) + DPIC_COLUMNS + ("Link", "Last Statement", "Sentiment", "FIPS"))
LAYOUTS = (NRE_2024, NRE_2018, DPIC, TDCJ)


@dataclass
class Result:
    """What one file's import did."""

    path: str
    layout: str
    dataset: str
    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejections: list = field(default_factory=list)

    def line(self) -> str:
        return (f"{Path(self.path).name}: {self.layout} → {self.dataset}: read {self.read}, added {self.added}, "
                f"updated {self.updated}, unchanged {self.unchanged}, rejected {self.rejected}")


# --- reading ------------------------------------------------------------------------------------

def read_table(path: Path) -> tuple[list[str], list[list]]:
    """Header and data rows of a CSV or XLSX file (first sheet); blank rows dropped."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several kinds for a damaged file
            raise ReferenceImportError(f"{path.name}: not a readable XLSX workbook ({exc})") from exc
        try:
            rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        finally:
            wb.close()
    else:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig", errors="replace")
        rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise ReferenceImportError(f"{path.name}: the file is empty")
    header = ["" if h is None else str(h).strip() for h in rows[0]]
    while header and header[-1] == "":
        header.pop()
    data = [r for r in rows[1:] if any(v not in (None, "") and str(v).strip() for v in r)]
    return header, data


def match_layout(header: list[str], name: str, kind: str | None = None) -> Layout:
    """The layout whose columns are exactly ``header`` (any order); else a clear error."""
    got = {h.casefold(): h for h in header}
    candidates = [lay for lay in LAYOUTS if kind in (None, lay.kind)]
    for lay in candidates:
        if set(got) == {c.casefold() for c in lay.columns}:
            return lay

    def overlap(lay):
        return len(set(got) & {c.casefold() for c in lay.columns})

    best = max(candidates, key=overlap)
    if overlap(best) < len(best.columns) // 2:
        names = ", ".join(f"{lay.code} ({lay.title})" for lay in candidates)
        raise ReferenceImportError(f"{name}: header matches no known layout; expected one of: {names}")
    expected = {c.casefold(): c for c in best.columns}
    missing = [expected[c] for c in expected if c not in got]
    unexpected = [got[c] for c in got if c not in expected]
    parts = []
    if missing:
        parts.append("missing column" + ("s " if len(missing) > 1 else " ") + ", ".join(repr(c) for c in missing))
    if unexpected:
        parts.append("unexpected column" + ("s " if len(unexpected) > 1 else " ")
                     + ", ".join(repr(c) for c in unexpected))
    raise ReferenceImportError(f"{name}: {'; '.join(parts)} (layout {best.code}: {best.title})")


# --- value parsing ------------------------------------------------------------------------------

MISSING = {"", "don't know", "dont know", "unknown", "n/a", "na"}


def text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v).strip()
    return "" if s.casefold() in {"don't know"} else s


def integer(v, lo: int = 0, hi: int = 10**9) -> int | None:
    s = text(v).replace(",", "")
    if s.casefold() in MISSING:
        return None
    try:
        n = int(float(s))
    except ValueError:
        return None
    return n if lo <= n <= hi else None


def year(v) -> int | None:
    if isinstance(v, (dt.date, dt.datetime)):
        return v.year
    return integer(v, 1800, 2100)


_MDY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def date(v) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    s = text(v)
    if m := _MDY.match(s):
        mo, d, y = map(int, m.groups())
    elif m := _ISO.match(s):
        y, mo, d = map(int, m.groups())
    else:
        return None
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def flag(v) -> bool:
    return text(v).casefold() not in {"", "0", "no", "n", "false"}


def tags(v) -> str:
    return ";".join(t.strip() for t in text(v).split(";#") if t.strip()) if text(v) else ""


def digest(*parts) -> str:
    joined = "|".join(re.sub(r"\s+", " ", str(p or "")).strip().casefold() for p in parts)
    return hashlib.sha1(joined.encode()).hexdigest()


# --- row → record -------------------------------------------------------------------------------

EXO_FIELDS = [
    "row", "nre_id", "last_name", "first_name", "age", "race", "sex", "state", "county", "federal", "tags",
    "om_tags", "worst_crime", "additional_crimes", "sentence", "death_sentence", "mwid", "fc", "p_fa", "f_mfe",
    "om", "ild", "dna", "dna_partly", "crime_year", "conviction_year", "exoneration_year", "release_year",
    "conviction_date", "exoneration_date", "release_date", "posting_date", "years_to_exoneration",
]
EXE_FIELDS = [
    "row", "date", "year", "name", "age", "sex", "race", "victims", "state", "region", "method", "juvenile",
    "federal", "volunteer", "foreign_national", "county", "state_sequence", "link", "last_statement",
]


class Reject(Exception):
    pass


def exoneration_values(lay: Layout, r: dict) -> tuple[str, dict]:
    state = text(r["State"])
    if not state:
        raise Reject("no State")
    v = dict(
        last_name=text(r["Last Name"]), first_name=text(r["First Name"]), age=integer(r["Age"], 0, 120),
        race=text(r["Race"]), sex=text(r["Sex"]), state=state, county=text(r["County"]),
        federal=state.startswith("Fed-"), tags=tags(r["Tags"]), worst_crime=text(r["Worst Crime Display"]),
        sentence=text(r["Sentence"]), mwid=flag(r["MWID"]), fc=flag(r["FC"]), p_fa=flag(r["P/FA"]),
        f_mfe=flag(r["F/MFE"]), om=flag(r["OM"]), ild=flag(r["ILD"]), dna=flag(r["DNA"]),
        posting_date=date(r["Posting Date"]),
    )
    v["death_sentence"] = v["sentence"].casefold() == "death"
    if lay is NRE_2018:
        nre_id = integer(r["ID"], 1)
        if nre_id is None:
            raise Reject("no ID")
        v.update(nre_id=nre_id, additional_crimes=tags(r["List Add'l Crimes Recode"]).replace(";", "; "),
                 dna_partly=flag(r["*"]), om_tags="", crime_year=year(r["Occurred"]),
                 conviction_year=year(r["Convicted"]), exoneration_year=year(r["Exonerated"]), release_year=None,
                 conviction_date=None, exoneration_date=None, release_date=None)
        key = f"nre-{nre_id}"
    else:
        cd, ed, rd = date(r["Date of 1st Conviction"]), date(r["Date of Exoneration"]), date(r["Date of Release"])
        v.update(nre_id=None, additional_crimes="", dna_partly=False, om_tags=tags(r["OM Tags"]),
                 crime_year=year(r["Date of Crime Year"]), conviction_date=cd, exoneration_date=ed,
                 release_date=rd, conviction_year=cd.year if cd else None,
                 exoneration_year=ed.year if ed else None, release_year=rd.year if rd else None)
        key = digest(v["last_name"], v["first_name"], state, v["county"], cd, v["worst_crime"], ed)
    if v["exoneration_year"] is None:
        raise Reject("no exoneration date")
    if v["conviction_date"] and v["exoneration_date"]:
        v["years_to_exoneration"] = round((v["exoneration_date"] - v["conviction_date"]).days / 365.25, 2)
    elif v["conviction_year"]:
        v["years_to_exoneration"] = float(v["exoneration_year"] - v["conviction_year"])
    else:
        v["years_to_exoneration"] = None
    if v["years_to_exoneration"] is not None and v["years_to_exoneration"] < 0:
        v["years_to_exoneration"] = None  # an inconsistent row: keep it, but not in the durations
    return key, v


def execution_values(lay: Layout, r: dict) -> tuple[str, dict]:
    d, state, name = date(r["Date"]), text(r["State"]).upper(), text(r["Name"])
    if d is None:
        raise Reject("no execution date")
    if not state:
        raise Reject("no State")
    if not name:
        raise Reject("no Name")
    v = dict(
        date=d, year=d.year, name=name, age=integer(r["Age"], 1, 120), sex=text(r["Sex"]).lower(),
        race=text(r["Race"]), victims=text(r["Number / Race / Sex of Victims"]), state=state,
        region=text(r["Region"]), method=text(r["Method"]), juvenile=flag(r["Juvenile"]),
        federal=flag(r["Federal"]), volunteer=flag(r["Volunteer"]), foreign_national=flag(r["Foreign National"]),
        county=text(r["County"]), state_sequence=None, link="", last_statement="",
    )
    if lay is TDCJ:
        v.update(state_sequence=integer(r["Execution"], 1), link=text(r["Link"]),
                 last_statement=text(r["Last Statement"]))
    return digest(d, state, name), v


# --- import -------------------------------------------------------------------------------------

def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def parse_file(path: Path, kind: str | None = None):
    """(layout, [(key, values)], rejections, rows read) of one file, without touching the database."""
    header, data = read_table(path)
    lay = match_layout(header, path.name, kind)
    index = {h.casefold(): i for i, h in enumerate(header)}
    cols = {c: index[c.casefold()] for c in lay.columns}
    convert = exoneration_values if lay.kind == EXONERATIONS else execution_values
    records, rejections, seen = [], [], {}
    for n, raw in enumerate(data, start=2):
        r = {c: (raw[i] if i < len(raw) else None) for c, i in cols.items()}
        try:
            key, v = convert(lay, r)
            if key in seen:
                raise Reject(f"same record as row {seen[key]}")
        except Reject as exc:
            rejections.append({"row": n, "reason": str(exc)})
            continue
        seen[key] = n
        v["row"] = n
        records.append((key, v))
    return lay, records, rejections, len(data)


def insert_rows(model, dataset_id: int, batch_id: int, rows, fields) -> None:
    """INSERT the new records with one parametrised statement run over all rows (portable SQL).

    ``bulk_create`` spends most of an import preparing 250,000 field values one by one; here
    only the date columns need the backend's adaptation."""
    from django.db import connection

    if not rows:
        return
    meta = model._meta
    dates = {f for f in fields if meta.get_field(f).get_internal_type() == "DateField"}
    adapt = connection.ops.adapt_datefield_value
    cols = ["dataset_id", "batch_id", "key", *fields]
    q = connection.ops.quote_name
    sql = (f"INSERT INTO {q(meta.db_table)} ({', '.join(q(c) for c in cols)}) "
           f"VALUES ({', '.join(['%s'] * len(cols))})")
    params = [[dataset_id, batch_id, key, *((adapt(v[f]) if f in dates else v[f]) for f in fields)]
              for key, v in rows]
    with connection.cursor() as cur:
        for i in range(0, len(params), 1000):
            cur.executemany(sql, params[i:i + 1000])


def import_file(path, *, kind: str | None = None, retrieved_on: dt.date | None = None,
                retrieved_note: str = "", source_url: str = "", user=None, warm_charts: bool = True) -> Result:
    """Import one file (call inside :func:`import_files` or on its own: it is atomic either way).

    ``warm_charts`` draws the charts of the dataset right away when it is the one the analytics
    pages show by default, so the first view is fast (other editions are drawn on first view).
    """
    path = Path(path)
    if not path.is_file():
        raise ReferenceImportError(f"{path}: no such file")
    lay, records, rejections, n_read = parse_file(path, kind)
    model, fields = (Exoneration, EXO_FIELDS) if lay.kind == EXONERATIONS else (Execution, EXE_FIELDS)
    dates = [v["posting_date"] if lay.kind == EXONERATIONS else v["date"] for _, v in records]
    as_of = max((d for d in dates if d), default=None)
    sha = sha256_of(path)
    slug = f"{lay.code}-{as_of.isoformat() if as_of else sha[:12]}"
    if retrieved_on is None:
        retrieved_on = dt.date.fromtimestamp(path.stat().st_mtime)
        retrieved_note = retrieved_note or "file modification date (no retrieval date given)"
    with transaction.atomic():
        dataset, _ = Dataset.objects.update_or_create(
            slug=slug, defaults=dict(kind=lay.kind, format=lay.code, title=lay.title, publisher=lay.publisher,
                                     registry_url=lay.url, terms=lay.terms, as_of=as_of))
        previous = dataset.batches.order_by("-pk").first()
        batch = ImportBatch.objects.create(
            dataset=dataset, file_name=path.name, sha256=sha, source_url=source_url or lay.url,
            retrieved_on=retrieved_on, retrieved_note=retrieved_note, imported_by=user, rows_read=n_read)
        existing = {row[0]: row[1:] for row in model.objects.filter(dataset=dataset).values_list("key", "pk", *fields)}
        new, changed = [], []
        res = Result(str(path), lay.code, slug, read=n_read, rejected=len(rejections), rejections=rejections)
        for key, v in records:
            old = existing.get(key)
            if old is None:
                new.append((key, v))
            elif tuple(old[1:]) != tuple(v[f] for f in fields):
                changed.append(model(pk=old[0], dataset=dataset, batch=batch, key=key, **v))
            else:
                res.unchanged += 1
        insert_rows(model, dataset.pk, batch.pk, new, fields)
        if changed:
            model.objects.bulk_update(changed, fields + ["batch"], batch_size=500)
        res.added, res.updated = len(new), len(changed)
        batch.added, batch.updated, batch.unchanged, batch.rejected = res.added, res.updated, res.unchanged, res.rejected
        batch.rejections = rejections
        batch.save()
        dataset.record_count = model.objects.filter(dataset=dataset).count()
        dataset.save(update_fields=["record_count"])
        # Charts show the data and, in their footer, the file and its retrieval date: redraw them
        # when either changed.
        same = (previous is not None and not new and not changed and previous.file_name == batch.file_name
                and previous.retrieved_on == batch.retrieved_on)
        if not same:
            ChartCache.objects.filter(key__startswith=f"{dataset.slug}:").delete()
        if warm_charts and not same:
            from habeas.reference.analytics import warm
            from habeas.reference.filters import default_dataset

            if default_dataset(lay.kind) == dataset:  # the edition the pages show first
                warm(dataset)
    return res


def import_files(paths, **kwargs) -> list[Result]:
    """Import several files in one transaction: all of them or none."""
    with transaction.atomic():
        return [import_file(p, **kwargs) for p in paths]


# --- the shared copies (demo) -------------------------------------------------------------------

# Retrieval facts of the copies in ../shared/data, from their PROVENANCE.md: the date of the
# commit that last touched each file in the public repository it was taken from.
SHARED_FILES = {
    "exonerations/nre_publicspreadsheet_may2024.csv": (
        dt.date(2024, 5, 26), "https://github.com/alejandroh3005/exoneree-project (data/publicspreadsheet-may2024.csv)"),
    "exonerations/nre_publicspreadsheet_2018.xlsx": (
        dt.date(2018, 12, 3), "https://github.com/tanyarohatgi/exoneration (publicspreadsheet.xlsx)"),
    "deathpenalty/dpic_execution_database_feb2019.csv": (
        dt.date(2019, 4, 23), "https://github.com/9cLUNA/usa-executions (data/execution_database.csv)"),
    "deathpenalty/tx_executions_last_statements_2016.csv": (
        dt.date(2016, 12, 9), "https://github.com/marykaykincaid/Death-Row-Analysis (death_row.csv)"),
}
# Not a registry export (an analyst's derivation of the 2024 table): not imported.
SHARED_SKIPPED = {"exonerations/nre_exonerees_may2024_derived.csv"}


def find_shared_data() -> Path | None:
    """``shared/data`` next to the working directory or next to the source checkout, if present."""
    env = os.environ.get("HABEAS_SHARED_DATA")
    candidates = [Path(env)] if env else []
    here = Path(__file__).resolve()
    for base in [Path.cwd(), *Path.cwd().parents[:2], here.parents[3], here.parents[3].parent]:
        candidates += [base / "shared" / "data", base / ".." / "shared" / "data"]
    for c in candidates:
        if (c / "exonerations").is_dir() or (c / "deathpenalty").is_dir():
            return c.resolve()
    return None


def import_shared_if_present(stdout=None, *, warm_charts: bool = True) -> list[Result]:
    """Import the exoneration and execution files of ``../shared/data`` when that folder exists.

    Called by ``habeas demo``. Prints one line per file to ``stdout`` (default ``sys.stdout``);
    returns the results (empty when the folder is absent). Idempotent.
    """
    out = stdout or sys.stdout
    root = find_shared_data()
    if root is None:
        out.write("habeas: reference data: ../shared/data not found; skipped (see docs/reference-data.md)\n")
        return []
    results = []
    with transaction.atomic():
        for rel, (retrieved, url) in SHARED_FILES.items():
            p = root / rel
            if p.is_file():
                results.append(import_file(
                    p, retrieved_on=retrieved, source_url=url,
                    retrieved_note="date of the commit that last touched the file in the copy's repository "
                                   "(PROVENANCE.md)", warm_charts=warm_charts))
    for r in results:
        out.write(f"habeas: reference data: {r.line()}\n")
    return results
