"""Production settings pass Django's deployment checklist with no warning, and set the cookie flags."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import io, json, django
from django.conf import settings
from django.core.management import call_command
django.setup()
out = io.StringIO()
call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=out)
print(json.dumps({"check": out.getvalue(), "settings": {name: getattr(settings, name) for name in (
    "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE", "SESSION_SAVE_EVERY_REQUEST", "SESSION_COOKIE_AGE",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS")}}))
"""


def _run(env_overrides):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "talentmatch.settings.production", **env_overrides}
    env.pop("DEBUG", None)
    # The browser tests set this in the pytest process for Playwright's event loop; a deployment does not.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_check_deploy_reports_no_issue_at_warning_level():
    result = _run({"SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "example.org"})
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert "no issues" in answer["check"], answer["check"]
    values = answer["settings"]
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax" and values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["CSRF_COOKIE_SECURE"] and values["CSRF_COOKIE_HTTPONLY"]
    assert values["SESSION_SAVE_EVERY_REQUEST"] and 0 < values["SESSION_COOKIE_AGE"] <= 12 * 3600
    assert values["SECURE_SSL_REDIRECT"] and values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] and values["X_FRAME_OPTIONS"] == "DENY"


@pytest.mark.parametrize("key", ["", "short-key", "dev-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz",
                                 "ab" * 40])
def test_production_refuses_to_start_with_a_weak_secret_key(key):
    result = _run({"SECRET_KEY": key, "ALLOWED_HOSTS": "example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
