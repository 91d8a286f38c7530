"""Fixtures for pipeline tests: the hand-made matching world (firm A's vacancies, students ``full``, ``gap``,
``course``; a full rematch stored) and helpers to apply and move applications."""

import pytest

from apps.applications import services
from tests.matching.match_world import build_world, fresh_incremental_cache  # noqa: F401


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def apply_as():
    """``apply_as(profile, vacancy, note="")``: the profile's student applies."""

    def apply(profile, vacancy, note=""):
        return services.application_apply(user=profile.user, vacancy=vacancy, note=note)

    return apply
