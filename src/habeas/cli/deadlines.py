"""``habeas deadline``: limitation periods from the rule files (no database needed).

    habeas deadline aedpa --judgment-final 2023-02-28 --state-petition 2023-06-01:2023-07-10 [--json]
    habeas deadline period california:pc1405-writ --trigger 2026-03-11
    habeas deadline rules [--check FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from habeas.cli import CommandError


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _pending(text: str) -> tuple[dt.date, dt.date | None]:
    filed, sep, decided = text.partition(":")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected FILED:DECIDED (YYYY-MM-DD:YYYY-MM-DD, DECIDED may be 'pending'): {text!r}")
    f = _date(filed)
    d = None if decided.strip().lower() in ("", "pending") else _date(decided)
    if d is not None and d < f:
        raise argparse.ArgumentTypeError(f"state petition decided ({d}) before it was filed ({f})")
    return f, d


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("deadline", help="compute limitation periods from the rule files",
                       description="Compute deadlines from the rule files (federal AEDPA, response times). "
                                   "No database is needed.")
    dsub = p.add_subparsers(dest="deadline_command", metavar="SUBCOMMAND", required=True)

    a = dsub.add_parser("aedpa", help="the one-year period for a § 2254 petition (28 U.S.C. § 2244(d))",
                        description="The AEDPA one-year period: the latest of the § 2244(d)(1)(A)–(D) triggers, "
                                    "tolled while properly filed state applications are pending (§ 2244(d)(2)), "
                                    "rolled forward past weekends and legal holidays (Fed. R. Civ. P. 6(a)(1)(C)).")
    a.add_argument("--judgment-final", type=_date, metavar="DATE", help="(A) date the judgment became final")
    a.add_argument("--direct-review-decided", type=_date, metavar="DATE",
                   help="state high court's decision on direct review (final 90 days later without a cert petition)")
    a.add_argument("--cert-decided", type=_date, metavar="DATE", help="certiorari denied or decided")
    a.add_argument("--impediment-removed", type=_date, metavar="DATE", help="(B) state-created impediment removed")
    a.add_argument("--new-right", type=_date, metavar="DATE", help="(C) new retroactive right recognised")
    a.add_argument("--factual-predicate", type=_date, metavar="DATE", help="(D) factual predicate discoverable")
    a.add_argument("--unknown-trigger", action="append", choices=["B", "C", "D"], default=[],
                   help="a trigger that applies but whose date is unknown (repeatable)")
    a.add_argument("--state-petition", type=_pending, action="extend", nargs="+", default=[], metavar="FILED:DECIDED",
                   help="properly filed state applications, each pending from FILED to DECIDED ('pending' if "
                        "undecided); several may follow one flag, and the flag may repeat")
    a.add_argument("--json", action="store_true", help="print the computation as JSON")
    a.set_defaults(handler=cmd_aedpa)

    q = dsub.add_parser("period", help="a response time from a rule file (e.g. california:pc1405-writ)")
    q.add_argument("rule", help="JURISDICTION:RULE, e.g. federal:notice-of-appeal")
    q.add_argument("--trigger", type=_date, metavar="DATE", help="date of the triggering event (omit if unknown)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_period)

    r = dsub.add_parser("rules", help="list the rules, or check a rule file",
                        description="List the rules with their citations, or check one file (--check).")
    r.add_argument("--check", metavar="FILE", help="check a rule file and report the first error with its line")
    r.set_defaults(handler=cmd_rules)


def _print(result, as_json: bool) -> int:
    if as_json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(result.explanation())
    return 0 if result.status != "unknown" else 1


FLAGS = {"judgment_final": "--judgment-final", "direct_review_decided": "--direct-review-decided",
         "cert_decided": "--cert-decided", "impediment_removed": "--impediment-removed",
         "new_right_recognized": "--new-right", "factual_predicate": "--factual-predicate",
         "state_petitions": "--state-petition", "trigger_date": "--trigger"}


def _input_error(exc) -> CommandError:
    """An engine :class:`InputError` as one line naming the flags."""
    return CommandError("; ".join(f"{FLAGS.get(field, field)}: {msg}" for field, msg in exc.errors))


def cmd_aedpa(args) -> int:
    from habeas.deadlines.engine import AedpaInput, InputError, compute_aedpa

    facts = AedpaInput(
        judgment_final=args.judgment_final, direct_review_decided=args.direct_review_decided,
        cert_decided=args.cert_decided, impediment_removed=args.impediment_removed,
        new_right_recognized=args.new_right, factual_predicate=args.factual_predicate,
        state_petitions=list(args.state_petition), unknown_triggers=tuple(args.unknown_trigger))
    try:
        result = compute_aedpa(facts)
    except InputError as exc:
        raise _input_error(exc) from None
    return _print(result, args.json)


def cmd_period(args) -> int:
    from habeas.deadlines.engine import InputError, compute_period

    try:
        result = compute_period(args.rule, args.trigger)
    except KeyError as exc:
        raise CommandError(exc.args[0]) from None
    except InputError as exc:
        raise _input_error(exc) from None
    return _print(result, args.json)


def cmd_rules(args) -> int:
    from habeas.deadlines.rules import jurisdictions, load_file

    if args.check:
        j = load_file(args.check)  # RuleFileError is a ValueError: one line, exit 2
        print(f"{args.check}: OK — {j.name}, version {j.version}, {len(j.rules)} rules")
        return 0
    for j in jurisdictions().values():
        print(f"{j.name}  [{j.id}, version {j.version}]  {j.file}")
        for r in j.rules.values():
            period = r.period_text if r.method != "none" else "requirements"
            flag = "  (verify)" if r.verify else ""
            print(f"  {r.qualified_id:32} {period:14} {r.citation}{flag}")
    return 0
