"""The same search over partitioned Parquet on a local Dask cluster of two workers gives the
same ranking as the in-memory search (and as a per-candidate loop for the LR)."""

from __future__ import annotations

import math

import pytest

from habeas.dna.database import generate, mixture_params, search_lr, search_mixture
from habeas.dna.profile import Profile
from habeas.dna.tables import load_table

pytest.importorskip("pyarrow")
distributed = pytest.importorskip("distributed")


def test_dask_local_cluster_two_workers(tmp_path):
    from habeas.dna.database.distributed import (
        export_parquet, search_lr_parquet, search_mixture_parquet,
    )

    table = load_table("NIST1036_Cauc")
    db = generate(30_000, seed=99)
    export_parquet(db, tmp_path / "parts", rows_per_partition=7_500)
    assert len(list((tmp_path / "parts").glob("part-*.parquet"))) == 4
    q = db.profile(4321)
    a, b = db.profile(10), db.profile(11)
    mix = Profile.from_mapping("mix", {l: set(a.loci[l]) | set(b.loci[l]) for l in db.loci[:10]})
    params = mixture_params(2, dropout=0.05, dropin=0.05, theta=0.01)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        d_lr = search_lr_parquet(tmp_path / "parts", q, table, 0.01, top=5, client=client)
        d_mix = search_mixture_parquet(tmp_path / "parts", [mix], table, params, top=5,
                                       client=client)
    m_lr = search_lr(db, q, table, 0.01, top=5)
    m_mix = search_mixture(db, mix, table, params, top=5)
    assert d_lr.n_searched == 30_000
    assert [(h.id, round(h.log10_lr, 9)) for h in d_lr.hits] == \
        [(h.id, round(h.log10_lr, 9)) for h in m_lr.hits]
    assert [(h.id, round(h.log10_lr, 9)) for h in d_mix.hits] == \
        [(h.id, round(h.log10_lr, 9)) for h in m_mix.hits]
    # independent check of the top single-source LR: product of NRC II 4.10 over 20 loci
    th = 0.01
    want = 0.0
    for locus, als in q.loci.items():
        floor = 5 / (2 * table.n_individuals[locus])      # NRC II minimum allele frequency
        f = [max(table.freqs[locus][x], floor) for x in als]
        if len(f) == 1:
            p = f[0]
            pr = (2 * th + (1 - th) * p) * (3 * th + (1 - th) * p) / ((1 + th) * (1 + 2 * th))
        else:
            pr = 2 * (th + (1 - th) * f[0]) * (th + (1 - th) * f[1]) / ((1 + th) * (1 + 2 * th))
        want -= math.log10(pr)
    assert d_lr.hits[0].id == q.sample
    assert d_lr.hits[0].log10_lr == pytest.approx(want, rel=1e-12)
