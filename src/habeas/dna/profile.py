"""STR profiles: loci -> observed alleles, with optional peak heights.

Alleles keep their forensic notation as strings: whole repeats (``"12"``), microvariants
(``"9.3"``, ``"17.2"``), off-ladder and rare calls (``"OL"``, ``"<8"``, ``">24"``), and
``"X"``/``"Y"`` at AMEL. Statistics look them up in frequency tables by that same string
(after :func:`normalise_allele`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from habeas.dna.errors import DNAError
from habeas.dna.loci import is_statistical, normalise_locus


#: Allele calls habeas accepts: repeat numbers with an optional microvariant (``12``, ``9.3``,
#: ``17.2``), ``X``/``Y`` at AMEL, ``OL`` (off-ladder) and off-ladder calls below or above the
#: ladder (``<8``, ``>24``). Anything else — words, signs, exponents — is refused, because a
#: mistyped allele would silently turn a match into an exclusion.
_ALLELE = re.compile(r"(?:[<>]?\d{1,3}(?:\.\d{1,2})?|X|Y|OL)")


def normalise_allele(allele: str | int | float) -> str:
    """Return the canonical string of an allele call.

    ``12``, ``"12"``, ``"12.0"`` -> ``"12"``; ``9.3`` -> ``"9.3"``; ``"9,3"`` (decimal comma)
    -> ``"9.3"``; ``"x"`` -> ``"X"``; ``"ol"`` -> ``"OL"``; ``"<8"``, ``">24"`` are kept.
    Raises :class:`DNAError` on an empty call or one that is not an allele designation
    (``"fifteen"``, ``"-3"``, ``"1e9"``, a repeat number of more than three digits).
    """
    if isinstance(allele, bool):
        raise DNAError(f"not an allele designation: {allele!r}")
    if isinstance(allele, float):
        if math.isnan(allele):
            raise DNAError("empty allele")
        s = repr(allele)
    else:
        s = str(allele).strip()
    if not s:
        raise DNAError("empty allele")
    s = s.replace(",", ".").upper()
    if not _ALLELE.fullmatch(s):
        raise DNAError(f"not an allele designation: {str(allele).strip()!r} "
                       "(expected a repeat number such as 12 or 9.3, X, Y, OL, <8 or >24)")
    if s[0].isdigit():
        whole, _, frac = s.partition(".")
        frac = frac.rstrip("0")
        return str(int(whole)) + ("." + frac if frac else "")
    return s


def allele_sort_key(allele: str) -> tuple:
    """Sort key putting numeric alleles in repeat order (9 < 9.3 < 10) and text calls after."""
    try:
        return (0, float(allele), allele)
    except ValueError:
        return (1, 0.0, allele)


@dataclass(frozen=True)
class Profile:
    """One STR profile (single-source reference, evidence stain, or mixture).

    ``loci`` maps a canonical locus name (see :func:`habeas.dna.loci.normalise_locus`) to the
    tuple of distinct observed alleles in repeat order; ``heights`` maps the same locus to a
    tuple of peak heights in RFU aligned with ``loci[locus]`` (absent when not measured).
    A locus present with an empty tuple was typed with no allele above threshold
    (complete drop-out); a locus absent was not typed.
    """

    sample: str
    loci: Mapping[str, tuple[str, ...]]
    heights: Mapping[str, tuple[float, ...]] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, sample: str, loci: Mapping[str, Iterable],
                     heights: Mapping[str, Iterable[float]] | None = None, *,
                     strict: bool = True) -> "Profile":
        """Build a profile from raw locus names and allele calls, normalising both.

        Duplicate calls at a locus (a homozygote typed ``"12, 12"``) collapse to one allele;
        their heights are summed. Raises :class:`DNAError` for an unknown locus (unless
        ``strict`` is False: it is then kept, see :func:`normalise_locus`) or an empty
        allele, and when a heights list does not match its alleles in length.
        """
        out: dict[str, dict[str, float | None]] = {}
        for raw_locus, alleles in loci.items():
            locus = normalise_locus(raw_locus, strict=strict)
            alleles = list(alleles)
            hs = list(heights.get(raw_locus, [])) if heights else []
            if hs and len(hs) != len(alleles):
                raise DNAError(f"{sample} {locus}: {len(alleles)} alleles but {len(hs)} heights")
            slot = out.setdefault(locus, {})
            for i, a in enumerate(alleles):
                a = normalise_allele(a)
                h = float(hs[i]) if hs else None
                slot[a] = (slot.get(a) or 0.0) + h if h is not None else slot.get(a)
        locs = {k: tuple(sorted(v, key=allele_sort_key)) for k, v in out.items()}
        hts = {k: tuple(out[k][a] for a in locs[k]) for k in locs
               if locs[k] and all(out[k][a] is not None for a in locs[k])}
        return cls(sample=sample, loci=locs, heights=hts)

    def statistical_loci(self) -> list[str]:
        """Loci that may enter a statistic (AMEL and Y markers dropped), in stored order."""
        return [l for l in self.loci if is_statistical(l)]

    def alleles(self, locus: str) -> tuple[str, ...]:
        """Alleles at ``locus`` (canonical name or any alias); ``()`` when not typed."""
        return self.loci.get(normalise_locus(locus, strict=False), ())

    def is_homozygous(self, locus: str) -> bool:
        return len(self.alleles(locus)) == 1
