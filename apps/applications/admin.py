from django.contrib import admin

from .models import Application, ApplicationEvent, ContactConsent


class EventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    readonly_fields = ["actor", "actor_role", "from_stage", "to_stage", "reason", "created_at"]
    can_delete = False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-mostly: stage changes go through the pipeline pages so every change is recorded."""

    list_display = ["pk", "profile", "vacancy", "source", "stage", "match_score", "created_at"]
    list_filter = ["stage", "source"]
    search_fields = ["profile__user__email", "vacancy__title"]
    raw_id_fields = ["profile", "vacancy", "created_by"]
    readonly_fields = ["stage", "furthest", "stage_changed_at", "reviewed_at", "hired_at"]
    inlines = [EventInline]


@admin.register(ContactConsent)
class ContactConsentAdmin(admin.ModelAdmin):
    list_display = ["profile", "firm", "purpose", "granted_at", "withdrawn_at"]
    raw_id_fields = ["profile", "firm", "application"]
