"""Web views of documents: the case's documents, upload, the document viewer, search, and
accepting or rejecting proposed timeline events. Login required; a user reaches only the
cases they may see (staff: all; others: cases with their CaseMembership)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from habeas.documents import forms, ingest
from habeas.documents.extract import ExtractionError, render_page
from habeas.documents.models import Citation, Document, Mention, Page, ProposedEvent
from habeas.documents.search import QueryError, highlight, highlight_pattern, parse_query, search
from habeas.web.access import can_see_privileged, get_case_for, privileged_cases, visible_cases, visible_documents

PAGES_PER_SCREEN = 20
RESULTS_PER_PAGE = 20


def _case(user, pk):
    return get_case_for(user, pk)


def _document(user, pk):
    """A document the user may read (its case visible; privileged: attorneys only); 404 otherwise."""
    return get_object_or_404(visible_documents(user, qs=Document.objects.select_related("case", "job")), pk=pk)


def case_document_list(case, user):
    return (visible_documents(user, case)
            .annotate(open_events=Count("proposed_events", filter=Q(proposed_events__status="proposed")))
            .order_by("date", "title", "pk"))


@login_required
def case_documents(request, case_pk):
    case = _case(request.user, case_pk)
    return render(request, "documents/case_documents.html", {
        "case": case, "documents": case_document_list(case, request.user), "form": forms.SearchForm(),
        "open_events": ProposedEvent.objects.filter(document__in=visible_documents(request.user, case),
                                                    status="proposed").count(),
    })


@login_required
def upload(request, case_pk):
    case = _case(request.user, case_pk)
    form = forms.UploadForm(request.POST or None, request.FILES or None,
                            privileged=can_see_privileged(request.user, case))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        files = data["files"]
        added = 0
        for f in files:
            result = ingest.add_file(
                case, f, name=f.name, kind=data["kind"], title=data["title"] if len(files) == 1 else "",
                date=data["date"], author=data["author"], bates_start=data["bates_start"],
                bates_end=data["bates_end"], citation=data["citation"], user=request.user,
                privileged=data.get("privileged", False), refuse=True)
            if result.created and result.document.status != Document.Status.FAILED:
                added += 1
                (messages.warning if result.document.warnings else messages.success)(request, result.message)
            else:
                messages.error(request, result.message)
        if len(files) == 1 and files and (doc := visible_documents(request.user, case).filter(
                original_filename=ingest.safe_name(files[0].name)).order_by("-pk").first()):
            return redirect(doc)
        return redirect("documents:case", case.pk)
    return render(request, "documents/upload.html", {"case": case, "form": form})


def _page_window(number: int) -> int:
    return ((max(number, 1) - 1) // PAGES_PER_SCREEN) * PAGES_PER_SCREEN + 1


@login_required
def detail(request, pk):
    doc = _document(request.user, pk)
    q = request.GET.get("q", "").strip()
    pattern, hits, query_error = None, [], ""
    if q:
        try:
            pattern = highlight_pattern(parse_query(q))
            hits = list(search(q, document=doc, limit=500, count=False))
            hits.sort(key=lambda h: h.page)
        except QueryError as exc:
            query_error = str(exc)
    try:
        start = _page_window(int(request.GET.get("from", 1)))
    except ValueError:
        start = 1
    pages = list(Page.objects.filter(document=doc, number__gte=start, number__lt=start + PAGES_PER_SCREEN))
    hit_pages = {h.page for h in hits}
    for p in pages:
        p.html = highlight(p.text, pattern)
        p.hit = p.number in hit_pages
        p.mark_count = p.html.count("<mark>")
    base_q = {"q": q} if q else {}

    def page_link(number):
        return "?" + urlencode({**base_q, "from": _page_window(number)}) + f"#page-{number}"

    for h in hits:
        h.link = page_link(h.page)
    windows = [{"start": s, "end": min(s + PAGES_PER_SCREEN - 1, doc.page_count),
                "link": "?" + urlencode({**base_q, "from": s}), "current": s == start}
               for s in range(1, doc.page_count + 1, PAGES_PER_SCREEN)] if doc.page_count > PAGES_PER_SCREEN else []
    citations = {}
    hidden = set() if can_see_privileged(request.user, doc.case) else set(
        Document.objects.filter(case=doc.case, privileged=True).values_list("pk", flat=True))
    for c in Citation.objects.filter(document=doc).select_related("target").order_by("page", "pk"):
        if c.target_id in hidden:  # a privileged document is not named to those who may not see it
            c.target, c.target_id = None, None
        entry = citations.setdefault(c.normalized, {"c": c, "pages": []})
        if c.page not in [p for p, _ in entry["pages"]]:
            entry["pages"].append((c.page, page_link(c.page)))
    mentions = {}
    for m in Mention.objects.filter(document=doc).select_related("evidence_item", "role__person"):
        entry = mentions.setdefault((m.kind, m.evidence_item_id, m.role_id), {"m": m, "pages": []})
        entry["pages"].append((m.page, page_link(m.page)))
    events = list(ProposedEvent.objects.filter(document=doc).select_related("timeline_event", "evidence_item"))
    for e in events:
        e.link = page_link(e.page)
    return render(request, "documents/detail.html", {
        "doc": doc, "case": doc.case, "pages": pages, "q": q, "hits": hits, "query_error": query_error,
        "citations": list(citations.values()), "mentions": list(mentions.values()), "events": events,
        "windows": windows, "start": start, "job": doc.job,
        "working": doc.status in (Document.Status.QUEUED, Document.Status.PROCESSING),
    })


@login_required
def edit(request, pk):
    doc = _document(request.user, pk)
    form = forms.DocumentForm(request.POST or None, instance=doc, privileged=can_see_privileged(request.user, doc.case))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Document details saved.")
        return redirect(doc)
    return render(request, "documents/edit.html", {"doc": doc, "case": doc.case, "form": form})


@login_required
def status(request, pk):
    """The progress fragment the document page polls while extraction runs."""
    doc = _document(request.user, pk)
    response = render(request, "documents/_status.html", {"doc": doc, "job": doc.job})
    response["X-Document-Status"] = doc.status
    response["Cache-Control"] = "no-store"
    return response


@login_required
def download(request, pk):
    doc = _document(request.user, pk)
    path = doc.blob_path
    if not path.exists():
        raise Http404("the stored file is missing")
    inline = doc.file_type in ("pdf", "png", "jpeg") and request.GET.get("download") != "1"
    return FileResponse(open(path, "rb"), content_type=doc.mime_type or "application/octet-stream",
                        as_attachment=not inline, filename=doc.original_filename)


@login_required
def page_image(request, pk, number):
    """Page ``number`` as a PNG (rendered once, then cached beside the blobs)."""
    from django.conf import settings

    doc = _document(request.user, pk)
    if not doc.renderable:
        raise Http404("this document has no page images")
    width = 1000 if request.GET.get("w") != "small" else 300
    cache = settings.MEDIA_ROOT / "renders" / doc.sha256[:2] / doc.sha256 / f"{number}-{width}.png"
    if not cache.exists():
        try:
            image = render_page(doc.blob_path, doc.file_type, number, width)
        except (ExtractionError, OSError) as exc:
            raise Http404(str(exc)) from exc
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".tmp{id(image)}")
        image.save(tmp, "PNG", optimize=False)
        tmp.replace(cache)
    response = FileResponse(open(cache, "rb"), content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
@require_POST
def reextract(request, pk):
    doc = _document(request.user, pk)
    if doc.status in (Document.Status.QUEUED, Document.Status.PROCESSING):
        messages.info(request, "Extraction is already under way.")
    else:
        ingest.queue_extraction(doc, user=request.user)
        messages.success(request, "Extraction queued again.")
    return redirect(doc)


@login_required
@require_POST
def decide_event(request, pk, decision):
    event = get_object_or_404(ProposedEvent.objects.select_related("document__case"), pk=pk,
                              document__in=visible_documents(request.user))
    if decision == "accept":
        te = ingest.accept_event(event, request.user, what=request.POST.get("what") or None)
        messages.success(request, f"Added to the case timeline: {te.partial('date')} — {te.what[:80]}")
    elif decision == "reject":
        ingest.reject_event(event, request.user)
        messages.info(request, "Proposed event rejected.")
    else:
        raise Http404("unknown decision")
    nxt = request.POST.get("next", "")
    if nxt.startswith("/") and not nxt.startswith("//"):
        return redirect(nxt)
    return redirect(reverse("documents:detail", args=[event.document_id]) + "#events")


@login_required
def search_view(request, case_pk=None):
    case = _case(request.user, case_pk) if case_pk else None
    form = forms.SearchForm(request.GET or None)
    results, error, page_obj = None, "", None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        try:
            number = max(1, int(request.GET.get("page", 1)))
        except ValueError:
            number = 1
        try:
            results = search(data["q"], cases=[case] if case else visible_cases(request.user),
                             privileged_cases=privileged_cases(request.user), kind=data["kind"] or None, date_from=data["date_from"], date_to=data["date_to"],
                             limit=RESULTS_PER_PAGE, offset=(number - 1) * RESULTS_PER_PAGE)
        except QueryError as exc:
            error = str(exc)
        else:
            for h in results.hits:
                h.link = (reverse("documents:detail", args=[h.document_id]) + "?"
                          + urlencode({"q": data["q"], "from": _page_window(h.page)}) + f"#page-{h.page}")
            params = request.GET.copy()
            params.pop("page", None)
            page_obj = {
                "number": number, "pages": max(1, -(-results.total // RESULTS_PER_PAGE)),
                "prev": f"?{params.urlencode()}&page={number - 1}" if number > 1 else "",
                "next": f"?{params.urlencode()}&page={number + 1}" if number * RESULTS_PER_PAGE < results.total else "",
                "first": (number - 1) * RESULTS_PER_PAGE + 1,
                "last": (number - 1) * RESULTS_PER_PAGE + len(results.hits),
            }
    return render(request, "documents/search.html", {
        "case": case, "form": form, "results": results, "error": error, "page": page_obj,
        "searched": results is not None,
    })
