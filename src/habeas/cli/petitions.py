"""``habeas packet CASE_ID --kind clemency|dna-motion --format pdf|docx -o FILE``."""

from __future__ import annotations

import argparse
from pathlib import Path

from habeas.cli import CommandError, setup_django


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("packet", help="generate a clemency or DNA-testing-motion packet of a case",
                       description="Assemble a packet from the case record (summary, conviction and sentence, "
                                   "custody, claims, evidence and lab history, DNA statistics, timeline, "
                                   "exhibit index) as PDF or DOCX.")
    p.add_argument("case_id", type=int, metavar="CASE_ID")
    p.add_argument("--kind", required=True, choices=["clemency", "dna-motion"])
    p.add_argument("--format", required=True, choices=["pdf", "docx", "html"], dest="fmt")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="where to write the packet")
    p.add_argument("--organisation", default="", help="organisation named on the cover and signature block")
    p.add_argument("--document", type=int, action="append", metavar="ID",
                   help="document (id in the documents app) to list in the exhibit index; repeatable")
    p.set_defaults(handler=cmd_packet)


def cmd_packet(args) -> int:
    setup_django()
    from habeas.cases.models import Case
    from habeas.petitions import packet

    case = Case.objects.filter(pk=args.case_id).first()
    if case is None:
        raise CommandError(f"no case with id {args.case_id}")
    exhibits = None
    if args.document:
        exhibits = packet.exhibits_from_documents(case, args.document)
        if exhibits is None:
            raise CommandError("--document needs the documents app, which has no Document model yet")
    data = packet.build_packet(case, args.kind, args.fmt, exhibits, organisation=args.organisation)
    out = Path(args.output)
    out.write_bytes(data)
    print(f"habeas: wrote {out} ({len(data):,} bytes, {args.kind} packet of {case.caption})")
    return 0
