from django.contrib import admin

from habeas.cases import models as m


class DocketInline(admin.TabularInline):
    model = m.DocketNumber
    extra = 0


class RoleInline(admin.TabularInline):
    model = m.Role
    extra = 0
    fields = ["person", "kind", "label"]


class MembershipInline(admin.TabularInline):
    model = m.CaseMembership
    extra = 0


@admin.register(m.Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["caption", "jurisdiction", "stage", "outcome", "opened_on"]
    list_filter = ["stage", "outcome"]
    search_fields = ["caption", "jurisdiction", "docket_numbers__number"]
    inlines = [MembershipInline, DocketInline, RoleInline]


class OffenseInline(admin.TabularInline):
    model = m.Offense
    extra = 0


@admin.register(m.Conviction)
class ConvictionAdmin(admin.ModelAdmin):
    list_display = ["case", "conviction_date", "death_sentence"]
    list_filter = ["death_sentence"]
    inlines = [OffenseInline]


class CustodyEventInline(admin.TabularInline):
    model = m.CustodyEvent
    extra = 0
    can_delete = False
    readonly_fields = ["sequence", "occurred", "occurred_text", "from_party", "to_party", "purpose",
                       "seal_condition", "description", "recorded_by", "recorded_at", "hash"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(m.EvidenceItem)
class EvidenceItemAdmin(admin.ModelAdmin):
    list_display = ["item_number", "case", "kind", "status", "current_custodian"]
    list_filter = ["status", "kind"]
    search_fields = ["item_number", "description"]
    inlines = [CustodyEventInline]


@admin.register(m.CustodyEvent)
class CustodyEventAdmin(admin.ModelAdmin):
    """Append-only: events can be added, never changed or deleted."""

    list_display = ["evidence_item", "sequence", "occurred", "purpose", "seal_condition", "recorded_at"]
    readonly_fields = ["sequence", "recorded_at", "previous_hash", "hash"]

    def has_change_permission(self, request, obj=None):
        return obj is None

    def has_delete_permission(self, request, obj=None):
        return False


class STRProfileInline(admin.TabularInline):
    model = m.STRProfile
    extra = 0


@admin.register(m.LabResult)
class LabResultAdmin(admin.ModelAdmin):
    list_display = ["request", "report_date", "finding"]
    inlines = [STRProfileInline]


@admin.register(m.LabRequest)
class LabRequestAdmin(admin.ModelAdmin):
    list_display = ["case", "test_kind", "laboratory", "ordered_by", "requested_on", "status"]
    list_filter = ["test_kind", "ordered_by", "status"]


for model in (m.Person, m.Role, m.Offense, m.CustodyRecord, m.Claim, m.ContributingFactor,
              m.STRProfile, m.Decision, m.TimelineEvent, m.Note, m.Task, m.DocketNumber):
    admin.site.register(model)
