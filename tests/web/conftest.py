"""Fixtures of the web UI tests: users and small case records built with the ORM."""

from __future__ import annotations

import datetime as dt

import pytest

from habeas.cases.models import (
    REPORTED,
    Case,
    CaseMembership,
    Claim,
    Conviction,
    ContributingFactor,
    CustodyEvent,
    CustodyRecord,
    Decision,
    DocketNumber,
    EvidenceItem,
    LabRequest,
    LabResult,
    Note,
    Offense,
    Person,
    Role,
    Task,
    TimelineEvent,
)

#: A private person's name that must never reach a page.
PRIVATE_NAME = "Eleanor Privatename"


def build_case(caption, *, jurisdiction="State of California", stage=Case.Stage.INVESTIGATION,
               death=False, docket="CR-0001", members=()):
    """A case with a conviction (death sentence or not), a docket number and team members."""
    case = Case.objects.create(
        caption=caption, jurisdiction=jurisdiction, stage=stage, court="Superior Court",
        summary=f"Summary of {caption}.",
        field_sources={"jurisdiction": {"source": "People v. Example, 1 Cal.4th 1 (1990)", "confidence": "confirmed"},
                       "court": {"source": "Advocacy site https://example.org/case", "confidence": REPORTED}},
    )
    DocketNumber.objects.create(case=case, court="Superior Court", number=docket, source="Docket sheet")
    client = Role.objects.create(case=case, person=Person.objects.create(name="Client Publicname", is_public=True),
                                 kind=Role.Kind.CLIENT, label="petitioner")
    conv = Conviction.objects.create(
        case=case, defendant=client, court="Superior Court", verdict="jury verdict of guilty",
        offense_date=dt.date(1983, 6, 1), offense_date_precision="month",
        conviction_date=dt.date(1985, 2, 19), sentence="Death" if death else "25 years to life",
        death_sentence=death, source="People v. Example, 1 Cal.4th 1 (1990)")
    Offense.objects.create(conviction=conv, description="first-degree murder", statute="Cal. Penal Code § 187", counts=4)
    for user in members:
        CaseMembership.objects.create(case=case, user=user)
    return case


@pytest.fixture
def full_case(member):
    """A death-penalty case with every part of the record the case page shows."""
    case = build_case("People v. Cooper-Example", death=True, docket="CR-63787", members=[member])
    case.record_gaps = ["Chain-of-custody log for the 1983 blood samples"]
    case.save()
    victim = Role.objects.create(case=case, person=Person.objects.create(name=PRIVATE_NAME), kind=Role.Kind.VICTIM,
                                 label="victim 1 (adult female)",
                                 facts=[{"fact": "Found in the main bedroom", "source": "Trial transcript",
                                         "confidence": "confirmed"}])
    assert victim.display_name == "victim 1 (adult female)"
    Role.objects.create(case=case, person=Person.objects.create(name="Judge Publicofficial", is_public=True),
                        kind=Role.Kind.OFFICIAL, label="trial judge")
    CustodyRecord.objects.create(case=case, facility="San Quentin State Prison", prisoner_number="C-65304",
                                 start=dt.date(1985, 1, 1), start_precision="year", source="CDCR locator")
    claim = Claim.objects.create(case=case, ground=Claim.Ground.FALSE_EVIDENCE,
                                 description="Blood evidence was planted.", source="Habeas petition (2004)",
                                 confidence=REPORTED)
    ContributingFactor.objects.create(case=case, claim=claim, factor=ContributingFactor.Factor.OM,
                                      description="Alleged planting of evidence")
    item = EvidenceItem.objects.create(case=case, item_number="A-41", description="Tan T-shirt with blood stains",
                                       kind=EvidenceItem.Kind.CLOTHING, status=EvidenceItem.Status.IN_CUSTODY,
                                       current_custodian="Sheriff's Department", current_location="Property room",
                                       collected_on=dt.date(1983, 6, 1), collected_on_precision="month")
    CustodyEvent(evidence_item=item, occurred=dt.date(1983, 6, 9), from_party="Crime scene unit",
                 to_party="Sheriff's crime lab", purpose="testing", source="Lab log").save()
    CustodyEvent(evidence_item=item, occurred=dt.date(2004, 1, 1), occurred_precision="year",
                 from_party="Sheriff's crime lab", to_party="Private DNA lab", purpose="STR testing",
                 seal_condition=CustodyEvent.Seal.INTACT).save()
    req = LabRequest.objects.create(case=case, laboratory="Private DNA lab", test_kind=LabRequest.TestKind.CHEMICAL,
                                    ordered_by=LabRequest.OrderedBy.GOVERNOR, ordered_by_detail="Governor of California",
                                    requested_on=dt.date(2019, 2, 1), requested_on_precision="month")
    req.items.add(item)
    LabResult.objects.create(request=req, report_date=dt.date(2020, 5, 1), report_date_precision="month",
                             finding=LabResult.Finding.INCONCLUSIVE, conclusion="EDTA testing inconclusive.")
    Decision.objects.create(case=case, decided=dt.date(1991, 5, 30), body="California Supreme Court",
                            kind="opinion", outcome="Conviction affirmed", citation="53 Cal.3d 771")
    TimelineEvent.objects.create(case=case, date=dt.date(1983, 6, 4), what="Night attack in the victims' home",
                                 source="Los Angeles Times — https://www.latimes.com/archives/x")
    Note.objects.create(case=case, author=member, text="Call the lab about the EDTA report.", privileged=True)
    Task.objects.create(case=case, title="Request the custody log", assignee=member)
    return case


@pytest.fixture
def private_name():
    """The name of the private person in ``full_case``."""
    return PRIVATE_NAME


@pytest.fixture
def make_case():
    """:func:`build_case`, for tests that need more cases."""
    return build_case


@pytest.fixture
def item(full_case):
    return full_case.evidence_items.get(item_number="A-41")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client
