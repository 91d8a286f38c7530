"""Fixtures for the page tests: compiled Chinese translations and a signed-in client per role."""

from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """The page tests read Chinese text: compile the catalogue when the .mo is missing or stale."""
    po, mo = LOCALE / "django.po", LOCALE / "django.mo"
    if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        from django.core.management import call_command
        from django.utils.translation import trans_real

        call_command("compilemessages", locale=["zh_Hans"], ignore_patterns=[".venv", "*/site-packages/*"],
                     verbosity=0)
        trans_real._translations = {}  # drop catalogues loaded before the .mo existed
        trans_real._default = None


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client signed in as ``user`` (anonymous for ``None``)."""

    def make(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Role fixtures hash a password per user; the default PBKDF2 makes every page test take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """The firm filter of the browsing page is cached; each test starts from an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
