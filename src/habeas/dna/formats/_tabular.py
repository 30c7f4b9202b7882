"""Shared plumbing for the delimited-text readers: open, sniff the delimiter, number lines.

Private to :mod:`habeas.dna.formats`. Every problem is raised as
:class:`habeas.dna.errors.DNAFormatError` with the file path and the 1-based line number.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from habeas.dna.errors import DNAError, DNAFormatError, UnknownLocusError
from habeas.dna.loci import normalise_locus
from habeas.dna.profile import normalise_allele

DELIMITERS = ("\t", ";", ",")


def fold(name: str) -> str:
    """Header cell folded for comparison: case, spaces, underscores, hyphens, dots, quotes ignored."""
    return re.sub(r"[\s_\-.\"']", "", name).lower()


def read_text(path: str | os.PathLike, *, windows: bool = False) -> str:
    """Whole file as text (UTF-8 with or without BOM; Latin-1 as a fallback for old exports).

    With ``windows``, Windows-1252 is tried before Latin-1 (LRmix Studio / EuroForMix files
    are written on Windows).
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise DNAFormatError(f"cannot read file: {e.strerror or e}", path=str(path)) from e
    for encoding in ("utf-8-sig", "cp1252") if windows else ("utf-8-sig",):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def first_line(text: str) -> str:
    """The first non-blank line of ``text`` (``""`` when there is none)."""
    for line in text.splitlines():
        if line.strip():
            return line
    return ""


def sniff_delimiter(header_line: str) -> str:
    """The delimiter of a header line: tab if any, else the most frequent of ``;`` and ``,``."""
    if "\t" in header_line:
        return "\t"
    semi, comma = header_line.count(";"), header_line.count(",")
    return ";" if semi > comma else ","


@dataclass
class Table:
    """A parsed delimited file: ``header`` cells, ``rows`` as (line number, cells) pairs."""

    path: str
    header: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]]
    delimiter: str

    def column(self, *names: str) -> int | None:
        """Index of the first header cell whose folded name is one of ``names`` (folded)."""
        wanted = [fold(n) for n in names]
        folded = [fold(h) for h in self.header]
        for w in wanted:
            if w in folded:
                return folded.index(w)
        return None

    def data_rows(self, what: str) -> list[tuple[int, list[str]]]:
        """Rows with each cell stripped; DNAFormatError ("no <what> rows after the header")
        when there is none."""
        if not self.rows:
            raise DNAFormatError(f"no {what} rows after the header", path=self.path,
                                 line=self.header_line)
        return [(line, [c.strip() for c in cells]) for line, cells in self.rows]

    def require(self, label: str, *names: str) -> int:
        """Like :meth:`column` but raise a DNAFormatError naming the missing column."""
        idx = self.column(*names)
        if idx is None:
            raise DNAFormatError(
                f"missing column {label!r} (expected one of: {', '.join(names)})",
                path=self.path, line=self.header_line, field=label)
        return idx


def unquote(cell: str) -> str:
    """A cell without surrounding blanks and stray quote marks (``\"\"\"vWA\"\"\"`` -> ``vWA``)."""
    return cell.strip().strip('"').strip("'").strip()


def records(text: str, delimiter: str, *, path: str,
            loose: bool = False) -> Iterator[tuple[int, int, list[str]]]:
    """The non-blank records of delimited ``text``: (first line, last line, cells).

    A record spans several lines when a quoted cell holds a line break. With ``loose`` (the
    files LRmix Studio and EuroForMix write): a lone CR also ends a line, blanks after a
    delimiter are skipped (so ``12, "9,3"`` is two cells) and every cell is passed through
    :func:`unquote`. Malformed text raises DNAFormatError naming the line.
    """
    if loose:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                            skipinitialspace=True)
    else:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    last = 0
    try:
        for cells in reader:
            first, last = last + 1, reader.line_num
            if loose:
                cells = [unquote(c) for c in cells]
            if any(c.strip() for c in cells):
                yield first, last, cells
    except csv.Error as e:
        what = "CSV" if loose else "delimited text"
        raise DNAFormatError(f"malformed {what}: {e}", path=path, line=reader.line_num) from e


def read_table(path: str | os.PathLike) -> Table:
    """Read a delimited text file into a :class:`Table`.

    Blank lines are skipped. A data row with fewer cells than the header has named columns
    raises DNAFormatError ("truncated row"); a row with extra non-empty cells beyond the
    header raises too. Raises DNAFormatError on an empty file.
    """
    spath = str(path)
    text = read_text(path)
    head = first_line(text)
    if not head.strip():
        raise DNAFormatError("empty file (no header line)", path=spath, line=1)
    delim = sniff_delimiter(head)
    header: list[str] | None = None
    header_line = 1
    rows: list[tuple[int, list[str]]] = []
    for start, _, cells in records(text, delim, path=spath):
        if header is None:
            header = [c.strip() for c in cells]
            header_line = start
            continue
        rows.append((start, cells))
    if header is None:  # only delimiters or blank cells: no column names anywhere
        raise DNAFormatError("no header line (the file holds only empty cells)", path=spath, line=1)
    # trailing unnamed header cells (a trailing delimiter) do not count as columns
    named = len(header)
    while named and not header[named - 1]:
        named -= 1
    header = header[:named]
    for line, cells in rows:
        if len(cells) < named:
            missing = header[len(cells)]
            raise DNAFormatError(
                f"truncated row: {len(cells)} fields, the header has {named}",
                path=spath, line=line, field=missing)
        if any(c.strip() for c in cells[named:]):
            raise DNAFormatError(
                f"row has {len(cells)} fields, more than the {named} named in the header",
                path=spath, line=line)
    return Table(path=spath, header=header, header_line=header_line, rows=rows, delimiter=delim)


def parse_locus(raw: str, *, path: str, line: int, field: str, lenient: bool = False,
                strict: bool = True) -> str:
    """Canonical locus name, or DNAFormatError naming the cell.

    With ``lenient`` (frequency tables), a name of the systematic D-number form
    (``D11S554``) that habeas does not list is accepted as written (upper-cased): such
    tables carry older research markers. Any other unknown name raises, unless ``strict``
    is False (LRmix / EuroForMix files): then every unknown name is kept
    (``normalise_locus(raw, strict=False)``) so that its frequency column can still match.
    Only an empty name raises then.
    """
    raw = raw.strip()
    if not raw:
        raise DNAFormatError("empty locus name", path=path, line=line, field=field)
    if not strict:
        return normalise_locus(raw, strict=False)
    try:
        return normalise_locus(raw)
    except UnknownLocusError:
        if lenient and re.fullmatch(r"D[0-9O]{1,2}S[0-9O]+", re.sub(r"[\s_\-.]", "", raw).upper()):
            return normalise_locus(raw, strict=False)
        raise DNAFormatError(f"unknown locus {raw!r}", path=path, line=line, field=field) from None


def parse_allele(raw: str, *, path: str, line: int, field: str) -> str:
    """Canonical allele call, or DNAFormatError naming the cell."""
    try:
        return normalise_allele(raw)
    except DNAError as e:
        raise DNAFormatError(str(e), path=path, line=line, field=field) from None


def parse_number(raw: str, *, path: str, line: int, field: str, what: str,
                 spaces: bool = False) -> float:
    """A finite float from a cell (a decimal comma is accepted), or DNAFormatError.

    With ``spaces``, spaces inside the number are ignored (``1 234,5``: a thousands separator).
    """
    s = raw.strip().replace(",", ".")
    if spaces:
        s = s.replace(" ", "")
    try:
        v = float(s)
    except ValueError:
        raise DNAFormatError(f"{what} {raw.strip()!r} is not a number", path=path, line=line,
                             field=field) from None
    if not math.isfinite(v):
        raise DNAFormatError(f"{what} {raw.strip()!r} is not a finite number", path=path,
                             line=line, field=field)
    return v


def parse_height(raw: str, *, path: str, line: int, field: str) -> float:
    """A peak height in RFU (finite, >= 0), or DNAFormatError."""
    v = parse_number(raw, path=path, line=line, field=field, what="peak height")
    if v < 0:
        raise DNAFormatError(f"peak height {v} is negative", path=path, line=line, field=field)
    return v


def parse_sample(raw: str, *, path: str, line: int, field: str) -> str:
    """A sample name (already stripped), or DNAFormatError when it is empty."""
    if not raw:
        raise DNAFormatError("empty sample name", path=path, line=line, field=field)
    return raw


class ProfileBuilder:
    """Collects (sample, locus, allele, height) calls in file order and builds Profiles.

    A locus keeps peak heights only when every allele call at it has one (a profile's
    heights are all-or-nothing per locus, see :class:`habeas.dna.profile.Profile`).
    A locus recorded with no allele call is kept as typed with no allele (complete drop-out).
    With ``strict`` False, a locus name habeas does not know is kept as given (LRmix files).
    """

    def __init__(self, *, strict: bool = True) -> None:
        self._data: dict[str, dict[str, list[tuple[str, float | None]]]] = {}
        self._strict = strict

    def locus(self, sample: str, locus: str) -> None:
        self._data.setdefault(sample, {}).setdefault(locus, [])

    def add(self, sample: str, locus: str, allele: str, height: float | None) -> None:
        self._data.setdefault(sample, {}).setdefault(locus, []).append((allele, height))

    def build(self) -> list:
        from habeas.dna.profile import Profile

        out = []
        for sample, loci in self._data.items():
            alleles = {l: [a for a, _ in calls] for l, calls in loci.items()}
            heights = {l: [h for _, h in calls] for l, calls in loci.items()
                       if calls and all(h is not None for _, h in calls)}
            out.append(Profile.from_mapping(sample, alleles, heights, strict=self._strict))
        return out
