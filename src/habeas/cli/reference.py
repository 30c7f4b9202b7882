"""``habeas reference``: import the public files on exonerations and executions; statistics."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from habeas.cli import CommandError, setup_django


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("reference", help="reference data: exonerations and executions",
                       description="Import and summarise the public record of exonerations (National Registry "
                                   "of Exonerations) and of executions (Death Penalty Information Center).")
    rsub = p.add_subparsers(dest="reference_command", metavar="SUBCOMMAND", required=True)

    imp = rsub.add_parser(
        "import", help="import files downloaded from the NRE or DPIC",
        description="Import one or more files (CSV or XLSX), all in one transaction. The layout is recognised "
                    "from the header; a file whose columns differ is refused with the column named. "
                    "Re-importing a file changes nothing.")
    imp.add_argument("files", nargs="*", metavar="FILE", help="files to import")
    imp.add_argument("--kind", choices=["exonerations", "executions"], help="expected kind of data")
    imp.add_argument("--retrieved", metavar="YYYY-MM-DD",
                     help="day the file was downloaded (default: the file's modification date)")
    imp.add_argument("--source-url", default="", help="where the file was downloaded (kept as text)")
    imp.add_argument("--shared", action="store_true",
                     help="import the copies in ../shared/data (as `habeas demo` does)")
    imp.add_argument("--no-charts", action="store_true",
                     help="do not draw the analytics charts now (they are drawn on first view)")
    imp.set_defaults(handler=cmd_import)

    st = rsub.add_parser("stats", help="summary of the imported reference data",
                         description="Counts per dataset: records, contributing factors, DNA, death sentences, "
                                     "executions by state.")
    st.add_argument("--json", action="store_true", help="print JSON")
    st.set_defaults(handler=cmd_stats)


def cmd_import(args) -> int:
    setup_django()
    from habeas.reference.importer import ReferenceImportError, import_files, import_shared_if_present

    if args.shared:
        import sys

        if not import_shared_if_present(sys.stdout, warm_charts=not args.no_charts):
            raise CommandError("../shared/data not found")
        return 0
    if not args.files:
        raise CommandError("give at least one FILE (or --shared)")
    retrieved = None
    if args.retrieved:
        try:
            retrieved = dt.date.fromisoformat(args.retrieved)
        except ValueError as exc:
            raise CommandError(f"--retrieved: not a date (YYYY-MM-DD): {args.retrieved}") from exc
    try:
        results = import_files(args.files, kind=args.kind, retrieved_on=retrieved,
                               retrieved_note="given on the command line" if retrieved else "",
                               source_url=args.source_url, warm_charts=not args.no_charts)
    except ReferenceImportError as exc:
        raise CommandError(f"{exc} — nothing imported") from exc
    for r in results:
        print(r.line())
        for rej in r.rejections[:10]:
            print(f"  rejected row {rej['row']}: {rej['reason']}")
        if len(r.rejections) > 10:
            print(f"  … {len(r.rejections) - 10} more rejected rows (listed on the import batch)")
    return 0


def stats() -> dict:
    """The summary printed by ``habeas reference stats`` (plain data)."""
    from django.db.models import Count, Q

    from habeas.reference.models import FACTORS, Dataset, Execution, Exoneration

    out = {"datasets": []}
    for ds in Dataset.objects.all():
        batch = ds.batches.order_by("-pk").first()
        d = {"slug": ds.slug, "kind": ds.kind, "title": ds.title, "publisher": ds.publisher,
             "as_of": ds.as_of.isoformat() if ds.as_of else None, "records": ds.record_count,
             "file": batch.file_name if batch else None,
             "retrieved_on": batch.retrieved_on.isoformat() if batch else None,
             "source_url": batch.source_url if batch else None}
        if ds.kind == "exonerations":
            agg = Exoneration.objects.filter(dataset=ds).aggregate(
                total=Count("pk"), dna=Count("pk", filter=Q(dna=True)),
                death_sentence=Count("pk", filter=Q(death_sentence=True)),
                **{code: Count("pk", filter=Q(**{code: True})) for code, _, _ in FACTORS})
            d.update(total=agg["total"], dna=agg["dna"], death_sentence=agg["death_sentence"],
                     factors={abbr: agg[code] for code, abbr, _ in FACTORS})
        else:
            qs = Execution.objects.filter(dataset=ds)
            by_state = qs.values("state").annotate(n=Count("pk")).order_by("-n", "state")
            first_last = qs.order_by("date").values_list("date", flat=True)
            d.update(total=qs.count(), by_state={r["state"]: r["n"] for r in by_state},
                     first=first_last.first().isoformat() if qs.exists() else None,
                     last=first_last.last().isoformat() if qs.exists() else None)
        out["datasets"].append(d)
    return out


def cmd_stats(args) -> int:
    setup_django()
    data = stats()
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    if not data["datasets"]:
        print("no reference data imported (habeas reference import FILE)")
    for d in data["datasets"]:
        print(f"{d['slug']}: {d['title']} — {d['records']} records, as of {d['as_of']} "
              f"(file {d['file']}, retrieved {d['retrieved_on']})")
        if d["kind"] == "exonerations":
            f = ", ".join(f"{k} {v}" for k, v in d["factors"].items())
            print(f"  DNA {d['dna']}, death sentence {d['death_sentence']}; factors: {f}")
        else:
            top = ", ".join(f"{k} {v}" for k, v in list(d["by_state"].items())[:8])
            print(f"  {d['first']} .. {d['last']}; top states: {top}")
    return 0
