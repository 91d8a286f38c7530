"""The student's own profile over the API: details, preferences, consent, skills and languages."""

import pytest

from apps.talent.models import ProfileLanguage, ProfileSkill, SkillSourceKind
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/profile/"
SKILLS_URL = "/api/v1/profile/skills/"


@pytest.fixture
def client(client_for, student):
    return client_for(student)


def held(profile):
    return {row.skill.code: (row.level, row.source) for row in ProfileSkill.objects.filter(profile=profile)}


def languages(profile):
    return {row.language.code: row.cefr for row in ProfileLanguage.objects.filter(profile=profile)}


def test_get_shows_details_preferences_consent_and_skills(client, student):
    factories.give_skills(student.profile, **{"logistics.fba": 4})
    data = client.get(URL).data
    assert data["email"] == student.email
    assert data["full_name"] == student.full_name
    for field in ("pref_locations", "pref_job_types", "pref_markets", "remote_ok", "visibility", "matching_opt_in",
                  "contact_visible_to_firms", "phone", "school", "graduation_year"):
        assert field in data
    assert data["skills"] == [{"skill": "logistics.fba", "label_en": "Fulfillment by Amazon (FBA)",
                               "label_zh": "亚马逊FBA物流", "level": 4, "source": "self"}]


def test_patch_changes_preferences_consent_name_and_phone(client, student):
    response = client.patch(URL, {
        "full_name": "李华", "phone": "+86 138 0000 0000", "city": "Ningbo", "graduation_year": 2026,
        "pref_locations": ["city_centre"], "pref_markets": ["rcep", "middle_east"], "pref_job_types": ["internship"],
        "visibility": "hidden", "matching_opt_in": False, "contact_visible_to_firms": True}, format="json")
    assert response.status_code == 200, response.data
    student.refresh_from_db()
    profile = student.profile
    profile.refresh_from_db()
    assert (student.full_name, student.phone) == ("李华", "+86 138 0000 0000")
    assert profile.pref_markets == ["rcep", "middle_east"]
    assert (profile.visibility, profile.matching_opt_in, profile.contact_visible_to_firms) == ("hidden", False, True)
    assert response.data["full_name"] == "李华"
    assert response.data["pref_job_types"] == ["internship"]


@pytest.mark.parametrize(("body", "field"), [
    ({"pref_locations": ["atlantis"]}, "pref_locations"),
    ({"pref_markets": ["mars"]}, "pref_markets"),
    ({"pref_markets": "rcep"}, "pref_markets"),
    ({"pref_job_types": ["astronaut"]}, "pref_job_types"),
    ({"visibility": "everyone"}, "visibility"),
    ({"graduation_year": "soon"}, "graduation_year"),
    ({"phone": "1" * 40}, "phone"),
])
def test_patch_errors_name_the_field_and_change_nothing(client, student, body, field):
    response = client.patch(URL, {"city": "Changed", **body}, format="json")
    assert response.status_code == 400
    assert field in response.data, response.data
    student.profile.refresh_from_db()
    assert student.profile.city == ""


def test_read_only_and_unknown_fields_are_not_changed(client, student, university):
    response = client.patch(URL, {"university": university.pk, "email": "x@example.com"}, format="json")
    assert response.status_code == 200
    student.refresh_from_db()
    assert student.profile.university_id is None
    assert student.email != "x@example.com"


def test_put_replaces_self_declared_skills_and_languages_by_any_name(client, student):
    profile = student.profile
    factories.give_skills(profile, **{"marketing.seo": 2})
    ProfileSkill.objects.create(profile=profile, skill_id=_skill("logistics.fba").pk, level=4,
                                source=SkillSourceKind.COURSE)
    response = client.put(SKILLS_URL, {
        "skills": [{"skill": "速卖通", "level": 4}, {"skill": "platform.ebay", "level": "2"}],
        "languages": [{"language": "English", "cefr": "CET-6"}, {"language": "日语", "cefr": "a2"}]}, format="json")
    assert response.status_code == 200, response.data
    assert held(profile) == {"platform.aliexpress": (4, "self"), "platform.ebay": (2, "self"),
                             "logistics.fba": (4, "course")}  # SEO (self) is gone, the course-confirmed one stays
    assert languages(profile) == {"lang.en": 4, "lang.ja": 2}
    assert {row["language"]: row["cefr"] for row in response.data["languages"]} == {"lang.en": "B2", "lang.ja": "A2"}
    assert {row["skill"] for row in response.data["skills"]} == set(held(profile))


def test_put_with_unknown_names_is_a_400_naming_the_item_with_suggestions(client, student):
    factories.give_skills(student.profile, **{"marketing.seo": 2})
    response = client.put(SKILLS_URL, {
        "skills": [{"skill": "SEO", "level": 3}, {"skill": "Amazn seller", "level": 3},
                   {"skill": "English", "level": 3}],
        "languages": [{"language": "Klingon", "cefr": "B2"}, {"language": "English", "cefr": "Z9"}]}, format="json")
    assert response.status_code == 400
    errors = response.json()  # list errors are keyed by the item's position
    unknown = errors["skills"]["1"]["skill"][0]
    assert unknown.startswith("Unknown skill 'Amazn seller'. Did you mean:")
    assert "platform.amazon_seller_central" in unknown
    assert errors["skills"]["2"]["skill"] == ["English is a language: list it under languages with a CEFR level."]
    assert "0" not in errors["skills"]
    assert "Unknown skill 'Klingon'" in errors["languages"]["0"]["language"][0]
    assert "not a CEFR level" in errors["languages"]["1"]["cefr"][0]
    assert held(student.profile) == {"marketing.seo": (2, "self")}  # nothing stored was lost


@pytest.mark.parametrize("body", [
    {"skills": []},
    {"skills": [{"skill": "SEO", "level": 6}], "languages": []},
    {"skills": [{"skill": "SEO"}], "languages": []},
    {"skills": [{"skill": 42, "level": 2}], "languages": []},
    {"skills": "SEO", "languages": []},
])
def test_put_shape_errors_are_400(client, body):
    assert client.put(SKILLS_URL, body, format="json").status_code == 400


def test_put_listing_a_skill_twice_is_refused_by_the_service(client, student):
    response = client.put(SKILLS_URL, {"skills": [{"skill": "SEO", "level": 3}, {"skill": "marketing.seo",
                                                                                  "level": 2}],
                                       "languages": []}, format="json")
    assert response.status_code == 400
    assert "listed twice" in response.data["skills"][0]


def test_put_cannot_lower_a_course_confirmed_level(client, student):
    ProfileSkill.objects.create(profile=student.profile, skill=_skill("logistics.fba"), level=4,
                                source=SkillSourceKind.COURSE)
    response = client.put(SKILLS_URL, {"skills": [{"skill": "FBA", "level": 2}], "languages": []}, format="json")
    assert response.status_code == 400
    assert "cannot be lowered" in response.data["level"][0]
    assert held(student.profile)["logistics.fba"] == (4, "course")


def test_post_adds_or_changes_one_skill_or_language(client, student):
    assert client.post(SKILLS_URL, {"skill": "亚马逊", "level": 2}, format="json").status_code == 200
    assert client.post(SKILLS_URL, {"skill": "Amazon", "level": 5}, format="json").status_code == 200
    response = client.post(SKILLS_URL, {"language": "西班牙语", "cefr": "B1"}, format="json")
    assert response.status_code == 200
    assert held(student.profile) == {"platform.amazon_seller_central": (5, "self")}
    assert languages(student.profile) == {"lang.es": 3}


@pytest.mark.parametrize(("body", "field"), [
    ({}, "non_field_errors"),
    ({"skill": "SEO", "level": 3, "language": "English", "cefr": "B2"}, "non_field_errors"),
    ({"skill": "SEO"}, "level"),
    ({"language": "English"}, "cefr"),
    ({"skill": "Englsh", "level": 3}, "skill"),
    ({"language": "SEO", "cefr": "B2"}, "language"),
])
def test_post_errors_name_the_field(client, body, field):
    response = client.post(SKILLS_URL, body, format="json")
    assert response.status_code == 400
    assert field in response.data, response.data


def test_delete_removes_a_skill_or_a_language(client, student):
    factories.give_skills(student.profile, **{"marketing.seo": 2})
    ProfileLanguage.objects.create(profile=student.profile, language=_skill("lang.en"), cefr=4)
    assert client.delete(f"{SKILLS_URL}marketing.seo/").status_code == 204
    assert client.delete(f"{SKILLS_URL}lang.en/").status_code == 204
    assert held(student.profile) == {} and languages(student.profile) == {}
    missing = client.delete(f"{SKILLS_URL}marketing.seo/")
    assert missing.status_code == 404
    assert missing.data["detail"] == "marketing.seo is not on your profile."
    assert client.delete(f"{SKILLS_URL}no.such.code/").status_code == 404


@pytest.mark.parametrize("role", ["firm_user", "university_user", "government_user", "admin_user"])
def test_non_students_get_403_with_a_clear_message(client_for, request, role):
    response = client_for(request.getfixturevalue(role)).get(URL)
    assert response.status_code == 403
    assert response.data["detail"] == "Only student and trainee accounts have a skill profile."


def test_a_student_without_a_profile_gets_one(client_for):
    user = factories.UserFactory(account_type="student")
    response = client_for(user).get(URL)
    assert response.status_code == 200
    assert user.profile.pk


def _skill(code):
    from apps.skills.models import Skill

    return Skill.objects.get(code=code)
