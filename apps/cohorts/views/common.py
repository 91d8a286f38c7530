"""Helpers the training pages share."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from apps.accounts.models import ApprovalStatus, Organisation, OrganisationKind


def own_universities(user) -> list[Organisation]:
    """Approved universities/providers the user is staff of (all of them for a platform admin)."""
    if not user.is_authenticated:
        return []
    organisations = Organisation.objects.filter(kind=OrganisationKind.UNIVERSITY, status=ApprovalStatus.APPROVED)
    if user.is_platform_admin:
        return list(organisations)
    if user.account_type != "university":
        return []
    return list(organisations.filter(pk__in=user.organisation_ids(OrganisationKind.UNIVERSITY)))


def form_errors(form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form's fields (or on the form as a whole)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
