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

Both readers use the shared plumbing of :mod:`._tabular` (its ``loose`` dialect) and raise
:class:`habeas.dna.errors.DNAFormatError` naming file, line and field.
"""

from __future__ import annotations

import re
from pathlib import Path

from habeas.dna.errors import DNAFormatError
from habeas.dna.formats._tabular import (
    ProfileBuilder, first_line, parse_allele, parse_locus, parse_number, parse_sample,
    read_text, records, sniff_delimiter,
)
from habeas.dna.frequencies import FrequencyTable
from habeas.dna.profile import Profile, allele_sort_key

__all__ = ["read_lrmix_profiles", "read_wide_frequencies", "looks_like_lrmix_profiles",
           "looks_like_wide_frequencies"]

_SAMPLE_HEADERS = {"samplename", "sample", "sampleid", "sample.name", "sample_name", "sample name"}
_MARKER_HEADERS = {"marker", "locus", "loci"}
_ALLELE_RE = re.compile(r"^allele\s*[._]?\s*(\d+)$", re.IGNORECASE)
_HEIGHT_RE = re.compile(r"^height\s*[._]?\s*(\d+)$", re.IGNORECASE)


def _rows(path) -> list[tuple[int, list[str]]]:
    """Non-blank rows as (line, cells), cells unquoted; the line is a record's last line."""
    spath = str(path)
    text = read_text(path, windows=True)
    head = first_line(text)
    if not head:
        raise DNAFormatError("empty file", path=spath)
    return [(line, cells) for _, line, cells
            in records(text, sniff_delimiter(head), path=spath, loose=True)]


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
    rows = _rows(path)
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
    b = ProfileBuilder(strict=False)
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows[1:]:
        sample = parse_sample(row[0] if row else "", path=spath, line=line, field=header[0])
        raw_marker = row[1].strip() if len(row) > 1 else ""
        locus = parse_locus(raw_marker, path=spath, line=line, field=header[1], strict=False)
        if (sample, locus) in seen:
            raise DNAFormatError(
                f"locus {locus} given twice for sample {sample!r} (first on line "
                f"{seen[(sample, locus)]})", path=spath, line=line, field=header[1])
        seen[(sample, locus)] = line
        b.locus(sample, locus)
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
            allele = parse_allele(cell, path=spath, line=line, field=hname)
            h = None
            if hcell:
                h = parse_number(hcell, path=spath, line=line, field=height_cols[num][1],
                                 what="peak height", spaces=True)
                if h < 0:
                    raise DNAFormatError(f"negative peak height {hcell!r}", path=spath,
                                         line=line, field=height_cols[num][1])
            b.add(sample, locus, allele, h)
    return b.build()


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
    rows = _rows(path)
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
        locus = parse_locus(cell, path=spath, line=hline, field=cell, strict=False)
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
                    n = parse_number(cell, path=spath, line=line, field=locus, what="count",
                                     spaces=True)
                    if n <= 0 or n != int(n):
                        raise DNAFormatError(f"number of individuals {cell!r} is not a "
                                             "positive whole number", path=spath, line=line,
                                             field=locus)
                    n_ind[locus] = int(n)
            continue
        allele = parse_allele(raw_allele, path=spath, line=line, field=header[0])
        for locus, cell in zip(loci, row[1:]):
            if not cell:
                continue
            if not locus:
                raise DNAFormatError("value in a column without a locus name", path=spath,
                                     line=line)
            v = parse_number(cell, path=spath, line=line, field=locus, what="frequency",
                             spaces=True)
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
