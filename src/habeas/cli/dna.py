"""``habeas dna``: DNA statistics from the command line (no database needed).

- ``habeas dna compare --evidence FILE --reference FILE [--freqs NAME|SET|FILE ...]
  [--theta 0.01] [--stochastic-threshold RFU] [--json]``: single-source comparison, per-locus
  table and combined RMP / LR per population plus the most conservative.
- ``habeas dna freqs``: the shipped frequency tables.

``dna mixture`` lives in :mod:`habeas.cli.dna_mixture` (registered below when present).
Errors end with exit code 2 and one line on stderr (handled by :func:`habeas.cli.main`).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import TextIO

from habeas.dna.errors import DNAError
from habeas.dna.profile import Profile


class DNACommandError(DNAError):
    """A user-facing error of a ``dna`` command (a ValueError: exit code 2, one line)."""


def register(sub: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """Add the ``dna`` command and its subcommands to the top-level ``sub``parsers.

    Returns the ``dna`` subparsers object so other modules can add subcommands to it.
    """
    dna = sub.add_parser("dna", help="DNA statistics: compare profiles, frequency tables",
                         description="Forensic DNA statistics (habeas.dna): single-source "
                                     "comparison with RMP / LR, shipped frequency tables.")
    dna_sub = dna.add_subparsers(dest="dna_command", metavar="SUBCOMMAND", required=True)

    p = dna_sub.add_parser(
        "compare", help="compare a single-source evidence profile with a reference",
        description="Per-locus inclusion / exclusion / inconclusive, and the random match "
                    "probability and likelihood ratio (NRC II 4.10, theta-corrected) per "
                    "population and the most conservative.")
    p.add_argument("--evidence", required=True, metavar="FILE", help="evidence profile file")
    p.add_argument("--reference", required=True, metavar="FILE", help="reference profile file")
    p.add_argument("--evidence-sample", metavar="NAME", help="sample to use when the evidence file holds several")
    p.add_argument("--reference-sample", metavar="NAME", help="sample to use when the reference file holds several")
    p.add_argument("--freqs", action="append", metavar="NAME|SET|FILE",
                   help="frequency table: shipped name (NIST1036_Cauc), set (NIST1036, FBI2015, "
                        "UKDNA17) or file; repeatable (default: the 4 NIST 1036 tables)")
    p.add_argument("--theta", type=float, default=0.01, help="co-ancestry coefficient (default 0.01)")
    p.add_argument("--model", default="nrc2_4.10", choices=["nrc2_4.10", "nrc2_4.4", "hw"],
                   help="genotype model (default nrc2_4.10, Balding & Nichols)")
    p.add_argument("--stochastic-threshold", type=float, metavar="RFU",
                   help="a single allele below this peak height marks the locus as possible drop-out")
    p.add_argument("--dropout-locus", action="append", default=[], metavar="LOCUS",
                   help="flag a locus as possible drop-out (repeatable)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(handler=cmd_compare)

    p = dna_sub.add_parser("freqs", help="list the shipped allele-frequency tables",
                           description="List the shipped allele-frequency tables.")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=cmd_freqs)

    # --- extension point -----------------------------------------------------------------
    # `habeas dna mixture` is added by habeas/cli/dna_mixture.py (another module), which
    # defines register(dna_subparsers). Further dna subcommands plug in the same way.
    try:
        from habeas.cli import dna_mixture
    except ImportError:
        dna_mixture = None  # type: ignore[assignment]
    if dna_mixture is not None:
        dna_mixture.register(dna_sub)
    try:
        from habeas.cli import dna_db
    except ImportError:
        dna_db = None  # type: ignore[assignment]
    if dna_db is not None:
        dna_db.register(dna_sub)
    return dna_sub


def pick_profile(path: str, sample: str | None, role: str) -> Profile:
    """The one profile of ``path`` (or the one named ``sample``). Raises
    :class:`DNACommandError` listing the names when the choice is ambiguous or wrong."""
    from habeas.dna.formats import read_profiles

    profiles = read_profiles(path)
    names = [p.sample for p in profiles]
    if sample is not None:
        for p in profiles:
            if p.sample == sample:
                return p
        raise DNACommandError(f"{role} file {path} has no sample {sample!r}; samples: {', '.join(names)}")
    if len(profiles) != 1:
        raise DNACommandError(f"{role} file {path} holds {len(profiles)} samples ({', '.join(names)}); "
                              f"choose one with --{role}-sample NAME")
    return profiles[0]


def _prob(log10: float | None) -> str:
    if log10 is None:
        return "-"
    if log10 > -4:
        return f"{10 ** log10:.4g}"
    mant, exp = math.modf(log10)
    if mant < 0:
        mant, exp = mant + 1, exp - 1
    return f"{10 ** mant:.3g}e{int(exp)}"


def _one_in(log10_rmp: float | None) -> str:
    if log10_rmp is None:
        return "-"
    return f"1 in {_prob(-log10_rmp)}"


def cmd_compare(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    from habeas.dna.genotype import RareAlleleRule
    from habeas.dna.match import InterpretationPolicy, compare
    from habeas.dna.tables import load_tables

    evidence = pick_profile(args.evidence, args.evidence_sample, "evidence")
    reference = pick_profile(args.reference, args.reference_sample, "reference")
    tables = load_tables(args.freqs)
    policy = InterpretationPolicy(stochastic_threshold=args.stochastic_threshold,
                                  dropout_loci=frozenset(args.dropout_locus))
    res = compare(evidence, reference, tables, theta=args.theta, rare_allele=RareAlleleRule(),
                  policy=policy, model=args.model)
    if args.json:
        json.dump(res.to_dict(), out, indent=2)
        out.write("\n")
        return 0
    w = out.write
    w(f"Evidence: {res.evidence_sample}   Reference: {res.reference_sample}   "
      f"theta = {args.theta:g}   model: {args.model}   rare alleles: 5/2N\n")
    w(f"Conclusion: {res.conclusion.upper()}\n")
    for r in res.results:
        w(f"\n== {r.population_label} [{r.population}]\n")
        w(f"{'locus':<10} {'evidence':<14} {'reference':<14} {'conclusion':<13} "
          f"{'RMP':>10} {'LR':>10}  frequencies used / reason\n")
        for l in r.loci:
            ev = ",".join(l.evidence_alleles) if l.evidence_alleles is not None else "-"
            ref = ",".join(l.reference_alleles) if l.reference_alleles is not None else "-"
            if l.used:
                detail = " ".join(f"{a}:{f:.4g}" for a, f in l.frequencies_used.items())
                rmp, lr = _prob(math.log10(l.rmp)), _prob(l.log10_lr)  # type: ignore[arg-type]
            else:
                detail, rmp, lr = l.reason, "-", "-"
            w(f"{l.locus:<10} {ev:<14} {ref:<14} {l.conclusion:<13} {rmp:>10} {lr:>10}  {detail}\n")
        if r.log10_rmp is not None:
            w(f"Combined over {len(r.loci_used)} loci: RMP = {_prob(r.log10_rmp)} ({_one_in(r.log10_rmp)}), "
              f"LR = {_prob(r.log10_lr)}   [log10 RMP = {r.log10_rmp:.3f}]\n")
        else:
            w(f"Combined: no statistic ({r.conclusion})\n")
        for msg in r.warnings:
            w(f"  note: {msg}\n")
    cons = res.conservative
    if cons is not None:
        w(f"\nMost conservative: {cons.population_label} [{cons.population}]: RMP = "
          f"{_prob(cons.log10_rmp)} ({_one_in(cons.log10_rmp)}), LR = {_prob(cons.log10_lr)}\n")
    return 0


def _short(source: str) -> str:
    head = source.split(")")[0] + ")" if ")" in source else source
    return head if len(head) <= 70 else head[:67] + "..."


def cmd_freqs(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    from habeas.dna.tables import list_tables

    tables = list_tables()
    if args.json:
        json.dump([t.to_dict() for t in tables], out, indent=2)
        out.write("\n")
        return 0
    out.write(f"{'name':<42} {'set':<9} {'loci':>4} {'N':>5}  population / source\n")
    for t in tables:
        inferred = "*" if t.n_basis.startswith("INFERRED") else " "
        out.write(f"{t.name:<42} {t.set:<9} {t.n_loci:>4} {t.n_individuals:>5}{inferred} "
                  f"{t.population} — {_short(t.source)}\n")
    out.write("N: individuals typed (largest per locus); * N inferred from the frequencies, "
              "not published with the table.\n")
    return 0
