from django.contrib import admin

from habeas.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only."""
    list_display = ("sequence", "timestamp", "username", "action", "operation", "object_type", "object_id",
                    "case_id", "ip", "status")
    list_filter = ("action", "operation")
    search_fields = ("username", "path", "object_type", "object_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
