"""Hook for the DNA statistics table of a packet.

``dna_statistics_rows(case)`` returns one row per reported statistic, computed by
:mod:`habeas.dna` from the case's :class:`~habeas.cases.models.STRProfile` records. Until the
project lead wires the statistics in, it returns no rows and the packet says so.

Each row is a dict with the keys of :data:`COLUMNS` (all strings; blank when not applicable):
the evidence sample and item, the reference compared, the statistic (RMP, LR, CPI, kinship
index), its value, the propositions (Hp / Hd), and the parameters behind it — frequency
database and population, theta (F_ST), drop-out / drop-in, number of contributors, model and
software version.
"""

from __future__ import annotations

COLUMNS = ["sample", "item", "reference", "statistic", "value", "propositions", "population",
           "theta", "dropout_dropin", "noc", "model", "note"]
HEADERS = ["Evidence sample", "Item", "Compared with", "Statistic", "Value", "Hp / Hd", "Frequency data",
           "θ (F_ST)", "Drop-out / drop-in", "NOC", "Model / software", "Note"]


def dna_statistics_rows(case) -> list[dict]:
    """HOOK (project lead): rows of DNA statistics for ``case``; empty until habeas.dna is wired in."""
    provider = _provider()
    if provider is None:
        return []
    rows = provider(case) or []
    return [{k: str(r.get(k, "") if r.get(k) is not None else "") for k in COLUMNS} for r in rows]


def _provider():
    """A function ``habeas.dna.packet.statistics_rows(case)`` if one exists, else None."""
    try:
        from importlib import import_module

        mod = import_module("habeas.petitions.dna_rows")  # module the lead may add (Django side)
    except ModuleNotFoundError:
        return None
    return getattr(mod, "statistics_rows", None)
