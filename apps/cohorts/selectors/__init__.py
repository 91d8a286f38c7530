"""Reads for programmes, courses, cohorts, rosters, outcomes and gap-closing recommendations."""

from .catalogue import (
    cohort_detail,
    cohort_roster,
    cohorts_for_user,
    courses_for_user,
    enrollment_of,
    enrollments_of_student,
    find_student,
    placements_for_user,
    programmes_for_user,
    programmes_of_organisation,
    roster_imports_for_user,
)
from .gaps import Market, student_recommendations, university_insights, untaught_demand
from .outcomes import cohort_outcome, programme_outcome

__all__ = [
    "Market", "cohort_detail", "cohort_outcome", "cohort_roster", "cohorts_for_user", "courses_for_user",
    "enrollment_of", "enrollments_of_student", "find_student", "placements_for_user", "programme_outcome",
    "programmes_for_user", "programmes_of_organisation", "roster_imports_for_user", "student_recommendations",
    "university_insights", "untaught_demand",
]
