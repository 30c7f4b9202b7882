"""Per-case access: every URL pattern of the project × every role, from an explicit table.

The URL patterns are walked from ``get_resolver()`` (namespaced includes and the API router, with
its format-suffix variants, included). Each must have an entry in :data:`EXPECT`, keyed by URL
name (an unnamed pattern by its route): a new URL fails :func:`test_every_url_is_classified`
until someone decides who may reach it. The admin site's generated URLs (one set per registered
model) are covered by the ``admin:*`` entry: staff only.

Roles: anonymous, administrator (staff), attorney / investigator / student members of the case,
and a signed-in non-member (a member of another case). Privileged material (notes, documents) is
checked separately: its text appears for the attorney member and the administrator only.
"""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from habeas.cases.models import (
    Case, CaseMembership, Conviction, CustodyEvent, Decision, EvidenceItem, LabRequest, LabResult, Note, Person,
    Role, STRProfile, TimelineEvent,
)

ROLES = ["anonymous", "administrator", "attorney", "investigator", "student", "nonmember"]

# who is allowed, by class
PUBLIC = set(ROLES)
SIGNED_IN = set(ROLES) - {"anonymous"}
MEMBER = {"administrator", "attorney", "investigator", "student"}
ATTORNEY = {"administrator", "attorney"}  # privileged material
STAFF = {"administrator"}
NOBODY: set[str] = set()
OWNER = {"administrator", "attorney"}  # a background job's result: its creator (the attorney here) and staff

PRIVILEGED_NOTE = "Privileged-note: client admits being near the scene"
PRIVILEGED_DOC = "Privileged-memo Zebrafinch strategy"
ORDINARY_DOC = "Ordinary-report Kingfisher"
SEARCH_WORD = "quokka"


class C:
    """One check: who may, with which kwargs (fixture keys or literals), by which method."""

    def __init__(self, allowed, method="GET", ok=(), **kwargs):
        self.allowed, self.method, self.kwargs, self.ok = allowed, method, kwargs, ok


EXPECT: dict[str, list[C]] = {
    # --- sign-in ---
    "login": [C(PUBLIC)],
    "logout": [C(PUBLIC, method="POST")],
    "password-change": [C(SIGNED_IN)],
    # --- the web UI: cases ---
    "case-list": [C(SIGNED_IN)],
    "case-detail": [C(MEMBER, pk="case")],
    "note-add": [C(MEMBER, case_pk="case")],
    "evidence-add": [C(MEMBER, case_pk="case")],
    "evidence-detail": [C(MEMBER, case_pk="case", pk="item")],
    "custody-add": [C(MEMBER, case_pk="case", pk="item")],
    "labrequest-add": [C(MEMBER, case_pk="case")],
    "labresult-add": [C(MEMBER, case_pk="case", pk="labrequest")],
    "profile-upload": [C(MEMBER, case_pk="case", result_pk="labresult")],
    "timeline-add": [C(MEMBER, case_pk="case")],
    # --- documents ---
    "documents:search": [C(SIGNED_IN)],
    "documents:case": [C(MEMBER, case_pk="case")],
    "documents:upload": [C(MEMBER, case_pk="case")],
    "documents:case-search": [C(MEMBER, case_pk="case")],
    "documents:detail": [C(MEMBER, pk="doc"), C(ATTORNEY, pk="pdoc")],
    "documents:edit": [C(MEMBER, pk="doc"), C(ATTORNEY, pk="pdoc")],
    "documents:status": [C(MEMBER, pk="doc"), C(ATTORNEY, pk="pdoc")],
    "documents:file": [C(MEMBER, pk="doc"), C(ATTORNEY, pk="pdoc")],
    "documents:page-image": [C(MEMBER, pk="doc", number=1), C(ATTORNEY, pk="pdoc", number=1)],
    "documents:extract": [C(MEMBER, "POST", pk="doc"), C(ATTORNEY, "POST", pk="pdoc")],
    "documents:event-decide": [C(MEMBER, "POST", pk="event", decision="reject"),
                               C(ATTORNEY, "POST", pk="pevent", decision="reject")],
    # --- deadlines ---
    "deadlines:dashboard": [C(SIGNED_IN)],
    "deadlines:rules": [C(SIGNED_IN)],
    "deadlines:calendar": [C(SIGNED_IN)],
    "deadlines:case": [C(MEMBER, case_pk="case")],
    "deadlines:filing-add": [C(MEMBER, case_pk="case")],
    "deadlines:filing-edit": [C(MEMBER, case_pk="case", pk="filing")],
    "deadlines:deadline-add": [C(MEMBER, case_pk="case")],
    "deadlines:aedpa": [C(MEMBER, case_pk="case")],
    "deadlines:period": [C(MEMBER, case_pk="case")],
    "deadlines:deadline-detail": [C(MEMBER, pk="deadline")],
    "deadlines:deadline-status": [C(MEMBER, "POST", pk="deadline")],
    # calendar feeds: the secret token is the credential (calendar programs cannot sign in)
    "deadlines:feed-user": [C(PUBLIC, token="token"), C(set(), token="bad-token")],
    "deadlines:feed-case": [C(PUBLIC, token="token", case_pk="case"),
                            C(set(), token="outsider_token", case_pk="case")],
    # --- petitions (packets) ---
    "petitions:case": [C(MEMBER, case_pk="case")],
    # --- reference data (public record, any signed-in user) ---
    "reference:index": [C(SIGNED_IN)],
    "reference:exoneration-list": [C(SIGNED_IN)],
    "reference:exoneration-csv": [C(SIGNED_IN)],
    "reference:exoneration-detail": [C(SIGNED_IN, pk="exoneration")],
    "reference:execution-list": [C(SIGNED_IN)],
    "reference:execution-csv": [C(SIGNED_IN)],
    "reference:execution-detail": [C(SIGNED_IN, pk="execution")],
    "reference:analytics": [C(SIGNED_IN, topic="years")],
    "reference:analytics-csv": [C(SIGNED_IN, topic="years", section="per-year")],
    # --- DNA pages ---
    "dnaweb:case-matrix": [C(MEMBER, case_pk="case")],
    "dnaweb:case-matrix-recompute": [C(MEMBER, "POST", case_pk="case")],
    "dnaweb:case-matrix-status": [C(MEMBER, case_pk="case")],
    "dnaweb:pair": [C(MEMBER, case_pk="case", ev_pk="ev_profile", ref_pk="ref_profile")],
    "dnaweb:search": [C(SIGNED_IN)],
    "dnaweb:search-job": [C(OWNER, job_pk="search_job")],
    "dnaweb:search-status": [C(OWNER, job_pk="search_job")],
    # --- API ---
    "api:token": [C(PUBLIC, "POST")],  # wrong credentials: 400 for everyone, never 5xx
    "api:schema": [C(SIGNED_IN)],
    "api:docs": [C(SIGNED_IN)],
    "api:redoc": [C(SIGNED_IN)],
    "api:api-root": [C(SIGNED_IN)],
    "api:case-list": [C(SIGNED_IN)],
    "api:case-detail": [C(MEMBER, pk="case")],
    "api:case-timeline": [C(MEMBER, pk="case")],
    "api:person-list": [C(SIGNED_IN)],
    "api:person-detail": [C(MEMBER, pk="role")],
    "api:conviction-list": [C(SIGNED_IN)],
    "api:conviction-detail": [C(MEMBER, pk="conviction")],
    "api:evidenceitem-list": [C(SIGNED_IN)],
    "api:evidenceitem-detail": [C(MEMBER, pk="item")],
    "api:custodyevent-list": [C(SIGNED_IN)],
    "api:custodyevent-detail": [C(MEMBER, pk="custody")],
    "api:labrequest-list": [C(SIGNED_IN)],
    "api:labrequest-detail": [C(MEMBER, pk="labrequest")],
    "api:labresult-list": [C(SIGNED_IN)],
    "api:labresult-detail": [C(MEMBER, pk="labresult")],
    "api:strprofile-list": [C(SIGNED_IN)],
    "api:strprofile-detail": [C(MEMBER, pk="ev_profile")],
    "api:strprofile-compare": [C(MEMBER, "POST", pk="ev_profile")],
    "api:timelineevent-list": [C(SIGNED_IN)],
    "api:timelineevent-detail": [C(MEMBER, pk="timeline")],
    "api:decision-list": [C(SIGNED_IN)],
    "api:decision-detail": [C(MEMBER, pk="decision")],
    "api:document-list": [C(SIGNED_IN)],
    "api:document-search": [C(SIGNED_IN)],
    "api:document-detail": [C(MEMBER, pk="doc"), C(ATTORNEY, pk="pdoc")],
    "api:filing-list": [C(SIGNED_IN)],
    "api:filing-detail": [C(MEMBER, pk="filing")],
    "api:deadline-list": [C(SIGNED_IN)],
    "api:deadline-detail": [C(MEMBER, pk="deadline")],
    # --- the admin site: every generated URL, staff only (login page: public) ---
    "admin:*": [C(STAFF)],
    "admin:login": [C(PUBLIC)],
    "admin:logout": [C(PUBLIC, "POST")],
    # append-only or machine-written records: refused even to administrators
    "admin:cases_custodyevent_delete": [C(NOBODY)],
    "admin:audit_auditentry_add": [C(NOBODY)],
    "admin:audit_auditentry_delete": [C(NOBODY)],
    "admin:axes_accessattempt_add": [C(NOBODY)],
    "admin:axes_accesslog_add": [C(NOBODY)],
    "admin:axes_accessfailurelog_add": [C(NOBODY)],
    "admin:autocomplete": [C(NOBODY)],  # without its query parameters: 403 to staff too
    "admin/(?P<url>.*)$": [C(NOBODY)],  # the catch-all, here with a page that does not exist: 404 to staff
    # the QR code of a TOTP device: staff only; 503 where the optional qrcode package is absent
    "admin:otp_totp_totpdevice_qrcode": [C(STAFF, ok=(503,))],
}

ADMIN_KWARGS = {"id": "admin_user", "pk": "totp_device", "object_id": "case", "app_label": "cases",
                "url": "no-such-page/", "content_type_id": "case_ct"}


# --- walking the URL patterns ---------------------------------------------------------------------

def walk(patterns, prefix="", ns=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            sub = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from walk(p.url_patterns, prefix + str(p.pattern), sub)
        elif isinstance(p, URLPattern):
            name = (f"{ns}:{p.name}" if ns else p.name) if p.name else None
            yield name, prefix + str(p.pattern), ns, p


def all_patterns():
    return list(walk(get_resolver().url_patterns))


def key_of(name, route, ns):
    for key in (name, route):
        if key in EXPECT:
            return key
    if ns == "admin":
        return "admin:*"
    return name or route


def test_every_url_is_classified():
    missing = sorted({key_of(n, r, ns) for n, r, ns, _ in all_patterns()} - set(EXPECT))
    assert not missing, f"URL patterns with no entry in EXPECT (decide who may reach them): {missing}"
    stale = sorted(set(EXPECT) - {key_of(n, r, ns) for n, r, ns, _ in all_patterns()})
    assert not stale, f"EXPECT names URLs that do not exist: {stale}"


# --- the fixture record -----------------------------------------------------------------------

def _png(colour) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 40), colour).save(buf, "PNG")
    return buf.getvalue()


def _document(case, title, colour, text, *, privileged):
    from habeas.documents import storage
    from habeas.documents.models import Document, Page, ProposedEvent

    sha, size, _ = storage.store(io.BytesIO(_png(colour)))
    doc = Document.objects.create(case=case, title=title, original_filename=f"{title}.png", sha256=sha, size=size,
                                  file_type="png", mime_type="image/png", status="ready", page_count=1,
                                  privileged=privileged)
    Page.objects.create(document=doc, number=1, text=text)
    event = ProposedEvent.objects.create(document=doc, page=1, date="1983-06-04", date_text="June 4, 1983",
                                         what=f"{title}: something on June 4, 1983.")
    return doc, event


@pytest.fixture
def world(db, settings, tmp_path, django_user_model):
    settings.MEDIA_ROOT = tmp_path / "files"
    from habeas.deadlines.models import CalendarToken, Deadline, Filing
    from habeas.jobs.models import Job
    from habeas.reference.models import Dataset, Execution, Exoneration

    users = {
        "administrator": django_user_model.objects.create_user("admin1", password="x" * 12, is_staff=True, is_superuser=True),
        "attorney": django_user_model.objects.create_user("attorney1", password="x" * 12),
        "investigator": django_user_model.objects.create_user("investigator1", password="x" * 12),
        "student": django_user_model.objects.create_user("student1", password="x" * 12),
        "nonmember": django_user_model.objects.create_user("outsider1", password="x" * 12),
    }
    case = Case.objects.create(caption="People v. Matrix")
    other = Case.objects.create(caption="People v. Elsewhere")
    for role in ("attorney", "investigator", "student"):
        CaseMembership.objects.create(case=case, user=users[role], role=role)
    CaseMembership.objects.create(case=other, user=users["nonmember"], role="attorney")

    client_role = Role.objects.create(case=case, person=Person.objects.create(name="Pat Client", is_public=True),
                                      kind=Role.Kind.CLIENT, label="petitioner")
    conviction = Conviction.objects.create(case=case, defendant=client_role, court="Superior Court")
    item = EvidenceItem.objects.create(case=case, item_number="A-1", description="blood swab")
    custody = CustodyEvent.objects.create(evidence_item=item, from_party="sheriff", to_party="crime lab",
                                          recorded_by=users["attorney"])
    labrequest = LabRequest.objects.create(case=case)
    labrequest.items.add(item)
    labresult = LabResult.objects.create(request=labrequest)
    loci = {"D3S1358": ["15", "16"], "vWA": ["17", "18"], "FGA": ["21", "22"]}
    ev_profile = STRProfile.objects.create(lab_result=labresult, kind="evidence", sample_name="E1", loci=loci,
                                           evidence_item=item)
    ref_profile = STRProfile.objects.create(lab_result=labresult, kind="reference", sample_name="R1", loci=loci,
                                            person_role=client_role)
    timeline = TimelineEvent.objects.create(case=case, date="1983-06-04", what="the crime")
    decision = Decision.objects.create(case=case, body="Superior Court", kind="judgment")
    Note.objects.create(case=case, text="Ordinary note about the file", author=users["attorney"])
    Note.objects.create(case=case, text=PRIVILEGED_NOTE, privileged=True, author=users["attorney"])
    doc, event = _document(case, ORDINARY_DOC, "red", f"the {SEARCH_WORD} ordinary page", privileged=False)
    pdoc, pevent = _document(case, PRIVILEGED_DOC, "blue", f"the {SEARCH_WORD} privileged page", privileged=True)
    filing = Filing.objects.create(case=case, kind="state_habeas", title="Petition")
    deadline = Deadline.objects.create(case=case, title="File the reply", due_on="2030-01-01")
    search_job = Job.objects.create(kind="dna.db_search", func_path="x.y", kwargs={}, created_by=users["attorney"],
                                    status=Job.Status.DONE, result={})
    ds_x = Dataset.objects.create(slug="nre", kind="exonerations", title="NRE", publisher="NRE")
    ds_e = Dataset.objects.create(slug="dpi", kind="executions", title="DPI", publisher="DPI")
    exoneration = Exoneration.objects.create(dataset=ds_x, key="1", row=2, last_name="Doe", exoneration_year=2001)
    execution = Execution.objects.create(dataset=ds_e, key="1", row=2, date="2000-01-01", year=2000, name="X")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    spare = django_user_model.objects.create_user("spare1", password="x" * 12)
    totp = TOTPDevice.objects.create(user=spare, name="phone", confirmed=False)
    objs = {
        "totp_device": totp.pk,
        "case": case.pk, "item": item.pk, "custody": custody.pk, "labrequest": labrequest.pk,
        "labresult": labresult.pk, "ev_profile": ev_profile.pk, "ref_profile": ref_profile.pk,
        "role": client_role.pk, "conviction": conviction.pk, "timeline": timeline.pk, "decision": decision.pk,
        "doc": doc.pk, "pdoc": pdoc.pk, "event": event.pk, "pevent": pevent.pk, "filing": filing.pk,
        "deadline": deadline.pk, "search_job": search_job.pk, "exoneration": exoneration.pk,
        "execution": execution.pk,
        "token": CalendarToken.for_user(users["attorney"]).token,
        "outsider_token": CalendarToken.for_user(users["nonmember"]).token,
        "case_ct": ContentType.objects.get_for_model(Case).pk, "admin_user": users["administrator"].pk,
    }
    return {"users": users, "objs": objs, "case": case}


def _url(name, route, pattern, kwargs, objs):
    groups = list(pattern.pattern.regex.groupindex)
    kw = {k: objs.get(v, v) if isinstance(v, str) else v for k, v in kwargs.items() if k in groups}
    for g in groups:
        if g not in kw:
            if g == "format":
                kw[g] = "json"
            elif g in ADMIN_KWARGS:
                kw[g] = objs.get(ADMIN_KWARGS[g], ADMIN_KWARGS[g])
    if name:
        try:
            return reverse(name, kwargs=kw)
        except NoReverseMatch:
            if "format" in kw:  # DRF's api-root suffix converter wants the dot
                return reverse(name, kwargs={**kw, "format": ".json"})
            raise
    path = ("/" + route).replace("(?P<url>.*)$", str(kw.pop("url", "")))  # an unnamed (admin) pattern
    for g, v in kw.items():
        path = re.sub(r"<(?:\w+:)?%s>" % g, str(v), path)
    return path


def _verdict(resp, path, ok=()) -> str:
    """'allowed' or 'forbidden' (or 'error: …')."""
    code = resp.status_code
    if code in ok:
        return "allowed"
    if code >= 500:
        return f"error: {code}"
    if code in (401, 403, 404):
        return "forbidden"
    if code in (301, 302):
        loc = resp.get("Location", "")
        if "/login/" in loc and "login" not in path and "logout" not in path:
            return "forbidden"
        return "allowed"
    if code == 405:
        return "error: 405 (wrong method in the table?)"
    return "allowed"


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    problems, n = [], 0
    for name, route, ns, pattern in all_patterns():
        for check in EXPECT[key_of(name, route, ns)]:
            path = _url(name, route, pattern, check.kwargs, world["objs"])
            resp = getattr(client, check.method.lower())(path)
            got = _verdict(resp, path, check.ok)
            want = "allowed" if role in check.allowed else "forbidden"
            n += 1
            if "logout" in path and role != "anonymous":  # signed out by the check: sign in again
                client.force_login(world["users"][role])
            if got != want:
                problems.append(f"{check.method} {path} ({name or route}): {want} expected, got {got} "
                                f"[{resp.status_code} {resp.get('Location', '')}]")
    assert n > 150
    assert not problems, f"{role}: {len(problems)} of {n} checks wrong:\n" + "\n".join(problems)


# --- privileged notes and documents -----------------------------------------------------------

def _pages(client, case_pk, objs):
    yield "case page", client.get(reverse("case-detail", args=[case_pk]))
    yield "case documents", client.get(reverse("documents:case", args=[case_pk]))
    yield "document search", client.get(reverse("documents:search"), {"q": SEARCH_WORD})
    yield "case document search", client.get(reverse("documents:case-search", args=[case_pk]), {"q": SEARCH_WORD})
    yield "packet form", client.get(reverse("petitions:case", args=[case_pk]))
    yield "API documents", client.get(reverse("api:document-list"))
    yield "API document search", client.get(reverse("api:document-search"), {"q": SEARCH_WORD})
    yield "ordinary document viewer", client.get(reverse("documents:detail", args=[objs["doc"]]))


@pytest.mark.parametrize("role", ["administrator", "attorney", "investigator", "student", "nonmember"])
def test_privileged_material_only_for_attorneys_and_administrators(client, world, role):
    client.force_login(world["users"][role])
    case_pk, objs = world["case"].pk, world["objs"]
    sees = role in ATTORNEY
    for what, resp in _pages(client, case_pk, objs):
        text = resp.content.decode()
        if role == "nonmember":
            assert PRIVILEGED_DOC not in text and PRIVILEGED_NOTE not in text and ORDINARY_DOC not in text, what
            continue
        assert resp.status_code == 200, what
        if what != "ordinary document viewer":
            assert (PRIVILEGED_DOC in text) == sees, f"{what}: privileged document title shown={not sees}"
        assert PRIVILEGED_NOTE not in text or sees, what
        if what in ("case documents", "API documents", "document search", "case document search"):
            assert ORDINARY_DOC in text, what
    page = client.get(reverse("case-detail", args=[case_pk])).content.decode()
    if role != "nonmember":
        assert (PRIVILEGED_NOTE in page) == sees
        assert "Ordinary note about the file" in page
    # the file itself and its page image
    for name in ("documents:file", "documents:detail", "api:document-detail"):
        code = client.get(reverse(name, args=[objs["pdoc"]])).status_code
        assert (code == 200) == sees, (name, code)
    # a privileged note cannot be written by one who may not read it
    form = client.get(reverse("note-add", args=[case_pk]))
    if role != "nonmember":
        assert ('name="privileged"' in form.content.decode()) == sees
