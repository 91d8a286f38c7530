"""Production settings: refuse to start without secrets, pass Django's deployment checklist with them.

Each case runs ``manage.py`` in a subprocess, because settings are read once per process.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = "talentmatch.settings.production"


def manage(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    """Run ``manage.py`` with exactly the given variables on top of a clean environment."""
    base = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}}
    base.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}", "TALENTMATCH_EAGER_NOTICE": "0"})
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def production_env() -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": PRODUCTION,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "talentmatch.example.cn",
    }


def test_production_refuses_to_start_without_secret_key(production_env, tmp_path):
    del production_env["SECRET_KEY"]
    result = manage("check", env=production_env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    "weak_key",
    ["short-key", "dev-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz-and-more"],
    ids=["too-short", "the-development-default"],
)
def test_production_refuses_a_weak_secret_key(production_env, tmp_path, weak_key):
    production_env["SECRET_KEY"] = weak_key
    result = manage("check", env=production_env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(production_env, tmp_path):
    del production_env["ALLOWED_HOSTS"]
    result = manage("check", env=production_env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_passes_the_deployment_checklist(production_env, tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_forces_debug_off_and_secure_cookies(production_env, tmp_path):
    production_env["DEBUG"] = "1"
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS > 0)"
    )
    result = manage("shell", "-v", "0", "-c", code, env=production_env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "True"]


def test_development_settings_start_without_any_variables(tmp_path):
    result = manage("check", env={"DJANGO_SETTINGS_MODULE": "talentmatch.settings.base"}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
