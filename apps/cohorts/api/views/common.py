"""Permissions and lookups the training API views share."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from rest_framework import permissions, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from apps.accounts.models import Organisation, OrganisationKind

from ... import services
from ...models import CourseCredit, Enrollment


class IsUniversityStaffToCreate(permissions.BasePermission):
    """Reads are open; creating needs a university/training-provider membership (or a platform admin)."""

    message = _("Only staff of a university or training provider can do this.")
    allows_anonymous_reads = True

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if getattr(view, "action", None) != "create":
            return True
        return user.is_platform_admin or bool(user.organisation_ids(OrganisationKind.UNIVERSITY)) and \
            user.account_type == "university"


def own_university(user, organisation_id: int | None) -> Organisation:
    """The caller's university for a new row: their only one, or the one named (and checked)."""
    if user.is_platform_admin:
        if organisation_id is None:
            raise ValidationError({"university": [_("Name the university or provider (its id).")]})
        found = Organisation.objects.filter(pk=organisation_id, kind=OrganisationKind.UNIVERSITY).first()
        if found is None:
            raise ValidationError({"university": [_("There is no university or provider with this id.")]})
        return found
    mine = list(Organisation.objects.filter(pk__in=user.organisation_ids(OrganisationKind.UNIVERSITY)))
    if organisation_id is None:
        if len(mine) != 1:
            raise ValidationError({"university": [_("You belong to several universities: say which one (its id).")]})
        return mine[0]
    for organisation in mine:
        if organisation.pk == organisation_id:
            return organisation
    raise PermissionDenied(_("You are not a member of this university or provider."))


def organisation_of(pk, kind: str, field: str) -> Organisation | None:
    """The organisation of ``kind`` with id ``pk`` (None for None); a 400 naming ``field`` when there is none."""
    if pk is None:
        return None
    found = Organisation.objects.filter(pk=pk, kind=kind).first()
    if found is None:
        raise ValidationError({field: [_("There is no organisation of this kind with id %(id)s.") % {"id": pk}]})
    return found


def enrollments():
    """Enrollments with what their serializer shows, for ``for_user`` to narrow."""
    return Enrollment.objects.select_related("cohort", "cohort__course", "profile", "profile__user").prefetch_related(
        Prefetch("credits", queryset=CourseCredit.objects.select_related("skill")))


def cohort_full(full: services.CohortFull) -> Response:
    """The answer to taking a place in a full cohort: 409 with the reason."""
    return Response({"detail": full.messages[0], "code": "cohort_full"}, status=status.HTTP_409_CONFLICT)


class IsUniversityStaff(permissions.BasePermission):
    message = _("Only staff of a university or training provider can see this.")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and (user.is_platform_admin or (
            user.account_type == "university" and user.organisation_ids(OrganisationKind.UNIVERSITY))))
