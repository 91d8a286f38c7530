"""Admin for the matcher's operational records: runs (with their shards), the current state and weight sets.

All read-only: runs and state are written by the matching services, and weights change only through a
versioned weight set the services activate, so a click in the admin never rewrites results half-way.
The stored match rows themselves (millions) are read through the pages, the API and ``export_matches``.
"""

from django.contrib import admin

from .models import MatchRun, MatchShard, MatchState, WeightSet


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MatchShardInline(admin.TabularInline):
    model = MatchShard
    fields = ["index", "status", "profiles", "vacancy_rows", "attempts", "timings", "finished_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MatchRun)
class MatchRunAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "status", "generation", "weights_version", "reason", "target_id", "profiles",
                    "vacancies", "candidate_rows", "vacancy_rows", "created_at", "duration"]
    list_filter = ["kind", "status", "weights_version"]
    search_fields = ["reason", "error"]
    date_hierarchy = "created_at"
    exclude = ["snapshot"]  # the vocabulary and idf of a full run: large, and not for reading here
    inlines = [MatchShardInline]
    show_full_result_count = False


@admin.register(MatchState)
class MatchStateAdmin(ReadOnlyAdmin):
    list_display = ["current_generation", "current_run", "computed_at"]
    exclude = ["idf"]


@admin.register(WeightSet)
class WeightSetAdmin(ReadOnlyAdmin):
    list_display = ["version", "is_active", "required", "optional", "similarity", "language", "preference",
                    "created_at", "activated_at"]
    list_filter = ["is_active"]
