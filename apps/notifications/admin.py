from django.contrib import admin

from .models import Notification, NotificationSettings


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "subject", "created_at", "read_at", "email_status"]
    list_filter = ["kind", "email_status"]
    search_fields = ["user__email", "subject", "event_key"]
    raw_id_fields = ["user"]


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "email_invitations", "email_stage_changes", "email_digest", "digest_min_score"]
    raw_id_fields = ["user"]
