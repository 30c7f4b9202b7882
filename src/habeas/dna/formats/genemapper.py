"""GeneMapper ID / ID-X export tables ("Genotypes" table exported as text).

Layout (tab- or comma-separated, one row per sample and marker)::

    Sample Name  Marker   Allele 1  Allele 2  ...  Height 1  Height 2  ...
    stain-1      D3S1358  15        17             1520      1388

Other columns GeneMapper exports (Sample File, Panel, Size n, Area n, Dye, ADO, ...) are
ignored. Blank allele cells are skipped; a height is taken only from the ``Height n`` cell
matching a non-blank ``Allele n``. A marker row with no allele call records the locus as
typed with no allele (complete drop-out). The same layout is written by EuroForMix for its
tutorial stain files.
"""

from __future__ import annotations

import os
import re

from habeas.dna.errors import DNAFormatError
from habeas.dna.formats._tabular import (
    ProfileBuilder, fold, parse_allele, parse_height, parse_locus, parse_sample, read_table,
)
from habeas.dna.profile import Profile


def numbered_columns(header: list[str], stem: str) -> dict[int, int]:
    """Map n -> column index for header cells ``<stem> n`` (``Allele 1``, ``Height 12``)."""
    out: dict[int, int] = {}
    for i, h in enumerate(header):
        m = re.fullmatch(stem + r"(\d+)", fold(h))
        if m:
            out[int(m.group(1))] = i
    return out


def read_genemapper(path: str | os.PathLike) -> list[Profile]:
    """Read profiles from a GeneMapper ID / ID-X genotype export.

    Returns profiles in order of first appearance of each sample name. Raises
    :class:`DNAFormatError` (path, line, field) on a missing ``Sample Name``, ``Marker`` or
    ``Allele 1`` column, an empty file, a header with no rows, a truncated row, an unknown
    marker, or a non-numeric or negative height.
    """
    t = read_table(path)
    i_s = t.require("Sample Name", "Sample Name", "SampleName", "Sample")
    i_m = t.require("Marker", "Marker", "Locus")
    alleles = numbered_columns(t.header, "allele")
    if not alleles:
        raise DNAFormatError("missing column 'Allele 1'", path=t.path, line=t.header_line,
                             field="Allele 1")
    heights = numbered_columns(t.header, "height")
    b = ProfileBuilder()
    for line, c in t.data_rows("profile"):
        sample = parse_sample(c[i_s], path=t.path, line=line, field=t.header[i_s])
        locus = parse_locus(c[i_m], path=t.path, line=line, field=t.header[i_m])
        b.locus(sample, locus)
        for n in sorted(alleles):
            raw = c[alleles[n]]
            if not raw:
                continue
            allele = parse_allele(raw, path=t.path, line=line, field=t.header[alleles[n]])
            h = None
            if n in heights and c[heights[n]]:
                h = parse_height(c[heights[n]], path=t.path, line=line, field=t.header[heights[n]])
            b.add(sample, locus, allele, h)
    return b.build()
