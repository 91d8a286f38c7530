"""Passwords: at least 12 characters and not a common password, on sign-up, the API and password change."""

import pytest
from django.urls import reverse

from apps.accounts.forms import SignUpForm
from apps.accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SHORT = "Xq7#mP2!vL9"  # 11 characters, otherwise strong
COMMON = "password1234"  # 12 characters, on Django's list of 20,000 common passwords
GOOD = "Blue-Lantern-Harbour-47"


def _signup(password):
    return SignUpForm({"full_name": "王小明", "email": "new@example.cn", "password1": password,
                       "password2": password}, account_type="student")


def test_signup_form_refuses_short_and_common_passwords():
    short = _signup(SHORT)
    assert not short.is_valid()
    assert "at least 12 characters" in " ".join(short.errors["password1"])
    common = _signup(COMMON)
    assert not common.is_valid()
    assert "too common" in " ".join(common.errors["password1"])
    assert _signup(GOOD).is_valid()


def test_signup_page_creates_no_account_with_a_short_password(client):
    response = client.post(reverse("accounts:signup_role", args=["student"]),
                           {"full_name": "A", "email": "short@example.cn", "password1": SHORT, "password2": SHORT})
    assert response.status_code == 200
    assert not User.objects.filter(email="short@example.cn").exists()


def test_api_sign_up_refuses_a_common_password(client):
    response = client.post("/api/v1/auth/sign-up/", {"email": "api@example.cn", "password": COMMON,
                                                     "full_name": "A", "account_type": "student"},
                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content
    assert "too common" in response.content.decode()
    assert not User.objects.filter(email="api@example.cn").exists()


@pytest.mark.parametrize("new, message", [(SHORT, "at least 12 characters"), (COMMON, "too common")])
def test_password_change_form_refuses_weak_passwords(client, student, new, message):
    client.force_login(student)
    response = client.post(reverse("accounts:password_change"),
                           {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 200
    assert message in response.content.decode()
    student.refresh_from_db()
    assert student.check_password(PASSWORD)


def test_password_change_accepts_a_strong_password(client, student):
    client.force_login(student)
    response = client.post(reverse("accounts:password_change"),
                           {"old_password": PASSWORD, "new_password1": GOOD, "new_password2": GOOD})
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.check_password(GOOD)
