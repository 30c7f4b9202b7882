"""Mixture model: hand-checked values, bad input, NOC, drop-out estimation, sensitivity, CLI."""

from __future__ import annotations

import json
import math

import pytest

from habeas.dna.errors import DNAError, MissingFrequencyError
from habeas.dna.frequencies import FrequencyTable
from habeas.dna.mixture import (
    Contributor, MixtureParameters, Proposition, likelihood_ratio, prepare,
    standard_propositions,
)
from habeas.dna.profile import Profile

T = FrequencyTable("t", {"vWA": {"12": 0.15, "13": 0.15, "14": 0.15},
                         "TH01": {"6": 0.2, "7": 0.3, "9.3": 0.5}})


def P(name, **loci):
    return Profile.from_mapping(name, {k: v.split(",") if v else [] for k, v in loci.items()})


def test_single_source_no_dropout_is_inverse_genotype_probability():
    stain = P("s", vWA="13,14")
    poi = P("poi", vWA="13,14")
    hp, hd = standard_propositions(poi, unknowns_hp=0, unknowns_hd=1)
    r = likelihood_ratio([stain], hp, hd, T)
    assert r.loci[0].hp == 1.0
    assert r.loci[0].hd == pytest.approx(2 * 0.15 * 0.15)
    assert r.log10_lr == pytest.approx(-math.log10(0.045))


def test_hand_computed_dropout_dropin_one_replicate():
    # R = {13}, POI 13/14, d = 0.1 (homozygote 0.01), C = 0.05, p = 0.15 each; by hand:
    # Hd = 0.0225 (7.5e-5 + 0.99*0.95 + 7.5e-5) + 0.045 (0.0855 + 7.5e-5 + 0.0855) = 0.028863
    # (the worked "Scenario C" text shipped with LRmix Studio's Example P15 squares the
    # homozygote drop-out twice in two terms; its expected-LR file does not use Scenario C).
    stain = P("R1", vWA="13")
    poi = P("poi", vWA="13,14")
    hp, hd = standard_propositions(poi, unknowns_hp=0, unknowns_hd=1, dropout_poi=0.1,
                                   dropout_unknown_hd=0.1)
    r = likelihood_ratio([stain], hp, hd, T, MixtureParameters(dropin=0.05))
    assert r.loci[0].hp == pytest.approx(0.0855)
    assert r.loci[0].hd == pytest.approx(0.028863, rel=1e-12)
    assert r.loci[0].lr == pytest.approx(0.0855 / 0.028863, rel=1e-12)


def test_to_dict_is_json_and_complete():
    stain = P("R1", vWA="13", TH01="7,9.3")
    poi = P("poi", vWA="13,14", TH01="7,9.3")
    hp, hd = standard_propositions(poi, unknowns_hp=0, unknowns_hd=1, dropout_poi=0.1,
                                   dropout_unknown_hd=0.1)
    d = likelihood_ratio([stain], hp, hd, T, MixtureParameters(dropin=0.05)).to_dict()
    s = json.loads(json.dumps(d))
    assert [l["locus"] for l in s["loci"]] == ["vWA", "TH01"]
    assert s["hp"]["contributors"][0] == {"name": "poi", "role": "POI", "dropout": 0.1}
    assert s["hd"]["non_contributors"] == ["poi"]
    assert s["parameters"]["dropin"] == 0.05
    assert s["log10_lr"] == pytest.approx(sum(l["log10_lr"] for l in s["loci"]))


def test_exclusion_gives_minus_infinity():
    stain = P("s", vWA="12,13")
    poi = P("poi", vWA="13,14")
    hp, hd = standard_propositions(poi, unknowns_hp=0, unknowns_hd=1)
    r = likelihood_ratio([stain], hp, hd, T)
    assert r.log10_lr == -math.inf and r.to_dict()["log10_lr"] == "-inf"


# ------------------------------------------------------------------------ bad input

stain = P("s", vWA="13,14")
poi = P("poi", vWA="13,14")
victim = P("v", vWA="13")


def test_zero_contributors():
    hp = Proposition("Hp", (Contributor(poi, 0.1),), 0)
    hd = Proposition("Hd", (), 0, non_contributors=(poi,))
    with pytest.raises(DNAError, match="no contributor"):
        likelihood_ratio([stain], hp, hd, T)


def test_known_named_under_one_proposition_only():
    hp = Proposition("Hp", (Contributor(poi, 0.1), Contributor(victim, 0.1)), 0)
    hd = Proposition("Hd", (Contributor(victim, 0.1),), 1)  # POI forgotten under Hd
    with pytest.raises(DNAError, match="'poi' is named under Hp but not under Hd"):
        likelihood_ratio([stain], hp, hd, T)


def test_person_named_twice():
    hp = Proposition("Hp", (Contributor(poi, 0.1),), 0, non_contributors=(poi,))
    hd = Proposition("Hd", (), 1, non_contributors=(poi,))
    with pytest.raises(DNAError, match="named twice"):
        likelihood_ratio([stain], hp, hd, T)


@pytest.mark.parametrize("kw", [dict(dropout_poi=1.2), dict(dropout_unknown_hd=-0.1),
                                dict(dropout_knowns=[float("nan")])])
def test_dropout_outside_unit_interval(kw):
    kw.setdefault("dropout_knowns", [0.0])
    hp, hd = standard_propositions(poi, [victim], unknowns_hp=0, unknowns_hd=1, **kw)
    with pytest.raises(DNAError, match=r"must lie in \[0, 1\]"):
        likelihood_ratio([stain], hp, hd, T)


@pytest.mark.parametrize("params,msg", [
    (MixtureParameters(dropin=1.5), "drop-in"), (MixtureParameters(theta=1.0), "theta"),
    (MixtureParameters(rare_allele_frequency=0), "rare-allele"),
])
def test_bad_parameters(params, msg):
    hp, hd = standard_propositions(poi, unknowns_hp=0, unknowns_hd=1)
    with pytest.raises(DNAError, match=msg):
        likelihood_ratio([stain], hp, hd, T, params)


def test_reference_allele_missing_from_table_needs_rare_rule():
    odd = P("poi", vWA="13,21")
    hp, hd = standard_propositions(odd, unknowns_hp=0, unknowns_hd=1, dropout_poi=0.2,
                                   dropout_unknown_hd=0.2)
    with pytest.raises(MissingFrequencyError, match="allele 21 at vWA .*'poi'"):
        likelihood_ratio([stain], hp, hd, T, MixtureParameters(dropin=0.05))
    r = likelihood_ratio([stain], hp, hd, T, MixtureParameters(dropin=0.05,
                                                               rare_allele_frequency=0.001))
    assert math.isfinite(r.log10_lr)


def test_stain_allele_missing_from_table_and_missing_locus():
    s2 = P("s", vWA="13,30")
    hp, hd = standard_propositions(poi, unknowns_hp=1, unknowns_hd=2)
    with pytest.raises(MissingFrequencyError, match="allele 30 at vWA .*stain"):
        likelihood_ratio([s2], hp, hd, T)
    s3 = P("s", vWA="13,14", FGA="20,21")
    with pytest.raises(MissingFrequencyError, match="locus FGA"):
        likelihood_ratio([s3], hp, hd, T)


def test_reference_not_typed_at_locus():
    s3 = P("s", vWA="13,14", TH01="7")
    hp, hd = standard_propositions(poi, unknowns_hp=0, unknowns_hd=1)
    with pytest.raises(DNAError, match="'poi' is not typed at TH01"):
        likelihood_ratio([s3], hp, hd, T)
    r = likelihood_ratio([s3], hp, hd, T, loci=["vWA"])
    assert [l.locus for l in r.loci] == ["vWA"]


def test_dropout_count_mismatch():
    with pytest.raises(DNAError, match="known drop-out"):
        standard_propositions(poi, [victim], unknowns_hp=0, unknowns_hd=1,
                              dropout_knowns=[0.1, 0.2])


# ------------------------------------------------------------ NOC, drop-out, sensitivity

def _two_person_case():
    stain = P("R1", vWA="12,13,14", TH01="6,7,9.3")
    v = P("v", vWA="12,13", TH01="6,7")
    s = P("s", vWA="14", TH01="9.3")
    hp, hd = standard_propositions(s, [v], unknowns_hp=0, unknowns_hd=1, dropout_poi=0.1,
                                   dropout_knowns=[0.05], dropout_unknown_hp=0.1,
                                   dropout_unknown_hd=0.1)
    return prepare([stain], hp, hd, T, MixtureParameters(dropin=0.05, theta=0.01))


def test_noc_estimates():
    from habeas.dna.mixture.noc import allele_count_lower_bound, estimate_noc

    case = _two_person_case()
    lb = allele_count_lower_bound(case.replicates)
    assert (lb.lower_bound, lb.max_alleles) == (2, 3)
    est = estimate_noc(case.replicates, T, case.params, max_noc=3)
    assert est.lower_bound == 2 and set(est.log10_likelihood) == {1, 2, 3}
    assert est.likelihood_estimate in {2, 3}
    assert json.dumps(est.to_dict())


def test_dropout_estimation_is_seeded_and_sensible():
    from habeas.dna.mixture.dropout import conservative_lr, estimate_dropouts, sensitivity

    case = _two_person_case()
    hp1, hd1 = estimate_dropouts(case, iterations=300, seed=7)
    hp2, _ = estimate_dropouts(case, iterations=300, seed=7)
    assert hp1 == hp2                               # reproducible
    assert hp1.observed_allele_count == 6 and hp1.varied == ("s",)
    assert hp1.n_accepted > 0 and 0 <= hp1.quantiles[5] <= hp1.quantiles[95] <= 1
    s = sensitivity(case)
    assert len(s.grid) == 100 and s.at_stated == pytest.approx(case.result().log10_lr)
    i = s.grid.index(0.1)
    assert s.both[i] == pytest.approx(case.result().log10_lr)  # all stated d are 0.1 but known
    c = conservative_lr(case, [hp1, hd1])
    assert c.lower <= c.dropout <= c.upper
    assert c.log10_lr <= min(v for d, v in zip(s.grid, s.both) if c.lower <= d <= c.upper) + 1e-9


def test_sensitivity_plot_png_and_svg(tmp_path):
    from habeas.dna.mixture.dropout import sensitivity
    from habeas.dna.mixture.plots import plot_sensitivity

    s = sensitivity(_two_person_case(), grid=[0.0, 0.2, 0.4, 0.6])
    png = plot_sensitivity(s, tmp_path / "s.png")
    assert png.read_bytes()[:4] == b"\x89PNG"
    svg = plot_sensitivity(s, tmp_path / "s.svg")
    assert b"<svg" in svg.read_bytes()[:500]
    with pytest.raises(DNAError):
        plot_sensitivity(s, tmp_path / "s.jpg")


def test_numeric_code_does_not_import_matplotlib():
    import subprocess
    import sys
    code = ("import sys, habeas.dna.mixture, habeas.dna.mixture.dropout, "
            "habeas.dna.mixture.noc; print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False"


def test_reports_attach_to_result_dict():
    import dataclasses

    from habeas.dna.mixture.dropout import conservative_lr, estimate_dropouts
    from habeas.dna.mixture.noc import allele_count_lower_bound

    case = _two_person_case()
    hp_e, hd_e = estimate_dropouts(case, iterations=200)
    r = dataclasses.replace(case.result(), noc=allele_count_lower_bound(case.replicates),
                            dropout={"hp": hp_e, "hd": hd_e},
                            conservative=conservative_lr(case, [hp_e, hd_e]))
    d = json.loads(json.dumps(r.to_dict()))
    assert d["noc"]["lower_bound"] == 2 and d["dropout"]["hp"]["proposition"] == "Hp"
    assert d["conservative"]["percentile"] == 5.0
