"""Benchmark of habeas.dna.database searches (see docs/benchmarks.md, "DNA database search").

    .venv/bin/python benchmarks/bench_database.py [--sizes 1000000 10000000] [--runs 5]
        [--pandas-max 1000000] [--json out.json]

Databases are synthetic (seeded, NIST 1036 U.S. Caucasian frequencies, CODIS 20 loci).
Queries: one 20-locus single-source profile (a profile of the database, so there is a hit),
LR-ranked top 10 with θ = 0.01; one two-person mixture (two database profiles' alleles at 20
loci) ranked by the semi-continuous LR of each candidate as a contributor (Hp: candidate +
1 unknown; Hd: 2 unknowns; d = 0.1, C = 0.05, θ = 0.01), top 10.

Baseline, in the same process: a straightforward pandas implementation - one row per
profile, two integer allele-code columns per locus, and per locus a ``merge`` with a small
frame (genotype -> log10 LR) followed by a row-wise sum and ``nlargest``. It is given the
same per-genotype tables, so the ratio measures the database pass alone. For the mixture
query the per-candidate cost of the straightforward route (``habeas.dna.mixture``'s
``likelihood_ratio`` once per candidate) is also timed on 200 candidates and extrapolated.

Times are medians (and minima) of ``--runs`` runs after one warm-up; other jobs share the
machine, so single runs are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time

import numpy as np


def machine() -> dict:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    import numpy
    vers = {"python": platform.python_version(), "numpy": numpy.__version__}
    for mod in ("pandas", "pyarrow", "polars", "dask"):
        try:
            vers[mod] = __import__(mod).__version__
        except ImportError:
            pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "machine": platform.machine(), **vers}


def timed(fn, runs: int) -> tuple[float, float, object]:
    out = fn()  # warm-up
    ts = []
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts), min(ts), out


def pandas_frame(db):
    import pandas as pd

    cols = {}
    for li, locus in enumerate(db.loci):
        c = np.asarray(db.codes[li])
        cols[f"{locus}_1"] = c[:, 0]
        cols[f"{locus}_2"] = c[:, 1]
    return pd.DataFrame(cols)


def pandas_rank(df, db, tables: dict[int, np.ndarray], top: int = 10):
    """The plain pandas route: merge each locus with its genotype -> log10 LR frame."""
    import pandas as pd

    from habeas.dna.database.search import pair_index

    score = pd.Series(0.0, index=df.index)
    for li, t in tables.items():
        locus = db.loci[li]
        K = len(db.alleles[li])
        rows = [(a, b, t[pair_index(a, b)]) for a in range(0, K + 1) for b in range(a, K + 1)
                if (a == 0) == (b == 0)]
        g = pd.DataFrame(rows, columns=[f"{locus}_1", f"{locus}_2", "v"]).astype(
            {f"{locus}_1": np.uint8, f"{locus}_2": np.uint8})
        m = df[[f"{locus}_1", f"{locus}_2"]].merge(g, how="left", on=[f"{locus}_1", f"{locus}_2"])
        score = score + m["v"].to_numpy()
    score = score[np.isfinite(score)]
    return score.nlargest(top)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pandas-max", type=int, default=1_000_000,
                    help="run the pandas baseline only up to this size")
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args(argv)

    from habeas.dna.database import generate, mixture_params, search_lr, search_mixture
    from habeas.dna.database.search import lr_tables, mixture_locus_tables
    from habeas.dna.profile import Profile
    from habeas.dna.tables import load_table

    table = load_table("NIST1036_Cauc")
    info = machine()
    print("machine:", json.dumps(info))
    results = []
    for n in args.sizes:
        t = time.perf_counter()
        db = generate(n, seed=2024)
        gen_s = time.perf_counter() - t
        bpp = db.bytes_per_profile()
        q = db.profile(n // 3)
        a, b = db.profile(n // 5), db.profile(n // 7)
        mix = Profile.from_mapping("mix", {l: set(a.loci[l]) | set(b.loci[l]) for l in db.loci})
        params = mixture_params(2, dropout=0.1, dropin=0.05, theta=0.01, rare_freq=None)
        row = {"n": n, "generate_s": round(gen_s, 2), "bytes_per_profile": bpp}
        med, mn, res = timed(lambda: search_lr(db, q, table, 0.01, top=10), args.runs)
        assert res.hits[0].id == q.sample
        row["single_source_s"] = {"median": med, "min": mn}
        runs_mix = args.runs if n <= 1_000_000 else max(1, args.runs // 2)
        med, mn, res = timed(lambda: search_mixture(db, mix, table, params, top=10), runs_mix)
        assert {h.id for h in res.hits[:2]} == {a.sample, b.sample}
        row["mixture_s"] = {"median": med, "min": mn}
        t = time.perf_counter()
        mix_tabs, _, _ = mixture_locus_tables(db, [mix], [], table, params)
        row["mixture_tables_s"] = time.perf_counter() - t
        if n <= args.pandas_max:
            try:
                t = time.perf_counter()
                df = pandas_frame(db)
                row["pandas_build_s"] = time.perf_counter() - t
                row["pandas_bytes_per_profile"] = df.memory_usage(index=False).sum() / n
                ss_tabs, _ = lr_tables(db, q, table, 0.01)
                pr = max(1, args.runs // 2)
                med, mn, top = timed(lambda: pandas_rank(df, db, ss_tabs), pr)
                assert int(top.index[0]) == n // 3
                row["pandas_single_source_s"] = {"median": med, "min": mn}
                med, mn, top = timed(lambda: pandas_rank(df, db, mix_tabs), pr)
                row["pandas_mixture_s"] = {"median": med, "min": mn}
                del df
            except ImportError:
                row["pandas"] = "not installed"
        # the per-candidate route for the mixture query, extrapolated from 200 candidates
        try:
            from habeas.dna.mixture import MixtureParameters, likelihood_ratio, standard_propositions

            t = time.perf_counter()
            for r in range(200):
                c = db.profile(r)
                hp, hd = standard_propositions(c, [], unknowns_hp=1, unknowns_hd=2,
                                               dropout_poi=0.1, dropout_unknown_hp=0.1,
                                               dropout_unknown_hd=0.1)
                likelihood_ratio([mix], hp, hd, table,
                                 MixtureParameters(dropin=0.05, theta=0.01,
                                                   rare_allele_frequency=0.001))
            row["per_candidate_mixture_s_extrapolated"] = (time.perf_counter() - t) / 200 * n
        except ImportError:
            pass
        row["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        results.append(row)
        print(json.dumps(row, default=float))
        del db
    out = {"machine": info, "results": results}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1, default=float)
    return 0


if __name__ == "__main__":
    sys.exit(main())
