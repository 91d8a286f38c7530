"""API permission classes: who may call an operation at all.

Which rows a caller sees is not decided here but by each model's ``for_user(user)`` QuerySet (see
``apps.core.api.ScopedQuerysetMixin``). These classes only answer "may this kind of account do this".

The API's rule for objects, used everywhere: an object the caller may not *see* answers 404 (its existence
is not revealed); an object the caller sees but may not *change* answers 403.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


class IsStudent(permissions.BasePermission):
    """Only student/trainee accounts have a skill profile."""

    message = _("Only student and trainee accounts have a skill profile.")

    def has_permission(self, request, view):
        return _signed_in(request.user) and request.user.is_student


class CanPostVacancies(permissions.BasePermission):
    """Reads are open to everyone; creating a vacancy needs a firm membership (or a platform admin)."""

    message = _("Only members of a firm can post vacancies.")
    allows_anonymous_reads = True

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if not _signed_in(request.user):
            return False
        if getattr(view, "action", None) != "create":
            return True  # writes on an object are checked per object below
        return request.user.is_platform_admin or bool(request.user.organisation_ids("firm"))


class IsEditableByUser(permissions.BasePermission):
    """Writes on an object need it to be in ``Model.objects.editable_by(user)``; reads pass through."""

    message = _("Only members of the organisation that owns this may change it.")
    allows_anonymous_reads = True

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return type(obj).objects.editable_by(request.user).filter(pk=obj.pk).exists()
