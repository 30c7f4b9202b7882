"""Readers and writers of profile and allele-frequency files.

``read_profiles(path)`` and ``read_frequencies(path)`` sniff the layout and dispatch:

- ``long_csv``: profiles as (sample, marker, allele, height) rows; frequencies as
  (marker, allele, frequency) rows.
- ``genemapper``: GeneMapper ID / ID-X export tables (Sample Name, Marker, Allele 1..n,
  Height 1..n).
- ``lrmix``: LRmix Studio / EuroForMix sample and reference files (SampleName, Marker,
  Allele1..n [, Height1..n]) and the one-column-per-locus frequency layout
  (Allele, <locus>, <locus>, ...).

Every reader raises :class:`habeas.dna.errors.DNAFormatError` naming file, line and field.
"""

from __future__ import annotations

import os
import re
from typing import IO, Iterable

from habeas.dna.errors import DNAFormatError
from habeas.dna.frequencies import FrequencyTable
from habeas.dna.profile import Profile

__all__ = ["profile_layout", "frequency_layout", "read_profiles", "read_frequencies",
           "write_profiles_long_csv"]


def _header(path: str | os.PathLike) -> list[str]:
    from habeas.dna.formats._tabular import first_line, read_text, sniff_delimiter
    import csv

    head = first_line(read_text(path))
    if not head.strip():
        raise DNAFormatError("empty file (no header line)", path=str(path), line=1)
    return [c.strip() for c in next(csv.reader([head], delimiter=sniff_delimiter(head)))]


def profile_layout(path: str | os.PathLike) -> str:
    """Name the layout of a profile file from its header: ``"long_csv"``, ``"genemapper"``
    or ``"lrmix"``.

    - ``long_csv``: a single ``allele`` column (beside ``sample``, ``marker``[, ``height``]);
    - ``genemapper``: numbered ``Allele n`` columns written with a space (``Sample Name``,
      ``Allele 1``), or GeneMapper's ``Sample File``/``Panel`` columns;
    - ``lrmix``: numbered columns written without a space (``SampleName``, ``Allele1``), the
      LRmix Studio / EuroForMix layout.

    Raises :class:`DNAFormatError` (line 1) when the header fits none of them.
    """
    from habeas.dna.formats._tabular import fold

    raw = _header(path)
    h = {fold(c) for c in raw}
    numbered = any(re.fullmatch(r"allele\d+", c) for c in h)
    if "allele" in h:  # long layout; the reader names any missing column
        return "long_csv"
    if numbered:
        spaced = any(re.fullmatch(r"(?i)(allele|height)\s+\d+|sample\s+name", c) for c in raw)
        if spaced or h & {"samplefile", "panel"}:
            return "genemapper"
        return "lrmix"
    raise DNAFormatError(
        "unrecognised profile layout: expected columns sample, marker, allele[, height] "
        "(long CSV), Sample Name, Marker, Allele 1.. (GeneMapper) or SampleName, Marker, "
        "Allele1.. (LRmix/EuroForMix)", path=str(path), line=1)


def frequency_layout(path: str | os.PathLike) -> str:
    """Name the layout of a frequency file from its header: ``"long"`` (marker, allele,
    frequency rows) or ``"wide"`` (first column ``Allele``, one column per locus: the
    EuroForMix / LRmix Studio layout). Raises :class:`DNAFormatError` (line 1) otherwise."""
    from habeas.dna.formats._tabular import fold

    raw = _header(path)
    h = [fold(c) for c in raw]
    if set(h) & {"marker", "locus", "frequency", "freq"}:  # long; the reader names a missing column
        return "long"
    if h and h[0] == "allele" and len(h) >= 2:
        return "wide"
    raise DNAFormatError(
        "unrecognised frequency layout: expected columns marker, allele, frequency (long) or "
        "Allele, <locus>, <locus>, ... (wide, EuroForMix/LRmix)", path=str(path), line=1)


def read_profiles(path: str | os.PathLike) -> list[Profile]:
    """Read every profile in a file, whatever its layout (see :func:`profile_layout`).

    Returns a list of :class:`Profile` in file order. Raises :class:`DNAFormatError`
    naming file, line and field on malformed input.
    """
    layout = profile_layout(path)
    if layout == "long_csv":
        from habeas.dna.formats.long_csv import read_long_profiles
        return read_long_profiles(path)
    if layout == "genemapper":
        from habeas.dna.formats.genemapper import read_genemapper
        return read_genemapper(path)
    try:
        from habeas.dna.formats.lrmix import read_lrmix_profiles
    except ImportError as e:  # pragma: no cover - until the LRmix reader lands
        raise DNAFormatError(f"LRmix/EuroForMix profile reader not available ({e})",
                             path=str(path), line=1) from e
    return read_lrmix_profiles(path)


def read_frequencies(path: str | os.PathLike, name: str | None = None) -> FrequencyTable:
    """Read an allele-frequency table, long or wide layout (see :func:`frequency_layout`).

    ``name`` defaults to the file's stem. Raises :class:`DNAFormatError` naming file, line
    and field on malformed input.
    """
    if frequency_layout(path) == "long":
        from habeas.dna.formats.frequency_long import read_long_frequencies
        return read_long_frequencies(path, name)
    try:
        from habeas.dna.formats.lrmix import read_wide_frequencies
    except ImportError as e:  # pragma: no cover - until the wide reader lands
        raise DNAFormatError(f"wide (EuroForMix/LRmix) frequency reader not available ({e})",
                             path=str(path), line=1) from e
    return read_wide_frequencies(path, name)


def write_profiles_long_csv(profiles: Iterable[Profile],
                            path_or_file: str | os.PathLike | IO[str]) -> None:
    """Write profiles as long CSV (sample, marker, allele, height); see
    :func:`habeas.dna.formats.long_csv.write_long_profiles`."""
    from habeas.dna.formats.long_csv import write_long_profiles
    write_long_profiles(profiles, path_or_file)
