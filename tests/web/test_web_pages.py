"""The pages of the web UI: access, content, search and filters, privacy of private persons."""

from __future__ import annotations

import pytest
from django.urls import reverse

from habeas.cases.models import Case

pytestmark = pytest.mark.django_db


def page_urls(case, item):
    req = case.lab_requests.first()
    return [
        reverse("case-list"),
        reverse("case-detail", args=[case.pk]),
        reverse("evidence-detail", args=[case.pk, item.pk]),
        reverse("note-add", args=[case.pk]),
        reverse("evidence-add", args=[case.pk]),
        reverse("custody-add", args=[case.pk, item.pk]),
        reverse("labrequest-add", args=[case.pk]),
        reverse("labresult-add", args=[case.pk, req.pk]),
        reverse("timeline-add", args=[case.pk]),
    ]


def test_every_page_renders_for_a_member(member_client, full_case, item):
    for url in page_urls(full_case, item):
        response = member_client.get(url)
        assert response.status_code == 200, url


def test_anonymous_user_is_sent_to_login(client, full_case, item):
    for url in page_urls(full_case, item):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login") + "?next="), url


def test_login_page_renders_and_logs_in(client, member):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "member", "password": "a-long-password-1"})
    assert response.status_code == 302 and response.url == reverse("case-list")
    client.logout()
    response = client.post(reverse("login"), {"username": "member", "password": "wrong"})
    assert "Please enter a correct username and password" in response.content.decode()


def test_non_member_gets_404_and_does_not_see_the_case(client, outsider, full_case, item):
    client.force_login(outsider)
    for url in page_urls(full_case, item)[1:]:
        assert client.get(url).status_code == 404, url
    assert full_case.caption not in client.get(reverse("case-list")).content.decode()


def test_staff_sees_every_case(client, staff, full_case):
    client.force_login(staff)
    assert full_case.caption in client.get(reverse("case-list")).content.decode()
    assert client.get(full_case.get_absolute_url()).status_code == 200


def test_private_person_name_never_appears(member_client, full_case, item, private_name):
    for url in page_urls(full_case, item):
        assert private_name not in member_client.get(url).content.decode(), url
    # nor can a search by the name find the case
    body = member_client.get(reverse("case-list"), {"q": "Privatename"}).content.decode()
    assert full_case.caption not in body and private_name not in body


def test_case_page_shows_the_record(member_client, full_case):
    body = member_client.get(full_case.get_absolute_url()).content.decode()
    for text in ["People v. Cooper-Example", "CR-63787", "victim 1 (adult female)", "Client Publicname",
                 "Cal. Penal Code § 187", "Death sentence", "San Quentin State Prison", "C-65304",
                 "Blood evidence was planted.", "Official misconduct", "A-41", "Ordered by governor",
                 "EDTA testing inconclusive.", "53 Cal.3d 771", "Night attack in the victims", "Privileged",
                 "Request the custody log", "Chain-of-custody log for the 1983 blood samples",
                 "People v. Example, 1 Cal.4th 1 (1990)"]:
        assert text in body, text
    # dates at their precision: month-precision offence date shows no invented day
    assert ">1983-06<" in body and "1983-06-01" not in body
    # a 'reported' source is flagged; URLs in sources become links
    assert 'class="flag-reported"' in body
    assert 'href="https://www.latimes.com/archives/x"' in body
    # the item row counts its two custody events
    assert f'href="{full_case.evidence_items.get().get_absolute_url()}#custody">2<' in body


def test_case_page_query_count_does_not_grow_with_the_record(member_client, full_case, django_assert_max_num_queries):
    # 22 for the record itself; a constant 15 more for the documents, deadlines, DNA matrix and
    # similar-exoneration panels, the audit entry and the OTP device check; one more on
    # PostgreSQL, where the audit append takes an advisory lock.
    with django_assert_max_num_queries(38):
        member_client.get(full_case.get_absolute_url())


def test_evidence_page_shows_chain_and_lab_history(member_client, full_case, item):
    body = member_client.get(item.get_absolute_url()).content.decode()
    assert "Chain intact" in body
    assert 'id="custody-1"' in body and 'id="custody-2"' in body
    assert "Crime scene unit" in body and "Private DNA lab" in body and "Sealed, intact" in body
    assert "EDTA testing inconclusive." in body


def test_evidence_page_reports_a_tampered_chain(member_client, full_case, item):
    from habeas.cases.models import CustodyEvent

    CustodyEvent.objects.filter(evidence_item=item, sequence=1).update(to_party="Someone else")
    body = member_client.get(item.get_absolute_url()).content.decode()
    assert "Chain integrity problems" in body and "content changed after it was recorded" in body


class TestCaseList:
    @pytest.fixture
    def cases(self, member, full_case, make_case):
        build_case = make_case
        build_case("State v. Alpha", jurisdiction="State of Texas", stage=Case.Stage.CLEMENCY, death=True,
                   docket="TX-777", members=[member])
        build_case("People v. Beta", jurisdiction="State of California", stage=Case.Stage.INTAKE,
                   docket="CA-123", members=[member])
        build_case("People v. Hidden", members=[])  # not the member's case

    def captions(self, client, **params):
        body = client.get(reverse("case-list"), params).content.decode()
        return {c for c in ["People v. Cooper-Example", "State v. Alpha", "People v. Beta", "People v. Hidden"]
                if c in body}

    def test_lists_only_the_members_cases(self, member_client, cases):
        assert self.captions(member_client) == {"People v. Cooper-Example", "State v. Alpha", "People v. Beta"}

    def test_search_by_caption_docket_jurisdiction_and_role_label(self, member_client, cases):
        assert self.captions(member_client, q="alpha") == {"State v. Alpha"}
        assert self.captions(member_client, q="CA-123") == {"People v. Beta"}
        assert self.captions(member_client, q="texas") == {"State v. Alpha"}
        assert self.captions(member_client, q="victim 1") == {"People v. Cooper-Example"}
        assert self.captions(member_client, q="hidden") == set()
        # a public person's name is searchable (the client of every case built here)
        assert self.captions(member_client, q="Client Publicname") == {
            "People v. Cooper-Example", "State v. Alpha", "People v. Beta"}

    def test_filters(self, member_client, cases):
        assert self.captions(member_client, stage="clemency") == {"State v. Alpha"}
        assert self.captions(member_client, death="yes") == {"People v. Cooper-Example", "State v. Alpha"}
        assert self.captions(member_client, death="no") == {"People v. Beta"}
        assert self.captions(member_client, jurisdiction="State of Texas") == {"State v. Alpha"}
        assert self.captions(member_client, jurisdiction="State of California", death="yes") == {
            "People v. Cooper-Example"}

    def test_list_shows_badge_and_dockets(self, member_client, cases):
        body = member_client.get(reverse("case-list")).content.decode()
        assert "TX-777" in body and "badge-death" in body and "Clemency" in body


def test_demo_case_pages_render_in_few_queries(client, staff, django_assert_max_num_queries):
    """The full demo record (18 people, 17 items, 34 decisions…) renders without an N+1 storm."""
    from habeas.cases.demo import load_demo

    case, _ = load_demo()
    client.force_login(staff)
    # 22 for the record; a constant 15 for the documents, deadlines, DNA matrix and similar-exoneration
    # panels, the audit entry and the OTP check; + the audit lock on PostgreSQL (see above).
    with django_assert_max_num_queries(38):
        body = client.get(case.get_absolute_url()).content.decode()
    assert case.caption in body and "Chain" not in body  # chains live on the item pages
    item = case.evidence_items.first()
    with django_assert_max_num_queries(15):
        assert client.get(item.get_absolute_url()).status_code == 200


def test_sources_are_escaped_and_their_urls_linked(member_client, full_case):
    from habeas.cases.models import TimelineEvent

    TimelineEvent.objects.create(case=full_case, date="1990-01-01", what="<b>bold</b> claim",
                                 source='<script>alert(1)</script> see https://example.org/a?b=1&c=2.')
    body = member_client.get(full_case.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    assert "<b>bold</b>" not in body
    assert '<a class="src-link" href="https://example.org/a?b=1&amp;c=2"' in body  # trailing full stop left out
    assert '>example.org</a>.' in body


def test_case_list_pages_fifty_cases_at_a_time(client, staff):
    from habeas.cases.models import Case

    Case.objects.bulk_create([Case(caption=f"State v. Petitioner {i:03d}") for i in range(120)])
    client.force_login(staff)
    first = client.get("/").content.decode()
    assert "120 cases" in first and "page 1 of 3" in first
    assert "State v. Petitioner 049" in first and "State v. Petitioner 050" not in first
    third = client.get("/?page=3").content.decode()
    assert "State v. Petitioner 100" in third and "State v. Petitioner 119" in third
    assert "State v. Petitioner 099" not in third


def test_a_user_changes_the_one_time_password(client, django_user_model):
    user = django_user_model.objects.create_user("newcomer", password="one-time-Pw-123")
    client.force_login(user)
    page = client.get("/account/password/")
    assert page.status_code == 200 and "Change your password" in page.content.decode()
    r = client.post("/account/password/", {"old_password": "one-time-Pw-123",
                                           "new_password1": "a much longer passphrase 42",
                                           "new_password2": "a much longer passphrase 42"})
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a much longer passphrase 42")
