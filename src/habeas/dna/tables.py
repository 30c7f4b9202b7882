"""Registry of the allele-frequency tables shipped with habeas.

Shipped (see ``habeas/dna/data/PROVENANCE.md``): NIST 1036 (4 U.S. populations; Steffen et
al. 2017, FSI:G 31:e36), FBI 2015 expanded CODIS (12 population groups; Moretti et al.
2016, FSI:G 25:175) and UK DNA-17 (4 groups; Open Government Licence v3).

>>> from habeas.dna.tables import list_tables, load_table, load_population_set
>>> load_table("NIST1036_Cauc").n_individuals["TPOX"]
361
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from habeas.dna.errors import DNAError
from habeas.dna.frequencies import FrequencyTable

#: Default population set for comparisons: the four NIST 1036 tables.
DEFAULT_SET = "NIST1036"


@dataclass(frozen=True)
class TableInfo:
    """One shipped table: ``name`` (``"NIST1036_Cauc"``), ``set`` (``"NIST1036"``),
    ``population`` label, ``source`` citation, ``licence``, ``n_loci``, ``n_individuals``
    (the largest per-locus N, individuals), ``n_basis`` (how N was obtained)."""

    name: str
    set: str
    population: str
    source: str
    licence: str
    n_loci: int
    n_individuals: int
    n_basis: str

    def to_dict(self) -> dict:
        return asdict(self)


def _data():
    return resources.files("habeas.dna").joinpath("data")


@lru_cache(maxsize=1)
def _index() -> dict[str, dict]:
    meta = json.loads(_data().joinpath("tables.json").read_text(encoding="utf-8"))
    return {t["name"]: t for t in meta["tables"]}


def list_tables() -> list[TableInfo]:
    """Every shipped table, in registry order (NIST 1036, FBI 2015, UK DNA-17)."""
    out = []
    for name, t in _index().items():
        out.append(TableInfo(name=name, set=t["set"], population=t["population"],
                             source=t["source"], licence=t["licence"],
                             n_loci=len(t["n_individuals"]),
                             n_individuals=max(t["n_individuals"].values()),
                             n_basis=t["n_basis"]))
    return out


def population_sets() -> dict[str, list[str]]:
    """Set name -> names of its tables (``{"NIST1036": ["NIST1036_AfAm", ...], ...}``)."""
    out: dict[str, list[str]] = {}
    for name, t in _index().items():
        out.setdefault(t["set"], []).append(name)
    return out


@lru_cache(maxsize=None)
def _load_shipped(name: str) -> FrequencyTable:
    from habeas.dna.formats.frequency_long import read_long_frequencies

    t = _index()[name]
    with resources.as_file(_data().joinpath(t["file"])) as p:
        return read_long_frequencies(p, name, population=t["population"], source=t["source"],
                                     n_individuals=dict(t["n_individuals"]))


def load_table(name_or_path: str | os.PathLike) -> FrequencyTable:
    """A shipped table by name (``"NIST1036_Cauc"``, case-insensitive) or any frequency
    file by path (long or wide layout, see :func:`habeas.dna.formats.read_frequencies`).

    Raises :class:`DNAError` for a name that is neither a shipped table nor an existing
    file (the message lists the shipped names), :class:`DNAFormatError` for a bad file.
    """
    s = str(name_or_path)
    by_fold = {n.lower(): n for n in _index()}
    if s.lower() in by_fold:
        return _load_shipped(by_fold[s.lower()])
    if Path(s).is_file():
        from habeas.dna.formats import read_frequencies
        return read_frequencies(s)
    raise DNAError(f"no shipped frequency table and no file named {s!r}; shipped tables: "
                   + ", ".join(_index()))


def load_population_set(name: str) -> list[FrequencyTable]:
    """All tables of a population set: ``"NIST1036"`` (4), ``"FBI2015"`` (12),
    ``"UKDNA17"`` (4); case-insensitive. Raises :class:`DNAError` for an unknown set."""
    sets = population_sets()
    by_fold = {k.lower(): k for k in sets}
    if name.lower() not in by_fold:
        raise DNAError(f"unknown population set {name!r}; sets: {', '.join(sets)}")
    return [_load_shipped(n) for n in sets[by_fold[name.lower()]]]


def load_tables(names: list[str] | None = None) -> list[FrequencyTable]:
    """Tables for a comparison: each entry may be a set name, a table name or a path;
    ``None`` or empty gives the default set (the four NIST 1036 tables)."""
    if not names:
        return load_population_set(DEFAULT_SET)
    out: list[FrequencyTable] = []
    sets = {k.lower() for k in population_sets()}
    for n in names:
        out.extend(load_population_set(n) if str(n).lower() in sets else [load_table(n)])
    return out
