"""LRmix Studio / EuroForMix file layouts.

Profiles (samples, replicates, references)::

    SampleName,Marker,Allele1,Allele2,...[,Height1,Height2,...]
    R1,D3S1358,15,16,17,
    R1,vWA,14,16,,

One row per (sample, locus); any number of samples (replicates) per file, in the order they
first appear. Tab, comma or semicolon separated; cells may be quoted; decimal commas are
accepted in alleles (``"9,3"``) and heights (``"1234,5"``). A row whose allele cells are all
blank is a locus typed with no allele above threshold (complete drop-out); a locus with no
row was not typed.

Frequencies, one column per locus and one row per allele (EuroForMix ``FreqDatabases``,
LRmix Studio frequency files)::

    "Allele","D3S1358","vWA",...
    "12","0,0014",,
    "13",,"0,0021"

A blank cell means the allele is not listed at that locus. Frequencies may use decimal
commas (inside quotes when the separator is a comma).

Both readers are pure functions over the standard :mod:`csv` module and raise
:class:`habeas.dna.errors.DNAFormatError` naming file, line and field.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

from habeas.dna.errors import DNAError, DNAFormatError, UnknownLocusError
from habeas.dna.frequencies import FrequencyTable
from habeas.dna.loci import normalise_locus
from habeas.dna.profile import Profile, allele_sort_key, normalise_allele

__all__ = ["read_lrmix_profiles", "read_wide_frequencies", "looks_like_lrmix_profiles",
           "looks_like_wide_frequencies"]

_SAMPLE_HEADERS = {"samplename", "sample", "sampleid", "sample.name", "sample_name", "sample name"}
_MARKER_HEADERS = {"marker", "locus", "loci"}
_ALLELE_RE = re.compile(r"^allele\s*[._]?\s*(\d+)$", re.IGNORECASE)
_HEIGHT_RE = re.compile(r"^height\s*[._]?\s*(\d+)$", re.IGNORECASE)


def _read_text(path) -> str:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise DNAFormatError(f"cannot read file: {exc.strerror or exc}", path=str(path)) from exc
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise DNAFormatError("file is not text", path=str(path))  # pragma: no cover (latin-1 decodes all)


def _clean(cell: str) -> str:
    """Strip blanks and stray quote marks left inside a cell (``\"\"\"vWA\"\"\"`` -> ``vWA``)."""
    return cell.strip().strip('"').strip("'").strip()


def _delimiter(header_line: str) -> str:
    """Pick the separator from the header line: tab, then semicolon, then comma."""
    if "\t" in header_line:
        return "\t"
    if header_line.count(";") > header_line.count(","):
        return ";"
    return ","


def _rows(path) -> tuple[list[tuple[int, list[str]]], str]:
    text = _read_text(path)
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), None)
    if first is None:
        raise DNAFormatError("empty file", path=str(path))
    delim = _delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, quotechar='"',
                        skipinitialspace=True)
    rows = []
    try:
        for row in reader:
            rows.append((reader.line_num, [_clean(c) for c in row]))
    except csv.Error as exc:
        raise DNAFormatError(f"malformed CSV: {exc}", path=str(path), line=reader.line_num) from exc
    rows = [(n, r) for n, r in rows if any(c for c in r)]
    return rows, delim


def _norm_header(cell: str) -> str:
    return cell.strip().strip('"').strip().lower()


def looks_like_lrmix_profiles(header: list[str]) -> bool:
    """True when a header row is the LRmix/EuroForMix profile layout (SampleName, Marker, Allele1..)."""
    h = [_norm_header(c) for c in header]
    return (len(h) >= 3 and h[0] in _SAMPLE_HEADERS and h[1] in _MARKER_HEADERS
            and any(_ALLELE_RE.match(c) for c in h[2:]))


def looks_like_wide_frequencies(header: list[str]) -> bool:
    """True when a header row is the one-column-per-locus frequency layout (Allele, <locus>...)."""
    h = [_norm_header(c) for c in header]
    return len(h) >= 2 and h[0] in {"allele", "alleles"} and not _ALLELE_RE.match(h[1])


def _locus(name: str, *, path, line, field) -> str:
    if not name:
        raise DNAFormatError("empty locus name", path=path, line=line, field=field)
    try:
        return normalise_locus(name, strict=False)
    except UnknownLocusError as exc:  # pragma: no cover (strict=False does not raise)
        raise DNAFormatError(str(exc), path=path, line=line, field=field) from exc


def _number(text: str, *, path, line, field, what: str) -> float:
    s = text.strip().replace(" ", "")
    if "," in s and "." not in s:
        s = s.replace(",", ".")
    try:
        v = float(s)
    except ValueError:
        raise DNAFormatError(f"{what} {text!r} is not a number", path=path, line=line,
                             field=field) from None
    if math.isnan(v) or math.isinf(v):
        raise DNAFormatError(f"{what} {text!r} is not a finite number", path=path, line=line,
                             field=field)
    return v


def read_lrmix_profiles(path) -> list[Profile]:
    """Read an LRmix Studio / EuroForMix sample or reference file.

    Returns one :class:`~habeas.dna.profile.Profile` per distinct ``SampleName``, in file
    order (replicates of a stain are separate profiles). Locus names are normalised to the
    CODIS/STRBase spelling where known (``"VWA"`` -> ``"vWA"``, ``"PentaE"`` -> ``"Penta E"``);
    an unrecognised marker name is kept as written so that its frequency column can still
    match. Duplicate calls at a locus (``"12,12"`` for a homozygote) collapse to one allele,
    as :meth:`Profile.from_mapping` does; heights are kept when every called allele of the row
    has one (a homozygote's two heights are summed).

    Raises :class:`DNAFormatError` (with ``path``, ``line``, ``field``) for a missing or
    unrecognised header, an empty sample or marker name, the same locus twice for one sample,
    a height that is not a number or is negative, or a height without an allele.
    """
    spath = str(path)
    rows, _ = _rows(path)
    if not rows:
        raise DNAFormatError("empty file", path=spath)
    hline, header = rows[0]
    if not looks_like_lrmix_profiles(header):
        raise DNAFormatError(
            "not an LRmix/EuroForMix profile file: expected a header "
            "'SampleName, Marker, Allele1, ...'", path=spath, line=hline,
            field=header[0] if header else None)
    allele_cols: list[tuple[int, int, str]] = []  # (column index, allele number, header)
    height_cols: dict[int, tuple[int, str]] = {}  # allele number -> (column index, header)
    for i, cell in enumerate(header[2:], start=2):
        m = _ALLELE_RE.match(_norm_header(cell))
        if m:
            allele_cols.append((i, int(m.group(1)), cell))
            continue
        m = _HEIGHT_RE.match(_norm_header(cell))
        if m:
            height_cols[int(m.group(1))] = (i, cell)
    samples: dict[str, dict[str, dict[str, float | None]]] = {}
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows[1:]:
        sample = row[0].strip() if row else ""
        if not sample:
            raise DNAFormatError("empty sample name", path=spath, line=line, field=header[0])
        raw_marker = row[1].strip() if len(row) > 1 else ""
        locus = _locus(raw_marker, path=spath, line=line, field=header[1])
        if (sample, locus) in seen:
            raise DNAFormatError(
                f"locus {locus} given twice for sample {sample!r} (first on line "
                f"{seen[(sample, locus)]})", path=spath, line=line, field=header[1])
        seen[(sample, locus)] = line
        calls: dict[str, list] = {}
        all_heights = True
        for col, num, hname in allele_cols:
            cell = row[col].strip() if col < len(row) else ""
            hcell = ""
            if num in height_cols:
                hcol, hhead = height_cols[num]
                hcell = row[hcol].strip() if hcol < len(row) else ""
            if not cell:
                if hcell:
                    raise DNAFormatError(f"height {hcell!r} given without an allele",
                                         path=spath, line=line, field=height_cols[num][1])
                continue
            try:
                allele = normalise_allele(cell)
            except DNAError as exc:
                raise DNAFormatError(str(exc), path=spath, line=line, field=hname) from exc
            h = None
            if hcell:
                h = _number(hcell, path=spath, line=line, field=height_cols[num][1],
                            what="peak height")
                if h < 0:
                    raise DNAFormatError(f"negative peak height {hcell!r}", path=spath,
                                         line=line, field=height_cols[num][1])
            else:
                all_heights = False
            calls.setdefault(allele, []).append(h)
        merged: dict[str, float | None] = {
            a: (sum(hs) if all_heights else None) for a, hs in calls.items()}
        samples.setdefault(sample, {})[locus] = merged
    out = []
    for sample, loci in samples.items():
        locs = {k: tuple(sorted(v, key=allele_sort_key)) for k, v in loci.items()}
        hts = {k: tuple(loci[k][a] for a in locs[k]) for k in locs
               if locs[k] and all(loci[k][a] is not None for a in locs[k])}
        out.append(Profile(sample=sample, loci=locs, heights=hts))
    return out


def read_wide_frequencies(path, name: str | None = None) -> FrequencyTable:
    """Read a one-column-per-locus allele frequency file (EuroForMix / LRmix Studio layout).

    ``name`` defaults to the file's stem. Returns a :class:`FrequencyTable` with
    ``freqs[locus][allele]`` in (0, 1]; blank cells are alleles not listed at that locus
    (and so absent from the table). Frequencies are kept exactly as written: not
    renormalised, not floored. ``n_individuals`` is filled when the file has an ``N`` row
    (number of individuals typed per locus), as some LRmix Studio tables do.

    Raises :class:`DNAFormatError` for a missing header, an empty or repeated locus column,
    an empty or repeated allele row, a frequency that is not a number or lies outside (0, 1]
    (a written ``0`` is read as "not listed"), or a row longer than the header.
    """
    spath = str(path)
    rows, _ = _rows(path)
    if not rows:
        raise DNAFormatError("empty file", path=spath)
    hline, header = rows[0]
    if not looks_like_wide_frequencies(header):
        raise DNAFormatError("not a wide frequency file: expected a header "
                             "'Allele, <locus>, <locus>, ...'", path=spath, line=hline,
                             field=header[0] if header else None)
    loci: list[str] = []
    for i, cell in enumerate(header[1:], start=1):
        if not cell:
            # trailing empty header cells (spreadsheet export) are ignored if the column is empty
            loci.append("")
            continue
        locus = _locus(cell, path=spath, line=hline, field=cell)
        if locus in loci:
            raise DNAFormatError(f"locus {locus} has two columns", path=spath, line=hline,
                                 field=cell)
        loci.append(locus)
    freqs: dict[str, dict[str, float]] = {l: {} for l in loci if l}
    n_ind: dict[str, int] = {}
    first_line: dict[str, int] = {}
    for line, row in rows[1:]:
        raw_allele = row[0]
        if len(row) - 1 > len(loci) and any(c for c in row[len(loci) + 1:]):
            raise DNAFormatError(f"row has {len(row)} cells but the header has {len(loci) + 1}",
                                 path=spath, line=line)
        if not raw_allele:
            raise DNAFormatError("empty allele", path=spath, line=line, field=header[0])
        if raw_allele.strip().upper() in {"N", "N.IND", "NIND", "N_INDIVIDUALS"}:
            for locus, cell in zip(loci, row[1:]):
                if locus and cell:
                    n = _number(cell, path=spath, line=line, field=locus, what="count")
                    if n <= 0 or n != int(n):
                        raise DNAFormatError(f"number of individuals {cell!r} is not a "
                                             "positive whole number", path=spath, line=line,
                                             field=locus)
                    n_ind[locus] = int(n)
            continue
        try:
            allele = normalise_allele(raw_allele)
        except DNAError as exc:
            raise DNAFormatError(str(exc), path=spath, line=line, field=header[0]) from exc
        for locus, cell in zip(loci, row[1:]):
            if not cell:
                continue
            if not locus:
                raise DNAFormatError("value in a column without a locus name", path=spath,
                                     line=line)
            v = _number(cell, path=spath, line=line, field=locus, what="frequency")
            if v == 0:
                continue
            if not 0 < v <= 1:
                raise DNAFormatError(f"frequency {cell!r} is outside (0, 1]", path=spath,
                                     line=line, field=locus)
            if allele in freqs[locus]:
                if freqs[locus][allele] != v:
                    raise DNAFormatError(
                        f"allele {allele} at {locus} given twice with different frequencies "
                        f"(line {first_line[locus + '|' + allele]}: {freqs[locus][allele]}, "
                        f"here: {v})", path=spath, line=line, field=locus)
                continue
            freqs[locus][allele] = v
            first_line[locus + "|" + allele] = line
    freqs = {l: dict(sorted(f.items(), key=lambda kv: allele_sort_key(kv[0])))
             for l, f in freqs.items() if f}
    if not freqs:
        raise DNAFormatError("no frequencies in file", path=spath)
    return FrequencyTable(name=name or Path(path).stem, freqs=freqs, source=spath,
                          n_individuals=n_ind)
