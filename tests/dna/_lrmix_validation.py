"""Helpers for the LRmix Studio validation set (read from ../shared/data; GPL data never copied).

The description file (Validation_data_description_feb2013.csv) gives per case: the stain file,
Known1..4 (contributors under both propositions, "0" = none), Suspect (contributor under Hp,
non-contributor under Hd), xp / xd (unknowns under Hp / Hd), dUHp / dUHd (drop-out of the
unknowns), dknown1..4, dsuspect, dropin, theta. Every replicate in the stain file is used.
The rare-allele frequency is 1/(2*2085), the value LRmix Studio's own validation test sets
(ValidationTest.java). Expected per-locus Pr(E|Hp), Pr(E|Hd), LR are in
Validation_data_LRMix_results_march2013_2.csv (decimal commas, quoted).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "dna"
LRMIX = SHARED / "lrmixstudio"
VALIDATION = LRMIX / "validation"
RARE = 1.0 / (2 * 2085)


@dataclass
class Case:
    case_id: str
    folder: str
    sample: str
    knowns: list[tuple[str, float]]
    suspect: str
    xp: int
    xd: int
    d_unknown_hp: float
    d_unknown_hd: float
    d_suspect: float
    dropin: float
    theta: float


def read_cases() -> dict[str, Case]:
    out = {}
    with open(VALIDATION / "Validation_data_description_feb2013.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    for row in rows[1:]:
        if not row or not row[0].strip():
            continue
        f = [c.strip() for c in row]
        knowns = [(f[3 + i], float(f[12 + i])) for i in range(4) if f[3 + i] != "0"]
        out[f[0]] = Case(f[0], f[1], f[2], knowns, f[7], int(f[8]), int(f[9]), float(f[10]),
                         float(f[11]), float(f[16]), float(f[17]), float(f[18]))
    return out


def _num(s: str) -> float:
    return float(s.strip().replace(",", "."))


def read_expected() -> dict[str, dict[str, tuple[float, float, float]]]:
    """case id -> locus (upper case) -> (Pr(E|Hp), Pr(E|Hd), LR)."""
    out: dict[str, dict] = {}
    with open(VALIDATION / "Validation_data_LRMix_results_march2013_2.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    for row in rows[1:]:
        if not row or not row[0].strip():
            continue
        out.setdefault(row[0].strip(), {})[row[2].strip().upper()] = (_num(row[3]), _num(row[4]),
                                                              _num(row[5]))
    return out
