"""Databases of reference profiles: a compact columnar store, imports, and searches.

Pure NumPy (pyarrow / polars / dask are used, imported lazily, only for Parquet and the
distributed runner). See ``docs/dna-database.md``.
"""

from habeas.dna.database.importers import (
    ImportResult, Problem, import_database, read_database, sniff_layout,
)
from habeas.dna.database.search import (
    RELATIONSHIPS, STRINGENCIES, Hit, MixtureParams, SearchResult, gather_sum, kinship_index,
    locus_matches, mixture_params, search_familial, search_lr, search_matches, search_mixture,
)
from habeas.dna.database.store import (
    ProfileDatabase, default_root, delete_database, from_arrays, list_databases,
    open_database, save,
)
from habeas.dna.database.synthetic import generate

__all__ = [
    "ProfileDatabase", "default_root", "open_database", "save", "from_arrays",
    "list_databases", "delete_database", "import_database", "read_database", "sniff_layout",
    "ImportResult", "Problem", "search_matches", "search_lr", "search_familial",
    "search_mixture", "mixture_params", "MixtureParams", "SearchResult", "Hit",
    "STRINGENCIES", "RELATIONSHIPS", "kinship_index", "locus_matches", "gather_sum", "generate",
]
