"""The packet page of a case: choose the kind, the format and the exhibits; download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from habeas.petitions import packet
from habeas.petitions.forms import PacketForm
from habeas.web.access import get_case_for, visible_documents

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _document_choices(case, user):
    """The documents of ``case`` that ``user`` may put in a packet (privileged ones: attorneys only);
    the form accepts only these, so a packet never carries a document its maker may not read."""
    docs = packet.exhibits_from_documents(case)
    if docs is None:
        return [], None
    qs = visible_documents(user, case)
    return [(str(d.pk), getattr(d, "title", "") or str(d)) for d in qs.order_by("pk")], True


@login_required
def packet_form(request, case_pk):
    case = get_case_for(request.user, case_pk)
    choices, wired = _document_choices(case, request.user)
    form = PacketForm(request.GET or None, documents=choices)
    if request.GET and form.is_valid():
        c = form.cleaned_data
        exhibits = None
        if wired and "documents" in c:
            exhibits = packet.exhibits_from_documents(case, [int(x) for x in c["documents"]])
        data = packet.build_packet(case, c["kind"], c["format"], exhibits, organisation=c.get("organisation", ""))
        resp = HttpResponse(data, content_type=CONTENT_TYPES[c["format"]])
        resp["Content-Disposition"] = f'attachment; filename="{packet.filename(case, c["kind"], c["format"])}"'
        return resp
    return render(request, "petitions/packet_form.html", {"form": form, "case": case, "wired": wired})
