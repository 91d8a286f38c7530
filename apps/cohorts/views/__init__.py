"""Training pages (templates in templates/cohorts/); each view calls the same services and selectors as the API."""

from .catalogue import (
    course_create,
    course_detail,
    course_edit,
    course_list,
    partner_remove,
    partner_set,
    programme_create,
    programme_detail,
    programme_edit,
    programme_list,
)
from .cohorts import (
    cohort_create,
    cohort_detail,
    cohort_edit,
    cohort_list,
    complete_all,
    enrollment_edit,
    join,
    leave,
    my_cohorts,
    roster_add,
    roster_import,
    roster_import_detail,
    roster_import_errors,
    roster_template,
)
from .outcomes import cohort_outcomes, insights, placement_create, placement_delete, placement_list, recommendations

__all__ = [
    "cohort_create", "cohort_detail", "cohort_edit", "cohort_list", "cohort_outcomes", "complete_all",
    "course_create", "course_detail", "course_edit", "course_list", "enrollment_edit", "insights", "join", "leave",
    "my_cohorts", "partner_remove", "partner_set", "placement_create", "placement_delete", "placement_list",
    "programme_create", "programme_detail", "programme_edit", "programme_list", "recommendations", "roster_add",
    "roster_import", "roster_import_detail", "roster_import_errors", "roster_template",
]
