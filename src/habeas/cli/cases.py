"""Case files on the command line: ``habeas import case FILE`` and ``habeas export case ID``.

``import`` and ``export`` are command groups; other areas add their own subcommands to them
with :func:`command_group` (``habeas import <other> …``).
"""

from __future__ import annotations

import argparse
import sys

from habeas.cli import CommandError, setup_django


def command_group(sub: argparse._SubParsersAction, name: str, help: str, description: str):
    """The subcommand parsers of group ``name`` (``import``, ``export``…), created on first use.

    Returns the group's ``_SubParsersAction``; call ``add_parser`` on it for each subcommand.
    """
    parser = sub.choices.get(name)
    if parser is None:
        parser = sub.add_parser(name, help=help, description=description)
        group = parser.add_subparsers(dest=f"{name}_what", metavar="WHAT", required=True)
        parser.set_defaults(_group=group)
    return parser.get_default("_group")


def register(sub: argparse._SubParsersAction) -> None:
    imports = command_group(sub, "import", help="import records from a file (see 'habeas import case --help')",
                            description="Import records from a file.")
    p = imports.add_parser(
        "case", help="import a case file (habeas case format, JSON)",
        description="Import a case file in the habeas case format (JSON; schema in "
                    "habeas/cases/schema/case.schema.json, described in docs/case-format.md). The file is "
                    "checked whole before anything is written; on any problem nothing is imported and the "
                    "file, line and field are named. Each import creates a new case.")
    p.add_argument("file", metavar="FILE", help="the case file ('-' reads standard input)")
    p.set_defaults(handler=cmd_import_case)

    exports = command_group(sub, "export", help="export records to a file (see 'habeas export case --help')",
                            description="Export records to a file.")
    p = exports.add_parser(
        "case", help="export a case in the habeas case format (JSON)",
        description="Write a case in the habeas case format (JSON), the same format 'habeas import case' "
                    "reads. Standard output unless -o is given.")
    p.add_argument("case_id", metavar="ID", type=int, help="the case id (shown by 'habeas import case' and in the web UI)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(handler=cmd_export_case)


def cmd_import_case(args) -> int:
    setup_django()

    from habeas.cases.importer import import_case, record_counts

    case = import_case(sys.stdin if args.file == "-" else args.file)
    counts = record_counts(case)
    print(f"habeas: imported case {case.pk}: {case.caption}")
    print("habeas: " + ", ".join(f"{n} {what}" for what, n in counts.items() if n))
    if case.unknown_usernames:
        print("habeas: warning: no account here for " + ", ".join(case.unknown_usernames)
              + " (team membership, note authors and task assignees left empty; "
                "create the users and add them to the case)", file=sys.stderr)
    return 0


def cmd_export_case(args) -> int:
    setup_django()

    from habeas.cases.exporter import dumps, export_case
    from habeas.cases.models import Case

    case = Case.objects.filter(pk=args.case_id).first()
    if case is None:
        raise CommandError(f"no case with id {args.case_id}")
    text = dumps(export_case(case))
    if args.output and args.output != "-":  # "-" is standard output, as `import case -` reads stdin
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
        print(f"habeas: wrote case {case.pk} to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
