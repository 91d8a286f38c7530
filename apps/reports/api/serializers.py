"""Shapes of report snapshots over the API: a summary, the progress of a build and the (suppressed) report."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.reports.models import ReportSnapshot


class ReportFiltersSerializer(serializers.Serializer):
    district = serializers.CharField(allow_blank=True, help_text=_("Location code; empty: every district."))
    programme = serializers.CharField(allow_blank=True, help_text=_("Programme id; empty: every programme."))
    market = serializers.CharField(allow_blank=True, help_text=_("Market code; empty: every market."))


class ReportProgressSerializer(serializers.ModelSerializer):
    """Where a build stands."""

    filters = ReportFiltersSerializer(read_only=True)
    progress_message = serializers.CharField(source="progress_label", read_only=True)

    class Meta:
        model = ReportSnapshot
        fields = ["id", "period", "filters", "status", "progress", "progress_message", "created_at", "started_at",
                  "finished_at"]
        read_only_fields = fields


class ReportSnapshotSerializer(ReportProgressSerializer):
    """A snapshot with its report, suppressed for the caller (``selectors.report_for``)."""

    data = serializers.SerializerMethodField(help_text=_(
        "The report (layout in apps/reports/services/build.py); groups under 5 people read \"<5\". "
        "Empty until the build is done."))

    class Meta(ReportProgressSerializer.Meta):
        fields = [*ReportProgressSerializer.Meta.fields, "data"]
        read_only_fields = fields

    def get_data(self, snapshot) -> dict:
        return self.context["report_data"](snapshot)


class ReportRequestSerializer(serializers.Serializer):
    """Ask for a build of one period (a month or an ISO week) with optional filters."""

    period = serializers.CharField(max_length=8, help_text=_("2026-11 or 2026-W47."))
    district = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    programme = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    market = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
