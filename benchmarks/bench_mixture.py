"""Benchmark of habeas.dna.mixture: LR with 1, 2, 3 and 4 unknown contributors over 20 loci.

Synthetic stains: the CODIS 20 loci of the shipped NIST 1036 Caucasian table
(habeas.dna.tables; a synthetic table if absent); the stain is the union of the alleles of
n people drawn from the table (seeded), every allele observed; two extra rows make the people share no allele (2n distinct
alleles at every locus, the largest allele space, the worst case for the enumeration).
Hp = POI (one of the n) + (n-1) unknowns; Hd = n unknowns; d = 0.1 for everyone, C = 0.05,
θ = 0.01, rare-allele frequency 0.001. Single core (thread variables set to 1 before NumPy
loads); the median of repeated runs of the whole computation (validation, per-locus models,
evaluation). Prints a markdown table; ``--profile`` adds a cProfile of the 4-unknown case.

    .venv/bin/python benchmarks/bench_mixture.py [--repeat 7] [--profile]
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_v] = "1"

import argparse  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from habeas.dna.frequencies import FrequencyTable  # noqa: E402
from habeas.dna.loci import CODIS_20  # noqa: E402
from habeas.dna.mixture import MixtureParameters, likelihood_ratio, prepare, standard_propositions  # noqa: E402,E501
from habeas.dna.profile import Profile  # noqa: E402


def table() -> FrequencyTable:
    try:
        from habeas.dna.tables import load_table
        return load_table("NIST1036_Cauc")
    except Exception:  # pragma: no cover - synthetic fallback
        rng = np.random.default_rng(1)
        freqs = {}
        for l in CODIS_20:
            w = rng.gamma(1.0, size=12)
            freqs[l] = {str(8 + i): float(x) for i, x in enumerate(w / w.sum())}
        return FrequencyTable("synthetic", freqs)


def scenario(t: FrequencyTable, n: int, seed: int, worst: bool = False):
    """n people drawn from the table; the stain shows every allele of all of them.
    ``worst``: the people share no allele, so every locus shows 2n distinct alleles."""
    rng = np.random.default_rng(seed)
    loci = [l for l in CODIS_20 if l in t.freqs][:20]
    people = [{} for _ in range(n)]
    for l in loci:
        al = list(t.freqs[l])
        p = np.array([t.freqs[l][a] for a in al])
        if worst:
            k = min(2 * n, len(al))
            pick = list(rng.choice(len(al), k, replace=False))
            pick += list(rng.choice(len(al), 2 * n - k))
        else:
            pick = rng.choice(len(al), 2 * n, p=p / p.sum())
        for i in range(n):
            people[i][l] = [al[pick[2 * i]], al[pick[2 * i + 1]]]
    stain = {l: sorted({a for g in people for a in g[l]}) for l in loci}
    poi = Profile.from_mapping("POI", people[0])
    hp, hd = standard_propositions(poi, unknowns_hp=n - 1, unknowns_hd=n, dropout_poi=0.1,
                                   dropout_unknown_hp=0.1, dropout_unknown_hd=0.1)
    return [Profile.from_mapping("stain", stain)], hp, hd, loci


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=11)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args(argv)
    t = table()
    params = MixtureParameters(dropin=0.05, theta=0.01, rare_allele_frequency=0.001)
    rows = []
    for n, worst in ((1, False), (2, False), (3, False), (4, False), (3, True), (4, True)):
        reps, hp, hd, loci = scenario(t, n, seed=100 + n, worst=worst)
        likelihood_ratio(reps, hp, hd, t, params)  # warm-up (composition cache, imports)
        times, prep_times = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            case = prepare(reps, hp, hd, t, params)
            t1 = time.perf_counter()
            r = case.result()
            t2 = time.perf_counter()
            times.append(t2 - t0)
            prep_times.append(t1 - t0)
        cls = [m.counts.shape[0] for m in case.models["hd"]]
        rows.append((f"{n}{' (2n alleles at every locus)' if worst else ''}", len(loci),
                     max(len(s) for s in reps[0].loci.values()),
                     int(np.median(cls)), max(cls), statistics.median(prep_times) * 1e3,
                     statistics.median(times) * 1e3, min(times) * 1e3, r.log10_lr))
    print(f"Machine: {platform.machine()}, nproc {os.cpu_count()}, "
          f"{_cpu()}, Python {platform.python_version()}, NumPy {np.__version__}; "
          f"table {t.name}; median of {args.repeat} runs, single thread\n")
    print("| unknowns (Hd) | loci | max alleles/locus | count vectors/locus (median, max) "
          "| prepare (ms, median) | total LR (ms, median) | total LR (ms, min) | log10 LR |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for n, L, mx, kmed, kmax, prep, tot, best, lr in rows:
        print(f"| {n} | {L} | {mx} | {kmed}, {kmax} | {prep:.1f} | {tot:.1f} | {best:.1f} "
              f"| {lr:.2f} |")
    if args.profile:
        import cProfile
        import pstats
        reps, hp, hd, _ = scenario(t, 4, seed=104, worst=True)
        pr = cProfile.Profile()
        pr.enable()
        for _ in range(3):
            likelihood_ratio(reps, hp, hd, t, params)
        pr.disable()
        print("\ncProfile, 4 unknowns, 3 runs (top by own time):\n")
        pstats.Stats(pr).sort_stats("tottime").print_stats(12)
    return 0


def _cpu() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    raise SystemExit(main())
