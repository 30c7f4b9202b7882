"""Viewsets of the API. Each is scoped to the cases the user may see (:mod:`habeas.api.access`)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch, ProtectedError, RestrictedError
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as df
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response

from habeas.api import serializers as s
from habeas.api.access import scope
from habeas.cases.models import (
    Case, CaseMembership, Conviction, CustodyEvent, Decision, EvidenceItem, LabRequest, LabResult, Offense, Role,
    STRProfile, TimelineEvent,
)


class CaseScoped:
    """Mixin: ``queryset`` restricted by :func:`habeas.api.access.scope` along ``case_path``."""

    case_path = "case"

    def get_queryset(self):
        return scope(super().get_queryset(), self.request.user, self.case_path)

    def perform_destroy(self, instance):
        """Delete, or 409 Conflict naming what still refers to the record (e.g. an evidence item
        with custody events: the chain of custody is append-only and protects its item)."""
        try:
            instance.delete()
        except (ProtectedError, RestrictedError) as exc:
            refs = sorted({f"{type(o)._meta.verbose_name} #{o.pk}" for o in list(exc.args[1])[:20]})
            raise Conflict(f"Cannot delete: still referred to by {', '.join(refs)}.") from exc


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The record is still referred to."
    default_code = "conflict"


# --- cases ----------------------------------------------------------------------------------------

class CaseFilter(df.FilterSet):
    death_sentence = df.BooleanFilter(method="filter_death", label="A death sentence was imposed")
    opened_after = df.DateFilter(field_name="opened_on", lookup_expr="gte")
    opened_before = df.DateFilter(field_name="opened_on", lookup_expr="lte")

    class Meta:
        model = Case
        fields = {"stage": ["exact", "in"], "outcome": ["exact"], "jurisdiction": ["exact", "icontains"]}

    def filter_death(self, qs, name, value):
        if value is None:
            return qs
        death = Conviction.objects.filter(death_sentence=True).values("case_id")
        return qs.filter(pk__in=death) if value else qs.exclude(pk__in=death)


class CaseViewSet(CaseScoped, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Cases you are on the team of (staff: every case). Created cases put their creator on the team.
    Cases are not deleted through the API (closing a case is a stage and an outcome)."""

    case_path = "pk"
    queryset = Case.objects.all()
    filterset_class = CaseFilter
    search_fields = ["caption", "summary", "docket_numbers__number"]
    ordering_fields = ["caption", "opened_on", "updated_at", "stage"]
    ordering = ["caption"]

    def get_serializer_class(self):
        return s.CaseListSerializer if self.action == "list" else s.CaseSerializer

    def get_queryset(self):
        qs = super().get_queryset().prefetch_related("convictions")
        if self.action != "list":
            qs = qs.prefetch_related("docket_numbers", Prefetch(
                "memberships", queryset=CaseMembership.objects.select_related("user")))
        return qs

    @transaction.atomic
    def perform_create(self, serializer):
        case = serializer.save()
        CaseMembership.objects.create(case=case, user=self.request.user)

    @extend_schema(responses=s.TimelineEntrySerializer(many=True),
                   summary="The case's timeline: timeline events and decisions in date order")
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def timeline(self, request, pk=None, **kwargs):  # kwargs: the ".json" format suffix
        case = self.get_object()
        entries = [
            {"type": "event", "id": e.pk, "date": e.date, "date_precision": e.date_precision,
             "display_date": e.partial("date"), "what": e.what, "source": e.source}
            for e in TimelineEvent.objects.filter(case=case)
        ] + [
            {"type": "decision", "id": d.pk, "date": d.decided, "date_precision": d.decided_precision,
             "display_date": d.partial("decided"),
             "what": " — ".join(x for x in (d.body, d.kind, d.outcome) if x), "source": d.source}
            for d in Decision.objects.filter(case=case)
        ]
        entries.sort(key=lambda x: (x["date"] is None, x["date"] or 0, x["type"], x["id"]))
        return Response(s.TimelineEntrySerializer(entries, many=True).data)


# --- people, convictions --------------------------------------------------------------------------

class RoleViewSet(CaseScoped, viewsets.ModelViewSet):
    """People by their role on a case. Private persons appear under their role label only."""

    queryset = Role.objects.select_related("person")
    serializer_class = s.RoleSerializer
    filterset_fields = ["case", "kind"]
    search_fields = ["label", "description"]


class ConvictionViewSet(CaseScoped, viewsets.ModelViewSet):
    queryset = Conviction.objects.select_related("defendant__person").prefetch_related(
        Prefetch("offenses", queryset=Offense.objects.order_by("pk")))
    serializer_class = s.ConvictionSerializer
    filterset_fields = ["case", "death_sentence"]


# --- evidence and custody -------------------------------------------------------------------------

class EvidenceItemViewSet(CaseScoped, viewsets.ModelViewSet):
    queryset = EvidenceItem.objects.all()
    serializer_class = s.EvidenceItemSerializer
    filterset_fields = ["case", "kind", "status"]
    search_fields = ["item_number", "description"]
    ordering_fields = ["item_number", "collected_on"]


class CustodyEventFilter(df.FilterSet):
    case = df.NumberFilter(field_name="evidence_item__case")

    class Meta:
        model = CustodyEvent
        fields = ["evidence_item", "case", "seal_condition"]


class CustodyEventViewSet(CaseScoped, mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    """The chain of custody. Append-only: events are created and read, never updated or deleted
    (PUT, PATCH and DELETE answer 405). The server sets ``sequence`` and the hash chain."""

    case_path = "evidence_item__case"
    queryset = CustodyEvent.objects.select_related("recorded_by")
    serializer_class = s.CustodyEventSerializer
    filterset_class = CustodyEventFilter

    def perform_create(self, serializer):
        item = serializer.validated_data["evidence_item"]
        with transaction.atomic():
            # One writer per item at a time, so two appends cannot take the same sequence number.
            EvidenceItem.objects.select_for_update().filter(pk=item.pk).first()
            serializer.save(recorded_by=self.request.user)


# --- lab work and DNA -----------------------------------------------------------------------------

class LabRequestViewSet(CaseScoped, viewsets.ModelViewSet):
    queryset = LabRequest.objects.prefetch_related("items", "results")
    serializer_class = s.LabRequestSerializer
    filterset_fields = ["case", "status", "test_kind", "ordered_by"]


class LabResultViewSet(CaseScoped, viewsets.ModelViewSet):
    case_path = "request__case"
    queryset = LabResult.objects.prefetch_related("profiles")
    serializer_class = s.LabResultSerializer
    filterset_fields = ["request", "finding"]


class STRProfileFilter(df.FilterSet):
    case = df.NumberFilter(field_name="lab_result__request__case")

    class Meta:
        model = STRProfile
        fields = ["lab_result", "kind", "evidence_item", "person_role", "is_mixture", "case"]


class STRProfileViewSet(CaseScoped, viewsets.ModelViewSet):
    """STR profiles reported in lab results. ``compare`` compares an evidence profile with a
    reference profile (single-source, NRC II 4.10 with θ, NIST 1036 populations)."""

    case_path = "lab_result__request__case"
    queryset = STRProfile.objects.select_related("person_role__person").order_by("pk")
    serializer_class = s.STRProfileSerializer
    filterset_class = STRProfileFilter

    @extend_schema(request=s.CompareRequestSerializer,
                   responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description=(
                       "habeas.dna.match.MultiPopulationResult.to_dict(): per population the per-locus "
                       "results, combined log10 RMP and log10 LR; the most conservative population."))},
                   summary="Compare this evidence profile with a reference profile")
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def compare(self, request, pk=None, **kwargs):
        from habeas.dna import Profile
        from habeas.dna.errors import DNAError
        from habeas.dna.match import compare
        from habeas.dna.tables import load_population_set

        evidence = self.get_object()
        params = s.CompareRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        if evidence.kind != STRProfile.Kind.EVIDENCE:
            raise ValidationError({"detail": "Compare is an action on an evidence profile."})
        if evidence.is_mixture:
            raise ValidationError({"detail": "This is a mixture: a single-source comparison does not apply."})
        reference = get_object_or_404(self.get_queryset(), pk=params.validated_data["reference"])
        if reference.kind != STRProfile.Kind.REFERENCE:
            raise ValidationError({"reference": "Not a reference profile."})
        try:
            result = compare(Profile.from_mapping(evidence.sample_name, evidence.loci, evidence.heights or None),
                             Profile.from_mapping(reference.sample_name, reference.loci, reference.heights or None),
                             load_population_set("NIST1036"), theta=params.validated_data["theta"])
        except DNAError as exc:
            raise ValidationError({"detail": str(exc)}) from exc
        out = result.to_dict()
        out["evidence_profile"], out["reference_profile"] = evidence.pk, reference.pk
        out["population_set"] = "NIST1036"
        return Response(out)


class TimelineEventViewSet(CaseScoped, viewsets.ModelViewSet):
    queryset = TimelineEvent.objects.all()
    serializer_class = s.TimelineEventSerializer
    filterset_fields = ["case", "evidence_item"]


class DecisionViewSet(CaseScoped, viewsets.ReadOnlyModelViewSet):
    queryset = Decision.objects.all()
    serializer_class = s.DecisionSerializer
    filterset_fields = ["case"]

