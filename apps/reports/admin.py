"""Admin for report snapshots (read-only: builds are written by the worker) and match-run reviews."""

from django.contrib import admin

from .models import MatchRunReview, ReportSnapshot


@admin.register(ReportSnapshot)
class ReportSnapshotAdmin(admin.ModelAdmin):
    list_display = ["id", "period", "filter_district", "filter_programme", "filter_market", "status", "progress",
                    "trigger", "created_at", "finished_at", "duration"]
    list_filter = ["status", "trigger", "period"]
    readonly_fields = ["period", "filter_district", "filter_programme", "filter_market", "status", "progress",
                       "progress_message", "timings", "error", "trigger", "created_by", "created_at", "started_at",
                       "finished_at"]
    # The raw data holds unsuppressed counts: it is not shown here; the report pages show the suppressed copy.
    exclude = ["data"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MatchRunReview)
class MatchRunReviewAdmin(admin.ModelAdmin):
    list_display = ["run", "status", "reviewed_by", "reviewed_at"]
    list_filter = ["status"]
    raw_id_fields = ["run", "reviewed_by"]
