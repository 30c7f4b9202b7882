"""API endpoints of areas written alongside the API: documents and search (habeas.documents),
filings and deadlines (habeas.deadlines). Each is registered only when its models exist, so the
API never breaks an install whose area is not there yet. Read-only: documents are uploaded and
deadlines computed in the web UI (where the extraction job and the rule engine run).
"""

from __future__ import annotations

from django.apps import apps
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from habeas.api.access import scope
from habeas.api.pagination import Pagination
from habeas.api.views import CaseScoped
from habeas.web.access import visible_cases


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _fields(model, wanted: list[str]) -> list[str]:
    have = {f.name for f in model._meta.get_fields()}
    return [f for f in wanted if f in have]


def register(router) -> list[str]:
    """Register what exists; return the names of the areas registered."""
    done = []
    Document, Page = _model("documents.Document"), _model("documents.Page")
    if Document is not None and Page is not None:
        router.register("documents", _document_viewset(Document), basename="document")
        done.append("documents")
    Filing, Deadline = _model("deadlines.Filing"), _model("deadlines.Deadline")
    if Filing is not None:
        router.register("filings", _simple_viewset(Filing, [
            "id", "case", "kind", "title", "court_or_office", "docket_number", "filed_on", "status", "decided_on",
            "outcome", "outcome_detail", "tolls_aedpa", "notes", "created_at", "updated_at"],
            ["case", "kind", "status"]), basename="filing")
        done.append("filings")
    if Deadline is not None:
        router.register("deadlines", _simple_viewset(Deadline, [
            "id", "uid", "case", "filing", "title", "due_on", "source", "rule_id", "rule_version", "citation",
            "inputs", "explanation", "status", "assignee", "remind_days", "notes", "created_at", "updated_at"],
            ["case", "status", "source", "filing"],
            extra_filters={"due_on": ["gte", "lte"]}), basename="deadline")
        done.append("deadlines")
    return done


def _simple_viewset(model, fields, filter_fields, extra_filters=None):
    meta = type("Meta", (), {"model": model, "fields": _fields(model, fields)})
    ser = type(f"{model.__name__}Serializer", (serializers.ModelSerializer,), {"Meta": meta})
    ff = {f: ["exact"] for f in _fields(model, filter_fields)}
    for f, lookups in (extra_filters or {}).items():
        if _fields(model, [f]):
            ff[f] = ["exact"] + lookups
    return type(f"{model.__name__}ViewSet", (CaseScoped, viewsets.ReadOnlyModelViewSet), {
        "queryset": model.objects.all() if model._meta.ordering else model.objects.order_by("pk"),
        "serializer_class": ser, "filterset_fields": ff,
        "__doc__": f"{model._meta.verbose_name_plural.capitalize()} of the cases you may see (read-only)."})


class SearchHitSerializer(serializers.Serializer):
    document = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    case = serializers.IntegerField()
    page = serializers.IntegerField()
    score = serializers.FloatField()
    snippet = serializers.CharField(help_text="Text around the match; matched words between ** **.")


def _document_viewset(Document):
    fields = _fields(Document, ["id", "case", "title", "kind", "date", "author", "bates_start", "bates_end",
                                "citation", "original_filename", "sha256", "size", "file_type", "mime_type",
                                "status", "error", "warnings", "page_count", "ocr_pages", "created_at",
                                "extracted_at"])
    ser = type("DocumentSerializer", (serializers.ModelSerializer,),
               {"Meta": type("Meta", (), {"model": Document, "fields": fields})})

    class DocumentViewSet(CaseScoped, viewsets.ReadOnlyModelViewSet):
        """Documents of the cases you may see (read-only; upload in the web UI) and full-text search."""

        queryset = Document.objects.all()
        serializer_class = ser
        filterset_fields = {f: ["exact"] for f in _fields(Document, ["case", "kind", "status"])}
        search_fields = ["title", "author", "original_filename"]

        @extend_schema(
            parameters=[OpenApiParameter("q", str, required=True, description="Query: words, \"phrase\", prefix*, -word"),
                        OpenApiParameter("case", int), OpenApiParameter("kind", str),
                        OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
            responses=SearchHitSerializer(many=True), summary="Full-text search of document pages")
        @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
        def search(self, request):
            from habeas.documents import search as docsearch

            q = request.query_params.get("q", "")
            cases = visible_cases(request.user)
            if request.query_params.get("case"):
                try:
                    cases = cases.filter(pk=int(request.query_params["case"]))
                except ValueError as exc:
                    raise ValidationError({"case": "Expected a case id."}) from exc
            pager = Pagination()
            try:
                size = min(int(request.query_params.get("page_size", pager.page_size)), pager.max_page_size)
                page = max(int(request.query_params.get("page", 1)), 1)
            except ValueError as exc:
                raise ValidationError({"page": "Expected a number."}) from exc
            try:
                res = docsearch.search(q, cases=cases, kind=request.query_params.get("kind") or None,
                                       limit=size, offset=(page - 1) * size)
            except docsearch.QueryError as exc:
                raise ValidationError({"q": str(exc)}) from exc
            return Response({"count": res.total, "page": page, "page_size": size,
                             "results": [h.as_dict() for h in res.hits]})

    return DocumentViewSet


__all__ = ["register", "scope"]
