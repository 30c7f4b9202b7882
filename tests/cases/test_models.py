"""The data model: append-only custody chain, partial dates, privacy of names."""

from __future__ import annotations

import datetime as dt

import pytest

from habeas.cases.models import (AppendOnlyError, Case, CustodyEvent, EvidenceItem, Person, Role,
                                 verify_chain)
from habeas.cases.partial_dates import parse_partial_date


@pytest.fixture
def item(db):
    case = Case.objects.create(caption="People v. Doe")
    return EvidenceItem.objects.create(case=case, item_number="A-1", description="swab")


def add_event(item, **kw):
    ev = CustodyEvent(evidence_item=item, from_party="lab", to_party="court", **kw)
    ev.save()
    return ev


def test_sequence_numbers_and_hash_links(item):
    events = [add_event(item, description=f"move {i}") for i in range(3)]
    assert [e.sequence for e in events] == [1, 2, 3]
    assert events[0].previous_hash == ""
    assert events[1].previous_hash == events[0].hash and events[2].previous_hash == events[1].hash
    assert len({e.hash for e in events}) == 3
    assert verify_chain(item) == []


def test_sequences_are_per_item(item):
    other = EvidenceItem.objects.create(case=item.case, item_number="A-2", description="hair")
    add_event(item)
    assert add_event(other).sequence == 1


def test_update_refused(item):
    ev = add_event(item, description="original")
    ev.description = "changed"
    with pytest.raises(AppendOnlyError):
        ev.save()
    assert CustodyEvent.objects.get(pk=ev.pk).description == "original"


def test_delete_refused(item):
    ev = add_event(item)
    with pytest.raises(AppendOnlyError):
        ev.delete()
    assert CustodyEvent.objects.filter(pk=ev.pk).exists()


def test_verify_chain_detects_direct_edit(item):
    first, second = add_event(item, description="a"), add_event(item, description="b")
    CustodyEvent.objects.filter(pk=first.pk).update(description="tampered")
    problems = verify_chain(item)
    assert problems == ["A-1 #1: content changed after it was recorded"]
    CustodyEvent.objects.filter(pk=second.pk).update(previous_hash="0" * 64)
    assert any("previous-hash link broken" in p for p in verify_chain(item))


def test_verify_chain_detects_missing_link(item):
    add_event(item)
    add_event(item)
    last = add_event(item)
    CustodyEvent.objects.filter(pk=last.pk).update(sequence=5)
    assert any("event #3 missing" in p for p in verify_chain(item))


@pytest.mark.parametrize("text, date, precision", [
    ("1983-06-05", dt.date(1983, 6, 5), "day"),
    ("1983-06-04/05", dt.date(1983, 6, 4), "day"),
    ("2004-08 (early)", dt.date(2004, 8, 1), "month"),
    ("June 1983 crime-scene processing", dt.date(1983, 6, 1), "month"),
    ("Feb. 8, 2004", dt.date(2004, 2, 8), "day"),
    ("1985 (exact date not found)", dt.date(1985, 1, 1), "year"),
])
def test_partial_dates(text, date, precision):
    pd = parse_partial_date(text)
    assert (pd.date, pd.precision) == (date, precision)


def test_partial_date_impossible_and_absent():
    with pytest.raises(ValueError):
        parse_partial_date("1983-02-30")
    assert parse_partial_date("Found on a second search") is None


def test_private_person_shown_by_role_label(db):
    case = Case.objects.create(caption="People v. Doe")
    private = Role.objects.create(case=case, person=Person.objects.create(), kind="victim", label="victim 1")
    client = Role.objects.create(case=case, person=Person.objects.create(name="John Doe", is_public=True),
                                 kind="client", label="convicted person")
    assert private.display_name == "victim 1"
    assert client.display_name == "John Doe (convicted person)"
