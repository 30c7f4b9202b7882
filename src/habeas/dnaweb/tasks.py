"""Background job functions (run by :mod:`habeas.jobs.worker`)."""

from __future__ import annotations


def case_matrix_job(job, case_id: int) -> dict:
    from habeas.cases.models import Case
    from habeas.dnaweb.matrix import compute
    from habeas.jobs.api import report_progress

    case = Case.objects.get(pk=case_id)
    report_progress(job, 0.0, "comparing evidence with references")
    return compute(case, progress=lambda f, m: report_progress(job, f, m))


def db_search_job(job, db: str, samples: list[dict], knowns: list[dict], params: dict) -> dict:
    """Run a database search; ``samples`` / ``knowns``: [{"sample", "loci"}]."""
    import math

    from habeas.dna.database import (
        mixture_params, open_database, search_familial, search_lr, search_matches,
        search_mixture,
    )
    from habeas.dna.genotype import RareAlleleRule
    from habeas.dna.profile import Profile
    from habeas.dna.tables import load_table
    from habeas.jobs.api import report_progress

    import threading

    me = threading.get_ident()

    def prog(f, msg):  # the search calls back from its worker threads too: record ours only
        if threading.get_ident() == me:
            report_progress(job, 0.1 + 0.85 * f, msg)

    report_progress(job, 0.02, f"opening database {db}")
    database = open_database(db)
    reps = [Profile.from_mapping(s["sample"], s["loci"]) for s in samples]
    kn = [Profile.from_mapping(s["sample"], s["loci"]) for s in knowns]
    p = params
    report_progress(job, 0.1, "building per-locus tables")
    if p.get("stringency"):
        res = search_matches(database, reps[0], p["stringency"], p.get("max_mismatches", 0),
                             p.get("min_loci", 1), p.get("top", 20), progress=prog)
    else:
        table = load_table(p.get("freqs") or "NIST1036_Cauc")
        rule = RareAlleleRule("fixed", p["rare_freq"]) if p.get("rare_freq") else RareAlleleRule()
        max_al = max((len(a) for r in reps for a in r.loci.values()), default=0)
        n = p.get("contributors") or max(1 + len(kn), math.ceil(max_al / 2))
        if p.get("familial"):
            res = search_familial(database, reps[0], table, p["familial"], rule,
                                  p.get("threshold"), p.get("top", 20), progress=prog)
        elif n == 1 and len(reps) == 1 and not kn and not p.get("dropout") and not p.get("dropin") \
                and max_al <= 2:
            res = search_lr(database, reps[0], table, p.get("theta", 0.01), rule,
                            p.get("threshold"), p.get("top", 20), progress=prog)
        else:
            mp = mixture_params(n, len(kn), dropout=p.get("dropout") or 0.0,
                                dropin=0.05 if p.get("dropin") is None else p["dropin"],
                                theta=p.get("theta", 0.01), rare_freq=p.get("rare_freq"))
            res = search_mixture(database, reps, table, mp, kn, p.get("threshold"),
                                 p.get("top", 20), progress=prog)
    report_progress(job, 1.0, f"{len(res.hits)} candidates reported")
    return res.to_dict()
