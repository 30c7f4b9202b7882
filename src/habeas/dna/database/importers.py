"""Importing reference profiles into a :class:`~habeas.dna.database.store.ProfileDatabase`.

Layouts read (sniffed from the header, or named with ``layout=``):

- ``codis_wide``: the CODIS-style export SmartRank reads, one row per specimen::

      specimenId,TH01_1,TH01_2,TH01_3,TH01_4,SE33_1,...
      HZWK0000FR#15,6,9.3,NULL,NULL,27.2,33.2,NULL,NULL,...

  (``NULL`` or empty = no allele; comma, semicolon or tab separated; any number of allele
  columns per locus, ``<locus>_<n>``). Also the same with two columns per locus.
- ``profiles``: every layout :func:`habeas.dna.formats.read_profiles` reads (long CSV
  ``sample,marker,allele``; GeneMapper; LRmix/EuroForMix ``SampleName,Marker,Allele1..``).
- ``parquet``: wide (``id`` column and ``<locus>_1``, ``<locus>_2`` string columns) or
  long (``sample``, ``marker``, ``allele`` columns); needs pyarrow.

A reference is single-source: more than two distinct alleles at a locus is an error; one
allele is stored as a homozygote. Loci must be known STR loci (:mod:`habeas.dna.loci`);
AMEL and Y markers are dropped. Alleles must be repeat numbers (``12``, ``9.3``), ``X``/``Y``,
``OL`` or ``<n``/``>n``.

``import_database`` is all-or-nothing: with ``errors="raise"`` (default) the first problem
(duplicate id, unknown locus, bad allele, a row with the wrong number of fields as in a
truncated file, an unterminated quote) raises :class:`DNAFormatError` naming file, line and
field, and nothing is written. ``errors="collect"`` skips the bad fields / rows as SmartRank
does and returns the problems.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from habeas.dna.database.store import Builder, ProfileDatabase, save
from habeas.dna.errors import DNAError, DNAFormatError, UnknownLocusError
from habeas.dna.loci import is_statistical, normalise_locus
from habeas.dna.profile import normalise_allele

_ALLELE_RE = re.compile(r"^(\d+(\.\d+)?|X|Y|OL|[<>]\d+(\.\d+)?)$")
_NULLS = {"", "NULL", "NA", "NAN", "NONE", "-"}
_ID_COLS = {"specimenid", "specimen", "sampleid", "id", "samplename", "sample", "profileid"}


@dataclass(frozen=True)
class Problem:
    """One bad field or row skipped by ``errors="collect"``."""

    path: str
    line: int
    field: str | None
    reason: str
    specimen: str | None = None

    def __str__(self) -> str:
        return str(DNAFormatError(self.reason, path=self.path, line=self.line, field=self.field))


@dataclass
class ImportResult:
    database: ProfileDatabase
    problems: list[Problem]
    path: Path | None = None


#: Spellings in CODIS/SmartRank exports that :func:`normalise_locus` does not know.
_EXTRA_ALIASES = {"F13A1": "F13A01", "FES": "FESFPS", "FESFPS": "FESFPS", "FES/FPS": "FESFPS"}
_Y_MARKER = re.compile(r"^(DYS\d+[A-Z]*|Y[\s_-]?GATA[\s_-]?H4|YINDEL|DXS\d+)$", re.I)


def locus_of_column(name: str) -> str | None:
    """Canonical locus of a column's locus part; ``None`` for a Y-STR / X marker (kept out
    of the store: it never enters an autosomal statistic). Raises UnknownLocusError."""
    raw = name.strip()
    if _Y_MARKER.match(raw.replace(" ", "")):
        return None
    key = re.sub(r"[\s_\-.]", "", raw).upper()
    if key in _EXTRA_ALIASES:
        return _EXTRA_ALIASES[key]
    locus = normalise_locus(raw)
    return locus if is_statistical(locus) else None


def _fold(s: str) -> str:
    return re.sub(r"[\s_\-.]", "", s).lower()


def check_allele(raw: str) -> str:
    a = normalise_allele(raw)
    if not _ALLELE_RE.match(a):
        raise DNAError(f"not an allele call: {raw!r}")
    return a


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def sniff_layout(path: str | os.PathLike) -> str:
    p = Path(path)
    if p.suffix.lower() in (".parquet", ".pq") or p.is_dir():
        return "parquet"
    with open(p, "rb") as f:
        head = f.read(4)
    if head == b"PAR1":
        return "parquet"
    text = _read_text(p)
    first = text.splitlines()[0] if text else ""
    if not first.strip():
        raise DNAFormatError("empty file (no header line)", path=str(p), line=1)
    delim = max((",", ";", "\t"), key=first.count)
    cols = [c.strip() for c in next(csv.reader([first], delimiter=delim))]
    if cols and _fold(cols[0]) in _ID_COLS and any(re.search(r"_\d+$", c) for c in cols[1:]) \
            and not any(_fold(c) in ("marker", "locus") for c in cols):
        return "codis_wide"
    return "profiles"


def _codis_wide(path: Path, builder: Builder, errors: str, problems: list[Problem]) -> None:
    text = _read_text(path)
    first = text.splitlines()[0]
    delim = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    try:
        header = [c.strip() for c in next(reader)]
    except csv.Error as e:
        raise DNAFormatError(f"unreadable header: {e}", path=str(path), line=1) from e
    id_field = header[0]
    cols: list[tuple[int, str, str]] = []  # (column index, canonical locus, header text)
    skipped_loci = set()
    for j, h in enumerate(header[1:], start=1):
        m = re.match(r"^(.*?)[_\s]?(\d+)$", h)
        if not m or not m.group(1):
            raise DNAFormatError("column name is not <locus>_<n>", path=str(path), line=1, field=h)
        try:
            locus = locus_of_column(m.group(1))
        except UnknownLocusError as e:
            raise DNAFormatError(f"unknown locus {m.group(1)!r}", path=str(path), line=1,
                                 field=h) from e
        if locus is None:
            skipped_loci.add(m.group(1))
            continue
        cols.append((j, locus, h))
    seen: dict[str, int] = {}
    n_fields = len(header)
    line_no = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            raise DNAFormatError(f"malformed or truncated row ({e})", path=str(path),
                                 line=reader.line_num) from e
        line_no = reader.line_num
        if not row or all(not c.strip() for c in row):
            continue
        sid = row[0].strip()
        if len(row) != n_fields:
            p = Problem(str(path), line_no, None,
                        f"expected {n_fields} fields, found {len(row)} "
                        "(truncated file, or another separator)", sid or None)
            if errors == "raise":
                raise DNAFormatError(p.reason, path=p.path, line=p.line)
            problems.append(p)
            continue
        if not sid:
            raise DNAFormatError("empty profile id", path=str(path), line=line_no, field=id_field)
        if sid in seen:
            raise DNAFormatError(f"duplicate profile id {sid!r} (first on line {seen[sid]})",
                                 path=str(path), line=line_no, field=id_field)
        seen[sid] = line_no
        geno: dict[str, list[str]] = {}
        bad_loci = set()
        for j, locus, h in cols:
            cell = row[j].strip()
            if cell.upper() in _NULLS:
                geno.setdefault(locus, [])
                continue
            try:
                geno.setdefault(locus, []).append(check_allele(cell))
            except DNAError as e:
                if errors == "raise":
                    raise DNAFormatError(str(e), path=str(path), line=line_no, field=h) from e
                problems.append(Problem(str(path), line_no, h, str(e), sid))
                bad_loci.add(locus)
        out = {}
        for locus, als in geno.items():
            if locus in bad_loci or not als:
                continue
            distinct = sorted(set(als))
            if len(distinct) > 2:
                reason = (f"{len(distinct)} distinct alleles at {locus}: a reference profile "
                          "must be single-source")
                if errors == "raise":
                    raise DNAFormatError(reason, path=str(path), line=line_no, field=locus)
                problems.append(Problem(str(path), line_no, locus, reason, sid))
                continue
            out[locus] = tuple(distinct)
        builder.add(sid, out)


def _from_profiles(path: Path, builder: Builder) -> None:
    from habeas.dna.formats import read_profiles

    profs = read_profiles(path)
    seen = set()
    for prof in profs:
        if prof.sample in seen:
            raise DNAFormatError(f"duplicate profile id {prof.sample!r}", path=str(path),
                                 field="sample")
        seen.add(prof.sample)
        out = {}
        for locus, als in prof.loci.items():
            if not is_statistical(locus) or not als:
                continue
            for a in als:
                try:
                    check_allele(a)
                except DNAError as e:
                    raise DNAFormatError(f"{prof.sample}: {e}", path=str(path), field=locus) from e
            if len(als) > 2:
                raise DNAFormatError(f"{prof.sample}: {len(als)} alleles at {locus}: a reference "
                                     "profile must be single-source", path=str(path), field=locus)
            out[locus] = tuple(als)
        builder.add(prof.sample, out)


def _parquet(path: Path, builder: Builder) -> None:
    try:
        import pyarrow.parquet as pq
    except ImportError as e:  # pragma: no cover
        raise DNAError("reading Parquet needs pyarrow (pip install pyarrow)") from e
    try:
        table = pq.read_table(path)
    except Exception as e:  # pyarrow raises its own error types for a damaged file
        raise DNAFormatError(f"unreadable Parquet file ({e})", path=str(path)) from e
    names = table.column_names
    folded = {_fold(n): n for n in names}
    if {"marker", "allele"} <= set(folded) and (set(folded) & {"sample", "samplename", "id"}):
        sample = folded.get("sample") or folded.get("samplename") or folded.get("id")
        s, m, a = (table.column(c).to_pylist() for c in (sample, folded["marker"], folded["allele"]))
        profs: dict[str, dict[str, list[str]]] = {}
        for i, (sid, mk, al) in enumerate(zip(s, m, a)):
            if al is None or str(al).strip().upper() in _NULLS:
                continue
            try:
                locus = normalise_locus(str(mk))
                allele = check_allele(str(al))
            except DNAError as e:
                raise DNAFormatError(str(e), path=str(path), line=i + 1,
                                     field=folded["marker"]) from e
            if is_statistical(locus):
                profs.setdefault(str(sid), {}).setdefault(locus, []).append(allele)
        for sid, loci in profs.items():
            out = {}
            for locus, als in loci.items():
                d = tuple(sorted(set(als)))
                if len(d) > 2:
                    raise DNAFormatError(f"{sid}: {len(d)} alleles at {locus}: a reference "
                                         "profile must be single-source", path=str(path), field=locus)
                out[locus] = d
            builder.add(sid, out)
        return
    id_col = next((n for n in names if _fold(n) in _ID_COLS), None)
    if id_col is None:
        raise DNAFormatError("no id column (id, specimenId, sample)", path=str(path))
    cols = []
    for n in names:
        if n == id_col:
            continue
        m = re.match(r"^(.*?)[_\s]?(\d+)$", n)
        if not m:
            raise DNAFormatError("column name is not <locus>_<n>", path=str(path), field=n)
        try:
            locus = locus_of_column(m.group(1))
        except UnknownLocusError as e:
            raise DNAFormatError(f"unknown locus {m.group(1)!r}", path=str(path), field=n) from e
        if locus is not None:
            cols.append((n, locus))
    ids = table.column(id_col).to_pylist()
    data = {n: table.column(n).to_pylist() for n, _ in cols}
    seen: dict[str, int] = {}
    for i, sid in enumerate(ids):
        sid = str(sid)
        if sid in seen:
            raise DNAFormatError(f"duplicate profile id {sid!r} (first at row {seen[sid]})",
                                 path=str(path), line=i + 1, field=id_col)
        seen[sid] = i + 1
        geno: dict[str, set] = {}
        for n, locus in cols:
            v = data[n][i]
            if v is None or str(v).strip().upper() in _NULLS:
                continue
            try:
                geno.setdefault(locus, set()).add(check_allele(str(v)))
            except DNAError as e:
                raise DNAFormatError(str(e), path=str(path), line=i + 1, field=n) from e
        out = {}
        for locus, als in geno.items():
            if len(als) > 2:
                raise DNAFormatError(f"{sid}: {len(als)} alleles at {locus}", path=str(path),
                                     line=i + 1, field=locus)
            out[locus] = tuple(sorted(als))
        builder.add(sid, out)


def read_database(path: str | os.PathLike, name: str = "imported", *, layout: str | None = None,
                  errors: str = "raise") -> ImportResult:
    """Read a reference-profile file into an in-memory database (nothing written).

    Returns :class:`ImportResult` (database, problems). Raises :class:`DNAFormatError`
    (file, line, field) on bad input unless ``errors="collect"`` (codis_wide layout only:
    bad alleles and bad rows are skipped and listed; duplicate ids and unknown loci still
    raise)."""
    if errors not in ("raise", "collect"):
        raise DNAError("errors must be 'raise' or 'collect'")
    p = Path(path)
    if not p.exists():
        raise DNAFormatError("no such file", path=str(p))
    layout = layout or sniff_layout(p)
    builder = Builder()
    problems: list[Problem] = []
    if layout == "codis_wide":
        _codis_wide(p, builder, errors, problems)
    elif layout == "profiles":
        _from_profiles(p, builder)
    elif layout == "parquet":
        _parquet(p, builder)
    else:
        raise DNAError(f"unknown layout {layout!r} (codis_wide, profiles, parquet)")
    if not builder.ids:
        raise DNAFormatError("no profiles in file", path=str(p))
    db = builder.build(name)
    db.meta["source"] = {"file": str(p.resolve()), "layout": layout,
                         "problems": [str(x) for x in problems]}
    return ImportResult(db, problems)


def import_database(path: str | os.PathLike, name: str, root: str | os.PathLike | None = None,
                    *, layout: str | None = None, errors: str = "raise",
                    overwrite: bool = True) -> ImportResult:
    """Import a file into the database ``name`` (in ``root``, default
    ``$HABEAS_HOME/dna-databases``), all-or-nothing: the file is read and checked in full
    first, then written to a temporary folder and moved into place with ``os.replace``.
    On any error the existing database of that name is left exactly as it was."""
    from habeas.dna.database.store import check_name

    check_name(name)
    res = read_database(path, name, layout=layout, errors=errors)
    res.path = save(res.database, root, overwrite=overwrite)
    return res
