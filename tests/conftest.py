"""Root fixtures: one user per role, taxonomy helpers, and service guards.

A test that needs PostgreSQL, Redis or a browser calls ``require_service``: on a laptop without it
the test skips; in CI (``CI=true``) a missing service fails the test instead.
"""

import os
import socket

import pytest

from tests import factories

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_service(name: str, available: bool, why: str = "") -> None:
    """Skip on a laptop, fail in CI, when a service a test needs is missing."""
    if available:
        return
    message = f"{name} is not available{': ' + why if why else ''}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: a missing service is a failure)")
    pytest.skip(message)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing with PBKDF2 dominates fixture time; tests of hashing itself override this."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _inline_rematch_after_import(settings):
    """A background thread would outlive the test's database; tests run the rematch inline."""
    settings.MATCHING = {**settings.MATCHING, "AFTER_IMPORT": "inline"}


@pytest.fixture(autouse=True)
def _fresh_matching_cache():
    """The matcher keeps prepared matrices per process; each test has its own database."""
    from apps.matching.services.incremental import _Cache

    _Cache.reset()
    yield
    _Cache.reset()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttle counters and cached pages live in the cache: each test starts without another's."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Tests read messages in English unless they switch language themselves."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def client_for():
    """``client_for(user)``: an API client signed in as ``user`` (anonymous for None), asking for English.
    (tests/web overrides it with signed-in page clients.)"""
    from rest_framework.test import APIClient

    def make(user):
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def response_cache_on(settings):
    """The versioned response cache (apps/core/respcache.py) switched on, as in production."""
    settings.RESPONSE_CACHE_SECONDS = 120


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): ...``: the block's on_commit callbacks (cache bumps, tasks) run at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def student(db):
    return factories.StudentFactory()


@pytest.fixture
def other_student(db):
    return factories.StudentFactory()


@pytest.fixture
def firm(db):
    return factories.FirmFactory()


@pytest.fixture
def firm_user(firm):
    return factories.MemberFactory(organisation=firm)


@pytest.fixture
def other_firm_user(db):
    return factories.MemberFactory(organisation=factories.FirmFactory())


@pytest.fixture
def pending_firm_user(db):
    return factories.MemberFactory(organisation=factories.FirmFactory(status="pending"))


@pytest.fixture
def university(db):
    return factories.UniversityFactory()


@pytest.fixture
def university_user(university):
    return factories.MemberFactory(organisation=university)


@pytest.fixture
def government_user(db):
    return factories.MemberFactory(organisation=factories.GovernmentFactory())


@pytest.fixture
def admin_user(db):
    return factories.AdminFactory()


@pytest.fixture
def role_users(student, firm_user, university_user, government_user, admin_user):
    """One signed-up user per role, keyed by role name (anonymous is ``None``)."""
    return {
        "anonymous": None,
        "student": student,
        "firm": firm_user,
        "university": university_user,
        "government": government_user,
        "admin": admin_user,
    }


@pytest.fixture
def skill(db):
    """Look up a shipped taxonomy skill by code."""
    from apps.skills.models import Skill

    def get(code):
        return Skill.objects.get(code=code)

    return get


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()
