"""Vacancies: browse (everyone), and create, change, publish, close and delete (members of the vacancy's firm).

Objects follow the API-wide rule (see ``apps.core.permissions``): a vacancy the caller cannot see — another
firm's draft or closed one — answers 404 to every method; an open vacancy the caller sees but does not own
answers 403 to writes.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from apps.accounts.models import Organisation, OrganisationKind
from apps.core import respcache
from apps.core.api import ScopedQuerysetMixin
from apps.core.permissions import CanPostVacancies, IsEditableByUser
from apps.jobs import services
from apps.jobs.models import Vacancy, VacancyLanguage, VacancySkill

from .filters import VacancyFilter
from .serializers import VacancySerializer


@extend_schema_view(
    list=extend_schema(summary="Vacancies", description="Open vacancies for everyone; members of a firm also see "
                                                        "their firm's drafts and closed vacancies."),
    retrieve=extend_schema(summary="One vacancy"),
    create=extend_schema(summary="Create a vacancy (a draft)"),
    update=extend_schema(summary="Replace a vacancy"),
    partial_update=extend_schema(summary="Change a vacancy"),
    destroy=extend_schema(summary="Delete a vacancy"),
)
class VacancyViewSet(ScopedQuerysetMixin, viewsets.ModelViewSet):
    queryset = Vacancy.objects.select_related("firm").prefetch_related(
        Prefetch("skills", queryset=VacancySkill.objects.select_related("skill")),
        Prefetch("languages", queryset=VacancyLanguage.objects.select_related("language")),
    )
    serializer_class = VacancySerializer
    permission_classes = [CanPostVacancies, IsEditableByUser]
    filterset_class = VacancyFilter
    filter_backends = [DjangoFilterBackend]  # ordering is the filter set's ``ordering`` parameter

    # --- browse: answers cached for the public scope (apps.core.respcache) -------------------------------------

    def list(self, request, *args, **kwargs):
        """Answers for readers who see only open vacancies are cached, keyed by the request and the ``vacancies``
        version; firm members (their drafts too) and admins always get a fresh answer."""
        if not respcache.enabled() or not _public_scope(request.user):
            return _marked(super().list(request, *args, **kwargs), "bypass")
        key = respcache.versioned_key("browse", respcache.request_parts(request), depends_on=("vacancies",))
        if key is None:  # the cache is down
            return _marked(super().list(request, *args, **kwargs), "bypass")
        data = respcache.get(key)
        if data is not None:
            return Response(data, headers={respcache.HEADER: "hit"})
        response = super().list(request, *args, **kwargs)
        if response.status_code == 200:
            respcache.put(key, response.data)
        return _marked(response, "miss")

    # --- writes: the serializer checks shapes, the services decide -----------------------------------------

    def perform_create(self, serializer):
        data, skills, languages = _split(serializer.validated_data, instance=None, partial=False)
        firm = self._firm_for_create(data.pop("firm_id", None))
        vacancy = services.vacancy_create(firm=firm, user=self.request.user, data=data, skills=skills,
                                          languages=languages)
        serializer.instance = self._reloaded(vacancy)

    def perform_update(self, serializer):
        data, skills, languages = _split(serializer.validated_data, instance=serializer.instance,
                                         partial=serializer.partial)
        data.pop("firm_id", None)
        vacancy = services.vacancy_update(vacancy=serializer.instance, user=self.request.user, data=data,
                                          skills=skills, languages=languages)
        serializer.instance = self._reloaded(vacancy)

    def perform_destroy(self, instance):
        services.vacancy_delete(vacancy=instance, user=self.request.user)

    def _reloaded(self, vacancy: Vacancy) -> Vacancy:
        """The vacancy read back after a write, with its requirements loaded as a read would load them."""
        return self.get_queryset().get(pk=vacancy.pk)

    @extend_schema(summary="Publish a vacancy", request=None, responses={200: VacancySerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Open the vacancy to candidates; the firm must be approved and the vacancy must name its skills."""
        vacancy = services.vacancy_publish(vacancy=self.get_object(), user=request.user)
        return Response(self.get_serializer(self._reloaded(vacancy)).data)

    @extend_schema(summary="Close a vacancy", request=None, responses={200: VacancySerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Take the vacancy out of browsing and matching."""
        vacancy = services.vacancy_close(vacancy=self.get_object(), user=request.user)
        return Response(self.get_serializer(self._reloaded(vacancy)).data)

    def _firm_for_create(self, firm_id: int | None) -> Organisation:
        """The firm a new vacancy belongs to: the caller's only firm, or the one named (and checked)."""
        user = self.request.user
        if user.is_platform_admin:
            if firm_id is None:
                raise ValidationError({"firm": [_("Name the firm this vacancy belongs to.")]})
            firm = Organisation.objects.for_user(user).filter(pk=firm_id, kind=OrganisationKind.FIRM).first()
            if firm is None:
                raise ValidationError({"firm": [_("There is no firm with this id.")]})
            return firm
        my_firms = list(Organisation.objects.filter(pk__in=user.organisation_ids(OrganisationKind.FIRM)))
        if firm_id is None:
            if len(my_firms) > 1:
                raise ValidationError({"firm": [_("You belong to several firms: say which one (its id).")]})
            return my_firms[0]
        for firm in my_firms:
            if firm.pk == firm_id:
                return firm
        raise PermissionDenied(_("You are not a member of this firm."))


def _public_scope(user) -> bool:
    """Whether ``Vacancy.for_user(user)`` is the public scope (open vacancies only), as that method decides it."""
    if not getattr(user, "is_authenticated", False):
        return True
    return not user.is_platform_admin and user.account_type != "firm"


def _marked(response, outcome: str):
    response[respcache.HEADER] = outcome
    return response


def _split(validated: dict, *, instance: Vacancy | None, partial: bool):
    """Separate plain fields from requirement lists, in the form the services take.

    Creating or replacing (PUT): a list not sent is empty. Changing (PATCH): a list not sent stays as stored,
    and sending only one of required/optional skills keeps the other.
    """
    data = dict(validated)
    required = data.pop("required_skills", None)
    optional = data.pop("optional_skills", None)
    languages = data.pop("languages", None)
    if not partial:
        required, optional, languages = required or [], optional or [], languages or []
    skills = None
    if required is not None or optional is not None:
        stored = list(instance.skills.all()) if instance is not None else []
        if required is None:
            required = [row for row in stored if row.required]
        if optional is None:
            optional = [row for row in stored if not row.required]
        skills = [_requirement(item, True) for item in required] + [_requirement(item, False) for item in optional]
    if languages is not None:
        # A value left out of an item takes the service's default (PATCH skips serializer defaults).
        languages = [services.LanguageRequirement(language=item["language"],
                                                  **{k: item[k] for k in ("min_cefr",) if k in item})
                     for item in languages]
    return data, skills, languages


def _requirement(item, required: bool) -> services.SkillRequirement:
    if isinstance(item, VacancySkill):
        return services.SkillRequirement(skill=item.skill, min_level=item.min_level, weight=item.weight,
                                         required=required)
    return services.SkillRequirement(skill=item["skill"], required=required,
                                     **{k: item[k] for k in ("min_level", "weight") if k in item})
