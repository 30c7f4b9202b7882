"""STR profiles uploaded to a lab result, and their statistics on the evidence item page.

Expected numbers are computed here from the shipped NIST 1036 table with the NRC II 4.10
formulas written out in the test, not by habeas.dna.
"""

from __future__ import annotations

import csv
import math
from importlib import resources

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from habeas.cases.models import Case, CaseMembership, EvidenceItem, LabRequest, LabResult, Person, Role, STRProfile

THETA = 0.01
GENOTYPE = {"D3S1358": ("15", "16"), "vWA": ("17", "18"), "TH01": ("6", "9.3")}


def nist_cauc() -> dict[tuple[str, str], float]:
    path = resources.files("habeas.dna").joinpath("data/NIST1036_Cauc.csv")
    with path.open() as f:
        return {(r["marker"], r["allele"]): float(r["frequency"]) for r in csv.DictReader(f)}


def het_match_probability(p: float, q: float, t: float = THETA) -> float:
    # NRC II (1996) eq. 4.10b
    return 2 * (t + (1 - t) * p) * (t + (1 - t) * q) / ((1 + t) * (1 + 2 * t))


def long_csv(sample: str, genotype: dict) -> bytes:
    rows = ["sample,marker,allele,height"]
    rows += [f"{sample},{locus},{a},1200" for locus, alleles in genotype.items() for a in alleles]
    return ("\n".join(rows) + "\n").encode()


@pytest.fixture
def setup(db, django_user_model, client):
    user = django_user_model.objects.create_user("analyst", password="a-long-password-9")
    case = Case.objects.create(caption="State v. Petitioner B", jurisdiction="Fictional")
    CaseMembership.objects.create(case=case, user=user)
    item = EvidenceItem.objects.create(case=case, item_number="Q-7", description="Swab of a doorknob")
    suspect = Role.objects.create(case=case, person=Person.objects.create(name="Private Suspectname"),
                                  kind=Role.Kind.ALTERNATE_SUSPECT, label="alternate suspect 2")
    request = LabRequest.objects.create(case=case, laboratory="Lab")
    request.items.add(item)
    result = LabResult.objects.create(request=request, conclusion="Profiles developed.")
    client.force_login(user)
    return case, item, suspect, result


def upload(client, case, result, data: bytes, name: str, **fields):
    url = reverse("profile-upload", args=[case.pk, result.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, data, "text/csv"), **fields})


def test_uploaded_profiles_show_their_statistics_on_the_evidence_page(setup, client):
    case, item, suspect, result = setup
    r = upload(client, case, result, long_csv("Q-7 swab", GENOTYPE), "q7.csv", kind="evidence",
               evidence_item=item.pk)
    assert r.status_code == 302
    r = upload(client, case, result, long_csv("reference AS2", GENOTYPE), "ref.csv", kind="reference",
               person_role=suspect.pk)
    assert r.status_code == 302
    assert STRProfile.objects.filter(lab_result=result).count() == 2

    page = client.get(reverse("evidence-detail", args=[case.pk, item.pk])).content.decode()
    assert "DNA statistics" in page
    assert "θ = 0.01" in page and "U.S. Caucasian (NIST 1036)" in page
    assert "alternate suspect 2" in page and "Private Suspectname" not in page
    assert "inclusion" in page

    f = nist_cauc()
    log10_lr = -sum(math.log10(het_match_probability(f[(l, a)], f[(l, b)])) for l, (a, b) in GENOTYPE.items())
    exponent = math.floor(log10_lr)
    expected = f"{10 ** log10_lr:,.3g}" if exponent <= 5 else f"{10 ** (log10_lr - exponent):.1f} × 10"
    assert expected in page


def test_a_malformed_profile_file_is_refused_with_line_and_field_and_nothing_saved(setup, client):
    case, item, suspect, result = setup
    bad = b"sample,marker,allele,height\nQ-7,D3S1358,15,1200\nQ-7,D3S1358,16,lots\n"
    r = upload(client, case, result, bad, "bad.csv", kind="evidence", evidence_item=item.pk)
    assert r.status_code == 200
    text = r.content.decode()
    assert "bad.csv" in text and "3" in text and "height" in text
    assert not STRProfile.objects.exists()


def test_a_reference_cannot_be_flagged_as_a_mixture(setup, client):
    case, item, suspect, result = setup
    r = upload(client, case, result, long_csv("ref", GENOTYPE), "ref.csv", kind="reference",
               person_role=suspect.pk, is_mixture="on")
    assert r.status_code == 200 and "single-source" in r.content.decode()
    assert not STRProfile.objects.exists()


def test_an_excluded_reference_names_the_excluding_loci_and_gets_no_statistic(setup, client):
    case, item, suspect, result = setup
    upload(client, case, result, long_csv("Q-7 swab", GENOTYPE), "q7.csv", kind="evidence", evidence_item=item.pk)
    other = dict(GENOTYPE, vWA=("14", "19"))  # alleles 14 and 19 are not in the evidence at vWA
    upload(client, case, result, long_csv("reference AS2", other), "ref.csv", kind="reference",
           person_role=suspect.pk)
    page = client.get(reverse("evidence-detail", args=[case.pk, item.pk])).content.decode()
    assert "exclusion" in page
    assert "at 1 locus (vWA): it cannot be the source" in page
    assert "No match statistic is computed for an exclusion." in page


def test_the_training_mixture_supports_its_true_contributor_and_not_the_petitioner(db, client, django_user_model):
    """E-2 of the synthetic training case is built from victim 1 and alternate suspect 1 (with
    two of the suspect's alleles dropped out): the mixture LR must favour Hp for the suspect
    and Hd for petitioner A, with the propositions and parameters on the page."""
    import re

    from habeas.cases.demo import load_training
    from habeas.web.dna_context import dna_context

    case, _ = load_training()
    item = case.evidence_items.get(item_number="E-2")
    views = dna_context(item)["dna_profiles"]
    mixtures = {m.poi_label: m for m in views[0].mixtures}
    for m in mixtures.values():  # the headline lies within every population's range
        assert all(p.low <= p.neutral <= p.high for p in m.populations)
        assert m.headline.neutral in [p.neutral for p in m.populations]
    assert mixtures["alternate suspect 1 (synthetic)"].headline.low > 6
    assert mixtures["petitioner A (synthetic)"].headline.high < -6

    user = django_user_model.objects.create_user("analyst2", password="a-long-password-9", is_staff=True)
    client.force_login(user)
    page = client.get(reverse("evidence-detail", args=[case.pk, item.pk])).content.decode()
    assert "Mixture likelihood ratio, person of interest: alternate suspect 1 (synthetic)" in page
    assert "known R-2 victim 1 + POI R-3 alternate suspect 1" in page and "known R-2 victim 1 + 1 unknown" in page
    assert re.search(r"drop-in C = 0\.05; θ = 0\.01", page)
    assert "Combined probability of inclusion" in page
    assert "the value closest to 1 over the 5th–95th percentile drop-out range" in page

    # the case matrix shows the same number for the same pair, and links to it on this page
    from habeas.dnaweb.matrix import compare_pair
    from habeas.cases.models import STRProfile
    ev = STRProfile.objects.get(sample_name="E-2 fingernail scrapings", lab_result__request__case=case)
    ref = STRProfile.objects.get(sample_name="R-3 alternate suspect 1", lab_result__request__case=case)
    cell = compare_pair(ev, ref)
    assert cell["log10_lr"] == mixtures["alternate suspect 1 (synthetic)"].headline.neutral
    r = client.get(reverse("dnaweb:pair", args=[case.pk, ev.pk, ref.pk]))
    assert r.status_code == 302 and r["Location"].endswith(f"#mix-{ev.pk}-{ref.pk}")
    assert f'id="mix-{ev.pk}-{ref.pk}"' in page


def test_three_alleles_need_the_mixture_box(setup, client):
    case, item, suspect, result = setup
    crowded = dict(GENOTYPE, FGA=("20", "21", "22"))
    r = upload(client, case, result, long_csv("Q-7 swab", crowded), "q7.csv", kind="evidence",
               evidence_item=item.pk)
    assert r.status_code == 200 and "more than two alleles at FGA" in r.content.decode()
    assert not STRProfile.objects.exists()
    r = upload(client, case, result, long_csv("Q-7 swab", crowded), "q7.csv", kind="evidence",
               evidence_item=item.pk, is_mixture="on")
    assert r.status_code == 302 and STRProfile.objects.get().is_mixture
