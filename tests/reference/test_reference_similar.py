"""Similar known exonerations for a hand-built case (scores computed by hand from the fixture)."""

import pytest
from django.template import Context, Template

from habeas.cases.models import Case, ContributingFactor, Conviction, EvidenceItem, Offense
from habeas.reference.similar import crime_category, profile_of, similar, state_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(db):
    c = Case.objects.create(caption="People v. Petitioner", jurisdiction="State of California (capital case)")
    ContributingFactor.objects.create(case=c, factor="mwid")
    ContributingFactor.objects.create(case=c, factor="om")
    conv = Conviction.objects.create(case=c, death_sentence=True)
    Offense.objects.create(conviction=conv, description="first-degree murder", counts=4)
    EvidenceItem.objects.create(case=c, item_number="A-1", description="bloodstain swab", kind="biological")
    return c


def test_profile(case):
    p = profile_of(case)
    assert (p.factors, p.crimes, p.state, p.dna, p.death) == (["mwid", "om"], ["Murder"], "California", True, True)


def test_ranking(case, imported):
    matches = similar(profile_of(case))
    # weights: factor 3 each, crime 3, state 2, DNA 2, death 2
    # Exoneree 1: MWID+OM+Murder+California+DNA+death = 15; Exoneree 4: OM+Murder+California = 8;
    # Exoneree 2: MWID+DNA = 5; Exoneree 3: OM = 3 (2022); Exoneree 6: MWID = 3 (2018); Exoneree 5: nothing.
    assert [(m.exoneration.last_name, m.score) for m in matches] == [
        ("Exoneree 1", 15), ("Exoneree 4", 8), ("Exoneree 2", 5), ("Exoneree 3", 3), ("Exoneree 6", 3)]
    assert matches[0].matched == ["Mistaken witness identification (MWID)", "Official misconduct (OM)",
                                  "crime: Murder", "jurisdiction: California", "DNA evidence", "death sentence"]
    assert matches[1].matched == ["Official misconduct (OM)", "crime: Murder", "jurisdiction: California"]
    # the newest edition of the registry is used: the 2024 sample, not the 2018 one
    assert {m.exoneration.dataset.format for m in matches} == {"nre-2024"}


def test_template_tag(case, imported):
    html = Template("{% load reference_tags %}{% similar_exonerations case %}").render(Context({"case": case}))
    assert "ranked by the attributes shared with this case" in html
    assert html.index("Exoneree 1") < html.index("Exoneree 4") < html.index("Exoneree 2")
    assert "jurisdiction: California" in html and "Exoneree 5" not in html


def test_template_tag_without_data(case):
    html = Template("{% load reference_tags %}{% similar_exonerations case %}").render(Context({"case": case}))
    assert "No exoneration data imported" in html


@pytest.mark.parametrize("text,expected", [
    ("first-degree murder", "Murder"), ("attempted murder", "Attempted Murder"),
    ("rape in concert", "Sexual Assault"), ("armed robbery", "Robbery"), ("possession of cocaine", "Drug Possession or Sale"),
    ("trespass", None)])
def test_crime_category(text, expected):
    assert crime_category(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("California", "California"), ("TX", "Texas"), ("State of West Virginia", "West Virginia"),
    ("Commonwealth of Virginia", "Virginia"), ("", None), ("Ninth Circuit", None)])
def test_state_of(text, expected):
    assert state_of(text) == expected
