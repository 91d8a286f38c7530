"""Match lists over the API: a vacancy's ranked candidates (its firm's members, platform admins), the
student's ranked vacancies, refreshes of both (202, a recompute is enqueued) and match runs (admins).

Objects follow the API-wide rule (``apps.core.permissions``): a vacancy the caller cannot see answers 404;
one they see but do not manage answers 403. Rows are narrowed by ``StudentProfile.for_user`` /
``Vacancy.for_user``; contact details only where the student shares them with firms or consented to the
caller's firm (``apps.matching.views.contact_visible_ids``).
"""

from __future__ import annotations

import logging
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, permissions, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import respcache
from apps.core.api import ErrorSerializer, ScopedQuerysetMixin
from apps.core.permissions import IsStudent
from apps.jobs.models import Vacancy
from apps.matching import selectors, triggers
from apps.matching.explain import explain_for_profile, explain_for_vacancy
from apps.matching.models import CandidateMatch, MatchRun, MatchState, VacancyMatch
from apps.matching.views import contact_visible_ids, matching_status
from apps.privacy import audit
from apps.talent.models import StudentProfile

from .serializers import CandidateSerializer, MatchRefreshSerializer, MatchRunSerializer, VacancyMatchSerializer

log = logging.getLogger(__name__)

LIST_STATUSES = {
    "ok": "the list is computed from the current profile and vacancies",
    "not_open": "the vacancy is not open, so no one is matched with it",
    "no_profile": "the student has no profile yet",
    "hidden": "the profile is hidden: it is not matched",
    "opted_out": "the student switched matching off",
}


class IsPlatformAdmin(permissions.BasePermission):
    """Operational data (match runs) is for platform admins only."""

    message = gettext_lazy("Only platform admins see match runs.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_platform_admin)


class MatchListPagination(PageNumberPagination):
    """Pages of a ranked list (a stored top-K, at most 50 per page) with when it was computed and its status."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 50

    def __init__(self):
        self.extra = {"computed_at": None, "list_status": "ok"}

    def get_paginated_response(self, data):
        return Response({"count": self.page.paginator.count, "next": self.get_next_link(),
                         "previous": self.get_previous_link(), **self.extra, "results": data})

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["properties"] = {
            **{k: v for k, v in answer["properties"].items() if k != "results"},
            "computed_at": {"type": "string", "format": "date-time", "nullable": True,
                            "description": "When the list was last computed (null: never)."},
            "list_status": {"type": "string", "enum": list(LIST_STATUSES),
                            "description": "; ".join(f"`{k}`: {v}" for k, v in LIST_STATUSES.items())},
            "results": answer["properties"]["results"],
        }
        answer["required"] = ["count", "results", "computed_at", "list_status"]
        return answer

    def paginate_empty(self, request, view):
        """An empty page for a list that cannot exist (hidden profile...), same shape as a real one."""
        return self.paginate_queryset(CandidateMatch.objects.none(), request, view=view)


def _managed_vacancy(request, vacancy_id: int) -> Vacancy:
    """The vacancy if the caller may see it (else 404) and manage it (else 403)."""
    user = request.user
    vacancy = Vacancy.objects.for_user(user).select_related("firm").filter(pk=vacancy_id).first()
    if vacancy is None:
        raise NotFound(_("There is no vacancy with this id that you can see."))
    if not Vacancy.objects.editable_by(user).filter(pk=vacancy.pk).exists():
        raise PermissionDenied(_("Only members of the firm that posted this vacancy see its candidates."))
    return vacancy


# A candidates page changes with its list (its own counter, and "matches" for all lists at once), with what its
# candidates show or whether they are shown, and with the vacancy (its requirements feed the explanations); see
# ``apps.core.respcache``.
CANDIDATE_VERSIONS = ("matches", "profiles", "vacancies")


class _Shown(NamedTuple):
    """A candidate whose contact details a page shows, as ``audit.contact_viewed`` reads it."""

    pk: int
    user_id: int


def _viewer_scope(user) -> tuple:
    """What a candidates page depends on in its reader: admins see every profile and contact; a firm member
    sees matchable profiles (if one of their firms is approved) and contacts consented to their firms."""
    if user.is_platform_admin:
        return ("admin",)
    return (user.account_type, tuple(sorted(user.organisation_ids("firm"))))


def _own_profile(request) -> StudentProfile | None:
    return StudentProfile.objects.for_user(request.user).filter(user=request.user).first()


def _enqueue(kind: str, object_id: int) -> Response:
    try:
        (triggers.vacancy_changed if kind == "vacancy" else triggers.profile_changed)(object_id)
    except Exception:
        log.exception("refreshing %s %s failed", kind, object_id)
        return Response({"detail": _("The list could not be recomputed just now; try again later.")},
                        status=status.HTTP_503_SERVICE_UNAVAILABLE)
    return Response({"detail": _("A recompute of this list was requested.")}, status=status.HTTP_202_ACCEPTED)


_REFRESH_RESPONSES = {
    202: MatchRefreshSerializer,
    503: OpenApiResponse(ErrorSerializer, description="The recompute could not be enqueued; nothing changed."),
}


@extend_schema(
    summary="A vacancy's ranked candidates",
    description="The vacancy's stored top-K candidates, best first (score, then profile id), each with the "
                "score's parts, skills met and missing with levels, languages, a one-line reason in the caller's "
                "language and when it was computed. Contact details only for students who consented. For members "
                "of the vacancy's firm and platform admins.",
    responses={200: CandidateSerializer,
               403: OpenApiResponse(ErrorSerializer, description="The caller sees the vacancy but is not a member "
                                                                 "of its firm.")},
)
class VacancyCandidatesView(generics.ListAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = CandidateSerializer
    pagination_class = MatchListPagination
    filter_backends: list = []
    queryset = CandidateMatch.objects.none()  # the rows come from the selector in list()

    def list(self, request, *args, **kwargs):
        vacancy = _managed_vacancy(request, self.kwargs["vacancy_id"])  # on every request, before the cache
        stamp = respcache.versions(*CANDIDATE_VERSIONS, respcache.list_version(vacancy.pk)) \
            if respcache.enabled() else None  # before any read of what the page shows
        if stamp is None:  # caching off, or the cache is down
            data, shown = self._page(request, vacancy, MatchState.get())
            outcome = "bypass"
        else:
            state = MatchState.get()  # read once: the generation shown, the idf its explanations use
            key = respcache.key("candidates", vacancy.pk, state.current_generation, _viewer_scope(request.user),
                                respcache.request_parts(request), stamp)
            cached = respcache.get(key)
            if cached is None:
                data, shown = self._page(request, vacancy, state)
                respcache.put(key, (data, shown))
                outcome = "miss"
            else:
                data, shown = cached
                outcome = "hit"
        # Contact views are recorded for every answer, cached or not.
        audit.contact_viewed(request.user, [_Shown(pk, user_id) for pk, user_id in shown])
        return Response(data, headers={respcache.HEADER: outcome})

    def _page(self, request, vacancy: Vacancy, state: MatchState) -> tuple[dict, list[tuple[int, int]]]:
        """The answer's data, and (profile id, user id) of the candidates whose contact details it shows."""
        visible = StudentProfile.objects.for_user(request.user).values("pk")
        rows = list(self.paginate_queryset(selectors.vacancy_candidates(
            vacancy_id=vacancy.pk, generation=state.current_generation).filter(profile__in=visible)))
        start = self.paginator.page.start_index()
        contact_ids = contact_visible_ids(user=request.user, profiles=[row.profile for row in rows])
        shown = [(row.profile_id, row.profile.user_id) for row in rows if row.profile_id in contact_ids]
        explained = explain_for_vacancy(vacancy, rows, state=state)
        items = [{"rank": start + i, "row": row, "why": why, "profile": row.profile,
                  "contact": row.profile.user if row.profile_id in contact_ids else None}
                 for i, (row, why) in enumerate(zip(rows, explained, strict=True))]
        self.paginator.extra = {"computed_at": selectors.last_computed(vacancy_id=vacancy.pk, state=state),
                                "list_status": "ok" if vacancy.is_open else "not_open"}
        return self.get_paginated_response(self.get_serializer(items, many=True).data).data, shown


@extend_schema(summary="Recompute a vacancy's candidates", request=None,
               responses={**_REFRESH_RESPONSES, 403: OpenApiResponse(
                   ErrorSerializer, description="The caller sees the vacancy but is not a member of its firm.")},
               description="Enqueues a recompute of this vacancy's list (coalesced with other recent changes) and "
                           "answers 202 at once.")
class VacancyCandidatesRefreshView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def post(self, request, vacancy_id: int):
        return _enqueue("vacancy", _managed_vacancy(request, vacancy_id).pk)


@extend_schema(
    summary="My ranked vacancies",
    description="The student's stored top-K vacancies, best first (score, then vacancy id), each with why it "
                "fits and what the student lacks (missing skills with the level gap). A hidden or opted-out "
                "profile has an empty list and says so in `list_status`.",
)
class MyMatchesView(generics.ListAPIView):
    permission_classes = [permissions.IsAuthenticated, IsStudent]
    serializer_class = VacancyMatchSerializer
    pagination_class = MatchListPagination
    filter_backends: list = []
    queryset = VacancyMatch.objects.none()  # the rows come from the selector in list()

    def list(self, request, *args, **kwargs):
        profile = _own_profile(request)
        list_status = matching_status(profile)
        if list_status != "ok":
            self.paginator.paginate_empty(request, self)
            self.paginator.extra = {"computed_at": None, "list_status": list_status}
            return self.get_paginated_response([])
        visible = Vacancy.objects.for_user(request.user).values("pk")
        state = MatchState.get()
        rows = list(self.paginate_queryset(selectors.profile_vacancies(
            profile_id=profile.pk, generation=state.current_generation).filter(vacancy__in=visible)))
        start = self.paginator.page.start_index()
        explained = explain_for_profile(profile, rows, state=state)
        items = [{"rank": start + i, "row": row, "why": why, "vacancy": row.vacancy}
                 for i, (row, why) in enumerate(zip(rows, explained, strict=True))]
        self.paginator.extra = {"computed_at": selectors.last_computed(profile_id=profile.pk, state=state),
                                "list_status": "ok"}
        return self.get_paginated_response(self.get_serializer(items, many=True).data)


@extend_schema(summary="Recompute my ranked vacancies", request=None, responses=_REFRESH_RESPONSES,
               description="Enqueues a recompute of the student's own list and answers 202 at once.")
class MyMatchesRefreshView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsStudent]

    def post(self, request):
        profile = _own_profile(request)
        if profile is None:
            raise NotFound(_("You have no profile yet: matches are computed from its skills."))
        return _enqueue("profile", profile.pk)


@extend_schema_view(
    list=extend_schema(summary="Match runs", description="Full rematches and incremental recomputes, newest first "
                                                         "(platform admins)."),
    retrieve=extend_schema(summary="One match run"),
)
class MatchRunViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = MatchRun.objects.all()
    serializer_class = MatchRunSerializer
    permission_classes = [permissions.IsAuthenticated, IsPlatformAdmin]
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["kind", "status"]
