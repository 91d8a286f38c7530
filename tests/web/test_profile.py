"""The student profile pages and the skill editor; every write goes through apps.talent.services."""

import pytest

from apps.talent.models import ProfileLanguage, ProfileSkill, StudentProfile


@pytest.fixture
def student_client(client_for, student):
    return client_for(student)


def _skills(student):
    return dict(ProfileSkill.objects.filter(profile__user=student).values_list("skill__code", "level"))


@pytest.mark.django_db
def test_edit_profile_saves_fields_and_preferences(student_client, student):
    response = student_client.post("/en/profile/edit/", {
        "full_name": "Zhang Min", "phone": "13800000000", "school": "City Vocational College",
        "major": "Cross-border e-commerce", "graduation_year": "2026", "city": "Ningbo", "bio": "I ran a shop.",
        "pref_locations": ["city_centre"], "pref_job_types": ["full_time", "internship"],
        "pref_markets": ["rcep", "middle_east"], "remote_ok": "on",
    })
    assert response.status_code == 302 and response["Location"] == "/en/profile/"
    profile = StudentProfile.objects.get(user=student)
    assert profile.major == "Cross-border e-commerce" and profile.graduation_year == 2026
    assert profile.pref_markets == ["rcep", "middle_east"] and profile.pref_job_types == ["full_time", "internship"]
    student.refresh_from_db()
    assert student.full_name == "Zhang Min" and student.phone == "13800000000"
    body = student_client.get("/en/profile/").content.decode()
    assert "Cross-border e-commerce" in body and "Internship" in body


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "field"), [
    ({"graduation_year": "1800"}, "graduation_year"),
    ({"graduation_year": "next year"}, "graduation_year"),
    ({"pref_markets": ["atlantis"]}, "pref_markets"),
    ({"full_name": ""}, "full_name"),
    ({"bio": "x" * 2001}, "bio"),
])
def test_edit_profile_shows_field_errors_and_keeps_the_stored_profile(student_client, student, data, field):
    StudentProfile.objects.filter(user=student).update(major="Logistics")
    payload = {"full_name": "Zhang Min", "major": "Changed", **data}
    response = student_client.post("/en/profile/edit/", payload)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert StudentProfile.objects.get(user=student).major == "Logistics"


@pytest.mark.django_db
def test_contact_details_are_hidden_by_default_and_consent_is_saved(student_client, student):
    assert StudentProfile.objects.get(user=student).contact_visible_to_firms is False
    body = student_client.get("/en/profile/privacy/").content.decode()
    assert "Off by default" in body
    response = student_client.post("/en/profile/privacy/", {"visibility": "hidden", "contact_visible_to_firms": "on"})
    assert response.status_code == 302
    profile = StudentProfile.objects.get(user=student)
    assert (profile.visibility, profile.matching_opt_in, profile.contact_visible_to_firms) == ("hidden", False, True)
    response = student_client.post("/en/profile/privacy/", {"visibility": "everyone"})
    assert response.status_code == 200 and response.context["form"].errors["visibility"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["ＡＥ运营", "ＡｌｉＥｘｐｒｅｓｓ", "速卖通"])
def test_add_a_skill_by_an_alias_in_full_width_or_chinese(student_client, student, name):
    response = student_client.post("/en/profile/skills/add/", {"name": name, "level": "4"})
    assert response.status_code == 302
    assert _skills(student) == {"platform.aliexpress": 4}
    row = ProfileSkill.objects.get(profile__user=student)
    assert row.source == "self"
    body = student_client.get("/profile/skills/").content.decode()
    assert "速卖通运营" in body and "自评" in body


@pytest.mark.django_db
def test_add_a_skill_picked_from_the_search_list_by_code(student_client, student):
    response = student_client.post("/en/profile/skills/add/", {"name": "whatever the box says",
                                                               "code": "platform.amazon_seller_central", "level": "2"})
    assert response.status_code == 302
    assert _skills(student) == {"platform.amazon_seller_central": 2}


@pytest.mark.django_db
def test_unknown_skill_shows_the_error_with_suggestions(student_client, student):
    response = student_client.post("/en/profile/skills/add/", {"name": "Amazn", "level": "3"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "We do not know a skill called “Amazn”" in body
    suggested = [skill.code for skill in response.context["add_form"].suggestions]
    assert "platform.amazon_seller_central" in suggested
    assert 'name="pick" value="platform.amazon_seller_central"' in body
    # Clicking a suggestion adds it.
    response = student_client.post("/en/profile/skills/add/", {"name": "Amazn", "level": "3",
                                                               "pick": "platform.amazon_seller_central"})
    assert response.status_code == 302 and _skills(student) == {"platform.amazon_seller_central": 3}


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "message"), [
    ({"name": "", "level": "3"}, "Type the name of a skill."),
    ({"name": "速卖通", "level": "9"}, "Select a valid choice."),
    ({"name": "English", "level": "3"}, "is a language: add it under languages"),
])
def test_add_skill_bad_input_shows_errors(student_client, student, data, message):
    response = student_client.post("/en/profile/skills/add/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _skills(student) == {}


@pytest.mark.django_db
def test_change_level_and_remove(student_client, student, skill):
    aliexpress = skill("platform.aliexpress")
    student_client.post("/en/profile/skills/add/", {"name": "速卖通", "level": "2"})
    response = student_client.post(f"/en/profile/skills/{aliexpress.pk}/level/", {f"s{aliexpress.pk}-level": "5"})
    assert response.status_code == 302 and _skills(student) == {"platform.aliexpress": 5}
    response = student_client.post(f"/en/profile/skills/{aliexpress.pk}/remove/")
    assert response.status_code == 302 and _skills(student) == {}
    assert student_client.post(f"/en/profile/skills/{aliexpress.pk}/remove/").status_code == 404


@pytest.mark.django_db
def test_a_course_confirmed_level_cannot_be_lowered(student_client, student, skill):
    aliexpress = skill("platform.aliexpress")
    ProfileSkill.objects.create(profile=student.profile, skill=aliexpress, level=4, source="course")
    response = student_client.post(f"/en/profile/skills/{aliexpress.pk}/level/", {f"s{aliexpress.pk}-level": "2"},
                                   follow=True)
    assert "cannot be lowered here" in response.content.decode()
    row = ProfileSkill.objects.get(profile=student.profile, skill=aliexpress)
    assert (row.level, row.source) == (4, "course")


@pytest.mark.django_db
def test_languages_with_cefr(student_client, student, skill):
    english = skill("lang.en")
    response = student_client.post("/en/profile/languages/add/", {"language": english.pk, "cefr": "4"})
    assert response.status_code == 302
    assert ProfileLanguage.objects.get(profile__user=student, language=english).cefr == 4
    assert "B2" in student_client.get("/en/profile/skills/").content.decode()
    response = student_client.post("/en/profile/languages/add/", {"language": skill("platform.aliexpress").pk,
                                                                   "cefr": "4"})
    assert response.status_code == 200 and response.context["language_form"].errors["language"]
    student_client.post(f"/en/profile/languages/{english.pk}/remove/")
    assert not ProfileLanguage.objects.filter(profile__user=student).exists()


@pytest.mark.django_db
def test_suggest_skills_from_the_bio_and_add_the_ticked_ones(student_client, student):
    StudentProfile.objects.filter(user=student).update(
        bio="在学校运营过速卖通和亚马逊店铺，负责选品和Listing优化，熟悉Excel，英语CET-6")
    response = student_client.get("/en/profile/skills/suggest/")
    suggested = {s.code for s in response.context["suggestions"]}
    assert {"platform.aliexpress", "platform.amazon_seller_central", "product.product_selection"} <= suggested
    assert "lang.en" not in suggested  # languages need a CEFR level: mentioned separately
    assert "English" in response.content.decode()
    response = student_client.post("/en/profile/skills/add-suggested/", {
        "skills": ["platform.aliexpress", "product.product_selection"], "level": "2"})
    assert response.status_code == 302
    assert _skills(student) == {"platform.aliexpress": 2, "product.product_selection": 2}


@pytest.mark.django_db
def test_suggest_without_a_bio_asks_for_one(student_client):
    response = student_client.get("/en/profile/skills/suggest/")
    assert response.status_code == 302 and response["Location"] == "/en/profile/edit/"


@pytest.mark.django_db
def test_university_sees_only_its_own_students(client_for, university_user, university):
    from tests import factories

    mine = factories.StudentFactory(full_name="Own Student")
    StudentProfile.objects.filter(user=mine).update(university=university)
    factories.StudentFactory(full_name="Someone Else")
    body = client_for(university_user).get("/en/profile/students/").content.decode()
    assert "Own Student" in body and "Someone Else" not in body
    assert mine.email not in body  # contact details stay private


@pytest.mark.django_db
def test_a_name_of_two_skills_asks_to_pick_one(student_client, student, skill):
    from apps.skills.models import SkillAlias

    for code in ("platform.aliexpress", "platform.amazon_seller_central"):
        SkillAlias.objects.create(skill=skill(code), alias="Big Shop", language="en", kind="alias",
                                  normalized="big shop")
    response = student_client.post("/en/profile/skills/add/", {"name": "ＢＩＧ ｓｈｏｐ", "level": "3"})
    assert "names more than one skill; pick one below" in response.content.decode()
    assert {s.code for s in response.context["add_form"].suggestions} >= {
        "platform.aliexpress", "platform.amazon_seller_central"}
    assert _skills(student) == {}
