from django.contrib import admin

from habeas.deadlines.models import CalendarToken, Deadline, Filing, FilingDocument


class FilingDocumentInline(admin.TabularInline):
    model = FilingDocument
    extra = 0


@admin.register(Filing)
class FilingAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "title", "court_or_office", "filed_on", "status", "decided_on", "outcome", "tolls_aedpa"]
    list_filter = ["kind", "status", "outcome", "tolls_aedpa"]
    inlines = [FilingDocumentInline]


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["title", "case", "due_on", "source", "rule_id", "status", "assignee"]
    list_filter = ["source", "status", "rule_id"]
    readonly_fields = ["uid", "explanation", "inputs", "rule_id", "rule_version"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    readonly_fields = ["token"]
