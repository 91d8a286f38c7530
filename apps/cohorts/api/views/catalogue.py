"""Programmes, courses and cohorts (browse, create and change; join and leave; outcomes).

The API-wide rule holds (see ``apps.core.permissions``): a row the caller cannot see answers 404, a row the
caller sees but may not change answers 403. Rows come from each model's ``for_user``; writes call
``apps.cohorts.services``. Joining a full cohort answers 409 with a message saying so.
"""

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apps.accounts.models import OrganisationKind
from apps.core.api import ScopedQuerysetMixin
from apps.core.permissions import IsEditableByUser, IsStudent
from apps.talent import services as talent_services

from ... import selectors, services
from ...models import (
    SEAT_STATUSES,
    Cohort,
    Course,
    CourseSkill,
    Programme,
    ProgrammePartner,
)
from .. import serializers
from .common import IsUniversityStaffToCreate, cohort_full, enrollments, organisation_of, own_university

# --- Programmes -------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Programmes", description="Running and completed programmes for everyone; the "
                                                         "running university, partner firms and the funding agency "
                                                         "also see their own drafts."),
    retrieve=extend_schema(summary="One programme"),
    create=extend_schema(summary="Create a programme (university staff)"),
    partial_update=extend_schema(summary="Change a programme"),
    update=extend_schema(summary="Replace a programme"),
)
class ProgrammeViewSet(ScopedQuerysetMixin, viewsets.ModelViewSet):
    queryset = Programme.objects.select_related("university", "government").prefetch_related(
        Prefetch("partners", queryset=ProgrammePartner.objects.select_related("firm")))
    serializer_class = serializers.ProgrammeSerializer
    permission_classes = [IsUniversityStaffToCreate, IsEditableByUser]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    search_fields = ["name_zh", "name_en"]
    filterset_fields = ["status", "university", "government"]

    def _split(self, validated: dict):
        data = dict(validated)
        data.pop("university_id", None)
        partners = data.pop("partners", None)
        if "government_id" in data:
            data["government"] = organisation_of(data.pop("government_id"), OrganisationKind.GOVERNMENT, "government")
        if partners is not None:
            partners = [(organisation_of(p["firm_id"], OrganisationKind.FIRM, "partners"), p.get("reserved_places", 0),
                         p.get("note", "")) for p in partners]
        return data, partners

    def perform_create(self, serializer):
        university = own_university(self.request.user, serializer.validated_data.get("university_id"))
        data, partners = self._split(serializer.validated_data)
        programme = services.programme_create(user=self.request.user, university=university, data=data)
        self._set_partners(programme, partners)
        serializer.instance = self.get_queryset().get(pk=programme.pk)

    def perform_update(self, serializer):
        data, partners = self._split(serializer.validated_data)
        programme = services.programme_update(programme=serializer.instance, user=self.request.user, data=data)
        self._set_partners(programme, partners)
        serializer.instance = self.get_queryset().get(pk=programme.pk)

    def _set_partners(self, programme, partners):
        if partners is None:
            return
        keep = set()
        for firm, reserved, note in partners:
            services.programme_set_partner(programme=programme, user=self.request.user, firm=firm,
                                           reserved_places=reserved, note=note)
            keep.add(firm.pk)
        for partner in programme.partners.exclude(firm_id__in=keep).select_related("firm"):
            services.programme_remove_partner(programme=programme, user=self.request.user, firm=partner.firm)

    @extend_schema(summary="A programme's outcomes", responses={200: serializers.ProgrammeOutcomeSerializer},
                   description="Totals against the targets, per cohort and per partner firm. People are listed only "
                               "to those who may see them (staff; partner firms see consenting graduates); a "
                               "government agency gets the aggregates only.")
    @action(detail=True, methods=["get"], permission_classes=[permissions.IsAuthenticated])
    def outcomes(self, request, pk=None):
        outcome = selectors.programme_outcome(request.user, self.get_object())
        return Response(serializers.ProgrammeOutcomeSerializer(outcome).data)


# --- Courses ----------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Courses"), retrieve=extend_schema(summary="One course"),
    create=extend_schema(summary="Create a course (provider staff)"),
    partial_update=extend_schema(summary="Change a course"), update=extend_schema(summary="Replace a course"),
)
class CourseViewSet(ScopedQuerysetMixin, viewsets.ModelViewSet):
    queryset = Course.objects.select_related("provider").prefetch_related(
        Prefetch("skills", queryset=CourseSkill.objects.select_related("skill")))
    serializer_class = serializers.CourseSerializer
    permission_classes = [IsUniversityStaffToCreate, IsEditableByUser]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    search_fields = ["title_zh", "title_en"]
    filterset_fields = ["provider", "mode", "is_active"]

    @staticmethod
    def _split(validated: dict):
        data = dict(validated)
        data.pop("provider_id", None)
        skills = data.pop("skills", None)
        if skills is not None:
            skills = [(item["skill"], item["level"]) for item in skills]
        return data, skills

    def perform_create(self, serializer):
        provider = own_university(self.request.user, serializer.validated_data.get("provider_id"))
        data, skills = self._split(serializer.validated_data)
        course = services.course_create(user=self.request.user, provider=provider, data=data, skills=skills or [])
        serializer.instance = self.get_queryset().get(pk=course.pk)

    def perform_update(self, serializer):
        data, skills = self._split(serializer.validated_data)
        course = services.course_update(course=serializer.instance, user=self.request.user, data=data, skills=skills)
        serializer.instance = self.get_queryset().get(pk=course.pk)


# --- Cohorts ----------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Cohorts", parameters=[
        OpenApiParameter("open", bool, description="Only cohorts taking enrollments today."),
        OpenApiParameter("skill", str, description="Only cohorts whose course teaches this skill code."),
        OpenApiParameter("programme", int), OpenApiParameter("q", str, description="Text in the course or name.")]),
    retrieve=extend_schema(summary="One cohort"),
    create=extend_schema(summary="Schedule a cohort (staff of the course's provider or the programme)"),
    partial_update=extend_schema(summary="Change a cohort"), update=extend_schema(summary="Replace a cohort"),
)
class CohortViewSet(ScopedQuerysetMixin, viewsets.ModelViewSet):
    queryset = Cohort.objects.select_related("course", "course__provider", "programme").prefetch_related(
        Prefetch("course__skills", queryset=CourseSkill.objects.select_related("skill"))).annotate(
        seats_taken=Count("enrollments", filter=Q(enrollments__status__in=SEAT_STATUSES), distinct=True))
    serializer_class = serializers.CohortSerializer
    permission_classes = [IsUniversityStaffToCreate, IsEditableByUser]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filter_backends: list = []

    def get_queryset(self):
        cohorts = super().get_queryset()
        params = self.request.query_params
        if params.get("open") in ("1", "true", "yes"):
            cohorts = cohorts.open_for_enrollment()
        if params.get("skill"):
            cohorts = cohorts.filter(course__skills__skill__code=params["skill"])
        if params.get("programme", "").isdigit():
            cohorts = cohorts.filter(programme_id=int(params["programme"]))
        if params.get("q"):
            text = params["q"][:100]
            cohorts = cohorts.filter(Q(course__title_zh__icontains=text) | Q(course__title_en__icontains=text)
                                     | Q(name__icontains=text))
        return cohorts.order_by("starts_on", "pk")

    def _check_visible(self, validated):
        user = self.request.user
        course = validated.get("course")
        if course is not None and not Course.objects.for_user(user).filter(pk=course.pk).exists():
            raise ValidationError({"course": [_("There is no course with this id.")]})
        programme = validated.get("programme")
        if programme is not None and not Programme.objects.for_user(user).filter(pk=programme.pk).exists():
            raise ValidationError({"programme": [_("There is no programme with this id.")]})

    def perform_create(self, serializer):
        self._check_visible(serializer.validated_data)
        data = dict(serializer.validated_data)
        course = data.pop("course")
        cohort = services.cohort_create(user=self.request.user, course=course, data=data)
        serializer.instance = self.get_queryset().get(pk=cohort.pk)

    def perform_update(self, serializer):
        self._check_visible(serializer.validated_data)
        data = dict(serializer.validated_data)
        data.pop("course", None)
        cohort = services.cohort_update(cohort=serializer.instance, user=self.request.user, data=data)
        serializer.instance = self.get_queryset().get(pk=cohort.pk)

    @extend_schema(summary="Join a cohort (students)", request=None,
                   responses={201: serializers.EnrollmentSerializer,
                              409: OpenApiResponse(description="The cohort is full.")})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated, IsStudent])
    def join(self, request, pk=None):
        """Enroll in the cohort (or apply, when its staff approve each application)."""
        cohort = self.get_object()
        profile = talent_services.profile_ensure(user=request.user)
        try:
            enrollment = services.enrollment_join(cohort=cohort, profile=profile)
        except services.CohortFull as full:
            return cohort_full(full)
        enrollment = enrollments().for_user(request.user).get(pk=enrollment.pk)
        return Response(serializers.EnrollmentSerializer(enrollment, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(summary="Leave a cohort (students)", request=None,
                   responses={200: serializers.EnrollmentSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated, IsStudent])
    def leave(self, request, pk=None):
        cohort = self.get_object()
        enrollment = selectors.enrollment_of(request.user, cohort)
        if enrollment is None:
            raise ValidationError({"cohort": [_("You are not in this cohort.")]})
        enrollment = services.enrollment_leave(enrollment=enrollment, user=request.user)
        enrollment = enrollments().for_user(request.user).get(pk=enrollment.pk)
        return Response(serializers.EnrollmentSerializer(enrollment, context={"request": request}).data)

    @extend_schema(summary="Mark every enrolled student completed", request=serializers.CompleteAllSerializer,
                   responses={200: OpenApiResponse(description="How many were completed.")})
    @action(detail=True, methods=["post"], url_path="complete-all")
    def complete_all(self, request, pk=None):
        body = serializers.CompleteAllSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        count = services.cohort_complete_all(cohort=self.get_object(), user=request.user,
                                             completed_on=body.validated_data.get("completed_on"))
        return Response({"completed": count})

    @extend_schema(summary="A cohort's outcomes", responses={200: serializers.CohortOutcomeSerializer})
    @action(detail=True, methods=["get"], permission_classes=[permissions.IsAuthenticated])
    def outcomes(self, request, pk=None):
        return Response(serializers.CohortOutcomeSerializer(selectors.cohort_outcome(request.user,
                                                                                     self.get_object())).data)
