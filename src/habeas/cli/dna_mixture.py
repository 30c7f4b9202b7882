"""``habeas dna mixture``: the semi-continuous (LRmix) likelihood ratio of a mixture.

Example::

    habeas dna mixture --sample stain_rep1.csv stain_rep2.csv --known victim.csv \\
        --poi suspect.csv --unknowns-hp 1 --unknowns-hd 2 --dropout-known 0.05 \\
        --dropout-poi 0.1 --dropout-unknown-hp 0.1 --dropout-unknown-hd 0.1 \\
        --dropin 0.05 --theta 0.01 --freqs NIST1036_Cauc --rare-freq 0.001 --json

Every profile in every ``--sample`` file is a replicate of the stain. ``--known`` profiles
contribute under both propositions; ``--poi`` contributes under Hp and is a non-contributor
(conditioned on for θ) under Hd. Errors exit 2 with a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys

__all__ = ["register", "add_arguments", "run", "main"]


def _prob(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    return v


def _count(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0: {text!r}")
    return v


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the ``dna mixture`` options to ``p`` (names are a stable interface for scripts)."""
    p.add_argument("--sample", metavar="FILE", nargs="+", action="extend", required=True,
                   help="stain file(s); every profile in them is a replicate (repeatable)")
    p.add_argument("--known", metavar="FILE", action="append", default=[],
                   help="a known contributor under both propositions, e.g. the victim "
                        "(repeatable)")
    p.add_argument("--poi", metavar="FILE",
                   help="the person of interest: contributor under Hp only")
    p.add_argument("--unknowns-hp", metavar="N", type=_count, default=0,
                   help="unknown contributors under Hp (default 0)")
    p.add_argument("--unknowns-hd", metavar="N", type=_count, default=None,
                   help="unknown contributors under Hd (default: unknowns-hp + 1 with a POI)")
    p.add_argument("--dropout-known", metavar="P", type=_prob, action="append", default=None,
                   help="drop-out of each --known, in the same order (repeatable; default 0)")
    p.add_argument("--dropout-poi", metavar="P", type=_prob, default=0.0,
                   help="drop-out of the person of interest (default 0)")
    p.add_argument("--dropout-unknown-hp", metavar="P", type=_prob, default=0.0,
                   help="drop-out of the unknowns under Hp (default 0)")
    p.add_argument("--dropout-unknown-hd", metavar="P", type=_prob, default=None,
                   help="drop-out of the unknowns under Hd (default: --dropout-unknown-hp)")
    p.add_argument("--dropin", metavar="C", type=_prob, default=0.0,
                   help="drop-in probability per locus and replicate (default 0)")
    p.add_argument("--theta", metavar="T", type=_prob, default=0.0,
                   help="co-ancestry coefficient theta (default 0)")
    p.add_argument("--freqs", metavar="NAME|FILE", required=True,
                   help="shipped frequency table name (see `habeas dna freqs`) or a file")
    p.add_argument("--rare-freq", metavar="F", type=_prob, default=None,
                   help="frequency of alleles missing from the table (default: an error)")
    p.add_argument("--json", action="store_true",
                   help="print the result as JSON (per-locus and combined log10 LR)")
    p.add_argument("--estimate-dropout", action="store_true",
                   help="Monte Carlo drop-out estimation under Hp and Hd and the conservative "
                        "LR at --percentile")
    p.add_argument("--percentile", metavar="Q", type=_percentile, default=5.0,
                   help="lower percentile of the drop-out estimate for the conservative LR "
                        "(default 5: the 5%%-95%% range)")
    p.add_argument("--iterations", metavar="M", type=int, default=1000,
                   help="simulations per drop-out value in --estimate-dropout (default 1000)")
    p.add_argument("--seed", metavar="S", type=int, default=2013,
                   help="random seed of the drop-out estimation (default 2013)")
    p.add_argument("--sensitivity-plot", metavar="FILE",
                   help="write log10 LR against drop-out probability (.png or .svg)")
    p.add_argument("--noc", action="store_true",
                   help="also estimate the number of contributors by likelihood (1..4); the "
                        "allele-count lower bound is always reported")
    p.add_argument("--locus", metavar="LOCUS", action="append", default=None,
                   help="evaluate only these loci (repeatable; default: every typed locus)")


def _percentile(text: str) -> float:
    """argparse type of --percentile: a number strictly between 0 and 50."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value < 50:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 50 (5 means the 5%-95% range)")
    return value


def register(dna_subparsers) -> argparse.ArgumentParser:
    """Add ``mixture`` to the ``habeas dna`` subcommands."""
    p = dna_subparsers.add_parser(
        "mixture", help="likelihood ratio of a mixture with drop-out and drop-in (LRmix model)",
        description=__doc__.split("Example::")[0].strip(),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(p)
    p.set_defaults(handler=run)
    return p


class _Fail(Exception):
    pass


def _read_profiles(path: str):
    from pathlib import Path

    if not Path(path).is_file():
        raise _Fail(f"{path}: no such file")
    try:
        from habeas.dna.formats import read_profiles
    except ImportError:  # pragma: no cover - dispatcher always present in the package
        from habeas.dna.formats.lrmix import read_lrmix_profiles as read_profiles
    return read_profiles(path)


def _one_profile(path: str, what: str):
    ps = _read_profiles(path)
    if len(ps) != 1:
        raise _Fail(f"{path}: {what} file must hold exactly one profile, found {len(ps)}")
    return ps[0]


def _load_freqs(spec: str):
    try:
        from habeas.dna.tables import load_table
    except ImportError:  # pragma: no cover
        from habeas.dna.formats.lrmix import read_wide_frequencies as load_table
    return load_table(spec)


def _compute(args):
    from habeas.dna.errors import DNAError
    from habeas.dna.mixture import MixtureParameters, prepare, standard_propositions
    from habeas.dna.mixture.noc import allele_count_lower_bound, estimate_noc

    replicates = []
    for f in args.sample:
        replicates.extend(_read_profiles(f))
    if not replicates:
        raise _Fail("the --sample file(s) hold no profile")
    knowns = [_one_profile(f, "--known") for f in args.known]
    poi = _one_profile(args.poi, "--poi") if args.poi else None
    dk = args.dropout_known
    if dk is None:
        dk = [0.0] * len(knowns)
    if len(dk) != len(knowns):
        raise _Fail(f"{len(knowns)} --known but {len(dk)} --dropout-known: give one drop-out "
                    "per known contributor, in the same order")
    unknowns_hd = args.unknowns_hd
    if unknowns_hd is None:
        unknowns_hd = args.unknowns_hp + (1 if poi is not None else 0)
    d_ud = args.dropout_unknown_hd if args.dropout_unknown_hd is not None \
        else args.dropout_unknown_hp
    hp, hd = standard_propositions(
        poi, knowns, unknowns_hp=args.unknowns_hp, unknowns_hd=unknowns_hd,
        dropout_poi=args.dropout_poi, dropout_knowns=dk,
        dropout_unknown_hp=args.dropout_unknown_hp, dropout_unknown_hd=d_ud)
    params = MixtureParameters(dropin=args.dropin, theta=args.theta,
                               rare_allele_frequency=args.rare_freq)
    freqs = _load_freqs(args.freqs)
    case = prepare(replicates, hp, hd, freqs, params, args.locus)
    result = case.result()
    noc = (estimate_noc(replicates, freqs, params, loci=case.loci) if args.noc
           else allele_count_lower_bound(replicates, case.loci))
    dropout = conservative = sens = None
    notes = []
    estimates = ()
    if args.estimate_dropout:
        from habeas.dna.mixture.dropout import conservative_lr, estimate_dropouts

        estimates = estimate_dropouts(case, iterations=args.iterations, seed=args.seed)
        dropout = {"hp": estimates[0], "hd": estimates[1]}
        try:
            conservative = conservative_lr(case, estimates, percentile=args.percentile)
        except DNAError as exc:
            notes.append(f"no conservative LR: {exc}")
    if args.sensitivity_plot:
        from habeas.dna.mixture.dropout import sensitivity
        from habeas.dna.mixture.plots import plot_sensitivity

        sens = sensitivity(case)
        plot_sensitivity(sens, args.sensitivity_plot, estimates, conservative=conservative)
    return result, noc, dropout, conservative, sens, notes


def _fmt(v) -> str:
    import math

    if isinstance(v, float) and math.isinf(v):
        return "+inf" if v > 0 else "-inf"
    return f"{v:.4f}"


def run(args) -> int:
    """Handler of ``habeas dna mixture``: prints the result, returns the exit code."""
    from habeas.dna.errors import DNAError

    try:
        result, noc, dropout, conservative, sens, notes = _compute(args)
    except (_Fail, DNAError) as exc:
        raise _as_command_error(str(exc)) from exc
    d = result.to_dict()
    d["noc"] = noc.to_dict()
    d["dropout"] = {k: v.to_dict() for k, v in dropout.items()} if dropout else None
    d["conservative"] = conservative.to_dict() if conservative else None
    if sens is not None:
        d["sensitivity"] = sens.to_dict()
        d["sensitivity_plot"] = args.sensitivity_plot
    d["notes"] = notes
    out = sys.stdout
    if args.json:
        json.dump(d, out, indent=2)
        out.write("\n")
        return 0
    w = out.write
    w(f"Model: {d['model']}\n")
    w(f"Replicates: {', '.join(result.replicates)}   Frequencies: {result.frequency_table}\n")
    w(f"Hp: {result.hp.describe()} (unknowns d = {result.hp.unknown_dropout})\n")
    w(f"Hd: {result.hd.describe()} (unknowns d = {result.hd.unknown_dropout})\n")
    for c in result.hp.contributors:
        w(f"  drop-out {c.name} ({c.role}): {c.dropout}\n")
    p = result.parameters
    w(f"Drop-in C = {p.dropin}, theta = {p.theta}, rare-allele frequency = "
      f"{p.rare_allele_frequency}\n\n")
    w(f"{'locus':<10} {'Pr(E|Hp)':>12} {'Pr(E|Hd)':>12} {'log10 LR':>10}\n")
    for l in result.loci:
        w(f"{l.locus:<10} {l.hp:12.5g} {l.hd:12.5g} {_fmt(l.log10_lr):>10}\n")
    w(f"\nCombined log10 LR: {_fmt(result.log10_lr)}   (LR = {result.lr:.4g})\n")
    w(f"NOC: allele-count lower bound {noc.lower_bound} ({noc.max_alleles} alleles at "
      f"{noc.max_locus})")
    if noc.likelihood_estimate is not None:
        w(f"; likelihood estimate {noc.likelihood_estimate}")
    w("\n")
    if dropout:
        for k, e in dropout.items():
            q = ", ".join(f"{pc}%: {v}" for pc, v in e.quantiles.items()) or "no match"
            w(f"Drop-out estimate under {e.proposition}: {q} ({e.n_accepted} of "
              f"{e.iterations * len(e.grid)} simulations matched {e.observed_allele_count} "
              "alleles)\n")
    if conservative:
        w(f"Conservative log10 LR: {_fmt(conservative.log10_lr)} at d = {conservative.dropout}"
          f" (range {conservative.lower}-{conservative.upper})\n")
    for n in notes:
        w(f"Note: {n}\n")
    if sens is not None:
        w(f"Sensitivity plot: {args.sensitivity_plot}\n")
    return 0


def _as_command_error(msg: str) -> Exception:
    msg = " ".join(msg.split())
    try:
        from habeas.cli import CommandError
    except ImportError:  # pragma: no cover
        return SystemExit(msg)
    return CommandError(msg)


def main(argv=None) -> int:
    """Run ``dna mixture`` on its own parser (for scripts and tests). Returns the exit code:
    0, or 2 with a one-line reason on stderr."""
    parser = argparse.ArgumentParser(prog="habeas dna mixture")
    add_arguments(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return run(args)
    except Exception as exc:  # CommandError and library errors
        from habeas.dna.errors import DNAError

        try:
            from habeas.cli import CommandError
        except ImportError:  # pragma: no cover
            CommandError = ()  # type: ignore[assignment]
        if isinstance(exc, (DNAError, CommandError, OSError)):
            print(f"habeas: error: {' '.join(str(exc).split())}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
