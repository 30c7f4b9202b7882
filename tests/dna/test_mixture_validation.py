"""LRmix Studio validation: every case of Validation_data_LRMix_results_march2013_2.csv, and the
Example P15 reference case, reproduced per locus (Pr(E|Hp), Pr(E|Hd), LR) and combined.

LRmix Studio's own test accepts a relative difference of 1e-8; the printed values carry about
12 significant digits; we require 1e-9 relative per locus.
"""

from __future__ import annotations

import csv

import pytest

from _lrmix_validation import LRMIX, RARE, VALIDATION, read_cases, read_expected

pytestmark = pytest.mark.shared

HAVE = (VALIDATION / "Validation_data_LRMix_results_march2013_2.csv").is_file()
REASON = f"LRmix Studio validation data not found under {VALIDATION} (../shared/data)"

CASE_IDS = sorted(read_expected(), key=int) if HAVE else []
REL = 1e-9


@pytest.fixture(scope="module")
def table():
    from habeas.dna.formats.lrmix import read_wide_frequencies
    return read_wide_frequencies(VALIDATION / "data" / "Allele frequencies to use in DyNAmix.csv")


def _run(case, table):
    from habeas.dna.formats.lrmix import read_lrmix_profiles
    from habeas.dna.mixture import MixtureParameters, likelihood_ratio, standard_propositions

    d = VALIDATION / "data" / case.folder
    reps = read_lrmix_profiles(d / case.sample)
    poi = read_lrmix_profiles(d / case.suspect)[0]
    knowns = [read_lrmix_profiles(d / k)[0] for k, _ in case.knowns]
    hp, hd = standard_propositions(
        poi, knowns, unknowns_hp=case.xp, unknowns_hd=case.xd, dropout_poi=case.d_suspect,
        dropout_knowns=[x for _, x in case.knowns], dropout_unknown_hp=case.d_unknown_hp,
        dropout_unknown_hd=case.d_unknown_hd)
    return likelihood_ratio(reps, hp, hd, table, MixtureParameters(
        dropin=case.dropin, theta=case.theta, rare_allele_frequency=RARE))


@pytest.mark.skipif(not HAVE, reason=REASON)
def test_every_described_case_has_expected_results():
    assert len(CASE_IDS) >= 50
    cases = read_cases()
    assert set(CASE_IDS) <= set(cases)


@pytest.mark.skipif(not HAVE, reason=REASON)
@pytest.mark.parametrize("case_id", CASE_IDS)
def test_lrmix_validation_case(case_id, table):
    case = read_cases()[case_id]
    expected = read_expected()[case_id]
    result = _run(case, table)
    loci = {l.locus.upper(): l for l in result.loci}
    assert set(loci) == set(expected) - {"PROD"}
    for name, (ehp, ehd, elr) in expected.items():
        if name == "PROD":
            assert result.lr == pytest.approx(elr, rel=1e-8)
            continue
        got = loci[name]
        assert got.hp == pytest.approx(ehp, rel=REL), name
        assert got.hd == pytest.approx(ehd, rel=REL), name
        assert got.lr == pytest.approx(elr, rel=REL), name


P15 = LRMIX / "Example-p15"


@pytest.mark.skipif(not (P15 / "expected_LR_ExampleP15Test.csv").is_file(),
                    reason=f"LRmix Example P15 not found under {P15}")
def test_example_p15_unrelated():
    """Example P15 (LRmix Studio reference case): replicates {13} and {13,14} at vWA,
    Hp = suspect (d 0.1), Hd = 1 unknown (d 0.1), C = 0.05; expected LR at theta 0 and 0.1.
    The relatedness rows (not modelled here) are skipped."""
    from habeas.dna.formats.lrmix import read_lrmix_profiles, read_wide_frequencies
    from habeas.dna.mixture import MixtureParameters, likelihood_ratio, standard_propositions

    table = read_wide_frequencies(P15 / "allele-frequencies-example-p15.csv")
    reps = read_lrmix_profiles(P15 / "sample-example-p15.csv")
    rows = list(csv.DictReader(open(P15 / "expected_LR_ExampleP15Test.csv", newline="")))
    checked = 0
    for row in rows:
        if row["relation_under_Hd"] != "NONE":
            continue
        poi = read_lrmix_profiles(P15 / row["suspect_file"])[0]
        hp, hd = standard_propositions(poi, unknowns_hp=0, unknowns_hd=1, dropout_poi=0.1,
                                       dropout_unknown_hd=0.1)
        r = likelihood_ratio(reps, hp, hd, table,
                             MixtureParameters(dropin=0.05, theta=float(row["theta"])))
        expected = float(row["expected_LR"])
        digits = len(row["expected_LR"].split(".")[1])
        assert round(r.lr, digits) == pytest.approx(expected, abs=10 ** -digits)
        checked += 1
    assert checked == 2
