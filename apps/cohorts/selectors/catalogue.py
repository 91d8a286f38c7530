"""Reads for programmes, courses, cohorts and rosters, always scoped by the models' ``for_user``."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from apps.talent.models import StudentProfile

from ..models import (
    SEAT_STATUSES,
    Cohort,
    Course,
    CourseSkill,
    Enrollment,
    EnrollmentStatus,
    Placement,
    Programme,
    ProgrammePartner,
    RosterImport,
)


def _with_seats(cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    return cohorts.annotate(
        seats_taken=Count("enrollments", filter=Q(enrollments__status__in=SEAT_STATUSES), distinct=True),
        applications=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.APPLIED), distinct=True),
    )


def programmes_for_user(user, *, query: str = "", status: str = "") -> QuerySet[Programme]:
    """Programmes the user may see, searched by name or university, newest first."""
    programmes = Programme.objects.for_user(user).select_related("university", "government").prefetch_related(
        Prefetch("partners", queryset=ProgrammePartner.objects.select_related("firm")))
    query = query.strip()
    if query:
        programmes = programmes.filter(Q(name_zh__icontains=query) | Q(name_en__icontains=query)
                                       | Q(university__name__icontains=query))
    if status:
        programmes = programmes.filter(status=status)
    return programmes.order_by("-starts_on", "pk")


def programmes_of_organisation(user) -> list[Programme]:
    """The programmes the user's own organisation takes part in: runs (university), partners in with reserved
    places (firm, annotated ``reserved_places``) or funds (government)."""
    if not getattr(user, "is_authenticated", False) or user.account_type not in ("university", "firm", "government"):
        return []
    org_ids = user.organisation_ids(user.account_type)
    programmes = programmes_for_user(user)
    if user.account_type == "university":
        return list(programmes.filter(university_id__in=org_ids))
    if user.account_type == "government":
        return list(programmes.filter(government_id__in=org_ids))
    rows = list(programmes.filter(partners__firm_id__in=org_ids).distinct())
    places = {}
    for programme_id, reserved in ProgrammePartner.objects.filter(programme__in=rows, firm_id__in=org_ids).values_list(
            "programme_id", "reserved_places"):
        places[programme_id] = places.get(programme_id, 0) + reserved
    for programme in rows:
        programme.reserved_places = places.get(programme.pk, 0)
    return rows


def courses_for_user(user, *, query: str = "", provider_id: int | None = None) -> QuerySet[Course]:
    """Courses the user may see, searched by title or skill taught."""
    courses = Course.objects.for_user(user).select_related("provider").prefetch_related(
        Prefetch("skills", queryset=CourseSkill.objects.select_related("skill")))
    query = query.strip()
    if query:
        courses = courses.filter(Q(title_zh__icontains=query) | Q(title_en__icontains=query)
                                 | Q(skills__skill__label_en__icontains=query)
                                 | Q(skills__skill__label_zh__icontains=query)).distinct()
    if provider_id:
        courses = courses.filter(provider_id=provider_id)
    return courses


def cohorts_for_user(user, *, query: str = "", open_only: bool = False, skill_code: str = "",
                     programme_id: int | None = None) -> QuerySet[Cohort]:
    """Cohorts the user may see, with places taken; ``open_only`` keeps those taking enrollments today."""
    cohorts = Cohort.objects.for_user(user)
    if open_only:
        cohorts = cohorts.open_for_enrollment()
    query = query.strip()
    if query:
        cohorts = cohorts.filter(Q(course__title_zh__icontains=query) | Q(course__title_en__icontains=query)
                                 | Q(name__icontains=query) | Q(course__provider__name__icontains=query))
    if skill_code:
        cohorts = cohorts.filter(course__skills__skill__code=skill_code)
    if programme_id:
        cohorts = cohorts.filter(programme_id=programme_id)
    return _with_seats(cohorts.select_related("course", "course__provider", "programme")).prefetch_related(
        Prefetch("course__skills", queryset=CourseSkill.objects.select_related("skill"))).order_by("starts_on", "pk")


def cohort_detail(user, pk: int) -> Cohort | None:
    """One cohort the user may see, with places taken, or None."""
    return cohorts_for_user(user).filter(pk=pk).first()


def cohort_roster(user, cohort: Cohort) -> QuerySet[Enrollment]:
    """The enrollments of ``cohort`` the user may see (the whole roster for its staff)."""
    return Enrollment.objects.for_user(user).filter(cohort=cohort).select_related(
        "profile", "profile__user").order_by("status", "profile__user__full_name", "pk")


def enrollments_of_student(user) -> QuerySet[Enrollment]:
    """The signed-in student's own enrollments, latest cohort first."""
    return Enrollment.objects.for_user(user).filter(profile__user=user).select_related(
        "cohort", "cohort__course", "cohort__course__provider", "cohort__programme").order_by("-cohort__starts_on")


def enrollment_of(user, cohort: Cohort) -> Enrollment | None:
    """The user's own enrollment in ``cohort``, if any."""
    if not getattr(user, "is_authenticated", False) or user.account_type != "student":
        return None
    return Enrollment.objects.filter(cohort=cohort, profile__user=user).first()


def placements_for_user(user) -> QuerySet[Placement]:
    """Placements the user may see."""
    return Placement.objects.for_user(user).select_related("profile", "profile__user", "firm", "vacancy")


def roster_imports_for_user(user, cohort: Cohort) -> QuerySet[RosterImport]:
    """The cohort's roster uploads the user may see (without the stored file text)."""
    return RosterImport.objects.for_user(user).filter(cohort=cohort).select_related("uploaded_by").defer(
        "source_text")


def find_student(user, key: str) -> StudentProfile | None:
    """A student by account email or external id, for staff adding someone to a roster."""
    key = (key or "").strip()
    if not key:
        return None
    queryset = StudentProfile.objects.select_related("user").filter(user__account_type="student")
    if "@" in key:
        return queryset.filter(user__email__iexact=key).first()
    return queryset.filter(external_id=key).first()
