"""Applications over the API: students apply, answer invitations, withdraw (the application or the consent); firms
invite, move stages (hire included), act in bulk, read the pipeline board with explanations and record outcomes.

Objects follow the API-wide rule (``apps.core.permissions``): an application the caller cannot see answers 404;
one they see but may not act on that way answers 403. A duplicate application and a hire beyond the openings
answer 409 with a ``code`` (``duplicate_application``, ``vacancy_filled``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.applications import selectors, services
from apps.applications.models import Application
from apps.core.api import ErrorSerializer, ScopedQuerysetMixin
from apps.core.permissions import IsStudent
from apps.jobs.models import Vacancy
from apps.privacy import audit
from apps.talent.models import StudentProfile

from .serializers import (
    ApplicationSerializer,
    ApplyInputSerializer,
    BulkAnswerSerializer,
    BulkInputSerializer,
    InviteInputSerializer,
    MoveInputSerializer,
    NoteInputSerializer,
    OutcomeInputSerializer,
    PipelineSerializer,
    ReasonInputSerializer,
)

CONFLICT = OpenApiResponse(ErrorSerializer, description="`duplicate_application`: the student and vacancy already "
                                                        "have an application or invitation; `vacancy_filled`: every "
                                                        "opening already has a hire.")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="The caller sees this but may not do this to it (say, a "
                                                         "student moving a stage, or a firm answering an invitation).")
ANSWER = {200: ApplicationSerializer, 403: FORBIDDEN}


def conflict(error) -> Response:
    return Response({"detail": " ".join(error.messages), "code": error.code}, status=status.HTTP_409_CONFLICT)


def _call(fn, **kwargs):
    """Run a service; a conflict becomes 409, other refusals go to the API's exception handler (400/403)."""
    try:
        return fn(**kwargs), None
    except (services.ApplicationExists, services.VacancyFilled) as error:
        return None, conflict(error)


class IsFirmMember(permissions.BasePermission):
    """Firm members (and platform admins) run the employer's side of the pipeline."""

    message = gettext_lazy("Only members of a firm manage applications and invitations.")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and (user.is_platform_admin or user.account_type == "firm"))


@extend_schema_view(
    list=extend_schema(summary="Applications", description="Students: their applications and invitations. Firm "
                                                           "members: those to their firm's vacancies. Admins: all."),
    retrieve=extend_schema(summary="One application", description="With its stage history."),
)
class ApplicationViewSet(ScopedQuerysetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Application.objects.select_related("vacancy__firm", "profile__user").prefetch_related(
        "events__actor")
    serializer_class = ApplicationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["vacancy", "stage", "source"]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["contact_profile_ids"] = getattr(self, "_contact_ids", set())
        return context

    def _with_contacts(self, applications) -> None:
        user = self.request.user
        rows = list(applications)
        shared = selectors.consented_profile_ids(user=user, profile_ids={a.profile_id for a in rows})
        self._contact_ids = shared | {a.profile_id for a in rows if a.profile.contact_visible_to(user)}
        audit.contact_viewed(user, [a.profile for a in rows if a.profile_id in self._contact_ids])

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        self._with_contacts(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        application = self.get_object()
        self._with_contacts([application])
        return Response(self.get_serializer(application).data)

    def _answer(self, application, code=status.HTTP_200_OK) -> Response:
        application = self.get_queryset().get(pk=application.pk)
        self._with_contacts([application])
        return Response(self.get_serializer(application).data, status=code)

    # --- student ------------------------------------------------------------------------------------------------

    @extend_schema(summary="Apply to a vacancy", request=ApplyInputSerializer,
                   responses={201: ApplicationSerializer, 403: FORBIDDEN, 409: CONFLICT},
                   description="Applying shares the student's contact details with the vacancy's firm (a recorded "
                               "consent, withdrawable). One application per student and vacancy.")
    def create(self, request, *args, **kwargs):
        if not IsStudent().has_permission(request, self):
            raise PermissionDenied(_("Only student and trainee accounts apply to vacancies."))
        data = _valid(ApplyInputSerializer, request)
        vacancy = Vacancy.objects.for_user(request.user).filter(pk=data["vacancy"]).first()
        if vacancy is None:
            raise ValidationError({"vacancy": [_("There is no open vacancy with this id.")]})
        application, refusal = _call(services.application_apply, user=request.user, vacancy=vacancy,
                                     note=data.get("note", ""))
        return refusal or self._answer(application, status.HTTP_201_CREATED)

    def _own(self) -> Application:
        application = self.get_object()
        if application.profile.user_id != self.request.user.pk:
            raise PermissionDenied(_("Only the student answers for their own application."))
        return application

    @extend_schema(summary="Accept an invitation", request=NoteInputSerializer, responses=ANSWER,
                   description="The invitation becomes an application and the firm may see the contact details.")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        application = self._own()
        data = _valid(NoteInputSerializer, request)
        services.invitation_respond(user=request.user, application=application, accept=True,
                                    note=data.get("note", ""))
        return self._answer(application)

    @extend_schema(summary="Decline an invitation", request=NoteInputSerializer, responses=ANSWER)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        application = self._own()
        data = _valid(NoteInputSerializer, request)
        services.invitation_respond(user=request.user, application=application, accept=False,
                                    note=data.get("note", ""))
        return self._answer(application)

    @extend_schema(summary="Withdraw an application", request=ReasonInputSerializer, responses=ANSWER,
                   description="The application leaves the pipeline and the firm stops seeing the contact details "
                               "at once.")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = self._own()
        data = _valid(ReasonInputSerializer, request)
        services.application_withdraw(user=request.user, application=application, reason=data.get("reason", ""))
        return self._answer(application)

    @extend_schema(summary="Withdraw the contact consent", request=None, responses=ANSWER,
                   description="The application's firm stops seeing the student's contact details at once; the "
                               "application stays in the pipeline.")
    @action(detail=True, methods=["post"], url_path="withdraw-consent")
    def withdraw_consent(self, request, pk=None):
        application = self._own()
        services.consent_withdraw(user=request.user, profile=application.profile,
                                  firm_id=application.vacancy.firm_id)
        return self._answer(application)

    # --- firm ---------------------------------------------------------------------------------------------------

    def _managed(self) -> Application:
        application = self.get_object()
        if not Application.objects.managed_by(self.request.user).filter(pk=application.pk).exists():
            raise PermissionDenied(_("Only members of the firm that posted this vacancy manage its applications."))
        return application

    @extend_schema(summary="Move an application to a stage", request=MoveInputSerializer,
                   responses={200: ApplicationSerializer, 403: FORBIDDEN, 409: CONFLICT},
                   description="Forward only (shortlisted → interview → offer → hired), or rejected with a reason. "
                               "A hire needs a free opening; the last one closes the vacancy.")
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        application = self._managed()
        data = _valid(MoveInputSerializer, request)
        moved, refusal = _call(services.application_move, user=request.user, application=application,
                               to_stage=data["stage"], reason=data.get("reason", ""))
        return refusal or self._answer(moved)

    @extend_schema(summary="Record a hire's outcome", request=OutcomeInputSerializer, responses=ANSWER,
                   description="The start date, then whether the person stayed 3 and 6 months. Only fields sent "
                               "change.")
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        application = self._managed()
        data = _valid(OutcomeInputSerializer, request)
        kwargs = {name: data[name] if name in data else services.KEEP
                  for name in ("start_date", "stayed_3_months", "stayed_6_months")}
        services.outcome_record(user=request.user, application=application, **kwargs)
        return self._answer(application)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _managed_vacancy(request, vacancy_id: int) -> Vacancy:
    """The vacancy if the caller may see it (else 404) and manage it (else 403)."""
    vacancy = Vacancy.objects.for_user(request.user).select_related("firm").filter(pk=vacancy_id).first()
    if vacancy is None:
        raise NotFound(_("There is no vacancy with this id that you can see."))
    if not Vacancy.objects.editable_by(request.user).filter(pk=vacancy.pk).exists():
        raise PermissionDenied(_("Only members of the firm that posted this vacancy see its pipeline."))
    return vacancy


@extend_schema(summary="Invite a candidate", request=InviteInputSerializer,
               responses={201: ApplicationSerializer, 403: FORBIDDEN, 409: CONFLICT,
                          404: OpenApiResponse(ErrorSerializer, description="No vacancy or student profile with "
                                                                            "this id that the caller can see.")},
               description="Invite a student (usually one of the vacancy's ranked candidates) to apply; they are "
                           "notified and accept or decline.")
class InvitationCreateView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsFirmMember]

    def post(self, request):
        data = _valid(InviteInputSerializer, request)
        vacancy = _managed_vacancy(request, data["vacancy"])
        profile = StudentProfile.objects.for_user(request.user).filter(pk=data["profile"]).first()
        if profile is None:
            raise NotFound(_("There is no student profile with this id that you can see."))
        application, refusal = _call(services.invitation_create, user=request.user, vacancy=vacancy,
                                     profile=profile, message=data.get("message", ""))
        if refusal:
            return refusal
        application = Application.objects.select_related("vacancy__firm", "profile__user").get(pk=application.pk)
        return Response(ApplicationSerializer(application, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


@extend_schema(summary="A vacancy's pipeline", responses={200: PipelineSerializer, 403: FORBIDDEN},
               description="Every application to the vacancy by stage, best match first, each with the matcher's "
                           "reason in the caller's language; contact details only where the student consented.")
class PipelineView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def get(self, request, vacancy_id: int):
        vacancy = _managed_vacancy(request, vacancy_id)
        applications = list(selectors.vacancy_pipeline(vacancy=vacancy).prefetch_related("events__actor")
                            .select_related("vacancy__firm"))
        explanations = selectors.pipeline_explanations(vacancy=vacancy, applications=applications)
        shared = selectors.consented_profile_ids(user=request.user, profile_ids={a.profile_id for a in applications})
        contact_ids = shared | {a.profile_id for a in applications if a.profile.contact_visible_to(request.user)}
        columns, closed = selectors.board_columns(applications)
        hires = len(columns["hired"])
        data = {"vacancy": vacancy, "hires": hires, "openings_left": max(vacancy.openings - hires, 0),
                "stages": {**columns, **closed}}
        return Response(PipelineSerializer(data, context={"request": request, "explanations": explanations,
                                                          "contact_profile_ids": contact_ids}).data)


@extend_schema(summary="Shortlist or reject several applications", request=BulkInputSerializer,
               responses={200: BulkAnswerSerializer, 403: FORBIDDEN},
               description="Each application succeeds or fails on its own; every result says why.")
class PipelineBulkView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def post(self, request, vacancy_id: int):
        vacancy = _managed_vacancy(request, vacancy_id)
        data = _valid(BulkInputSerializer, request)
        results = services.applications_bulk_move(user=request.user, vacancy=vacancy,
                                                  application_ids=data["applications"], to_stage=data["action"],
                                                  reason=data.get("reason", ""))
        return Response(BulkAnswerSerializer({"moved": sum(1 for r in results if r.ok), "results": results}).data)

