"""Enrollments and placements (rows about people, scoped by ``for_user``), recommendations and insights."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, permissions, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apps.accounts.models import OrganisationKind
from apps.core.api import ErrorSerializer, ScopedQuerysetMixin
from apps.core.permissions import IsEditableByUser, IsStudent
from apps.jobs.models import Vacancy
from apps.privacy import audit
from apps.talent import services as talent_services

from ... import selectors, services
from ...models import Cohort, Placement
from .. import serializers
from .common import IsUniversityStaff, cohort_full, enrollments, organisation_of

# --- Enrollments ------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Enrollments", description="Students: their own. Staff: their cohorts' rosters. "
                                                          "Partner firms: their programmes' graduates who share "
                                                          "their contact details with firms."),
    retrieve=extend_schema(summary="One enrollment"),
    create=extend_schema(summary="Put a student on a roster (staff)"),
    partial_update=extend_schema(summary="Change status, attendance or grade (staff)"),
)
class EnrollmentViewSet(ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    queryset = enrollments()
    serializer_class = serializers.EnrollmentSerializer
    permission_classes = [permissions.IsAuthenticated, IsEditableByUser]
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["cohort", "status"]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["contact_shown"] = self.__dict__.setdefault("_contact_shown", {})  # filled by get_email
        return context

    def finalize_response(self, request, response, *args, **kwargs):
        """Record, in one go, whose email this answer showed (a firm reading its partner programmes' graduates,
        an admin...), as the cohort pages do; a refused or failed answer showed nobody's."""
        shown = self.__dict__.pop("_contact_shown", None)
        if shown and response.status_code < 400:
            audit.contact_viewed(request.user, shown.values())
        return super().finalize_response(request, response, *args, **kwargs)

    def perform_create(self, serializer):
        data = serializer.validated_data
        cohort = data["cohort"]
        if not Cohort.objects.for_user(self.request.user).filter(pk=cohort.pk).exists():
            raise ValidationError({"cohort": [_("There is no cohort with this id.")]})
        profile = selectors.find_student(self.request.user, data.get("student", ""))
        if profile is None:
            raise ValidationError({"student": [_("No student or trainee has this email or external id.")]})
        enrollment = services.enrollment_add(cohort=cohort, profile=profile, user=self.request.user,
                                             status=data.get("status") or "enrolled")
        self._apply(enrollment, data, status_done=True)
        serializer.instance = self.get_queryset().get(pk=enrollment.pk)

    def perform_update(self, serializer):
        enrollment = self._apply(serializer.instance, serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=enrollment.pk)

    def _apply(self, enrollment, data, *, status_done=False):
        kwargs = {}
        if "attendance" in data:
            kwargs["attendance"] = data["attendance"]
        if "grade" in data:
            kwargs["grade"] = data["grade"]
        if "status" in data and not status_done:
            kwargs["status"] = data["status"]
        if "completed_on" in data:
            kwargs["completed_on"] = data["completed_on"]
        if not kwargs:
            return enrollment
        return services.enrollment_update(enrollment=enrollment, user=self.request.user, **kwargs)

    def create(self, request, *args, **kwargs):
        try:
            return super().create(request, *args, **kwargs)
        except services.CohortFull as full:
            return cohort_full(full)

    def update(self, request, *args, **kwargs):
        try:
            return super().update(request, *args, **kwargs)
        except services.CohortFull as full:
            return cohort_full(full)


# --- Placements -------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Placements", description="Students: their own. Universities: their students' and "
                                                         "their cohorts' people. Firms: their hires."),
    retrieve=extend_schema(summary="One placement"),
    create=extend_schema(summary="Record a placement (university staff)",
                         responses={201: serializers.PlacementSerializer, 403: OpenApiResponse(
                             ErrorSerializer, description="Only university staff record placements.")}),
    destroy=extend_schema(summary="Remove a placement recorded by mistake",
                          responses={204: None, 403: OpenApiResponse(
                              ErrorSerializer, description="The caller sees the placement but may not remove it.")}),
)
class PlacementViewSet(ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    queryset = Placement.objects.select_related("profile", "profile__user", "firm")
    serializer_class = serializers.PlacementSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["firm"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        profile = selectors.find_student(self.request.user, data["student"])
        if profile is None:
            raise ValidationError({"student": [_("No student or trainee has this email or external id.")]})
        firm = organisation_of(data["firm_id"], OrganisationKind.FIRM, "firm")
        vacancy = None
        if data.get("vacancy_id") is not None:
            vacancy = Vacancy.objects.for_user(self.request.user).filter(pk=data["vacancy_id"]).first()
            if vacancy is None:
                raise ValidationError({"vacancy": [_("There is no vacancy with this id.")]})
        placement = services.placement_record(user=self.request.user, profile=profile, firm=firm, vacancy=vacancy,
                                              started_on=data["started_on"], job_title=data.get("job_title", ""),
                                              note=data.get("note", ""))
        serializer.instance = self.get_queryset().get(pk=placement.pk)

    def perform_destroy(self, instance):
        services.placement_delete(placement=instance, user=self.request.user)


# --- Recommendations and insights -------------------------------------------------------------------------


class RecommendationsView(generics.GenericAPIView):
    """The skills the student lacks for vacancies they nearly match, and the open cohorts that teach them,
    ranked by how many more open vacancies the student would then qualify for."""

    permission_classes = [permissions.IsAuthenticated, IsStudent]
    serializer_class = serializers.RecommendationsSerializer

    @extend_schema(summary="My gap-closing cohort recommendations")
    def get(self, request):
        profile = talent_services.profile_ensure(user=request.user)
        return Response(self.get_serializer(selectors.student_recommendations(request.user, profile)).data)
class InsightsView(generics.GenericAPIView):
    """For a university: skills the city's open vacancies require that no course teaches (by openings), and
    for each cohort it runs how many open vacancies its graduates now qualify for."""

    permission_classes = [IsUniversityStaff]
    serializer_class = serializers.InsightsSerializer

    @extend_schema(summary="Training insights for my university")
    def get(self, request):
        return Response(self.get_serializer(selectors.university_insights(request.user)).data)
