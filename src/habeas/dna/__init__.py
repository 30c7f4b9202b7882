"""habeas.dna — forensic DNA statistics, written from the published models.

A pure library: NumPy and SciPy only, no Django, no application code (an import-linter
contract in CI keeps it so). Inputs and outputs are plain data classes and arrays.
"""

from habeas.dna.errors import DNAError, DNAFormatError, MissingFrequencyError, UnknownLocusError
from habeas.dna.frequencies import FrequencyTable
from habeas.dna.loci import CODIS_20, KITS, normalise_locus
from habeas.dna.profile import Profile, normalise_allele

__all__ = [
    "CODIS_20", "KITS", "DNAError", "DNAFormatError", "FrequencyTable", "MissingFrequencyError",
    "Profile", "UnknownLocusError", "normalise_allele", "normalise_locus",
]
