"""Fixtures of the API tests: users, tokens and a small case record built with the ORM."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from habeas.cases.models import (
    Case, CaseMembership, Conviction, CustodyEvent, Decision, DocketNumber, EvidenceItem, LabRequest, LabResult, Person, Role,
    STRProfile, TimelineEvent,
)

#: A private person's name that must never reach the API.
PRIVATE_NAME = "Eleanor Privatename"

EVIDENCE_LOCI = {"D8S1179": ["13", "14"], "TH01": ["6", "7"], "FGA": ["22"], "AMEL": ["X", "Y"]}


def build_case(caption, *, members=(), n_items=1, n_events=2, death=False):
    """A case with a client, a private witness, a conviction, evidence with custody events, a lab
    request and result with an evidence and a reference profile, and a timeline event."""
    case = Case.objects.create(caption=caption, jurisdiction="State of California", court="Superior Court",
                               stage=Case.Stage.INVESTIGATION, opened_on=dt.date(2020, 1, 2))
    DocketNumber.objects.create(case=case, court="Superior Court", number=f"CR-{caption[:8]}")
    for u in members:
        CaseMembership.objects.create(case=case, user=u)
    client = Role.objects.create(case=case, person=Person.objects.create(name="Client Publicname", is_public=True),
                                 kind=Role.Kind.CLIENT, label="petitioner")
    Role.objects.create(case=case, person=Person.objects.create(name=PRIVATE_NAME, is_public=False),
                        kind=Role.Kind.WITNESS, label="witness 1 (neighbour)")
    Conviction.objects.create(case=case, defendant=client, court="Superior Court", death_sentence=death,
                              sentence="death" if death else "life")
    items = []
    for i in range(n_items):
        item = EvidenceItem.objects.create(case=case, item_number=f"A-{i + 1}", description=f"swab {i + 1}",
                                           kind=EvidenceItem.Kind.BIOLOGICAL)
        for j in range(n_events):
            CustodyEvent.objects.create(evidence_item=item, from_party="sheriff", to_party="lab",
                                        purpose=f"transfer {j + 1}")
        items.append(item)
    req = LabRequest.objects.create(case=case, laboratory="State lab", ordered_by=LabRequest.OrderedBy.COURT)
    req.items.set(items)
    result = LabResult.objects.create(request=req, finding=LabResult.Finding.INCLUSION, conclusion="included")
    STRProfile.objects.create(lab_result=result, kind=STRProfile.Kind.EVIDENCE, sample_name="E1",
                              evidence_item=items[0] if items else None, loci=EVIDENCE_LOCI)
    STRProfile.objects.create(lab_result=result, kind=STRProfile.Kind.REFERENCE, sample_name="R1",
                              person_role=client, loci=EVIDENCE_LOCI)
    TimelineEvent.objects.create(case=case, date=dt.date(1983, 6, 5), what="crime")
    Decision.objects.create(case=case, decided=dt.date(1985, 1, 2), body="Superior Court", kind="verdict")
    return case


@pytest.fixture
def case(member):
    return build_case("People v. Member", members=[member])


@pytest.fixture
def other_case(outsider):
    return build_case("People v. Other", members=[outsider])


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def member_api(member):
    c = APIClient()
    c.force_authenticate(member)
    return c


@pytest.fixture
def token(member):
    return Token.objects.create(user=member).key


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is slow on purpose; these tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
