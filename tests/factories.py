"""factory_boy factories for the core models; role users are users of the matching account type."""

import factory
from django.utils import timezone

from apps.accounts.models import AccountType, ApprovalStatus, Membership, MembershipRole, Organisation, User
from apps.jobs.models import Vacancy, VacancySkill, VacancyStatus
from apps.skills.models import Skill
from apps.talent.models import ProfileSkill, StudentProfile

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    account_type = AccountType.STUDENT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StudentFactory(UserFactory):
    account_type = AccountType.STUDENT

    @factory.post_generation
    def profile(obj, create, extracted, **kwargs):
        if create:
            StudentProfile.objects.get_or_create(user=obj, defaults=kwargs)


class AdminFactory(UserFactory):
    account_type = AccountType.ADMIN
    is_staff = True
    is_superuser = True


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = "firm"
    status = ApprovalStatus.APPROVED
    approved_at = factory.LazyFunction(timezone.now)


class FirmFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Firm {n} Trading Co.")
    kind = "firm"
    firm_category = "seller"


class UniversityFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"University {n}")
    kind = "university"


class GovernmentFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Bureau {n}")
    kind = "government"


def MemberFactory(*, organisation=None, role=MembershipRole.ADMIN, **kwargs) -> User:
    """A user who belongs to ``organisation`` (a new approved firm by default), typed by its kind."""
    organisation = organisation or FirmFactory()
    user = UserFactory(account_type=organisation.kind, **kwargs)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    firm = factory.SubFactory(FirmFactory)
    title = factory.Sequence(lambda n: f"Cross-border operator {n}")
    description = "Run our Amazon store."
    status = VacancyStatus.OPEN
    published_at = factory.LazyFunction(timezone.now)


def give_skills(profile: StudentProfile, **levels_by_code) -> None:
    """``give_skills(profile, **{"platform.amazon_seller_central": 4})``"""
    for code, level in levels_by_code.items():
        ProfileSkill.objects.update_or_create(profile=profile, skill=Skill.objects.get(code=code),
                                              defaults={"level": level})


def require_skills(vacancy: Vacancy, required=None, optional=None) -> None:
    """``require_skills(vacancy, required={"code": (min_level, weight)}, optional={...})``"""
    for is_required, items in ((True, required or {}), (False, optional or {})):
        for code, (level, weight) in items.items():
            VacancySkill.objects.update_or_create(
                vacancy=vacancy, skill=Skill.objects.get(code=code),
                defaults={"min_level": level, "weight": weight, "required": is_required},
            )
