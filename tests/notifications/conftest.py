import pytest

from apps.applications import services as pipeline
from tests.matching.match_world import build_world, fresh_incremental_cache  # noqa: F401


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def invite(world, django_capture_on_commit_callbacks):
    """``invite(profile)``: firm A invites the profile to its TikTok vacancy, committing (emails go out)."""

    def make(profile, vacancy=None):
        with django_capture_on_commit_callbacks(execute=True):
            return pipeline.invitation_create(user=world.firm_user, vacancy=vacancy or world.vacancy, profile=profile)

    return make
