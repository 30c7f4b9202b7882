"""Long ("tidy") CSV profiles: one row per allele call.

Layout (header names case-insensitive; comma, semicolon or tab separated)::

    sample,marker,allele,height
    stain-1,D3S1358,15,1520
    stain-1,D3S1358,17,1388
    ref-A,D3S1358,15,

``sample`` may also be headed ``sample name``/``sample_id``; ``marker`` may be ``locus``;
``height`` (RFU) is optional, as a column and per cell. A row with an empty allele cell
records the locus as typed with no allele (complete drop-out). Homozygotes may be written
once or twice (a repeated call collapses to one allele, heights summed).
"""

from __future__ import annotations

import csv
import io
import os
from typing import IO, Iterable

from habeas.dna.formats._tabular import (
    ProfileBuilder, parse_allele, parse_height, parse_locus, parse_sample, read_table,
)
from habeas.dna.profile import Profile, allele_sort_key

SAMPLE_NAMES = ("sample", "sample name", "sample_name", "sampleid", "sample id")
MARKER_NAMES = ("marker", "locus")
ALLELE_NAMES = ("allele",)
HEIGHT_NAMES = ("height", "peak height", "rfu")


def read_long_profiles(path: str | os.PathLike) -> list[Profile]:
    """Read profiles from a long CSV file (sample, marker, allele[, height]).

    Returns the profiles in order of first appearance of each sample. Raises
    :class:`DNAFormatError` (path, line, field) on a missing column, an empty file, a file
    with a header but no rows, a truncated row, an empty sample or marker cell, an unknown
    locus, or a non-numeric or negative height.
    """
    t = read_table(path)
    i_s = t.require("sample", *SAMPLE_NAMES)
    i_m = t.require("marker", *MARKER_NAMES)
    i_a = t.require("allele", *ALLELE_NAMES)
    i_h = t.column(*HEIGHT_NAMES)
    b = ProfileBuilder()
    for line, c in t.data_rows("profile"):
        sample = parse_sample(c[i_s], path=t.path, line=line, field=t.header[i_s])
        locus = parse_locus(c[i_m], path=t.path, line=line, field=t.header[i_m])
        if not c[i_a]:
            b.locus(sample, locus)
            continue
        allele = parse_allele(c[i_a], path=t.path, line=line, field=t.header[i_a])
        height = None
        if i_h is not None and c[i_h]:
            height = parse_height(c[i_h], path=t.path, line=line, field=t.header[i_h])
        b.add(sample, locus, allele, height)
    return b.build()


def write_long_profiles(profiles: Iterable[Profile], path_or_file: str | os.PathLike | IO[str]) -> None:
    """Write profiles as long CSV (``sample,marker,allele,height``), one row per allele.

    Heights are written where the profile has them for the locus, else left empty; a locus
    typed with no allele is written as one row with an empty allele cell, so that
    :func:`read_long_profiles` reads back the same profiles.
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["sample", "marker", "allele", "height"])
    for p in profiles:
        for locus, alleles in p.loci.items():
            hs = p.heights.get(locus)
            if not alleles:
                w.writerow([p.sample, locus, "", ""])
                continue
            for i, a in enumerate(sorted(alleles, key=allele_sort_key)):
                h = "" if not hs else _fmt_height(hs[list(alleles).index(a)])
                w.writerow([p.sample, locus, a, h])
    text = buf.getvalue()
    if hasattr(path_or_file, "write"):
        path_or_file.write(text)  # type: ignore[union-attr]
    else:
        with open(path_or_file, "w", encoding="utf-8", newline="") as f:  # type: ignore[arg-type]
            f.write(text)


def _fmt_height(h: float) -> str:
    return str(int(h)) if float(h).is_integer() else repr(float(h))
