"""Long allele-frequency tables: one row per (marker, allele).

Layout (header names case-insensitive; comma, semicolon or tab separated)::

    marker,allele,frequency
    CSF1PO,8,0.00554016620498615
    CSF1PO,9,0.013850415512465374

``marker`` may be headed ``locus``; ``frequency`` may be ``freq`` or ``p``. An optional
``n`` column (``n_individuals``) gives the number of individuals typed at the locus, used
for the minimum allele frequency 5/2N. Frequencies are kept exactly as written: no flooring
and no renormalising (the statistics apply the rare-allele rule themselves).
"""

from __future__ import annotations

import os
from pathlib import Path

from habeas.dna.errors import DNAFormatError
from habeas.dna.formats._tabular import (
    parse_allele, parse_locus, parse_number, read_table,
)
from habeas.dna.frequencies import FrequencyTable

MARKER_NAMES = ("marker", "locus")
ALLELE_NAMES = ("allele",)
FREQUENCY_NAMES = ("frequency", "freq", "p")
N_NAMES = ("n", "n_individuals", "individuals")


def read_long_frequencies(path: str | os.PathLike, name: str | None = None, *,
                          population: str = "", source: str = "",
                          n_individuals: dict[str, int] | None = None) -> FrequencyTable:
    """Read a long (marker, allele, frequency) table into a :class:`FrequencyTable`.

    ``name`` defaults to the file's stem. ``n_individuals`` (locus -> N) overrides any
    ``n`` column. Locus names are normalised; a systematic D-number name habeas does not
    list (``D11S554``) is accepted as written so older research tables load.

    Raises :class:`DNAFormatError` (path, line, field) on: missing column, empty file,
    header without rows, truncated row, unknown locus, non-numeric frequency, frequency
    outside (0, 1], the same allele listed twice at a locus, a non-integer or non-positive n.
    """
    t = read_table(path)
    i_m = t.require("marker", *MARKER_NAMES)
    i_a = t.require("allele", *ALLELE_NAMES)
    i_f = t.require("frequency", *FREQUENCY_NAMES)
    i_n = t.column(*N_NAMES)
    freqs: dict[str, dict[str, float]] = {}
    ns: dict[str, int] = {}
    for line, c in t.data_rows("frequency"):
        locus = parse_locus(c[i_m], path=t.path, line=line, field=t.header[i_m], lenient=True)
        if not c[i_a]:
            raise DNAFormatError("empty allele", path=t.path, line=line, field=t.header[i_a])
        allele = parse_allele(c[i_a], path=t.path, line=line, field=t.header[i_a])
        if not c[i_f]:
            raise DNAFormatError("empty frequency", path=t.path, line=line, field=t.header[i_f])
        f = parse_number(c[i_f], path=t.path, line=line, field=t.header[i_f], what="frequency")
        if not 0.0 < f <= 1.0:
            raise DNAFormatError(f"frequency {c[i_f]} is outside (0, 1]", path=t.path, line=line,
                                 field=t.header[i_f])
        slot = freqs.setdefault(locus, {})
        if allele in slot:
            raise DNAFormatError(f"allele {allele} listed twice at {locus}", path=t.path,
                                 line=line, field=t.header[i_a])
        slot[allele] = f
        if i_n is not None and c[i_n]:
            v = parse_number(c[i_n], path=t.path, line=line, field=t.header[i_n], what="n")
            if v <= 0 or not float(v).is_integer():
                raise DNAFormatError(f"n {c[i_n]!r} is not a positive whole number",
                                     path=t.path, line=line, field=t.header[i_n])
            ns[locus] = int(v)
    if n_individuals:
        ns.update(n_individuals)
    return FrequencyTable(name=name or Path(path).stem, freqs=freqs, population=population,
                          source=source, n_individuals=ns)
