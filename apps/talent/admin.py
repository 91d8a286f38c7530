"""Admin for student profiles with their skills and languages inline."""

from django.contrib import admin

from apps.matching.triggers import profile_changed

from .models import ProfileLanguage, ProfileSkill, StudentProfile


class ProfileSkillInline(admin.TabularInline):
    model = ProfileSkill
    extra = 0
    autocomplete_fields = ["skill"]
    fields = ["skill", "level", "source", "evidence"]


class ProfileLanguageInline(admin.TabularInline):
    model = ProfileLanguage
    extra = 0
    autocomplete_fields = ["language"]


@admin.register(StudentProfile)
class StudentProfileAdmin(admin.ModelAdmin):
    list_display = ["__str__", "school", "major", "graduation_year", "visibility", "matching_opt_in",
                    "contact_visible_to_firms", "updated_at"]
    list_filter = ["visibility", "matching_opt_in", "contact_visible_to_firms", "remote_ok", "graduation_year"]
    search_fields = ["user__email", "user__full_name", "school", "major", "external_id"]
    autocomplete_fields = ["user", "university"]
    list_select_related = ["user"]
    inlines = [ProfileSkillInline, ProfileLanguageInline]
    show_full_result_count = False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        profile_changed(form.instance.pk)  # admin edits re-match like service edits


@admin.register(ProfileSkill)
class ProfileSkillAdmin(admin.ModelAdmin):
    list_display = ["profile", "skill", "level", "source", "updated_at"]
    list_filter = ["source", "level"]
    search_fields = ["profile__user__email", "skill__code", "skill__label_en", "skill__label_zh"]
    autocomplete_fields = ["profile", "skill"]
    list_select_related = ["profile__user", "skill"]
    show_full_result_count = False


@admin.register(ProfileLanguage)
class ProfileLanguageAdmin(admin.ModelAdmin):
    list_display = ["profile", "language", "cefr", "source"]
    list_filter = ["source", "cefr"]
    search_fields = ["profile__user__email", "language__code", "language__label_en", "language__label_zh"]
    autocomplete_fields = ["profile", "language"]
    list_select_related = ["profile__user", "language"]
    show_full_result_count = False
