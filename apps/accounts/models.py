"""People and organisations.

A user signs in with an email address. ``account_type`` says which of the platform's roles the
account plays; firm, university and government people belong to an organisation through a
``Membership``. An organisation of a firm or university must be approved by a platform admin
before it can publish.
"""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


class AccountType(models.TextChoices):
    STUDENT = "student", _("Student / trainee")
    FIRM = "firm", _("Firm")
    UNIVERSITY = "university", _("University / training provider")
    GOVERNMENT = "government", _("Government agency")
    ADMIN = "admin", _("Platform admin")


class UserManager(BaseUserManager):
    """Creates users keyed by a normalised email address."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, account_type=AccountType.ADMIN)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    account_type = models.CharField(
        _("account type"), max_length=16, choices=AccountType.choices, default=AccountType.STUDENT
    )
    preferred_language = models.CharField(_("preferred language"), max_length=8, default="zh-hans")
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name or self.email

    @property
    def is_platform_admin(self) -> bool:
        return self.is_active and (self.is_superuser or (self.is_staff and self.account_type == AccountType.ADMIN))

    @property
    def is_student(self) -> bool:
        return self.account_type == AccountType.STUDENT

    def organisations_of_kind(self, kind: str):
        """Approved or pending organisations of a kind this user belongs to."""
        return Organisation.objects.filter(memberships__user=self, kind=kind)

    def organisation_ids(self, kind: str | None = None) -> list[int]:
        qs = Membership.objects.filter(user=self)
        if kind:
            qs = qs.filter(organisation__kind=kind)
        return list(qs.values_list("organisation_id", flat=True))

    @property
    def primary_organisation(self):
        membership = self.memberships.select_related("organisation").order_by("id").first()
        return membership.organisation if membership else None


class OrganisationKind(models.TextChoices):
    FIRM = "firm", _("Firm")
    UNIVERSITY = "university", _("University / training provider")
    GOVERNMENT = "government", _("Government agency")


class FirmCategory(models.TextChoices):
    SELLER = "seller", _("Cross-border seller")
    MANUFACTURER = "manufacturer", _("Manufacturer going online")
    LOGISTICS = "logistics", _("Logistics")
    CUSTOMS_BROKER = "customs_broker", _("Customs brokerage")
    AGENCY = "agency", _("Agency operation")
    PAYMENTS = "payments", _("Payments and finance")
    PLATFORM = "platform", _("Platform / service provider")
    OTHER = "other", _("Other")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class OrganisationQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=ApprovalStatus.APPROVED)

    def for_user(self, user):
        """Approved organisations are public; members also see their own pending ones; admins see all."""
        if getattr(user, "is_authenticated", False) and user.is_platform_admin:
            return self
        if getattr(user, "is_authenticated", False):
            return self.filter(models.Q(status=ApprovalStatus.APPROVED) | models.Q(memberships__user=user)).distinct()
        return self.approved()


class Organisation(TimeStampedModel):
    """A firm, a university/training provider or a government agency."""

    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    firm_category = models.CharField(_("firm category"), max_length=32, choices=FirmCategory.choices, blank=True)
    location = models.CharField(_("location"), max_length=64, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.status == ApprovalStatus.APPROVED


class MembershipRole(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MEMBER = "member", _("Member")


class Membership(TimeStampedModel):
    """A user's place in an organisation, with a role."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.MEMBER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="uniq_membership")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.role})"
