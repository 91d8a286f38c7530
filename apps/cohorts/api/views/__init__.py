"""The training API: catalogue (programmes, courses, cohorts) and people (enrollments, placements, advice)."""

from .catalogue import CohortViewSet, CourseViewSet, ProgrammeViewSet
from .people import EnrollmentViewSet, InsightsView, PlacementViewSet, RecommendationsView

__all__ = ["CohortViewSet", "CourseViewSet", "EnrollmentViewSet", "InsightsView", "PlacementViewSet",
           "ProgrammeViewSet", "RecommendationsView"]
