"""Writes for people and organisations."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .models import AccountType, ApprovalStatus, Membership, MembershipRole, Organisation, OrganisationKind, User

_KIND_FOR_ACCOUNT = {
    AccountType.FIRM: OrganisationKind.FIRM,
    AccountType.UNIVERSITY: OrganisationKind.UNIVERSITY,
    AccountType.GOVERNMENT: OrganisationKind.GOVERNMENT,
}


@transaction.atomic
def user_sign_up(
    *,
    email: str,
    password: str,
    full_name: str,
    account_type: str,
    organisation_name: str = "",
    firm_category: str = "",
    preferred_language: str = "zh-hans",
) -> User:
    """Create an account; a firm/university/government account also creates its organisation, pending approval.

    Joining an existing organisation by name is refused: members are added by that organisation's admin.
    """
    email = (email or "").strip().lower()
    if account_type == AccountType.ADMIN or account_type not in AccountType.values:
        raise ValidationError({"account_type": "Choose student, firm, university or government."})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "An account with this email address already exists."})
    user = User(email=email, full_name=full_name.strip(), account_type=account_type,
                preferred_language=preferred_language)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    if account_type in _KIND_FOR_ACCOUNT:
        name = (organisation_name or "").strip()
        if not name:
            raise ValidationError({"organisation_name": "Name the organisation you represent."})
        if Organisation.objects.filter(name__iexact=name).exists():
            raise ValidationError(
                {"organisation_name": "This organisation is already registered; ask its administrator to add you."}
            )
        organisation = Organisation(name=name, kind=_KIND_FOR_ACCOUNT[account_type], firm_category=firm_category)
        organisation.full_clean()
        organisation.save()
        Membership.objects.create(user=user, organisation=organisation, role=MembershipRole.ADMIN)
    else:
        from apps.talent.services import profile_ensure

        profile_ensure(user=user)
    return user


@transaction.atomic
def organisation_set_status(*, organisation: Organisation, status: str, actor: User) -> Organisation:
    """Approve or reject an organisation (platform admins only)."""
    if not actor.is_platform_admin:
        raise PermissionDenied("Only platform admins approve organisations.")
    if status not in ApprovalStatus.values:
        raise ValidationError({"status": f"Unknown status {status!r}."})
    organisation.status = status
    organisation.approved_at = timezone.now() if status == ApprovalStatus.APPROVED else None
    organisation.approved_by = actor if status == ApprovalStatus.APPROVED else None
    organisation.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    return organisation


@transaction.atomic
def membership_add(*, organisation: Organisation, user: User, role: str, actor: User) -> Membership:
    """Add a person to an organisation; only its admins (or platform admins) may."""
    is_org_admin = Membership.objects.filter(
        organisation=organisation, user=actor, role=MembershipRole.ADMIN
    ).exists()
    if not (is_org_admin or actor.is_platform_admin):
        raise PermissionDenied("Only this organisation's administrators add members.")
    membership, _ = Membership.objects.update_or_create(
        organisation=organisation, user=user, defaults={"role": role}
    )
    return membership


def organisation_get_or_create_firm(*, name: str) -> tuple[Organisation, bool]:
    """Operator-side helper for imports: find a firm by name (case-insensitive) or create it approved."""
    name = name.strip()
    existing = Organisation.objects.filter(name__iexact=name).first()
    if existing:
        if existing.kind != OrganisationKind.FIRM:
            raise ValidationError({"firm": f"{name!r} is registered as a {existing.kind}, not a firm."})
        return existing, False
    organisation = Organisation.objects.create(
        name=name, kind=OrganisationKind.FIRM, status=ApprovalStatus.APPROVED, approved_at=timezone.now()
    )
    return organisation, True
