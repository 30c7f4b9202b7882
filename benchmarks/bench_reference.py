"""Benchmark of the reference data (see docs/benchmarks.md, "Reference data").

    .venv/bin/python benchmarks/bench_reference.py [--runs 5] [--json out.json]

Needs ../shared/data (the real NRE and DPIC files; not redistributed with habeas). Runs on the
embedded default: a fresh SQLite database in a temporary HABEAS_HOME.

Measured:
* full import: ``import_shared_if_present`` into an empty database (4 files, 7,808 records,
  charts of the default editions drawn), and without drawing charts; re-import of the same
  files (nothing changes);
* each page through Django's test client as a logged-in user: analytics pages with their
  charts in the cache (what a user sees after an import) and with the cache emptied (charts
  drawn during the request), the browsers (first page, filtered, sorted), a record page, a CSV
  download, and the similar-exonerations query for a hand-built capital murder case.

Times are medians (and minima) of ``--runs`` runs after one warm-up; other jobs may share the
machine, so the minimum is the better guide to the cost.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time


def machine() -> dict:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), "")
    except OSError:
        pass
    import django
    import matplotlib

    return {"nproc": os.cpu_count(), "cpu": cpu, "machine": platform.machine(),
            "python": platform.python_version(), "django": django.get_version(), "matplotlib": matplotlib.__version__,
            "load_average": os.getloadavg()}


def timed(fn, runs: int, setup=None) -> tuple[float, float]:
    if setup:
        setup()
    fn()  # warm-up
    ts = []
    for _ in range(runs):
        if setup:
            setup()
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts), min(ts)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args()

    os.environ["HABEAS_HOME"] = tempfile.mkdtemp(prefix="habeas-bench-ref-")
    os.environ.pop("HABEAS_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "habeas.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", interactive=False, verbosity=0)
    from habeas.cases.models import Case, ContributingFactor, Conviction, EvidenceItem, Offense
    from habeas.reference.importer import find_shared_data, import_shared_if_present
    from habeas.reference.models import ChartCache, Dataset, Execution, Exoneration
    from habeas.reference.similar import profile_of, similar

    if find_shared_data() is None:
        print("../shared/data not found: nothing to benchmark", file=sys.stderr)
        return 2

    def wipe():
        ChartCache.objects.all().delete()
        Dataset.objects.all().delete()

    rows = []

    def row(what, med, mn, note=""):
        rows.append({"what": what, "median_ms": round(med * 1000, 1), "min_ms": round(mn * 1000, 1), "note": note})
        print(f"{what:60s} {med * 1000:9.1f} {mn * 1000:9.1f}  {note}", flush=True)

    print(f"{'':60s} {'median ms':>9s} {'min ms':>9s}")
    # the first import in a process also pays for importing matplotlib: measure it once, apart
    wipe()
    t = time.perf_counter()
    results = import_shared_if_present(io.StringIO())
    first = time.perf_counter() - t
    counts = {r.dataset: {"file": os.path.basename(r.path), "read": r.read, "added": r.added,
                          "rejected": r.rejected} for r in results}
    row("full import, first in the process (incl. matplotlib import)", first, first, "1 run")
    row("full import into an empty database (charts drawn)",
        *timed(lambda: import_shared_if_present(io.StringIO()), args.runs, setup=wipe))
    row("full import, no charts",
        *timed(lambda: import_shared_if_present(io.StringIO(), warm_charts=False), args.runs, setup=wipe))
    import_shared_if_present(io.StringIO())
    row("re-import of the same files (nothing changes)",
        *timed(lambda: import_shared_if_present(io.StringIO()), args.runs))
    n_exo, n_exe = Exoneration.objects.count(), Execution.objects.count()

    User = get_user_model()
    user = User.objects.create_user("bench", password="bench-password-1")
    client = Client()
    client.force_login(user)

    def get(url):
        def fn():
            r = client.get(url)
            assert r.status_code == 200, (url, r.status_code)
        return fn

    from habeas.reference.analytics import TOPICS

    for topic in TOPICS:
        url = f"/reference/analytics/{topic}/"
        row(f"analytics {topic}: charts cached", *timed(get(url), args.runs))
        row(f"analytics {topic}: cache emptied (charts drawn)",
            *timed(get(url), args.runs, setup=lambda: ChartCache.objects.all().delete()))
    row("analytics factors, filtered (state=Texas, charts drawn)",
        *timed(get("/reference/analytics/factors/?state=Texas"), args.runs))
    e = Exoneration.objects.filter(dataset__format="nre-2024").first()
    for what, url in [
        ("reference overview", "/reference/"),
        ("exonerations browser, first page", "/reference/exonerations/"),
        ("exonerations browser, 3 filters + sort", "/reference/exonerations/?state=Texas&factor=mwid&dna=yes&sort=-years"),
        ("executions browser, first page", "/reference/executions/"),
        ("exoneration record page", e.get_absolute_url()),
        ("CSV download, all 3,497 exonerations", "/reference/exonerations.csv"),
    ]:
        row(what, *timed(get(url), args.runs))

    case = Case.objects.create(caption="People v. Benchmark", jurisdiction="State of California")
    for f in ("mwid", "om", "f_mfe"):
        ContributingFactor.objects.create(case=case, factor=f)
    conv = Conviction.objects.create(case=case, death_sentence=True)
    Offense.objects.create(conviction=conv, description="first-degree murder")
    EvidenceItem.objects.create(case=case, item_number="1", description="swab", kind="biological")
    row("similar exonerations for a case (profile + ranked query)",
        *timed(lambda: similar(profile_of(case)), args.runs))

    info = machine()
    print(json.dumps({"machine": info, "records": {"exonerations": n_exo, "executions": n_exe},
                      "files": counts}, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": info, "files": counts, "rows": rows}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
