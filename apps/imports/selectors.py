"""Reads for the upload page: which organisations a user may import into."""

from django.db.models import QuerySet

from apps.accounts.models import ApprovalStatus, Organisation


def import_organisations(user, kind: str) -> QuerySet[Organisation]:
    """Approved organisations of ``kind`` the user is a member of; only these may receive an upload."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organisation.objects.none()
    return Organisation.objects.filter(kind=kind, status=ApprovalStatus.APPROVED,
                                       memberships__user=user).distinct().order_by("name")
