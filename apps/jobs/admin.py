"""Admin for vacancies with their skill and language requirements inline."""

from django.contrib import admin

from apps.matching.triggers import vacancy_changed

from .models import Vacancy, VacancyLanguage, VacancySkill


class VacancySkillInline(admin.TabularInline):
    model = VacancySkill
    extra = 0
    autocomplete_fields = ["skill"]


class VacancyLanguageInline(admin.TabularInline):
    model = VacancyLanguage
    extra = 0
    autocomplete_fields = ["language"]


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ["title", "firm", "status", "job_type", "location", "deadline", "published_at"]
    list_filter = ["status", "job_type", "remote", "firm__status"]
    search_fields = ["title", "description", "firm__name", "external_id"]
    autocomplete_fields = ["firm", "created_by"]
    list_select_related = ["firm"]
    date_hierarchy = "created_at"
    readonly_fields = ["published_at", "created_at", "updated_at"]
    inlines = [VacancySkillInline, VacancyLanguageInline]
    show_full_result_count = False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        vacancy_changed(form.instance.pk)  # admin edits re-match like service edits

    def delete_model(self, request, obj):
        pk = obj.pk
        super().delete_model(request, obj)
        vacancy_changed(pk)


@admin.register(VacancySkill)
class VacancySkillAdmin(admin.ModelAdmin):
    list_display = ["vacancy", "skill", "min_level", "weight", "required"]
    list_filter = ["required", "min_level"]
    search_fields = ["vacancy__title", "skill__code", "skill__label_en", "skill__label_zh"]
    autocomplete_fields = ["vacancy", "skill"]
    list_select_related = ["vacancy", "skill"]
    show_full_result_count = False


@admin.register(VacancyLanguage)
class VacancyLanguageAdmin(admin.ModelAdmin):
    list_display = ["vacancy", "language", "min_cefr"]
    list_filter = ["min_cefr"]
    search_fields = ["vacancy__title", "language__code", "language__label_en", "language__label_zh"]
    autocomplete_fields = ["vacancy", "language"]
    list_select_related = ["vacancy", "language"]
