"""SmartRank validation cases (smartrank/smartrank src/test/resources/.../validation),
read from ../shared/data (GPL-3: never copied into this repository).

Every ``*-expectedresults.txt`` present is a case. Its parameters come from the case's
``SearchCriteria.xml`` when there is one, else from the parameter table of SmartRank's
ValidationTest (the numbers below; the default row for a case not listed). Checked: the
database problems SmartRank reports (bad alleles, bad rows), the candidates with an LR above
the threshold and their order, and the LR values to SmartRank's 4 significant digits (with
SmartRank's Q designation shut down under Hp, ``MixtureParams.hp_q_designation=False``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from habeas.dna.database import MixtureParams, read_database, search_mixture
from habeas.dna.database.smartrank import (
    read_expected_results, read_search_criteria, read_strbase_xml,
)
from habeas.dna.formats import read_profiles

VALIDATION = (Path(__file__).resolve().parents[2].parent / "shared" / "data" / "dna"
              / "smartrank" / "validation")
pytestmark = pytest.mark.shared

#: Parameters of SmartRank's ValidationTest (database, rare allele frequency, drop-in, θ,
#: Hp candidate drop-out, Hp unknowns, their drop-out, Hd unknowns, their drop-out,
#: known donors with drop-out, problems reported while reading the database).
DEFAULT = dict(stats="str_base_validation_file.xml", rare=0.0001, dropin=0.05, theta=0.01,
               cand=0.03, hpu=1, hpd=0.03, hdu=2, hdd=0.03, known={}, problems=0)
CASES = {
    "FOEC0000BE#08-GBCX0000LU#09": dict(database="database_codis_generated_100.csv", rare=0.0003),
    "SMARTRANK-42": dict(problems=2),
    "SMARTRANK-49": dict(problems=4),
    "SMARTRANK-210": dict(hpd=0.0, hdd=0.0, known={"SMARTRANK-210-known.csv": 0.0}),
    "SMARTRANK-234": dict(hpd=0.0, hdd=0.0),
}
THRESHOLD = 1000.0


def _cases():
    if not VALIDATION.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(
            reason="needs ../shared/data/dna/smartrank/validation (shared data folder absent)"))]
    names = sorted(p.name[: -len("-expectedresults.txt")]
                   for p in VALIDATION.glob("*-expectedresults.txt"))
    return names or [pytest.param(None, marks=pytest.mark.skip(reason="no validation case"))]


def _first(*names: str) -> Path | None:
    for n in names:
        if n and (VALIDATION / n).is_file():
            return VALIDATION / n
    return None


def run_case(case: str):
    prm = {**DEFAULT, **CASES.get(case, {})}
    criteria = _first(f"{case}-SearchCriteria.xml")
    sc = read_search_criteria(criteria) if criteria else None
    if sc is not None:     # the case's own search criteria override the table
        prm.update(dropin=sc.dropin, theta=sc.theta, rare=sc.rare_freq or prm["rare"],
                   cand=sc.candidate_dropout, hpu=sc.hp_unknowns, hpd=sc.hp_unknown_dropout,
                   hdu=sc.hd_unknowns, hdd=sc.hd_unknown_dropout)
        knowns = {n: d for n, d in sc.hd_contributors.items()}
        if knowns:
            prm["known"] = {f"{n}.csv": d for n, d in knowns.items()}
    db_file = _first(prm.get("database"), f"{case}-database.csv")
    sample_file = _first(f"{case}-sample.csv", f"{case}.csv")
    if db_file is None or sample_file is None:
        pytest.skip(f"{case}: database or sample file missing")
    res = read_database(db_file, errors="collect")
    table = read_strbase_xml(VALIDATION / prm["stats"])
    sample = read_profiles(sample_file)
    knowns = [read_profiles(VALIDATION / f)[0] for f in prm["known"]]
    params = MixtureParams(hp_unknowns=prm["hpu"], hd_unknowns=prm["hdu"],
                           candidate_dropout=prm["cand"], hp_unknown_dropout=prm["hpd"],
                           hd_unknown_dropout=prm["hdd"],
                           known_dropouts=tuple(prm["known"].values()), dropin=prm["dropin"],
                           theta=prm["theta"], rare_freq=prm["rare"],
                           hp_q_designation=False)   # SmartRank's ProsecutionHypothesis
    found = search_mixture(res.database, sample, table, params, knowns=knowns,
                           threshold=THRESHOLD, top=None)
    expected = read_expected_results(VALIDATION / f"{case}-expectedresults.txt")
    return prm, res, found, expected


@pytest.mark.parametrize("case", _cases())
def test_smartrank_candidates_above_threshold(case):
    prm, res, found, expected = run_case(case)
    assert len(res.problems) == prm["problems"], [str(p) for p in res.problems]
    assert [h.id for h in found.hits] == sorted(expected, key=expected.get, reverse=True)


@pytest.mark.parametrize("case", _cases())
def test_smartrank_lr_values_to_four_digits(case):
    _, _, found, expected = run_case(case)
    got = {h.id: f"{h.lr:.4E}" for h in found.hits}
    assert got == {k: f"{v:.4E}" for k, v in expected.items()}
