"""Writes for programmes, courses, cohorts, enrollments, course credits and placements.

Views, serializers, forms, commands and tasks call these (never the models' ``save`` directly).
"""

from .catalogue import (
    cohort_create,
    cohort_update,
    course_create,
    course_update,
    programme_create,
    programme_remove_partner,
    programme_set_partner,
    programme_update,
)
from .credits import credits_grant, credits_revoke
from .enrollments import (
    CohortFull,
    cohort_complete_all,
    enrollment_add,
    enrollment_join,
    enrollment_leave,
    enrollment_update,
)
from .placements import placement_delete, placement_record

__all__ = [
    "CohortFull", "cohort_complete_all", "cohort_create", "cohort_update", "course_create", "course_update",
    "credits_grant", "credits_revoke", "enrollment_add", "enrollment_join", "enrollment_leave", "enrollment_update",
    "placement_delete", "placement_record", "programme_create", "programme_remove_partner", "programme_set_partner",
    "programme_update",
]
