"""Allele frequency tables.

A :class:`FrequencyTable` holds, per locus, allele -> relative frequency in one population,
with the number of individuals typed per locus where the source gives it (needed for the
minimum allele frequency 5/2N of NRC II, 1996, p. 148 / Budowle et al. 1996).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from habeas.dna.profile import normalise_allele


@dataclass(frozen=True)
class FrequencyTable:
    """Allele frequencies of one population.

    ``freqs``: canonical locus -> canonical allele -> frequency in (0, 1].
    ``n_individuals``: canonical locus -> number of individuals typed (so 2N alleles);
    empty where unknown. ``name`` is the table's short name (``"NIST1036_Cauc"``),
    ``population`` its human label, ``source`` a citation.
    """

    name: str
    freqs: Mapping[str, Mapping[str, float]]
    population: str = ""
    source: str = ""
    n_individuals: Mapping[str, int] = field(default_factory=dict)

    @property
    def loci(self) -> list[str]:
        return list(self.freqs)

    def frequency(self, locus: str, allele: str) -> float | None:
        """Frequency of ``allele`` at ``locus``, or ``None`` when the table does not list it."""
        return self.freqs.get(locus, {}).get(normalise_allele(allele))

    def minimum_allele_frequency(self, locus: str) -> float | None:
        """5/(2N) for the locus (NRC II, 1996, recommendation 4.x; Budowle et al. 1996), or
        ``None`` when N is unknown for this table."""
        n = self.n_individuals.get(locus)
        return 5.0 / (2 * n) if n else None
