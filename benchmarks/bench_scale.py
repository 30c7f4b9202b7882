"""Scale benchmark: a synthetic organisation, then page latencies (see docs/benchmarks.md, "Scale").

    .venv/bin/python benchmarks/bench_scale.py --database sqlite [--scale 1.0] [--requests 40]
    .venv/bin/python benchmarks/bench_scale.py --database postgres://postgres@127.0.0.1:5432/habeas_bench

At ``--scale 1`` the organisation has 10 000 cases, 200 000 evidence items (20 per case),
1 000 000 custody events (5 per item), 100 000 document pages (one 10-page document per case),
40 000 people in roles, 100 000 timeline events, 10 000 convictions and lab requests. It is
generated with a fixed seed by ``bulk_create`` in batches. ``bulk_create`` bypasses
``CustodyEvent.save`` (which computes the hash chain one event at a time), so the generator
sets ``sequence`` and ``previous_hash`` itself and calls ``CustodyEvent.compute_hash`` - the
chains verify (``verify_chain``), checked on a sample at the end.

Users: ``staff`` (sees every case) and ``member`` (on the team of 25 cases). Requests go
through Django's test client in-process (middleware, templates, the ORM; no network, no
WSGI server). Timed, ``--requests`` times each with varying cases/queries after 3 warm-ups:
the case list page ``/`` (member; staff), a case page ``/cases/<id>/`` (20 items, 100 custody
events, 10 pages), ``/api/cases/`` and ``/api/cases/<id>/``, full-text search
``/documents/search/?q=`` (member and staff: the staff search runs over all 100 000 pages).

The SQLite database goes to a fresh temporary HABEAS_HOME; PostgreSQL to the database named in
the URL, created (and with ``--drop`` dropped after) by this script.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time

WORDS = ("alibi witness testimony jury verdict sheriff deputy laboratory serology blood hair fibre "
         "hatchet knife shoe print footprint cigarette towel swab semen stain report transcript motion "
         "appeal habeas petition clemency governor warden prison custody evidence locker property room "
         "detective interview confession informant prosecutor defence counsel hearing discovery brady "
         "exculpatory photograph lineup identification timeline hideout ranch station wagon van").split()
JURISDICTIONS = ["State of California", "State of Texas", "State of Florida", "State of Ohio", "Federal",
                 "State of Illinois", "State of Georgia", "State of Louisiana"]


def machine() -> str:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    return f"{platform.machine()}, nproc {os.cpu_count()}, {cpu}, Python {platform.python_version()}"


def setup(database: str, reuse: str | None = None) -> str:
    """Point Django at the database (a new one, or the one of ``reuse``); return a label."""
    if database == "sqlite":
        os.environ["HABEAS_HOME"] = reuse or tempfile.mkdtemp(prefix="habeas-bench-")
        os.environ.pop("HABEAS_DATABASE_URL", None)
    elif reuse:
        os.environ["HABEAS_DATABASE_URL"] = database
    else:
        os.environ.setdefault("HABEAS_HOME", tempfile.mkdtemp(prefix="habeas-bench-"))
        os.environ["HABEAS_DATABASE_URL"] = database
        import psycopg

        name = database.rsplit("/", 1)[1]
        admin = database.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{name}"')
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "habeas.settings")
    os.environ["HABEAS_AXES_ENABLED"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    return f"{connection.vendor} {'.'.join(map(str, connection.Database.sqlite_version_info)) if connection.vendor == 'sqlite' else connection.cursor().connection.info.server_version}"


def generate(scale: float, seed: int, batch_cases: int = 250) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from habeas.cases.models import (
        Case, CaseMembership, Conviction, CustodyEvent, DocketNumber, EvidenceItem, LabRequest, Person, Role,
        TimelineEvent,
    )
    from django.apps import apps

    Document = apps.get_model("documents", "Document")
    Page = apps.get_model("documents", "Page")
    rng = random.Random(seed)
    n_cases = int(10_000 * scale)
    items_per_case, events_per_item, pages_per_doc = 20, 5, 10
    User = get_user_model()
    staff = User.objects.create_user("staff", password="bench-password-1", is_staff=True)
    member = User.objects.create_user("member", password="bench-password-2")
    team = [User.objects.create_user(f"attorney{i}", password="bench-password-3") for i in range(20)]
    member_cases = set(rng.sample(range(n_cases), min(25, n_cases)))
    counts = dict.fromkeys(["cases", "roles", "evidence_items", "custody_events", "pages", "timeline_events"], 0)
    t0 = time.perf_counter()
    for start in range(0, n_cases, batch_cases):
        idx = range(start, min(start + batch_cases, n_cases))
        with transaction.atomic():
            cases = Case.objects.bulk_create([Case(
                caption=f"People v. Synthetic {i:05d}", jurisdiction=rng.choice(JURISDICTIONS),
                court="Superior Court", stage=rng.choice(Case.Stage.values), summary="synthetic case " * 5,
                ) for i in idx])
            CaseMembership.objects.bulk_create(
                [CaseMembership(case=c, user=team[i % len(team)]) for i, c in zip(idx, cases)]
                + [CaseMembership(case=c, user=member) for i, c in zip(idx, cases) if i in member_cases])
            DocketNumber.objects.bulk_create([DocketNumber(case=c, court="Superior Court", number=f"CR-{i:06d}")
                                              for i, c in zip(idx, cases)])
            persons = Person.objects.bulk_create([Person(name=f"Client {i}" if k == 0 else "", is_public=k == 0)
                                                  for i in idx for k in range(4)])
            kinds = [Role.Kind.CLIENT, Role.Kind.VICTIM, Role.Kind.WITNESS, Role.Kind.INVESTIGATOR]
            roles = Role.objects.bulk_create([Role(case=c, person=persons[j * 4 + k], kind=kinds[k],
                                                   label=f"{kinds[k].label.lower()} {k}")
                                              for j, c in enumerate(cases) for k in range(4)])
            Conviction.objects.bulk_create([Conviction(case=c, defendant=roles[j * 4], court="Superior Court",
                                                       death_sentence=rng.random() < 0.1, sentence="life")
                                            for j, c in enumerate(cases)])
            items = EvidenceItem.objects.bulk_create([EvidenceItem(
                case=c, item_number=f"A-{k + 1:02d}", description=f"{rng.choice(WORDS)} {rng.choice(WORDS)}",
                kind=rng.choice(EvidenceItem.Kind.values), status=rng.choice(EvidenceItem.Status.values))
                for c in cases for k in range(items_per_case)])
            events = []
            for item in items:
                prev = ""
                for seq in range(1, events_per_item + 1):
                    ev = CustodyEvent(evidence_item_id=item.pk, sequence=seq, previous_hash=prev,
                                      from_party="sheriff" if seq == 1 else "lab", to_party="lab",
                                      purpose=rng.choice(["testing", "storage", "court"]),
                                      seal_condition=rng.choice(CustodyEvent.Seal.values),
                                      description=f"transfer {seq}")
                    ev.hash = ev.compute_hash()
                    prev = ev.hash
                    events.append(ev)
            CustodyEvent.objects.bulk_create(events, batch_size=5000)
            reqs = LabRequest.objects.bulk_create([LabRequest(case=c, laboratory="State lab") for c in cases])
            LabRequest.items.through.objects.bulk_create([
                LabRequest.items.through(labrequest_id=r.pk, evidenceitem_id=items[j * items_per_case + k].pk)
                for j, r in enumerate(reqs) for k in range(3)])
            TimelineEvent.objects.bulk_create([TimelineEvent(case=c, what=f"event {k}") for c in cases
                                               for k in range(10)])
            docs = Document.objects.bulk_create([Document(
                case=c, title=f"transcript {i}", kind="transcript", original_filename=f"t{i}.pdf",
                sha256=f"{i:064x}", size=1000, status="ready", page_count=pages_per_doc) for i, c in zip(idx, cases)])
            Page.objects.bulk_create([Page(document=d, number=p + 1,
                                           text=" ".join(rng.choice(WORDS) for _ in range(250)) + f" docket{d.pk}x{p}")
                                      for d in docs for p in range(pages_per_doc)], batch_size=2000)
        counts["cases"] += len(cases)
        counts["roles"] += len(roles)
        counts["evidence_items"] += len(items)
        counts["custody_events"] += len(events)
        counts["pages"] += len(docs) * pages_per_doc
        counts["timeline_events"] += len(cases) * 10
        if (start // batch_cases) % 8 == 0:
            print(f"  {counts['cases']} cases, {counts['custody_events']} custody events "
                  f"({time.perf_counter() - t0:.0f} s)", flush=True)
    counts["generate_seconds"] = round(time.perf_counter() - t0, 1)
    return {"counts": counts, "staff": staff, "member": member}


def analyze():
    from django.db import connection

    with connection.cursor() as c:
        c.execute("ANALYZE")


def p(values, q):
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(q / 100 * (len(values) - 1)))))
    return values[k]


def time_requests(staff, member, n: int, seed: int) -> list[dict]:
    from django.test import Client

    from habeas.cases.models import Case
    from habeas.web.access import visible_cases

    rng = random.Random(seed + 1)
    cs, cm = Client(), Client()
    cs.force_login(staff)
    cm.force_login(member)
    all_ids = list(Case.objects.values_list("pk", flat=True))
    mine = list(visible_cases(member).values_list("pk", flat=True))
    queries = ["hatchet", '"station wagon"', "shoe print", "exculpat*", "brady -jury", "hideout ranch",
               "cigarette towel", "confession informant"]
    plan = [
        ("case list page / (member, 25 cases)", cm, lambda: "/"),
        ("case list page / (staff, all cases)", cs, lambda: "/"),
        ("case page /cases/<id>/", cs, lambda: f"/cases/{rng.choice(all_ids)}/"),
        ("API /api/cases/ (staff, page 1 of 50)", cs, lambda: "/api/cases/"),
        ("API /api/cases/<id>/", cs, lambda: f"/api/cases/{rng.choice(all_ids)}/"),
        ("API /api/custody-events/?evidence_item=<id>", cs, None),
        ("search /documents/search/ (member)", cm, lambda: f"/documents/search/?q={rng.choice(queries)}"),
        ("search /documents/search/ (staff, all pages)", cs, lambda: f"/documents/search/?q={rng.choice(queries)}"),
    ]
    from habeas.cases.models import EvidenceItem

    item_ids = list(EvidenceItem.objects.filter(case_id__in=rng.sample(all_ids, min(200, len(all_ids))))
                    .values_list("pk", flat=True))
    plan[5] = (plan[5][0], cs, lambda: f"/api/custody-events/?evidence_item={rng.choice(item_ids)}")
    out = []
    for label, client, url in plan:
        runs = n if "staff, all" not in label or "search" in label else max(5, n // 4)
        ts = []
        try:
            for _ in range(3):
                client.get(url())
            for _ in range(runs):
                u = url()
                t = time.perf_counter()
                r = client.get(u)
                ts.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200, (u, r.status_code)
        except Exception as exc:  # noqa: BLE001 - report the page as failed, time the others
            print(f"  {label}: FAILED {type(exc).__name__}: {str(exc)[:200]}", flush=True)
            out.append({"what": label, "error": f"{type(exc).__name__}: {str(exc)[:200]}"})
            continue
        row = {"what": label, "n": runs, "p50_ms": round(statistics.median(ts), 1), "p95_ms": round(p(ts, 95), 1),
               "max_ms": round(max(ts), 1)}
        print(f"  {label}: p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms (n={runs})", flush=True)
        out.append(row)
    _ = mine
    return out


def check_chains(sample: int, seed: int) -> int:
    from habeas.cases.models import EvidenceItem, verify_chain

    rng = random.Random(seed + 2)
    ids = list(EvidenceItem.objects.values_list("pk", flat=True))
    bad = 0
    for pk in rng.sample(ids, min(sample, len(ids))):
        bad += bool(verify_chain(EvidenceItem.objects.get(pk=pk)))
    return bad


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--database", default="sqlite", help="'sqlite' (temporary HABEAS_HOME) or a postgres:// URL")
    ap.add_argument("--scale", type=float, default=1.0, help="1.0 = 10 000 cases (default)")
    ap.add_argument("--requests", type=int, default=40)
    ap.add_argument("--seed", type=int, default=20261129)
    ap.add_argument("--drop", action="store_true", help="drop the PostgreSQL database afterwards")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--reuse", action="store_true",
                    help="time an organisation generated before (SQLite: give its folder as --home)")
    ap.add_argument("--home", help="SQLite: the HABEAS_HOME of a generated organisation (with --reuse)")
    args = ap.parse_args(argv)
    db = setup(args.database, (args.home or "x") if args.reuse else None)
    print(f"habeas scale benchmark on {db}; {machine()}; HABEAS_HOME={os.environ['HABEAS_HOME']}", flush=True)
    if args.reuse:
        from django.contrib.auth import get_user_model

        from habeas.cases.models import Case, CustodyEvent, EvidenceItem

        U = get_user_model()
        g = {"staff": U.objects.get(username="staff"), "member": U.objects.get(username="member"),
             "counts": {"cases": Case.objects.count(), "evidence_items": EvidenceItem.objects.count(),
                        "custody_events": CustodyEvent.objects.count()}}
    else:
        g = generate(args.scale, args.seed)
    print(f"generated {g['counts']}", flush=True)
    t = time.perf_counter()
    analyze()
    broken = check_chains(200, args.seed)
    print(f"ANALYZE + chain check {time.perf_counter() - t:.1f} s; broken chains in a sample of 200: {broken}")
    rows = time_requests(g["staff"], g["member"], args.requests, args.seed)
    result = {"database": db, "machine": machine(), "scale": args.scale, "counts": g["counts"],
              "broken_chains_in_sample": broken, "timings": rows}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
    if args.drop and args.database != "sqlite":
        from django.db import connections

        connections.close_all()
        import psycopg

        name = args.database.rsplit("/", 1)[1]
        with psycopg.connect(args.database.rsplit("/", 1)[0] + "/postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
