"""Read-only admin for consent records and the audit trail: they are evidence, so nobody edits them here."""

from django.contrib import admin

from .models import AuditEvent, ConsentRecord


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(_ReadOnly):
    list_display = ["created_at", "actor", "actor_role", "action", "target_type", "target_id", "path", "ip"]
    list_filter = ["action", "actor_role", "created_at"]
    search_fields = ["actor__email", "target_id", "path"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(_ReadOnly):
    list_display = ["created_at", "user", "purpose", "scope", "granted", "policy_version", "source"]
    list_filter = ["purpose", "granted", "source", "policy_version"]
    search_fields = ["user__email"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
