"""``habeas dna db``: databases of reference profiles.

- ``habeas dna db import FILE --name NAME [--root DIR] [--layout L] [--skip-bad]``: import
  reference profiles (CODIS/SmartRank wide CSV, long CSV, GeneMapper, LRmix, Parquet) into
  ``$HABEAS_HOME/dna-databases/NAME/``, all-or-nothing.
- ``habeas dna db search --db NAME --sample FILE [--known FILE ...] [--contributors N]
  [--dropout P] [--dropin C] [--theta T] [--freqs NAME|FILE] [--rare-freq F]
  [--threshold LR] [--top K] --json``: rank the database's profiles by LR. A
  single-source sample (at most two alleles per locus, one contributor, no drop-out or
  drop-in) is ranked by the single-source LR (NRC II 4.10); otherwise every candidate is
  evaluated as a contributor to the mixture with the LRmix model, SmartRank-style
  (Hp: candidate + knowns + N-1-k unknowns; Hd: knowns + N-k unknowns).
  Also ``--stringency high|moderate|low --max-mismatches M`` (CODIS-style match search) and
  ``--familial parent-child|full-sibling|...`` (kinship index ranking).
- ``habeas dna db list`` / ``habeas dna db info NAME`` / ``habeas dna db delete NAME``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys


def _prob(text: str) -> float:
    v = float(text)
    if not 0.0 <= v < 1.0:
        raise argparse.ArgumentTypeError(f"must be in [0, 1), got {text}")
    return v


def register(dna_subparsers) -> argparse.ArgumentParser:
    """Add ``db`` (import, search, list, info, delete) to the ``habeas dna`` subcommands."""
    db = dna_subparsers.add_parser(
        "db", help="databases of reference profiles: import and search",
        description=__doc__.strip(), formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)

    p = sub.add_parser("import", help="import reference profiles into a database")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--name", required=True, metavar="NAME", help="database name")
    p.add_argument("--root", metavar="DIR", help="databases folder (default $HABEAS_HOME/dna-databases)")
    p.add_argument("--layout", choices=["codis_wide", "profiles", "parquet"],
                   help="file layout (default: sniffed)")
    p.add_argument("--skip-bad", action="store_true",
                   help="skip bad alleles / rows (listed) instead of failing (CODIS CSV only)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("search", help="rank a database against an evidence profile")
    p.add_argument("--db", required=True, metavar="NAME", help="database name or folder")
    p.add_argument("--root", metavar="DIR")
    p.add_argument("--sample", required=True, metavar="FILE",
                   help="evidence profile file (several profiles = replicates of a mixture)")
    p.add_argument("--known", action="append", default=[], metavar="FILE",
                   help="known contributor under both propositions (repeatable)")
    p.add_argument("--contributors", type=int, metavar="N",
                   help="number of contributors (default: 1, or ceil(max alleles / 2))")
    p.add_argument("--dropout", type=_prob, default=None, metavar="P",
                   help="drop-out probability of the candidate and the unknowns (default 0)")
    p.add_argument("--dropin", type=_prob, default=None, metavar="C",
                   help="drop-in probability (default 0 single-source, 0.05 mixture)")
    p.add_argument("--theta", type=_prob, default=0.01, metavar="T", help="theta (default 0.01)")
    p.add_argument("--freqs", default="NIST1036_Cauc", metavar="NAME|FILE",
                   help="frequency table: shipped name, file, or STRBase XML (default NIST1036_Cauc)")
    p.add_argument("--rare-freq", type=_prob, default=None, metavar="F",
                   help="frequency of an allele missing from the table (default 5/2N)")
    p.add_argument("--threshold", type=float, default=None, metavar="LR",
                   help="report only candidates with LR above this")
    p.add_argument("--top", type=int, default=10, metavar="K", help="report the K best (default 10)")
    p.add_argument("--stringency", choices=["high", "moderate", "low"],
                   help="CODIS-style match search instead of LR ranking")
    p.add_argument("--max-mismatches", type=int, default=0, metavar="M")
    p.add_argument("--min-loci", type=int, default=1, metavar="L")
    p.add_argument("--familial", metavar="REL",
                   help="rank by kinship index: parent-child, full-sibling, half-sibling, ...")
    p.add_argument("--json", action="store_true", help="print the ranked candidates as JSON")
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser("list", help="list databases")
    p.add_argument("--root", metavar="DIR")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)
    p = sub.add_parser("info", help="size and loci of a database")
    p.add_argument("name")
    p.add_argument("--root", metavar="DIR")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_info)
    p = sub.add_parser("delete", help="delete a database")
    p.add_argument("name")
    p.add_argument("--root", metavar="DIR")
    p.set_defaults(handler=cmd_delete)
    return db


def _out(args, d: dict, text: str) -> int:
    if getattr(args, "json", False):
        json.dump(d, sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        print(text)
    return 0


def cmd_import(args) -> int:
    from habeas.dna.database import import_database

    res = import_database(args.file, args.name, args.root, layout=args.layout,
                          errors="collect" if args.skip_bad else "raise")
    db = res.database
    d = {"name": db.name, "path": str(res.path), "n_profiles": len(db), "loci": db.loci,
         "bytes_per_profile": db.bytes_per_profile(), "problems": [str(p) for p in res.problems]}
    text = f"imported {len(db)} profiles at {len(db.loci)} loci into {res.path}"
    if res.problems:
        text += f"\n{len(res.problems)} problem(s) skipped:\n" + "\n".join(f"  {p}" for p in res.problems)
    return _out(args, d, text)


def _load_freqs(spec: str):
    from pathlib import Path

    if spec.lower().endswith(".xml") and Path(spec).is_file():
        from habeas.dna.database.smartrank import read_strbase_xml
        return read_strbase_xml(spec)
    from habeas.dna.tables import load_table
    return load_table(spec)


def _profiles(path: str):
    from pathlib import Path

    from habeas.dna.errors import DNAError
    from habeas.dna.formats import read_profiles

    if not Path(path).is_file():
        raise DNAError(f"{path}: no such file")
    ps = read_profiles(path)
    if not ps:
        raise DNAError(f"{path}: no profile")
    return ps


def cmd_search(args) -> int:
    from habeas.dna.database import (
        mixture_params, open_database, search_familial, search_lr, search_matches,
        search_mixture,
    )
    from habeas.dna.errors import DNAError
    from habeas.dna.genotype import RareAlleleRule

    db = open_database(args.db, args.root)
    samples = _profiles(args.sample)
    knowns = [p for f in args.known for p in _profiles(f)]
    max_alleles = max((len(a) for s in samples for a in s.loci.values()), default=0)
    n = args.contributors or max(1 + len(knowns), math.ceil(max_alleles / 2))
    if args.top is not None and args.top < 1:
        raise DNAError("--top must be >= 1")
    if args.stringency:
        res = search_matches(db, samples[0], args.stringency, args.max_mismatches,
                             args.min_loci, args.top)
    else:
        table = _load_freqs(args.freqs)
        rule = RareAlleleRule("fixed", args.rare_freq) if args.rare_freq else RareAlleleRule()
        single = (n == 1 and len(samples) == 1 and not knowns and not args.dropout
                  and not args.dropin and max_alleles <= 2)
        if args.familial:
            res = search_familial(db, samples[0], table, args.familial, rule, args.threshold,
                                  args.top, args.min_loci)
        elif single:
            res = search_lr(db, samples[0], table, args.theta, rule, args.threshold, args.top,
                            args.min_loci)
        else:
            params = mixture_params(n, len(knowns), dropout=args.dropout or 0.0,
                                    dropin=0.05 if args.dropin is None else args.dropin,
                                    theta=args.theta, rare_freq=args.rare_freq)
            res = search_mixture(db, samples, table, params, knowns, args.threshold, args.top,
                                 args.min_loci)
    d = res.to_dict()
    lines = [f"{res.kind} search of {db.name} ({res.n_searched} profiles, "
             f"{res.elapsed_s:.3f} s): {len(res.hits)} reported"]
    for h in res.hits:
        lr = "" if h.log10_lr is None else f"  log10 LR {h.log10_lr:8.3f}  LR {h.lr:.4g}"
        mm = "" if h.mismatches is None else f"  mismatches {h.mismatches}"
        lines.append(f"{h.rank:4d}  {h.id:<24} loci {h.loci_compared:2d}{lr}{mm}")
    lines += [f"warning: {w}" for w in res.warnings]
    return _out(args, d, "\n".join(lines))


def cmd_list(args) -> int:
    from habeas.dna.database import list_databases

    names = list_databases(args.root)
    return _out(args, {"databases": names}, "\n".join(names) or "(no databases)")


def cmd_info(args) -> int:
    from habeas.dna.database import open_database

    info = open_database(args.name, args.root).info()
    return _out(args, info, "\n".join(f"{k}: {v}" for k, v in info.items()))


def cmd_delete(args) -> int:
    from habeas.dna.database import delete_database

    delete_database(args.name, args.root)
    print(f"deleted {args.name}")
    return 0
