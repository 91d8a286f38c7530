"""Sign-up per role, sign-in by email, logout, password reset and change."""

import re

import pytest
from django.core import mail

from apps.accounts.models import Organisation, User
from tests import factories

GOOD_PASSWORD = "a-long-enough-passphrase-42"


def _signup(client, role, **extra):
    data = {"full_name": "Lin Wei", "email": f"{role}@example.org", "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD, **extra}
    return client.post(f"/en/accounts/signup/{role}/", data)


@pytest.mark.django_db
def test_student_sign_up_logs_in_and_opens_the_skill_editor(client):
    response = _signup(client, "student")
    assert response.status_code == 302 and response["Location"] == "/en/profile/skills/"
    user = User.objects.get(email="student@example.org")
    assert user.account_type == "student" and user.profile is not None
    assert client.get("/en/profile/skills/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["firm", "university", "government"])
def test_organisation_sign_up_lands_on_the_pending_page(client, role):
    response = _signup(client, role, organisation_name=f"{role.title()} Org Ltd", firm_category="")
    assert response.status_code == 302 and response["Location"] == "/en/accounts/pending/"
    organisation = Organisation.objects.get(name=f"{role.title()} Org Ltd")
    assert organisation.status == "pending" and organisation.kind == role
    body = client.get(response["Location"]).content.decode()
    assert "awaits approval by a platform admin" in body


@pytest.mark.django_db
def test_sign_up_in_chinese_stores_the_preferred_language(client):
    client.post("/accounts/signup/student/", {"full_name": "李雷", "email": "li@example.org",
                                               "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert User.objects.get(email="li@example.org").preferred_language == "zh-hans"


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "data", "field", "message"), [
    ("student", {"email": "not-an-email"}, "email", "Enter a valid email address."),
    ("student", {"password2": "something-else-entirely"}, "password2", "The two passwords differ."),
    ("student", {"password1": "12345678", "password2": "12345678"}, "password1", "This password is too short"),
    ("firm", {"organisation_name": ""}, "organisation_name", "This field is required."),
    ("student", {"full_name": ""}, "full_name", "This field is required."),
])
def test_sign_up_shows_field_errors(client, role, data, field, message):
    payload = {"full_name": "Lin Wei", "email": "lin@example.org", "password1": GOOD_PASSWORD,
               "password2": GOOD_PASSWORD, "organisation_name": "Acme", **data}
    response = client.post(f"/en/accounts/signup/{role}/", payload)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not User.objects.filter(email="lin@example.org").exists()


@pytest.mark.django_db
def test_sign_up_refuses_a_taken_email_and_a_registered_organisation(client):
    factories.StudentFactory(email="taken@example.org")
    factories.FirmFactory(name="Already There Ltd")
    response = client.post("/en/accounts/signup/firm/", {
        "full_name": "X", "email": "TAKEN@example.org", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD,
        "organisation_name": "already there ltd"})
    errors = response.context["form"].errors
    assert "already exists" in errors["email"][0]
    assert "already registered" in errors["organisation_name"][0]


@pytest.mark.django_db
def test_sign_up_errors_are_translated(client):
    response = client.post("/accounts/signup/student/", {"full_name": "x", "email": "a@b.cn",
                                                         "password1": GOOD_PASSWORD, "password2": "other-one-9876"})
    assert "两次输入的密码不一致" in response.content.decode()


@pytest.mark.django_db
def test_unknown_sign_up_role_is_404(client):
    assert client.get("/en/accounts/signup/admin/").status_code == 404


@pytest.mark.django_db
def test_login_with_email_in_any_case_then_logout_by_post(client):
    user = factories.StudentFactory(email="mei@example.org")
    response = client.post("/en/accounts/login/", {"username": "MEI@Example.org", "password": factories.PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/en/dashboard/"  # stays in English
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get("/en/accounts/logout/").status_code == 405  # logging out needs a POST
    response = client.post("/en/accounts/logout/")
    assert response.status_code == 302 and "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_wrong_password_shows_a_message(client):
    factories.StudentFactory(email="mei@example.org")
    response = client.post("/accounts/login/", {"username": "mei@example.org", "password": "wrong-password-1"})
    assert response.status_code == 200
    assert "电子邮箱或密码错误" in response.content.decode()


@pytest.mark.django_db
def test_password_reset_sends_a_working_link(client):
    factories.StudentFactory(email="reset@example.org")
    response = client.post("/en/accounts/password/reset/", {"email": "reset@example.org"})
    assert response.status_code == 302 and response["Location"] == "/en/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1 and "Reset your TalentMatch password" in mail.outbox[0].subject
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200 and "Choose a new password" in response.content.decode()
    set_url = response.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/en/accounts/password/reset/done/"
    assert User.objects.get(email="reset@example.org").check_password(GOOD_PASSWORD)


@pytest.mark.django_db
def test_password_change(client_for, student):
    client = client_for(student)
    response = client.post("/en/accounts/password/change/", {
        "old_password": "wrong", "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert response.status_code == 200 and response.context["form"].errors["old_password"]
    response = client.post("/en/accounts/password/change/", {
        "old_password": factories.PASSWORD, "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.check_password(GOOD_PASSWORD)
