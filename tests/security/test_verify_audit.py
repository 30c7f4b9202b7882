"""Audit log and tamper evidence: `habeas verify` names every edited or deleted record."""

from __future__ import annotations

import pytest
from django.db import connection

from habeas.audit.chain import verify_all, verify_audit_chain
from habeas.audit.models import AuditEntry
from habeas.cases.models import AppendOnlyError, CustodyEvent, EvidenceItem, Note
from habeas.cli import main

pytestmark = pytest.mark.django_db


def _item_with_events(case, n=3):
    item = EvidenceItem.objects.filter(case=case).first()
    for i in range(n):
        CustodyEvent(evidence_item=item, from_party="lab", to_party=f"court {i}", description=f"move {i}").save()
    return item


def test_verify_intact(demo_case, capsys):
    assert main(["verify"]) == 0
    out = capsys.readouterr().out
    n = EvidenceItem.objects.count() + 1
    assert f"all {n} chains intact" in out


def test_writes_of_case_records_are_audited(demo_case):
    entries = AuditEntry.objects.filter(case_id=demo_case.pk, action="write")
    assert entries.filter(object_type="cases.Case", operation="create").count() == 1
    assert entries.filter(object_type="cases.EvidenceItem").count() == demo_case.evidence_items.count()
    note = Note.objects.create(case=demo_case, text="privileged strategy", privileged=True)
    note.text = "changed"
    note.save()
    note.delete()
    ops = list(AuditEntry.objects.filter(object_type="cases.Note", object_id=str(note.pk) if note.pk else "")
               .values_list("operation", flat=True))
    assert AuditEntry.objects.filter(object_type="cases.Note", operation="update", case_id=demo_case.pk).exists()
    assert AuditEntry.objects.filter(object_type="cases.Note", operation="delete", case_id=demo_case.pk).exists()
    assert ops is not None
    assert verify_audit_chain() == []


def test_audit_entries_are_append_only(demo_case):
    entry = AuditEntry.objects.first()
    entry.username = "someone else"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_edited_custody_event_is_named(demo_case, capsys):
    item = _item_with_events(demo_case)
    ev = item.custody_events.order_by("sequence")[1]
    CustodyEvent.objects.filter(pk=ev.pk).update(to_party="someone else")
    assert main(["verify"]) == 1
    out = capsys.readouterr().out
    assert f"case {demo_case.pk} custody {item.item_number} #{ev.sequence}: content changed" in out


def test_deleted_middle_custody_event_is_named(demo_case, capsys):
    item = _item_with_events(demo_case, 4)
    events = list(item.custody_events.order_by("sequence"))
    middle = events[len(events) // 2]
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {CustodyEvent._meta.db_table} WHERE id = %s", [middle.pk])
    assert main(["verify"]) == 1
    out = capsys.readouterr().out
    assert f"{item.item_number}: event #{middle.sequence} missing" in out
    assert f"{item.item_number} #{middle.sequence + 1}: previous-hash link broken" in out


def test_edited_audit_entry_is_named(demo_case, capsys):
    victim = AuditEntry.objects.order_by("sequence")[5]
    AuditEntry.objects.filter(pk=victim.pk).update(username="nobody", ip="10.0.0.1")
    assert main(["verify"]) == 1
    out = capsys.readouterr().out
    assert f"audit #{victim.sequence} (id {victim.pk}): content changed" in out


def test_deleted_audit_entry_is_named(demo_case, capsys):
    victim = AuditEntry.objects.order_by("sequence")[3]
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [victim.pk])
    assert main(["verify"]) == 1
    out = capsys.readouterr().out
    assert f"audit #{victim.sequence}: deleted" in out
    assert f"audit #{victim.sequence + 1} (id" in out and "previous-hash link broken" in out


def test_rehashed_audit_entry_still_breaks_the_link(demo_case):
    """An attacker who edits an entry and recomputes its hash breaks the next entry's link."""
    victim = AuditEntry.objects.order_by("sequence")[2]
    victim.username = "forger"
    new_hash = victim.compute_hash()
    AuditEntry.objects.filter(pk=victim.pk).update(username="forger", hash=new_hash)
    problems = verify_all().problems
    assert any(f"audit #{victim.sequence + 1}" in p and "previous-hash link broken" in p for p in problems)


@pytest.fixture
def member_client(client, demo_case, django_user_model):
    from habeas.cases.models import CaseMembership

    user = django_user_model.objects.create_user("ada", password="a-long-password-1")
    CaseMembership.objects.create(case=demo_case, user=user, role="attorney")
    client.force_login(user)
    return client, user


def test_case_page_reads_are_audited_with_who_and_where(member_client, demo_case):
    client, user = member_client
    before = AuditEntry.objects.count()
    resp = client.get(f"/cases/{demo_case.pk}/", REMOTE_ADDR="192.0.2.7")
    assert resp.status_code == 200
    entry = AuditEntry.objects.filter(action="read").order_by("-sequence").first()
    assert AuditEntry.objects.count() > before
    assert (entry.username, entry.user_id, entry.case_id, entry.ip, entry.status, entry.operation) == (
        "ada", user.pk, demo_case.pk, "192.0.2.7", 200, "GET")
    assert entry.path == f"/cases/{demo_case.pk}/"


def test_refused_reads_are_audited(client, demo_case, django_user_model):
    outsider = django_user_model.objects.create_user("eve", password="a-long-password-2")
    client.force_login(outsider)
    resp = client.get(f"/cases/{demo_case.pk}/")
    assert resp.status_code in (403, 404)
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert (entry.username, entry.action, entry.case_id, entry.status) == ("eve", "read", demo_case.pk,
                                                                          resp.status_code)


def test_writes_through_the_web_name_the_user(member_client, demo_case):
    client, user = member_client
    resp = client.post(f"/cases/{demo_case.pk}/notes/add/", {"text": "called the lab", "privileged": ""},
                       REMOTE_ADDR="198.51.100.4")
    assert resp.status_code in (200, 302)
    note_entry = AuditEntry.objects.filter(object_type="cases.Note", operation="create").last()
    if note_entry is not None:  # the form was accepted
        assert (note_entry.username, note_entry.ip, note_entry.case_id) == ("ada", "198.51.100.4", demo_case.pk)
    req = AuditEntry.objects.filter(action="write", operation="POST").last()
    assert (req.username, req.case_id, req.ip) == ("ada", demo_case.pk, "198.51.100.4")
