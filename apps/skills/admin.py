"""Admin for the taxonomy: skills with their aliases inline, categories, markets, locations, exams."""

from django.contrib import admin

from apps.core.text import normalize

from .models import LanguageExam, Location, Market, Skill, SkillAlias, SkillCategory, TaxonomyVersion


class SkillAliasInline(admin.TabularInline):
    model = SkillAlias
    extra = 1
    fields = ["alias", "language", "kind", "normalized"]
    readonly_fields = ["normalized"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["code", "label_zh", "label_en", "category", "is_language", "source", "is_active"]
    list_filter = ["category", "source", "is_language", "is_active"]
    search_fields = ["code", "label_en", "label_zh", "aliases__normalized"]
    list_select_related = ["category"]
    inlines = [SkillAliasInline]
    show_full_result_count = False

    def save_formset(self, request, form, formset, change):
        # The resolver matches on ``normalized``: keep it in step with what the admin typed.
        for alias in formset.save(commit=False):
            alias.normalized = normalize(alias.alias)[:255]
            alias.save()
        for alias in formset.deleted_objects:
            alias.delete()


@admin.register(SkillCategory)
class SkillCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "label_zh", "label_en", "order"]
    search_fields = ["code", "label_en", "label_zh"]
    ordering = ["order", "code"]


@admin.register(SkillAlias)
class SkillAliasAdmin(admin.ModelAdmin):
    list_display = ["alias", "skill", "language", "kind"]
    list_filter = ["language", "kind"]
    search_fields = ["alias", "normalized", "skill__code"]
    autocomplete_fields = ["skill"]
    readonly_fields = ["normalized"]
    list_select_related = ["skill"]

    def save_model(self, request, obj, form, change):
        obj.normalized = normalize(obj.alias)[:255]
        super().save_model(request, obj, form, change)


@admin.register(Market, Location)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["code", "label_zh", "label_en", "order"]
    search_fields = ["code", "label_en", "label_zh"]


@admin.register(LanguageExam)
class LanguageExamAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "language", "cefr"]
    list_filter = ["cefr"]
    search_fields = ["code", "label"]
    autocomplete_fields = ["language"]


@admin.register(TaxonomyVersion)
class TaxonomyVersionAdmin(admin.ModelAdmin):
    list_display = ["version", "loaded_at"]
