"""API endpoints of areas written alongside the API: documents and search (habeas.documents),
filings and deadlines (habeas.deadlines). Each is registered only when its models exist, so the
API never breaks an install whose area is not there yet. Read-only: documents are uploaded and
deadlines computed in the web UI (where the extraction job and the rule engine run).
"""

from __future__ import annotations

from django.apps import apps
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from habeas.api.access import scope
from habeas.api.pagination import Pagination
from habeas.api.views import CaseScoped
from habeas.web.access import can_see_privileged, get_case_for, privileged_cases, visible_cases, visible_documents


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
                                "citation", "privileged", "original_filename", "sha256", "size", "file_type",
                                "mime_type", "status", "error", "warnings", "page_count", "ocr_pages",
                                "created_at", "extracted_at"])
    ser = type("DocumentSerializer", (serializers.ModelSerializer,),
               {"Meta": type("Meta", (), {"model": Document, "fields": fields, "read_only_fields": fields})})

    class DocumentUploadSerializer(serializers.Serializer):
        case = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
        file = serializers.FileField(allow_empty_file=False, max_length=10_000)
        kind = serializers.ChoiceField(choices=Document.Kind.choices, default=Document.Kind.OTHER)
        title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
        privileged = serializers.BooleanField(required=False, default=False,
                                              help_text="Attorneys on the case and administrators only.")

    class DocumentViewSet(CaseScoped, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
        """Documents of the cases you may see (privileged ones: if you are an attorney on the case or an
        administrator), full-text search, and upload (multipart ``file``; its text is extracted in the
        background). A file of a type habeas does not read, markup, or one over the size limit is
        refused with 400 and nothing is stored."""

        queryset = Document.objects.all()
        serializer_class = ser
        filterset_fields = {f: ["exact"] for f in _fields(Document, ["case", "kind", "status"])}
        search_fields = ["title", "author", "original_filename"]
        parser_classes = [MultiPartParser, FormParser]

        def get_queryset(self):
            return visible_documents(self.request.user, qs=super().get_queryset())

        @extend_schema(request={"multipart/form-data": DocumentUploadSerializer}, responses={201: ser})
        def create(self, request, *args, **kwargs):
            from habeas.documents import ingest

            params = DocumentUploadSerializer(data=request.data)
            params.is_valid(raise_exception=True)
            d = params.validated_data
            case = get_case_for(request.user, d["case"])
            if d["privileged"] and not can_see_privileged(request.user, case):
                raise ValidationError({"privileged": "Only attorneys on the case may add privileged documents."})
            upload = d["file"]
            result = ingest.add_file(case, upload, name=upload.name, kind=d["kind"], title=d["title"],
                                     user=request.user, privileged=d["privileged"], refuse=True)
            if result.document is None:
                raise ValidationError({"file": result.message})
            if not result.created:
                raise ValidationError({"file": result.message})
            return Response(ser(result.document).data, status=status.HTTP_201_CREATED)

        @extend_schema(
            parameters=[OpenApiParameter("q", str, required=True, description="Query: words, \"phrase\", prefix*, -word"),
                        OpenApiParameter("case", int), OpenApiParameter("kind", str),
                        OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
            responses=SearchHitSerializer(many=True), summary="Full-text search of document pages")
        @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
        def search(self, request, **kwargs):  # kwargs: the ".json" format suffix
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
                res = docsearch.search(q, cases=cases, privileged_cases=privileged_cases(request.user),
                                       kind=request.query_params.get("kind") or None,
                                       limit=size, offset=(page - 1) * size)
            except docsearch.QueryError as exc:
                raise ValidationError({"q": str(exc)}) from exc
            return Response({"count": res.total, "page": page, "page_size": size,
                             "results": [h.as_dict() for h in res.hits]})

    return DocumentViewSet


__all__ = ["register", "scope"]
