"""Fixtures for API tests: a small world of firms and vacancies (signed-in API clients: ``client_for`` in
tests/conftest.py)."""

import pytest

from apps.jobs.models import VacancyStatus
from tests import factories


@pytest.fixture
def world(student, firm_user, other_firm_user, pending_firm_user, university_user, government_user, admin_user):
    """One user per role, and vacancies of three firms in every status (see ``build_world``)."""
    return build_world(student, firm_user, other_firm_user, pending_firm_user, university_user, government_user,
                       admin_user)


def build_world(student, firm_user, other_firm_user, pending_firm_user, university_user, government_user,
                admin_user):
    """One user per role, and vacancies of three firms in every status.

    Firm ``A`` is the ``firm`` role's (approved), ``B`` the ``other_firm`` role's (approved), ``C`` the
    ``pending_firm`` role's (waiting for approval).
    """
    firm_a = firm_user.primary_organisation
    firm_b = other_firm_user.primary_organisation
    firm_c = pending_firm_user.primary_organisation
    vacancies = {}
    for key, firm, status in (
        ("A.open", firm_a, VacancyStatus.OPEN), ("A.draft", firm_a, VacancyStatus.DRAFT),
        ("A.closed", firm_a, VacancyStatus.CLOSED), ("B.open", firm_b, VacancyStatus.OPEN),
        ("B.draft", firm_b, VacancyStatus.DRAFT), ("C.draft", firm_c, VacancyStatus.DRAFT),
    ):
        extra = {"published_at": None} if status == VacancyStatus.DRAFT else {}
        vacancy = factories.VacancyFactory(firm=firm, status=status, title=f"Vacancy {key}", **extra)
        factories.require_skills(vacancy, required={"platform.aliexpress": (3, 1.0)},
                                 optional={"marketing.seo": (2, 0.5)})
        vacancies[key] = vacancy
    factories.give_skills(student.profile, **{"platform.amazon_seller_central": 3})
    return {
        "users": {
            "anonymous": None, "student": student, "firm": firm_user, "other_firm": other_firm_user,
            "pending_firm": pending_firm_user, "university": university_user, "government": government_user,
            "admin": admin_user,
        },
        "orgs": {"A": firm_a, "B": firm_b, "C": firm_c, "U": university_user.primary_organisation,
                 "G": government_user.primary_organisation},
        "vacancies": vacancies,
    }


# --- The training side and stored match lists, added to a ``world`` on demand ----------------------------
# Building them costs a few dozen rows (and a rematch), so only the operations that need them ask for them.


def seed_training(world) -> dict:
    """Programmes, courses, cohorts, enrollments and placements of two universities, once per ``world``.

    ``U`` is the ``university`` role's university, ``V`` another one (nobody in ``world`` works there).
    ``P.*`` programmes (``P.U`` is funded by ``G`` with firm ``A`` as partner), ``C.*`` courses, ``K.*`` cohorts
    (``K.U`` holds the student's enrollment, ``K.U.open`` has room, ``K.U.draft`` runs in a draft programme,
    ``K.V`` is V's with ``other``'s enrollment), ``E.*`` enrollments (``E.grad`` completed ``K.U`` and shares
    contact details with firms), ``PL.A`` the student's placement at firm A, ``PL.B`` ``other``'s at firm B.
    """
    if "training" in world:
        return world["training"]
    import datetime as dt

    from django.utils import timezone

    from apps.cohorts.models import (
        Cohort,
        Course,
        CourseSkill,
        Enrollment,
        EnrollmentStatus,
        Placement,
        Programme,
        ProgrammePartner,
        ProgrammeStatus,
    )
    from apps.skills.models import Skill

    today = timezone.localdate()
    orgs = world["orgs"]
    orgs.setdefault("V", factories.UniversityFactory())
    aliexpress = Skill.objects.get(code="platform.aliexpress")

    def programme(university, status, government=None):
        return Programme.objects.create(name_zh="跨境电商订单班", name_en="Order class", university=university,
                                        government=government, status=status, target_trained=10,
                                        starts_on=today - dt.timedelta(days=30),
                                        ends_on=today + dt.timedelta(days=300))

    def course(provider, **extra):
        made = Course.objects.create(provider=provider, title_zh="速卖通运营", title_en="AliExpress operations",
                                     hours=40, **extra)
        CourseSkill.objects.create(course=made, skill=aliexpress, level=4)
        return made

    def cohort(course, programme):
        return Cohort.objects.create(course=course, programme=programme, capacity=20, name="2026 spring",
                                     starts_on=today + dt.timedelta(days=7), ends_on=today + dt.timedelta(days=60))

    programmes = {"P.U": programme(orgs["U"], ProgrammeStatus.ACTIVE, orgs["G"]),
                  "P.U.draft": programme(orgs["U"], ProgrammeStatus.DRAFT),
                  "P.V": programme(orgs["V"], ProgrammeStatus.ACTIVE),
                  "P.V.draft": programme(orgs["V"], ProgrammeStatus.DRAFT)}
    ProgrammePartner.objects.create(programme=programmes["P.U"], firm=orgs["A"], reserved_places=5)
    courses = {"C.U": course(orgs["U"]), "C.U.inactive": course(orgs["U"], is_active=False),
               "C.V": course(orgs["V"])}
    cohorts = {"K.U": cohort(courses["C.U"], programmes["P.U"]),
               "K.U.open": cohort(courses["C.U"], programmes["P.U"]),
               "K.U.draft": cohort(courses["C.U"], programmes["P.U.draft"]),
               "K.V": cohort(courses["C.V"], programmes["P.V"])}
    users = world["users"]
    other = users.get("other") or factories.StudentFactory(full_name="Other Student")
    graduate = factories.StudentFactory(full_name="Grad Student")
    graduate.profile.contact_visible_to_firms = True
    graduate.profile.save()
    world["people"] = {"other": other, "graduate": graduate}
    enrollments = {
        "E.student": Enrollment.objects.create(cohort=cohorts["K.U"], profile=users["student"].profile,
                                               status=EnrollmentStatus.ENROLLED),
        "E.grad": Enrollment.objects.create(cohort=cohorts["K.U"], profile=graduate.profile,
                                            status=EnrollmentStatus.COMPLETED, completed_at=timezone.now()),
        "E.other": Enrollment.objects.create(cohort=cohorts["K.V"], profile=other.profile,
                                             status=EnrollmentStatus.ENROLLED),
    }
    placements = {
        "PL.A": Placement.objects.create(profile=users["student"].profile, firm=orgs["A"], started_on=today),
        "PL.B": Placement.objects.create(profile=other.profile, firm=orgs["B"], started_on=today),
    }
    world["training"] = {**programmes, **courses, **cohorts, **enrollments, **placements,
                         "start": str(today + dt.timedelta(days=3)), "end": str(today + dt.timedelta(days=30))}
    return world["training"]


def seed_matches(world) -> dict:
    """Stored match lists from one full rematch: the student holds AliExpress at level 3, so both open
    vacancies (A.open, B.open) rank them; ``matches["run"]`` is the rematch's run."""
    if "matches" in world:
        return world["matches"]
    from apps.matching import services as matching

    factories.give_skills(world["users"]["student"].profile, **{"platform.aliexpress": 3})
    world["matches"] = {"run": matching.full_rematch_in_process(reason="test")}
    return world["matches"]


def seed_reports(world) -> dict:
    """Report snapshots and a match run for the report pages, once per ``world``: ``rep:done`` (a finished report
    of last month with a few figures, one under the suppression threshold), ``rep:pending`` (queued, not built)
    and ``mrun`` (a full match run to review)."""
    if "reports" in world:
        return world["reports"]
    import datetime as dt

    from django.utils import timezone

    from apps.matching.models import MatchRun
    from apps.reports.models import ReportSnapshot, SnapshotStatus

    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    world["reports"] = {
        "period": last_month,
        "rep:done": ReportSnapshot.objects.create(period=last_month, status=SnapshotStatus.DONE, progress=100,
                                                  data={"funnel": {"hires": 2, "vacancies_none": 7}}),
        "rep:pending": ReportSnapshot.objects.create(period=last_month, status=SnapshotStatus.PENDING,
                                                     filter_district="city_centre"),
        "mrun": MatchRun.objects.create(kind="full", weights_version="test"),
    }
    return world["reports"]


def seed_audit(world) -> list:
    """Three audit events (a firm's view of the student's contact details, the student's export, a refused
    access by the university role), once per ``world``."""
    if "audit" not in world:
        from apps.privacy import audit
        from apps.privacy.models import Action

        users = world["users"]
        audit.contact_viewed(users["firm"], [users["student"].profile])
        world["audit"] = [
            audit.record(user=users["student"], action=Action.EXPORT_DATA, target_type="accounts.user",
                         target_id=users["student"].pk),
            audit.access_denied(users["university"], "/en/privacy/audit/"),
        ]
    return world["audit"]
