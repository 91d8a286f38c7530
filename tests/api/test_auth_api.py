"""Sign-up, tokens and the caller's own account over the API."""

import pytest
from rest_framework.authtoken.models import Token

from apps.accounts.models import Membership, Organisation, User
from tests import factories

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def test_token_for_email_and_password_then_used_and_revoked(client_for, firm_user):
    client = client_for(None)
    response = client.post(TOKEN_URL, {"email": f"  {firm_user.email.upper()} ", "password": factories.PASSWORD},
                           format="json")
    assert response.status_code == 200
    key = response.data["token"]
    assert Token.objects.get(user=firm_user).key == key
    assert response.data["user"]["email"] == firm_user.email

    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/me/").data["id"] == firm_user.pk
    # signing in again gives the same token
    assert client_for(None).post(TOKEN_URL, {"email": firm_user.email, "password": factories.PASSWORD},
                                 format="json").data["token"] == key

    assert client.delete(TOKEN_URL).status_code == 204
    assert not Token.objects.filter(user=firm_user).exists()
    assert client.get("/api/v1/me/").status_code == 401


@pytest.mark.parametrize("password", ["wrong-password-123", ""])
def test_wrong_credentials_answer_400_with_a_clear_message(client_for, student, password):
    response = client_for(None).post(TOKEN_URL, {"email": student.email, "password": password}, format="json")
    assert response.status_code == 400
    if password:
        assert response.data["non_field_errors"] == ["No active account has this email and password."]
    else:
        assert "password" in response.data
    assert not Token.objects.exists()


def test_inactive_account_cannot_get_a_token(client_for, student):
    student.is_active = False
    student.save()
    response = client_for(None).post(TOKEN_URL, {"email": student.email, "password": factories.PASSWORD},
                                     format="json")
    assert response.status_code == 400


def test_anonymous_gets_401_with_a_token_challenge(client_for):
    response = client_for(None).get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_bad_token_is_refused(client_for):
    client = client_for(None)
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/v1/me/").status_code == 401


def test_me_lists_organisations_with_role_and_approval_status(client_for, pending_firm_user):
    approved = factories.FirmFactory(name="Approved Co.")
    Membership.objects.create(user=pending_firm_user, organisation=approved, role="member")
    data = client_for(pending_firm_user).get("/api/v1/me/").data
    assert data["account_type"] == "firm"
    assert data["is_platform_admin"] is False
    assert data["has_profile"] is False
    by_name = {org["name"]: org for org in data["organisations"]}
    assert by_name["Approved Co."] == {"id": approved.pk, "name": "Approved Co.", "kind": "firm", "role": "member",
                                       "status": "approved"}
    pending = pending_firm_user.memberships.exclude(organisation=approved).get().organisation
    assert by_name[pending.name]["status"] == "pending"
    assert by_name[pending.name]["role"] == "admin"


def test_me_for_a_student(client_for, student):
    data = client_for(student).get("/api/v1/me/").data
    assert (data["account_type"], data["has_profile"], data["organisations"]) == ("student", True, [])


def test_student_sign_up_creates_account_profile_and_token(client_for):
    response = client_for(None).post("/api/v1/auth/sign-up/", {
        "email": "Li.Hua@Example.com", "password": factories.PASSWORD, "full_name": "Li Hua",
        "account_type": "student"}, format="json")
    assert response.status_code == 201, response.data
    user = User.objects.get(email="li.hua@example.com")
    assert user.profile is not None
    assert response.data["token"] == Token.objects.get(user=user).key
    assert response.data["user"]["has_profile"] is True


def test_firm_sign_up_creates_a_pending_firm_with_the_user_as_admin(client_for):
    response = client_for(None).post("/api/v1/auth/sign-up/", {
        "email": "boss@textiles.example", "password": factories.PASSWORD, "full_name": "Wang",
        "account_type": "firm", "organisation_name": "Ningbo Textiles", "firm_category": "manufacturer"},
        format="json")
    assert response.status_code == 201, response.data
    firm = Organisation.objects.get(name="Ningbo Textiles")
    assert (firm.kind, firm.status, firm.firm_category) == ("firm", "pending", "manufacturer")
    assert response.data["user"]["organisations"] == [
        {"id": firm.pk, "name": "Ningbo Textiles", "kind": "firm", "role": "admin", "status": "pending"}]


@pytest.mark.parametrize(("body", "field"), [
    ({"password": "short"}, "password"),
    ({"password": "password123456"}, "password"),  # too common
    ({"email": "not-an-email"}, "email"),
    ({"account_type": "admin"}, "account_type"),
    ({"account_type": "firm"}, "organisation_name"),
    ({"account_type": "firm", "organisation_name": "Firm", "firm_category": "pirates"}, "firm_category"),
    ({"preferred_language": "fr"}, "preferred_language"),
])
def test_sign_up_errors_name_the_field(client_for, body, field):
    payload = {"email": "new@example.com", "password": factories.PASSWORD, "full_name": "New",
               "account_type": "student", **body}
    response = client_for(None).post("/api/v1/auth/sign-up/", payload, format="json")
    assert response.status_code == 400
    assert field in response.data, response.data
    assert not User.objects.filter(email="new@example.com").exists()


def test_sign_up_with_a_taken_email_or_organisation_is_refused_by_the_service(client_for, student, firm):
    taken = client_for(None).post("/api/v1/auth/sign-up/", {
        "email": student.email.upper(), "password": factories.PASSWORD, "account_type": "student"}, format="json")
    assert taken.status_code == 400
    assert taken.data["email"] == ["An account with this email address already exists."]
    org = client_for(None).post("/api/v1/auth/sign-up/", {
        "email": "second@example.com", "password": factories.PASSWORD, "account_type": "firm",
        "organisation_name": firm.name.lower()}, format="json")
    assert org.status_code == 400
    assert "ask its administrator" in org.data["organisation_name"][0]
    assert not User.objects.filter(email="second@example.com").exists()  # the transaction rolled back


def test_organisations_detail_and_filters(client_for, firm, university, pending_firm_user):
    client = client_for(None)
    detail = client.get(f"/api/v1/organisations/{firm.pk}/").data
    assert detail["name"] == firm.name and detail["status"] == "approved"
    kinds = client.get("/api/v1/organisations/", {"kind": "university"}).data
    assert [o["id"] for o in kinds["results"]] == [university.pk]
    assert client.get("/api/v1/organisations/", {"kind": "pirates"}).status_code == 400
    named = client.get("/api/v1/organisations/", {"q": firm.name[:6].lower()}).data
    assert firm.pk in [o["id"] for o in named["results"]] and university.pk not in [o["id"] for o in named["results"]]
    pending = pending_firm_user.primary_organisation
    assert client.get(f"/api/v1/organisations/{pending.pk}/").status_code == 404
    assert client_for(pending_firm_user).get(f"/api/v1/organisations/{pending.pk}/").status_code == 200


def test_answers_follow_accept_language(client_for):
    """The API has no language prefix in its URLs: Accept-Language chooses (Chinese is the default)."""
    body = {"password": factories.PASSWORD, "account_type": "student"}
    zh = client_for(None).post("/api/v1/auth/sign-up/", body, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    en = client_for(None).post("/api/v1/auth/sign-up/", body, format="json")
    assert en.data["email"] == ["This field is required."]
    assert zh.data["email"] == ["该字段是必填项。"]
    assert zh["Content-Language"] == "zh-hans"
