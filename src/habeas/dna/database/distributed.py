"""The same searches over partitioned Parquet, on a Dask cluster.

For databases that do not fit one machine. :func:`export_parquet` writes a database as a
folder of Parquet files (one per partition) plus ``schema.json`` (loci and allele
dictionaries, identical on every worker); each file has a string ``id`` column and one
``uint16`` column per locus holding the stored genotype (``code1 + 256 * code2``, the same
2 bytes as the in-memory store, so a partition of 1 M 20-locus profiles is ~40 MB before
compression).

A search builds its per-locus lookup tables once on the client (they depend only on the
query and the allele dictionaries: 20 tables × 64 Ki entries × 8 bytes = 10 MB), ships them
to the workers, and each worker gathers over its partitions and returns only its own top-k
(id, log10 LR, loci compared); the client merges those. The network carries the tables out
and k rows per partition back, never the profiles.

Dask and pyarrow are imported lazily: the rest of :mod:`habeas.dna` does not need them.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Sequence

import numpy as np

from habeas.dna.database.search import (
    Hit, MixtureParams, SearchResult, lr_tables, mixture_locus_tables, pair_index,
)
from habeas.dna.database.store import ProfileDatabase
from habeas.dna.errors import DNAError
from habeas.dna.frequencies import FrequencyTable
from habeas.dna.genotype import DEFAULT_THETA, RareAlleleRule
from habeas.dna.profile import Profile


def export_parquet(db: ProfileDatabase, folder: str | os.PathLike,
                   rows_per_partition: int = 1_000_000) -> Path:
    """Write ``db`` as partitioned Parquet (``part-00000.parquet``, ...) + ``schema.json``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    n = len(db)
    ids = db.all_ids()
    for k, start in enumerate(range(0, max(n, 1), rows_per_partition)):
        stop = min(n, start + rows_per_partition)
        cols = {"id": pa.array(ids[start:stop], pa.string())}
        for li, locus in enumerate(db.loci):
            c = np.ascontiguousarray(db.codes[li, start:stop])
            cols[locus] = pa.array(pair_index(c[:, 0].astype(np.uint16), c[:, 1].astype(np.uint16)))
        pq.write_table(pa.table(cols), folder / f"part-{k:05d}.parquet")
    (folder / "schema.json").write_text(json.dumps(
        {"name": db.name, "loci": db.loci, "alleles": db.alleles, "n_profiles": n}), encoding="utf-8")
    return folder


def open_schema(folder: str | os.PathLike) -> ProfileDatabase:
    """An empty :class:`ProfileDatabase` with the loci and allele dictionaries of a
    partitioned export (enough to build the lookup tables of any search)."""
    meta = json.loads((Path(folder) / "schema.json").read_text(encoding="utf-8"))
    L = len(meta["loci"])
    db = ProfileDatabase(name=meta["name"], loci=meta["loci"], alleles=meta["alleles"],
                         codes=np.zeros((L, 0, 2), np.uint8))
    db.meta["n_profiles"] = meta["n_profiles"]
    return db


def _partition_top(path: str, tables: dict[str, np.ndarray], top: int | None,
                   min_log10: float | None) -> tuple[int, list[tuple[str, float, int]]]:
    """Worker side: score one partition, return (rows scored, its top rows)."""
    import pyarrow.parquet as pq

    t = pq.read_table(path, columns=["id", *tables])
    n = t.num_rows
    score = np.zeros(n)
    compared = np.zeros(n, np.int16)
    for locus, tab in tables.items():
        g = t.column(locus).to_numpy()
        score += np.take(tab, g)
        compared += g != 0
    keep = np.isfinite(score) & (compared >= 1)
    if min_log10 is not None:
        keep &= score >= min_log10
    idx = np.flatnonzero(keep)
    if top is not None and len(idx) > top:
        idx = idx[np.argpartition(-score[idx], top - 1)[:top]]
    ids = t.column("id").take(idx).to_pylist()
    return n, [(i, float(score[r]), int(compared[r])) for i, r in zip(ids, idx)]


def _run(folder, schema: ProfileDatabase, tables: dict[int, np.ndarray], top, threshold,
         client, kind: str, params: dict, warnings: list[str]) -> SearchResult:
    import time

    import dask

    t0 = time.perf_counter()
    files = sorted(str(p) for p in Path(folder).glob("part-*.parquet"))
    if not files:
        raise DNAError(f"{folder}: no part-*.parquet files")
    named = {schema.loci[li]: t for li, t in tables.items()}
    min_log10 = math.log10(threshold) if threshold else None
    if client is not None:
        # The lookup tables enter the graph once, as the result of a task rather than scattered
        # data: if the worker holding them is lost under load, the scheduler recomputes them
        # instead of failing the search with "lost dependencies".
        tabs_f = client.submit(dict, named, pure=False)
        futs = [client.submit(_partition_top, f, tabs_f, top, min_log10, pure=False, retries=2)
                for f in files]
        parts = client.gather(futs)
    else:
        parts = dask.compute(*[dask.delayed(_partition_top)(f, named, top, min_log10)
                               for f in files])
    n = sum(p[0] for p in parts)
    rows = [r for p in parts for r in p[1]]
    rows.sort(key=lambda r: (-r[1], r[0]))
    if top is not None:
        rows = rows[:top]
    hits = [Hit(rank=k, row=-1, id=i, log10_lr=s, loci_compared=c)
            for k, (i, s, c) in enumerate(rows, 1)]
    return SearchResult(kind + " (Dask, partitioned Parquet)", schema.name, n, hits, params,
                        warnings, time.perf_counter() - t0, len(rows))


def search_lr_parquet(folder: str | os.PathLike, query: Profile, table: FrequencyTable,
                      theta: float = DEFAULT_THETA,
                      rare_allele: RareAlleleRule = RareAlleleRule(),
                      threshold: float | None = None, top: int | None = 10,
                      client=None) -> SearchResult:
    """:func:`~habeas.dna.database.search.search_lr` over a partitioned export. ``client``:
    a ``distributed.Client`` (None: Dask's default scheduler)."""
    schema = open_schema(folder)
    tabs, warnings = lr_tables(schema, query, table, theta, rare_allele)
    return _run(folder, schema, tabs, top, threshold, client, "single-source LR",
                {"population": table.name, "theta": theta, "threshold": threshold, "top": top,
                 "query": query.sample}, warnings)


def search_mixture_parquet(folder: str | os.PathLike, replicates: Sequence[Profile],
                           table: FrequencyTable, params: MixtureParams,
                           knowns: Sequence[Profile] = (), threshold: float | None = None,
                           top: int | None = 10, client=None) -> SearchResult:
    """:func:`~habeas.dna.database.search.search_mixture` over a partitioned export."""
    schema = open_schema(folder)
    tabs, warnings, _ = mixture_locus_tables(schema, list(replicates), list(knowns), table, params)
    return _run(folder, schema, tabs, top, threshold, client, "mixture LR",
                {"population": table.name, "threshold": threshold, "top": top}, warnings)
