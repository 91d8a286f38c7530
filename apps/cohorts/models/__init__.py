"""Training programmes (校企政 cooperation), courses, cohorts, enrollments, course credits and placements.

A **programme** is run by a university or training centre, co-designed by partner firms (which may reserve
places for its graduates — 订单班) and funded by a government agency. A **course** teaches skills up to a
level; a **cohort** is one run of a course inside a programme. Completing a cohort credits the course's skills
to the student's profile; each credit is kept (``CourseCredit``) so that undoing the completion takes exactly
that credit back. Who may see a row is decided by each model's ``for_user``; who may change it by
``editable_by``.
"""

from .cohorts import (
    SEAT_STATUSES,
    Cohort,
    CohortQuerySet,
    CourseCredit,
    CourseCreditQuerySet,
    Enrollment,
    EnrollmentQuerySet,
    EnrollmentStatus,
)
from .placements import (
    Placement,
    PlacementQuerySet,
    PlacementSource,
    RosterImport,
    RosterImportQuerySet,
    RosterImportStatus,
)
from .programmes import (
    PUBLIC_PROGRAMME_STATUSES,
    Course,
    CourseMode,
    CourseQuerySet,
    CourseSkill,
    Programme,
    ProgrammePartner,
    ProgrammeQuerySet,
    ProgrammeStatus,
    PublicTrainingCentre,
)

__all__ = [
    "PUBLIC_PROGRAMME_STATUSES", "SEAT_STATUSES", "Cohort", "CohortQuerySet", "Course", "CourseCredit",
    "CourseCreditQuerySet", "CourseMode", "CourseQuerySet", "CourseSkill", "Enrollment", "EnrollmentQuerySet",
    "EnrollmentStatus", "Placement", "PlacementQuerySet", "PlacementSource", "Programme", "ProgrammePartner",
    "ProgrammeQuerySet", "ProgrammeStatus", "PublicTrainingCentre", "RosterImport", "RosterImportQuerySet",
    "RosterImportStatus",
]
