"""Government reports over the API: list and read snapshots (suppressed), request a build (202), follow its
progress and download a section as CSV or XLSX. Only government users and platform admins may call them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from apps.core.api import VALIDATION_ERROR_SCHEMA, ErrorSerializer, ScopedQuerysetMixin
from apps.reports import exports, selectors
from apps.reports.models import ReportSnapshot, SnapshotStatus, can_view_reports
from apps.reports.services.requests import BuildAlreadyRunning, report_request

from .serializers import ReportProgressSerializer, ReportRequestSerializer, ReportSnapshotSerializer


class CanViewReports(permissions.BasePermission):
    """City-wide reports are for government users and platform admins."""

    message = gettext_lazy("Only government users and platform admins see reports.")

    def has_permission(self, request, view):
        return can_view_reports(request.user)


@extend_schema_view(
    list=extend_schema(summary="Report snapshots", description="Newest first; reports for government and admins."),
    retrieve=extend_schema(summary="One report", description="The report with every group under 5 people "
                                                              "suppressed; `data` is empty until the build is done."),
)
class ReportSnapshotViewSet(ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            viewsets.GenericViewSet):
    queryset = ReportSnapshot.objects.order_by("-created_at", "-pk")
    permission_classes = [permissions.IsAuthenticated, CanViewReports]
    serializer_class = ReportSnapshotSerializer
    filter_backends = []

    def get_serializer_class(self):
        if self.action == "list" or self.action == "progress":
            return ReportProgressSerializer
        if self.action == "create":
            return ReportRequestSerializer
        return ReportSnapshotSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user

        def report_data(snapshot):
            return selectors.report_for(user, snapshot) if snapshot.status == SnapshotStatus.DONE else {}

        context["report_data"] = report_data
        return context

    @extend_schema(
        summary="Request a report build",
        request=ReportRequestSerializer,
        responses={202: ReportProgressSerializer, 409: OpenApiResponse(ErrorSerializer,
                                                                       description="A build of the same period "
                                                                                   "and filters is running.")},
    )
    def create(self, request, *args, **kwargs):
        """Queue a build (the worker runs it); poll ``progress`` until ``status`` is done or failed."""
        serializer = ReportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        try:
            snapshot = report_request(period=values["period"], filters=values, user=request.user)
        except BuildAlreadyRunning as exc:
            return Response({"detail": exc.messages[0], "id": exc.snapshot.pk}, status=status.HTTP_409_CONFLICT)
        snapshot.refresh_from_db()
        return Response(ReportProgressSerializer(snapshot).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(summary="Build progress", responses={200: ReportProgressSerializer})
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        return Response(ReportProgressSerializer(self.get_object()).data)

    @extend_schema(
        summary="Download a report section",
        parameters=[
            OpenApiParameter("section", str, enum=[*exports.SECTIONS, "all"], default="skills",
                             description="Which part of the report; `all` (XLSX only): one sheet per section."),
            OpenApiParameter("file", str, enum=list(exports.FORMATS), default="csv", description="csv or xlsx"),
        ],
        responses={(200, "text/csv"): OpenApiTypes.BINARY,
                   (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
                   400: OpenApiResponse(VALIDATION_ERROR_SCHEMA, description="The report is not built yet, or the "
                                                                             "section cannot be had in this format.")},
    )
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        snapshot = self.get_object()
        try:
            return exports.export_response(snapshot, request.query_params.get("section", "skills"),
                                           request.query_params.get("file", "csv"), request.user)
        except DjangoPermissionDenied:
            raise NotFound from None
