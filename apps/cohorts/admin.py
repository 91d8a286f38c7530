"""Admin screens for training data: mostly read and corrected here; writes that credit skills go through services."""

from django.contrib import admin

from .models import (
    Cohort,
    Course,
    CourseCredit,
    CourseSkill,
    Enrollment,
    Placement,
    Programme,
    ProgrammePartner,
    PublicTrainingCentre,
    RosterImport,
)


class PartnerInline(admin.TabularInline):
    model = ProgrammePartner
    extra = 0
    autocomplete_fields = ["firm"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "name_en", "university", "government", "status", "starts_on", "ends_on"]
    list_filter = ["status"]
    search_fields = ["name_zh", "name_en", "university__name"]
    autocomplete_fields = ["university", "government"]
    inlines = [PartnerInline]


class CourseSkillInline(admin.TabularInline):
    model = CourseSkill
    extra = 0
    autocomplete_fields = ["skill"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title_zh", "title_en", "provider", "mode", "hours", "fee", "is_active"]
    list_filter = ["mode", "is_active"]
    search_fields = ["title_zh", "title_en", "provider__name"]
    autocomplete_fields = ["provider"]
    inlines = [CourseSkillInline]


@admin.register(PublicTrainingCentre)
class PublicTrainingCentreAdmin(admin.ModelAdmin):
    list_display = ["organisation", "note"]
    autocomplete_fields = ["organisation"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["__str__", "programme", "starts_on", "ends_on", "capacity", "is_cancelled"]
    list_filter = ["is_cancelled"]
    search_fields = ["name", "course__title_zh", "course__title_en"]
    raw_id_fields = ["course", "programme"]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    """Read-mostly: status changes belong on the roster page, where completion credits and undo run."""

    list_display = ["profile", "cohort", "status", "attendance", "grade", "completed_at"]
    list_filter = ["status"]
    raw_id_fields = ["cohort", "profile", "updated_by"]
    readonly_fields = ["status", "completed_at", "enrolled_at"]


@admin.register(CourseCredit)
class CourseCreditAdmin(admin.ModelAdmin):
    list_display = ["profile", "skill", "level", "raised", "credited_on", "revoked_at"]
    raw_id_fields = ["enrollment", "profile", "skill"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["profile", "firm", "started_on", "source"]
    list_filter = ["source"]
    raw_id_fields = ["profile", "firm", "vacancy", "recorded_by"]


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "cohort", "status", "rows_read", "rejected", "created_at"]
    list_filter = ["status"]
    exclude = ["source_text"]
    readonly_fields = [f.name for f in RosterImport._meta.fields if f.name != "source_text"]
