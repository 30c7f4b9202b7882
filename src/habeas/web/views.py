"""Views of the web UI: the case list, the case page, the evidence item page and the forms
that add to the record. Every view requires login and reaches cases only through
:mod:`habeas.web.access`.
"""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.contrib.auth import views as auth_views
from django.contrib.messages.views import SuccessMessageMixin
from django.core.paginator import Paginator
from django.urls import reverse_lazy
from django.shortcuts import get_object_or_404, redirect, render

from habeas.cases.models import (
    Case,
    Claim,
    Conviction,
    CustodyEvent,
    EvidenceItem,
    LabRequest,
    LabResult,
    Note,
    Role,
    Task,
    TimelineEvent,
    verify_chain,
)
from habeas.web import forms
from habeas.web.access import can_see_privileged, get_case_for, visible_cases, visible_notes
from habeas.web.dna_context import dna_context

# --- Case list --------------------------------------------------------------------------------


def filter_cases(qs, data: dict):
    """Apply the case-list search (``q``) and filters (``stage``, ``death``, ``jurisdiction``)."""
    if q := data.get("q", "").strip():
        qs = qs.filter(
            Q(caption__icontains=q) | Q(jurisdiction__icontains=q) | Q(court__icontains=q)
            | Q(docket_numbers__number__icontains=q) | Q(roles__label__icontains=q)
            # Names are searchable only where they may be shown: never a private person's.
            | Q(roles__person__is_public=True, roles__person__name__icontains=q)
        )
    if stage := data.get("stage"):
        qs = qs.filter(stage=stage)
    if data.get("death") == "yes":
        qs = qs.filter(convictions__death_sentence=True)
    elif data.get("death") == "no":
        qs = qs.exclude(convictions__death_sentence=True)
    if jurisdiction := data.get("jurisdiction"):
        qs = qs.filter(jurisdiction=jurisdiction)
    return qs.distinct()


class PasswordChange(SuccessMessageMixin, auth_views.PasswordChangeView):
    """Change one's own password (the one-time password `createuser` prints, first of all)."""

    template_name = "web/form.html"
    success_url = reverse_lazy("case-list")
    success_message = "Your password has been changed."
    extra_context = {"title": "Change your password", "back_url": reverse_lazy("case-list")}


CASES_PER_PAGE = 50


@login_required
def case_list(request):
    """All cases the user may see, searchable and filterable."""
    cases = visible_cases(request.user)
    jurisdictions = (cases.exclude(jurisdiction="").order_by("jurisdiction")
                     .values_list("jurisdiction", flat=True).distinct())
    form = forms.CaseFilterForm(request.GET or None, jurisdictions=list(jurisdictions))
    if form.is_bound and form.is_valid():
        cases = filter_cases(cases, form.cleaned_data)
    cases = cases.prefetch_related("docket_numbers", "convictions").order_by("caption")
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "web/case_list.html", {
        "form": form, "cases": page.object_list, "page": page, "query": query.urlencode(),
        "filtered": form.is_bound and any(v for k, v in form.data.items() if k != "page"),
    })


# --- Case page --------------------------------------------------------------------------------

CASE_SECTIONS = [
    ("summary", "Summary"), ("people", "People"), ("convictions", "Conviction & custody"),
    ("claims", "Claims"), ("evidence", "Evidence"), ("lab", "Lab work"), ("dna", "DNA comparisons"),
    ("decisions", "Decisions"), ("timeline", "Timeline"), ("documents", "Documents"),
    ("deadlines", "Deadlines & filings"), ("notes", "Notes & tasks"), ("gaps", "Record gaps"),
    ("similar", "Similar exonerations"),
]

#: Case fields shown in the summary, each with its citation from ``Case.field_sources``.
SOURCED_CASE_FIELDS = ["jurisdiction", "court", "crime_location", "investigating_agency",
                       "prosecuting_office", "current_status"]


def group_roles(roles):
    """Roles grouped by kind, in the order of :class:`Role.Kind` (client first)."""
    order = {kind: i for i, kind in enumerate(Role.Kind.values)}
    roles = sorted(roles, key=lambda r: (order.get(r.kind, 99), r.label))
    return [(Role.Kind(kind).label, list(group)) for kind, group in groupby(roles, key=lambda r: r.kind)]


def case_with_record(case: Case, user=None) -> Case:
    """Reload ``case`` with everything the case page shows, in a fixed number of queries.
    Notes are those ``user`` may read (privileged notes: attorneys and administrators only)."""
    return (Case.objects.filter(pk=case.pk).prefetch_related(
        "docket_numbers", "custody_records", "decisions", "timeline_events__evidence_item",
        Prefetch("roles", queryset=Role.objects.select_related("person")),
        Prefetch("convictions", queryset=Conviction.objects.select_related("defendant__person")
                 .prefetch_related("offenses")),
        Prefetch("claims", queryset=Claim.objects.prefetch_related("factors")),
        "contributing_factors",
        Prefetch("evidence_items", queryset=EvidenceItem.objects.annotate(n_events=Count("custody_events"))),
        Prefetch("lab_requests", queryset=LabRequest.objects.prefetch_related("items", "results__profiles")),
        Prefetch("notes", queryset=visible_notes(user, case, Note.objects.select_related("author"))),
        Prefetch("tasks", queryset=Task.objects.select_related("assignee")),
    ).get())


@login_required
def case_detail(request, pk):
    """The whole record of one case, in sections with an in-page nav."""
    case = case_with_record(get_case_for(request.user, pk), request.user)
    fields = [(name, Case._meta.get_field(name).verbose_name, getattr(case, name))
              for name in SOURCED_CASE_FIELDS if getattr(case, name)]
    return render(request, "web/case_detail.html", {
        "case": case, "sections": CASE_SECTIONS, "sourced_fields": fields,
        "role_groups": group_roles(case.roles.all()),
        "death_sentence": any(c.death_sentence for c in case.convictions.all()),
        "unassigned_factors": [f for f in case.contributing_factors.all() if f.claim_id is None],
    })


# --- Evidence item page -----------------------------------------------------------------------


def get_item_for(user, case_pk: int, pk: int) -> EvidenceItem:
    """An evidence item of a case the user may see; 404 otherwise."""
    case = get_case_for(user, case_pk)
    return get_object_or_404(EvidenceItem.objects.select_related("case"), case=case, pk=pk)


@login_required
def evidence_detail(request, case_pk, pk):
    """One evidence item: details, its chain of custody with an integrity check, lab history."""
    item = get_item_for(request.user, case_pk, pk)
    events = item.custody_events.select_related("recorded_by").order_by("sequence")
    lab_requests = item.lab_requests.prefetch_related("items", "results")
    return render(request, "web/evidence_detail.html", {
        "case": item.case, "item": item, "events": events, "chain_problems": verify_chain(item),
        "lab_requests": lab_requests, **dna_context(item),
    })


# --- Forms that add to the record -------------------------------------------------------------


def add_record(request, *, form_class, instance, case, title, back_url, done_message,
               form_kwargs=None, intro="", item=None):
    """Shared add-form flow: show the form, validate, save, redirect back with a message.

    ``instance`` is the new, unsaved object already bound to its parent (case, item or lab
    request) and author; ``form_kwargs`` go to the form (e.g. the case, for its choices).
    """
    form = form_class(request.POST or None, request.FILES or None, instance=instance, **(form_kwargs or {}))
    if request.method == "POST" and form.is_valid():
        obj = form.save()
        messages.success(request, done_message.format(obj=obj))
        return redirect(back_url)
    return render(request, "web/form.html", {
        "form": form, "case": case, "item": item, "title": title, "back_url": back_url, "intro": intro,
    })


@login_required
def note_add(request, case_pk):
    """Add a note (optionally privileged) to a case."""
    case = get_case_for(request.user, case_pk)
    return add_record(request, form_class=forms.NoteForm, instance=Note(case=case, author=request.user),
                      form_kwargs={"privileged": can_see_privileged(request.user, case)},
                      case=case, title="Add a note", back_url=case.get_absolute_url() + "#notes",
                      done_message="Note added.")


@login_required
def evidence_add(request, case_pk):
    """Add an evidence item to a case."""
    case = get_case_for(request.user, case_pk)
    return add_record(request, form_class=forms.EvidenceItemForm, instance=EvidenceItem(case=case),
                      form_kwargs={"case": case}, case=case, title="Add an evidence item",
                      back_url=case.get_absolute_url() + "#evidence",
                      done_message="Evidence item {obj.item_number} added.")


@login_required
def custody_add(request, case_pk, pk):
    """Append a custody event to an item's chain (recorded by the signed-in user)."""
    item = get_item_for(request.user, case_pk, pk)
    return add_record(request, form_class=forms.CustodyEventForm,
                      instance=CustodyEvent(evidence_item=item, recorded_by=request.user),
                      case=item.case, item=item, title=f"Record a custody event — item {item.item_number}",
                      back_url=item.get_absolute_url() + "#custody",
                      done_message="Custody event #{obj.sequence} recorded.",
                      intro="Custody events are append-only: once recorded, an event cannot be "
                            "changed or deleted. Record a correction as a new event.")


@login_required
def labrequest_add(request, case_pk):
    """Add a lab request for items of a case (``?item=<id>`` preselects an item)."""
    case = get_case_for(request.user, case_pk)
    back = case.get_absolute_url() + "#lab"
    if item_id := request.GET.get("item", ""):
        if item := case.evidence_items.filter(pk=item_id if item_id.isdigit() else None).first():
            back = item.get_absolute_url() + "#lab"
    form_kwargs = {"case": case, "initial": {"items": [item_id]} if item_id.isdigit() else {}}
    return add_record(request, form_class=forms.LabRequestForm, instance=LabRequest(case=case),
                      form_kwargs=form_kwargs, case=case, title="Add a lab request", back_url=back,
                      done_message="Lab request added.")


@login_required
def labresult_add(request, case_pk, pk):
    """Add a lab result to a lab request of a case."""
    case = get_case_for(request.user, case_pk)
    lab_request = get_object_or_404(case.lab_requests, pk=pk)
    return add_record(request, form_class=forms.LabResultForm, instance=LabResult(request=lab_request),
                      case=case, title=f"Add a lab result — {lab_request}",
                      back_url=case.get_absolute_url() + "#lab", done_message="Lab result added.")


@login_required
def timeline_add(request, case_pk):
    """Add an event to a case's timeline."""
    case = get_case_for(request.user, case_pk)
    return add_record(request, form_class=forms.TimelineEventForm, instance=TimelineEvent(case=case),
                      form_kwargs={"case": case}, case=case, title="Add a timeline event",
                      back_url=case.get_absolute_url() + "#timeline", done_message="Timeline event added.")
