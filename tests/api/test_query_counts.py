"""No N+1 queries: the number of queries of the API list endpoints, the case list page (``/``)
and a case page (``/cases/<id>/``) does not grow with the number of rows (2 rows vs 20)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from habeas.cases.models import Case, CaseMembership, Conviction, EvidenceItem, LabRequest, Person, Role, TimelineEvent

from .conftest import build_case
from .test_api import LIST_ENDPOINTS

pytestmark = pytest.mark.django_db


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return len(ctx.captured_queries)


def grow_cases(member, n):
    for i in range(n):
        build_case(f"People v. Grown {i:03d}", members=[member], n_items=1, n_events=1, death=i % 2 == 0)


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
def test_api_list_query_count_is_constant(member_api, member, endpoint):
    grow_cases(member, 2)
    small = count(member_api, f"/api/{endpoint}/?page_size=100")
    grow_cases(member, 18)
    large = count(member_api, f"/api/{endpoint}/?page_size=100")
    assert large == small, f"/api/{endpoint}/: {small} queries for 2 cases, {large} for 20"


def test_api_case_detail_query_count_is_constant(member_api, member):
    case = build_case("People v. One", members=[member], n_items=2, n_events=1)
    small = count(member_api, f"/api/cases/{case.pk}/")
    for u in range(18):
        from django.contrib.auth import get_user_model
        CaseMembership.objects.create(case=case, user=get_user_model().objects.create_user(f"u{u}"))
    large = count(member_api, f"/api/cases/{case.pk}/")
    assert large == small


def test_case_list_page_query_count_is_constant(client, member):
    client.force_login(member)
    grow_cases(member, 2)
    small = count(client, "/")
    grow_cases(member, 18)
    large = count(client, "/")
    assert large == small, f"case list page: {small} queries for 2 cases, {large} for 20"


def add_rows(case, start, n):
    for i in range(start, start + n):
        role = Role.objects.create(case=case, person=Person.objects.create(), kind=Role.Kind.WITNESS,
                                   label=f"witness {i}")
        Conviction.objects.create(case=case, defendant=role, court="Superior Court")
        item = EvidenceItem.objects.create(case=case, item_number=f"B-{i:03d}", description="item")
        req = LabRequest.objects.create(case=case, laboratory="lab")
        req.items.add(item)
        TimelineEvent.objects.create(case=case, what=f"event {i}", evidence_item=item)


def test_case_page_query_count_is_constant(client, member):
    client.force_login(member)
    case = build_case("People v. Page", members=[member], n_items=0)
    add_rows(case, 0, 2)
    small = count(client, f"/cases/{case.pk}/")
    add_rows(case, 2, 18)
    large = count(client, f"/cases/{case.pk}/")
    assert large == small, f"case page: {small} queries with 2 rows of each kind, {large} with 20"


def test_member_case_count_sanity(member):
    grow_cases(member, 2)
    assert Case.objects.filter(memberships__user=member).count() == 2
