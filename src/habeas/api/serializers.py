"""Serializers of the API.

Privacy: a person is exposed through their role on a case. ``display_name`` is the name for
the client and public officials and the role label for everyone else; ``name`` is returned
only for public persons (it is blank for private persons in the database as well).
"""

from __future__ import annotations

import math

from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from habeas.api.access import scope
from habeas.cases.models import (
    Case, CaseMembership, Conviction, CustodyEvent, Decision, EvidenceItem, LabRequest, LabResult,
    Offense, Person, Role, STRProfile, TimelineEvent, may_be_named,
)


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key that accepts only rows on cases the requesting user may see."""

    def __init__(self, *, case_path: str, **kwargs):
        self.case_path = case_path
        super().__init__(**kwargs)

    def get_queryset(self):
        qs = super().get_queryset()
        request = self.context.get("request")
        if request is None:
            return qs.none()
        return scope(qs, request.user, self.case_path)


def case_field(**kw):
    return VisibleRelatedField(case_path="pk", queryset=Case.objects.all(), **kw)


class RecordRulesMixin:
    """Rules shared by the record serializers.

    ``fixed_parents``: foreign keys to the owning record (``case``, ``evidence_item``, …) that are
    set on creation and never changed after: an update that changes one answers 400 (moving a
    row to another case would strand what hangs off it).
    ``past_dates``: dates of what has happened; a date after today is refused, as on the web
    forms (a partial date is stored as the first day of its period, so ``2099`` is refused too).
    """

    fixed_parents: tuple[str, ...] = ()
    past_dates: tuple[str, ...] = ()

    def to_internal_value(self, data):
        attrs = super().to_internal_value(data)
        errors = {}
        if self.instance is not None:
            for name in self.fixed_parents:
                if name in attrs:
                    new = attrs[name].pk if attrs[name] is not None else None
                    if new != getattr(self.instance, f"{name}_id"):
                        errors[name] = [f"{name} cannot be changed after creation: "
                                        f"create the record anew under the other {name.replace('_', ' ')}."]
        today = timezone.localdate()
        for name in self.past_dates:
            value = attrs.get(name)
            if value is not None and value > today:
                errors[name] = [f"{value.isoformat()} is in the future: the record holds what has happened "
                                "(deadlines go under Deadlines)."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


# --- cases ----------------------------------------------------------------------------------------

class CaseListSerializer(serializers.ModelSerializer):
    death_sentence = serializers.SerializerMethodField(help_text="A sentence of death was imposed in a conviction.")

    class Meta:
        model = Case
        fields = ["id", "caption", "jurisdiction", "court", "stage", "outcome", "death_sentence",
                  "opened_on", "closed_on", "updated_at"]

    @extend_schema_field(serializers.BooleanField())
    def get_death_sentence(self, obj) -> bool:
        return obj.death_sentence  # uses the prefetched convictions


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = CaseMembership
        fields = ["user", "username", "role"]


class CaseSerializer(RecordRulesMixin, CaseListSerializer):
    past_dates = ("opened_on", "closed_on")

    team = MembershipSerializer(source="memberships", many=True, read_only=True)
    docket_numbers = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = CaseListSerializer.Meta.fields + [
            "summary", "crime_location", "investigating_agency", "prosecuting_office", "current_status",
            "docket_numbers", "team", "record_gaps", "field_sources", "external_id", "created_at"]
        read_only_fields = ["created_at", "updated_at"]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_docket_numbers(self, obj) -> list[dict]:
        return [{"court": d.court, "number": d.number} for d in obj.docket_numbers.all()]

    def validate(self, attrs):
        opened, closed = attrs.get("opened_on", getattr(self.instance, "opened_on", None)), \
            attrs.get("closed_on", getattr(self.instance, "closed_on", None))
        if opened and closed and closed < opened:
            raise serializers.ValidationError({"closed_on": "A case cannot close before it opens."})
        return attrs


# --- people and roles -----------------------------------------------------------------------------

class RoleSerializer(RecordRulesMixin, serializers.ModelSerializer):
    """A person in their role on a case (the API's "people")."""

    fixed_parents = ("case",)

    case = case_field()
    display_name = serializers.CharField(read_only=True,
                                         help_text="Name for public persons, the role label for everyone else.")
    is_public = serializers.BooleanField(source="person.is_public", default=False,
                                         help_text="Named in the record as the client or a public official.")
    name = serializers.CharField(source="person.name", required=False, allow_blank=True, default="",
                                 help_text="Only for public persons; always blank for private persons.")
    person = serializers.IntegerField(source="person_id", read_only=True)

    class Meta:
        model = Role
        fields = ["id", "case", "person", "kind", "label", "display_name", "is_public", "name",
                  "description", "facts"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not instance.person.is_public:
            data["name"] = ""  # never expose a private person's name
        return data

    def validate(self, attrs):
        person = attrs.get("person", {})
        current = getattr(self.instance, "person", None)
        is_public = person.get("is_public", getattr(current, "is_public", False))
        name = person.get("name", getattr(current, "name", ""))
        if person.get("name") and not is_public:
            raise serializers.ValidationError(
                {"name": "Private persons are not named: leave the name blank and describe them in the label."})
        kind = attrs.get("kind", getattr(self.instance, "kind", None))
        touched = "kind" in attrs or "is_public" in person or "name" in person
        if touched and (is_public or name) and not may_be_named(kind):
            field = "is_public" if "is_public" in person and person["is_public"] else (
                "name" if person.get("name") else "kind")
            raise serializers.ValidationError({field: (
                f"A person in the role {kind!r} may not be public or named: only the client, public officials, "
                "attorneys and experts are named; everyone else is described by the label.")})
        return attrs

    @transaction.atomic
    def create(self, validated):
        p = validated.pop("person", {})
        person = Person.objects.create(name=p.get("name", ""), is_public=p.get("is_public", False))
        return Role.objects.create(person=person, **validated)

    @transaction.atomic
    def update(self, instance, validated):
        p = validated.pop("person", None)
        if p:
            for k, v in p.items():
                setattr(instance.person, k, v)
            if not instance.person.is_public:
                instance.person.name = ""
            instance.person.save()
        return super().update(instance, validated)


# --- convictions ----------------------------------------------------------------------------------

class OffenseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Offense
        fields = ["id", "description", "statute", "counts", "source", "confidence"]


class ConvictionSerializer(RecordRulesMixin, serializers.ModelSerializer):
    fixed_parents = ("case",)
    case = case_field()
    defendant = VisibleRelatedField(case_path="case", queryset=Role.objects.all(), allow_null=True, required=False)
    defendant_name = serializers.CharField(source="defendant.display_name", read_only=True, default="")
    offenses = OffenseSerializer(many=True, read_only=True)

    class Meta:
        model = Conviction
        fields = ["id", "case", "defendant", "defendant_name", "court",
                  "offense_date", "offense_date_precision", "offense_date_text",
                  "conviction_date", "conviction_date_precision", "conviction_date_text",
                  "verdict", "sentence", "death_sentence",
                  "sentencing_date", "sentencing_date_precision", "sentencing_date_text",
                  "sentence_source", "offenses", "source", "confidence"]

    def validate(self, attrs):
        d, c = attrs.get("defendant"), attrs.get("case", getattr(self.instance, "case", None))
        if d is not None and c is not None and d.case_id != c.pk:
            raise serializers.ValidationError({"defendant": "The defendant must be a role on the same case."})
        return attrs


# --- evidence and custody -------------------------------------------------------------------------

class EvidenceItemSerializer(RecordRulesMixin, serializers.ModelSerializer):
    fixed_parents = ("case",)
    past_dates = ("collected_on",)
    case = case_field()

    class Meta:
        model = EvidenceItem
        fields = ["id", "case", "item_number", "description", "kind",
                  "collected_on", "collected_on_precision", "collected_on_text", "collected_at", "collected_by",
                  "collection_source", "collection_confidence", "current_custodian", "current_location",
                  "status", "testing_summary", "external_id", "source", "confidence"]
        validators = []  # (case, item_number) is checked below with a readable message

    def validate(self, attrs):
        case = attrs.get("case", getattr(self.instance, "case", None))
        number = attrs.get("item_number", getattr(self.instance, "item_number", None))
        qs = EvidenceItem.objects.filter(case=case, item_number=number)
        if self.instance is not None:
            qs = qs.exclude(pk=self.instance.pk)
        if case is not None and qs.exists():
            raise serializers.ValidationError({"item_number": f"Item {number} already exists on this case."})
        return attrs


class CustodyEventSerializer(RecordRulesMixin, serializers.ModelSerializer):
    """One link of the chain of custody. Append-only: created, never changed or deleted.
    ``sequence``, ``previous_hash`` and ``hash`` are computed by the server."""

    fixed_parents = ("evidence_item",)
    past_dates = ("occurred",)

    evidence_item = VisibleRelatedField(case_path="case", queryset=EvidenceItem.objects.all())
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True, default=None)

    class Meta:
        model = CustodyEvent
        fields = ["id", "evidence_item", "sequence", "occurred", "occurred_precision", "occurred_text",
                  "from_party", "to_party", "purpose", "seal_condition", "description", "source", "confidence",
                  "recorded_by", "recorded_at", "previous_hash", "hash"]
        read_only_fields = ["sequence", "recorded_at", "previous_hash", "hash"]


# --- lab work -------------------------------------------------------------------------------------

class STRProfileSerializer(RecordRulesMixin, serializers.ModelSerializer):
    fixed_parents = ("lab_result",)
    lab_result = VisibleRelatedField(case_path="request__case", queryset=LabResult.objects.all())
    evidence_item = VisibleRelatedField(case_path="case", queryset=EvidenceItem.objects.all(),
                                        allow_null=True, required=False)
    person_role = VisibleRelatedField(case_path="case", queryset=Role.objects.all(), allow_null=True, required=False)
    person_display_name = serializers.CharField(source="person_role.display_name", read_only=True, default=None)

    class Meta:
        model = STRProfile
        fields = ["id", "lab_result", "kind", "sample_name", "evidence_item", "person_role", "person_display_name",
                  "loci", "heights", "source_format", "is_mixture", "created_at"]
        read_only_fields = ["created_at"]

    def validate(self, attrs):
        from habeas.dna import Profile
        from habeas.dna.errors import DNAError

        loci = attrs.get("loci", getattr(self.instance, "loci", None))
        if not isinstance(loci, dict) or not all(isinstance(v, list) for v in loci.values()):
            raise serializers.ValidationError({"loci": "Expected {locus: [allele, …]}."})
        if not loci:
            raise serializers.ValidationError({"loci": "A profile needs at least one typed locus."})
        for locus, alleles in loci.items():
            if not alleles:
                raise serializers.ValidationError({"loci": f"{locus}: no alleles (leave an untyped locus out)."})
        heights = attrs.get("heights", getattr(self.instance, "heights", None)) or {}
        if not isinstance(heights, dict):
            raise serializers.ValidationError({"heights": "Expected {locus: [RFU, …]} aligned with the alleles."})
        for locus, hs in heights.items():
            if locus not in loci:
                raise serializers.ValidationError({"heights": f"{locus}: heights for a locus with no alleles."})
            if not isinstance(hs, list) or len(hs) != len(loci[locus]):
                raise serializers.ValidationError(
                    {"heights": f"{locus}: {len(loci[locus])} alleles need {len(loci[locus])} heights."})
            if not all(isinstance(h, (int, float)) and not isinstance(h, bool) and math.isfinite(h) and h >= 0
                       for h in hs):
                raise serializers.ValidationError({"heights": f"{locus}: heights are numbers (RFU) ≥ 0."})
        try:
            profile = Profile.from_mapping(attrs.get("sample_name", getattr(self.instance, "sample_name", "profile")),
                                           loci, heights or None)
        except (DNAError, ValueError, TypeError) as exc:
            raise serializers.ValidationError({"loci": str(exc)}) from exc
        is_mixture = attrs.get("is_mixture", getattr(self.instance, "is_mixture", False))
        if not is_mixture:
            for locus, alleles in profile.loci.items():
                if len(alleles) > 2:
                    raise serializers.ValidationError({"loci": (
                        f"{locus}: {len(alleles)} alleles in a profile not marked as a mixture "
                        "(set is_mixture, or correct the calls).")})
        attrs["loci"] = {locus: list(alleles) for locus, alleles in profile.loci.items()}
        attrs["heights"] = {locus: list(hs) for locus, hs in profile.heights.items()}
        return attrs


class LabResultSerializer(RecordRulesMixin, serializers.ModelSerializer):
    fixed_parents = ("request",)
    past_dates = ("report_date",)
    request = VisibleRelatedField(case_path="case", queryset=LabRequest.objects.all())
    profiles = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = LabResult
        fields = ["id", "request", "report_date", "report_date_precision", "report_date_text",
                  "finding", "conclusion", "report_file", "profiles", "source", "confidence"]
        read_only_fields = ["report_file"]


class LabRequestSerializer(RecordRulesMixin, serializers.ModelSerializer):
    fixed_parents = ("case",)
    past_dates = ("requested_on",)
    case = case_field()
    items = VisibleRelatedField(case_path="case", queryset=EvidenceItem.objects.all(), many=True, required=False)
    results = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = LabRequest
        fields = ["id", "case", "reference", "items", "laboratory", "test_kind", "method", "ordered_by",
                  "ordered_by_detail", "requested_on", "requested_on_precision", "requested_on_text",
                  "status", "results", "source", "confidence"]

    def validate(self, attrs):
        case = attrs.get("case", getattr(self.instance, "case", None))
        for item in attrs.get("items", []):
            if case is not None and item.case_id != case.pk:
                raise serializers.ValidationError({"items": f"Item {item.item_number} is not on this case."})
        return attrs


class CompareRequestSerializer(serializers.Serializer):
    reference = serializers.IntegerField(help_text="Id of a reference STR profile on a case you may see.")
    theta = serializers.FloatField(default=0.01, min_value=0.0, max_value=0.99,
                                   help_text="Co-ancestry coefficient θ (F_ST); 0.01 by default.")


# --- timeline -------------------------------------------------------------------------------------

class TimelineEventSerializer(RecordRulesMixin, serializers.ModelSerializer):
    fixed_parents = ("case",)
    case = case_field()
    evidence_item = VisibleRelatedField(case_path="case", queryset=EvidenceItem.objects.all(),
                                        allow_null=True, required=False)
    display_date = serializers.SerializerMethodField()

    class Meta:
        model = TimelineEvent
        fields = ["id", "case", "date", "date_precision", "date_text", "display_date", "what", "evidence_item",
                  "source", "confidence"]

    def get_display_date(self, obj) -> str:
        return obj.partial("date")


class DecisionSerializer(serializers.ModelSerializer):
    display_date = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = ["id", "case", "decided", "decided_precision", "decided_text", "display_date", "body", "kind",
                  "outcome", "citation", "source", "confidence"]

    def get_display_date(self, obj) -> str:
        return obj.partial("decided")


class TimelineEntrySerializer(serializers.Serializer):
    """One entry of a case's merged timeline (timeline events and decisions, by date)."""

    type = serializers.ChoiceField(choices=["event", "decision"])
    id = serializers.IntegerField()
    date = serializers.DateField(allow_null=True)
    date_precision = serializers.CharField()
    display_date = serializers.CharField()
    what = serializers.CharField()
    source = serializers.CharField(allow_blank=True)
