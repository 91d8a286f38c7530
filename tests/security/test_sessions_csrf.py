"""Sessions (cookie flags, a new id at login, idle timeout) and CSRF on every unsafe request.

The CSRF test walks the whole URLconf: every page (Django's views, the admin) and every API operation gets
unsafe requests from a signed-in session without a CSRF token, and each must answer 403 for CSRF.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern
from django.utils import timezone
from rest_framework.views import APIView

from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
UNSAFE = ("post", "put", "patch", "delete")


def _login(client, user):
    return client.post(LOGIN, {"username": user.email, "password": PASSWORD})


def test_session_cookie_is_httponly_and_samesite_and_csrf_cookie_is_samesite(client, student):
    response = _login(client, student)
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE
    page = Client().get(LOGIN)
    assert page.cookies[settings.CSRF_COOKIE_NAME]["samesite"] == "Lax"


def test_session_cookie_is_secure_with_production_flags(client, student, settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    response = _login(client, student)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["secure"] is True


def test_login_gives_a_new_session_id(client, student):
    client.get(LOGIN)
    session = client.session
    session["visited"] = True  # an anonymous session exists before signing in (fixation attempt)
    session.save()
    before = session.session_key
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == before
    assert _login(client, student).status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert Session.objects.get(session_key=after).get_decoded()["_auth_user_id"] == str(student.pk)


def test_an_idle_session_expires_and_activity_extends_it(client, student):
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_COOKIE_AGE <= 12 * 3600
    _login(client, student)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    dashboard = "/en/dashboard/"
    assert client.get(dashboard).status_code == 200

    # Activity: a request an hour before expiry pushes the expiry a full SESSION_COOKIE_AGE from now.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(hours=1))
    assert client.get(dashboard).status_code == 200
    renewed = Session.objects.get(session_key=key).expire_date
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs((renewed - expected).total_seconds()) < 60

    # Idle for longer than SESSION_COOKIE_AGE: the stored expiry has passed and the session is gone.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(dashboard)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- CSRF on every unsafe request ----------------------------------------------------------------------------


def _walk(patterns, prefix=""):
    for pattern in patterns:
        part = _sample(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + part)
        else:
            yield prefix + part, pattern


def _sample(pattern) -> str:
    """A concrete path for one URL pattern part: 1 for every parameter, the first choice of an alternation."""
    text = str(pattern)
    if isinstance(pattern, RegexPattern):
        text = re.sub(r"\(\?P<\w+>([\w|-]+)\)", lambda m: m.group(1).split("|")[0], text)
        text = re.sub(r"\(\?P<\w+>[^)]*\)", "1", text)
        text = text.lstrip("^").rstrip("$").replace("\\.", ".").replace("\\Z", "")
        return text
    return re.sub(r"<(?:\w+:)?\w+>", "1", text)


def _patterns():
    seen, result = set(), []
    for path, pattern in _walk(get_resolver().url_patterns):
        url = "/" + path
        if url in seen:
            continue
        seen.add(url)
        result.append((url, pattern))
    return result


def _is_drf(callback) -> bool:
    cls = getattr(callback, "cls", None)
    return isinstance(cls, type) and issubclass(cls, APIView)


def test_the_url_walk_reaches_every_pattern():
    patterns = _patterns()
    unresolved = []
    for url, pattern in patterns:
        try:
            match = resolve(url)
        except Resolver404:
            unresolved.append(url)
            continue
        if match.func is not pattern.callback:
            unresolved.append(url)
    assert len(patterns) > 100
    assert unresolved == [], unresolved


def test_only_api_views_are_csrf_exempt_and_they_authenticate_sessions_with_csrf():
    from rest_framework.authentication import SessionAuthentication

    exempt = [(url, p.callback) for url, p in _patterns() if getattr(p.callback, "csrf_exempt", False)]
    assert exempt
    for url, callback in exempt:
        assert _is_drf(callback), f"{url} is csrf_exempt but not a DRF view"
        classes = callback.cls().get_authenticators()
        # Either sessions are accepted, and then SessionAuthentication enforces CSRF, or cookies are not used.
        assert all(isinstance(a, SessionAuthentication) or "session" not in type(a).__name__.lower()
                   for a in classes), url


@pytest.fixture
def csrf_client(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    return client


def test_every_page_refuses_unsafe_requests_without_a_csrf_token(csrf_client):
    pages = [(url, p) for url, p in _patterns() if not _is_drf(p.callback)]
    assert len(pages) > 50
    failures = []
    for url, _pattern in pages:
        response = csrf_client.post(url, {"anything": "1"})
        if response.status_code != 403 or b"CSRF" not in response.content:
            failures.append((url, response.status_code))
    assert failures == [], failures


def test_every_api_operation_refuses_session_requests_without_a_csrf_token(csrf_client):
    operations = [(url, p) for url, p in _patterns() if _is_drf(p.callback)]
    assert len(operations) > 30
    failures, checked = [], 0
    for url, _pattern in operations:
        for method in UNSAFE:
            response = getattr(csrf_client, method)(url, data={}, content_type="application/json")
            checked += 1
            detail = str((getattr(response, "data", None) or {}).get("detail", ""))  # DRF's Response keeps .data
            if response.status_code != 403 or "CSRF Failed" not in detail:
                failures.append((method.upper(), url, response.status_code))
    assert failures == [], failures
    assert checked == 4 * len(operations)


def test_the_same_session_request_with_a_token_passes_the_csrf_check(admin_user):
    """Control: the 403s above come from the missing token, not from the account."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    client.get("/en/accounts/password/change/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post("/api/v1/notifications/read-all/", HTTP_X_CSRFTOKEN=token)
    assert response.status_code != 403
    assert client.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token}).status_code == 302


def test_token_authenticated_api_requests_need_no_csrf_token(student):
    """API clients using ``Authorization: Token`` carry no ambient credential, so CSRF does not apply."""
    factories.StudentFactory()
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/auth/token/", {"email": student.email, "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert client.post("/api/v1/notifications/read-all/",
                       HTTP_AUTHORIZATION=f"Token {token}").status_code != 403
