"""Firm vacancy editor, publishing rules, and public browsing; writes go through apps.jobs.services."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.jobs.models import Vacancy, VacancyLanguage, VacancySkill
from tests import factories


def form_data(*, skills=(), languages=(), action="save", **fields):
    """POST data of the editor: vacancy fields plus the two formsets.

    ``skills``: (name, code, min_level, weight, required); ``languages``: (language_pk, min_cefr).
    """
    data = {
        "title": "Amazon store operator", "description": "", "job_type": "full_time", "openings": "2",
        "location": "", "salary_min": "", "salary_max": "", "deadline": "", "external_id": "", "action": action,
        "skills-TOTAL_FORMS": str(len(skills)), "skills-INITIAL_FORMS": "0", "skills-MIN_NUM_FORMS": "0",
        "skills-MAX_NUM_FORMS": "40",
        "languages-TOTAL_FORMS": str(len(languages)), "languages-INITIAL_FORMS": "0",
        "languages-MIN_NUM_FORMS": "0", "languages-MAX_NUM_FORMS": "12",
    }
    data.update(fields)
    for i, (name, code, level, weight, required) in enumerate(skills):
        data.update({f"skills-{i}-name": name, f"skills-{i}-code": code, f"skills-{i}-min_level": str(level),
                     f"skills-{i}-weight": str(weight)})
        if required:
            data[f"skills-{i}-required"] = "on"
    for i, (language, cefr) in enumerate(languages):
        data.update({f"languages-{i}-language": str(language), f"languages-{i}-min_cefr": str(cefr)})
    return data


@pytest.fixture
def firm_client(client_for, firm_user):
    return client_for(firm_user)


@pytest.mark.django_db
def test_create_a_draft_with_skills_and_languages(firm_client, firm, skill):
    english = skill("lang.en")
    response = firm_client.post("/en/vacancies/new/", form_data(
        skills=[("速卖通", "", 4, 2.0, True), ("", "product.product_selection", 3, 1, False), ("", "", 3, 1, True)],
        languages=[(english.pk, 4)], markets=["rcep", "middle_east"], salary_min="6000", salary_max="9000",
        location="city_centre"))
    vacancy = Vacancy.objects.get(firm=firm)
    assert response.status_code == 302 and response["Location"] == f"/en/vacancies/{vacancy.pk}/"
    assert vacancy.status == "draft" and vacancy.markets == ["rcep", "middle_east"]
    rows = {r.skill.code: (r.min_level, r.weight, r.required) for r in VacancySkill.objects.filter(vacancy=vacancy)}
    assert rows == {"platform.aliexpress": (4, 2.0, True), "product.product_selection": (3, 1.0, False)}
    assert VacancyLanguage.objects.get(vacancy=vacancy).min_cefr == 4
    body = firm_client.get(response["Location"]).content.decode()
    assert "AliExpress" in body and "Nice to have" in body and "¥6,000–9,000" in body


@pytest.mark.django_db
@pytest.mark.parametrize(("fields", "skills", "where", "message"), [
    ({"title": ""}, [], "form", "This field is required."),
    ({"salary_min": "9000", "salary_max": "6000"}, [], "form", "The upper salary is below the lower one."),
    ({"openings": "0"}, [], "form", "Ensure this value is greater than or equal to 1."),
    ({"deadline": "31/02/2026"}, [], "form", "Enter a valid date."),
    ({"markets": ["atlantis"]}, [], "form", "Select a valid choice."),
    ({}, [("no such skill at all", "", 3, 1, True)], "row", "Unknown skill “no such skill at all”"),
    ({}, [("速卖通", "", 3, 99, True)], "row", "less than or equal to 10"),
    ({}, [("English", "", 3, 1, True)], "row", "is a language: add it under languages"),
    ({}, [("速卖通", "", 3, 1, True), ("AliExpress", "", 2, 1, False)], "formset", "listed twice (rows 1 and 2)"),
])
def test_bad_input_shows_errors_and_saves_nothing(firm_client, firm, fields, skills, where, message):
    response = firm_client.post("/en/vacancies/new/", form_data(skills=skills, **fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "nothing was saved" in response.content.decode()
    assert not Vacancy.objects.filter(firm=firm).exists()


@pytest.mark.django_db
def test_edit_keeps_rows_and_replaces_requirements(firm_client, firm_user, firm, skill):
    vacancy = factories.VacancyFactory(firm=firm, status="draft", published_at=None)
    factories.require_skills(vacancy, required={"platform.aliexpress": (3, 1.0)})
    page = firm_client.get(f"/en/vacancies/{vacancy.pk}/edit/")
    assert page.status_code == 200 and 'value="platform.aliexpress"' in page.content.decode()
    response = firm_client.post(f"/en/vacancies/{vacancy.pk}/edit/", form_data(
        title="Renamed", skills=[("", "platform.aliexpress", 5, 1, True)]))
    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.title == "Renamed"
    assert list(vacancy.skills.values_list("skill__code", "min_level")) == [("platform.aliexpress", 5)]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["edit/", "delete/"])
def test_a_firm_cannot_edit_another_firms_vacancy(client_for, other_firm_user, firm, path):
    vacancy = factories.VacancyFactory(firm=firm)
    client = client_for(other_firm_user)
    assert client.get(f"/en/vacancies/{vacancy.pk}/{path}").status_code == 404
    assert client.post(f"/en/vacancies/{vacancy.pk}/{path}", form_data()).status_code == 404
    for action in ("publish", "close"):
        assert client.post(f"/en/vacancies/{vacancy.pk}/{action}/").status_code == 404
    vacancy.refresh_from_db()
    assert vacancy.title.startswith("Cross-border operator") and vacancy.status == "open"


@pytest.mark.django_db
def test_publishing_while_the_firm_is_pending_shows_the_message(client_for, pending_firm_user):
    client = client_for(pending_firm_user)
    response = client.post("/en/vacancies/new/", form_data(skills=[("速卖通", "", 3, 1, True)], action="publish"),
                           follow=True)
    vacancy = Vacancy.objects.get(firm=pending_firm_user.primary_organisation)
    assert vacancy.status == "draft"  # saved, not published
    body = response.content.decode()
    assert "Your firm is waiting for approval by a platform admin; you can publish once it is approved." in body
    assert "The vacancy is saved as a draft." in body
    response = client.post(f"/vacancies/{vacancy.pk}/publish/", follow=True)
    assert "您的企业正在等待平台管理员审核；审核通过后即可发布。" in response.content.decode()
    vacancy.refresh_from_db()
    assert vacancy.status == "draft"


@pytest.mark.django_db
def test_publish_needs_a_skill_then_opens_and_close_removes_from_browsing(firm_client, firm):
    vacancy = factories.VacancyFactory(firm=firm, status="draft", published_at=None, title="Shopee assistant")
    response = firm_client.post(f"/en/vacancies/{vacancy.pk}/publish/", follow=True)
    assert "Add at least one skill before publishing." in response.content.decode()
    factories.require_skills(vacancy, required={"platform.shopee": (3, 1.0)})
    response = firm_client.post(f"/en/vacancies/{vacancy.pk}/publish/", follow=True)
    assert "The vacancy is published" in response.content.decode()
    vacancy.refresh_from_db()
    assert vacancy.status == "open" and vacancy.published_at
    assert "Shopee assistant" in firm_client.get("/en/vacancies/").content.decode()
    response = firm_client.post(f"/en/vacancies/{vacancy.pk}/close/", follow=True)
    assert "no longer appears in browsing" in response.content.decode()
    vacancy.refresh_from_db()
    assert vacancy.status == "closed"
    assert "Shopee assistant" not in firm_client.get("/en/vacancies/").content.decode()


@pytest.mark.django_db
def test_delete_asks_first(firm_client, firm):
    vacancy = factories.VacancyFactory(firm=firm, title="To be removed")
    response = firm_client.get(f"/en/vacancies/{vacancy.pk}/delete/")
    assert "This cannot be undone" in response.content.decode()
    assert Vacancy.objects.filter(pk=vacancy.pk).exists()
    response = firm_client.post(f"/en/vacancies/{vacancy.pk}/delete/")
    assert response.status_code == 302 and not Vacancy.objects.filter(pk=vacancy.pk).exists()


@pytest.mark.django_db
def test_suggest_from_the_description_adds_rows_without_saving(firm_client, firm):
    data = form_data(skills=[("速卖通", "", 4, 1, True)], action="suggest",
                     description="运营速卖通和亚马逊店铺，负责选品，英语流利")
    response = firm_client.post("/en/vacancies/new/", data)
    assert response.status_code == 200 and not Vacancy.objects.filter(firm=firm).exists()
    rows = response.context["skill_rows"].initial
    codes = [row["code"] for row in rows]
    assert codes[0] == "" and rows[0]["name"] == "速卖通"  # what was typed stays first
    assert "platform.amazon_seller_central" in codes and "product.product_selection" in codes
    assert "platform.aliexpress" not in codes[1:]  # already there by name, not added twice
    languages = response.context["language_rows"].initial
    assert len(languages) == 1
    assert response.context["form"]["description"].value() == "运营速卖通和亚马逊店铺，负责选品，英语流利"


@pytest.mark.django_db
def test_firm_list_filters_by_status(firm_client, firm):
    factories.VacancyFactory(firm=firm, title="Open one")
    factories.VacancyFactory(firm=firm, title="Draft one", status="draft")
    factories.VacancyFactory(title="Someone else's")
    body = firm_client.get("/en/vacancies/mine/?status=draft").content.decode()
    assert "Draft one" in body and "Open one" not in body and "Someone else" not in body
    body = firm_client.get("/en/vacancies/mine/?status=bogus").content.decode()
    assert "Draft one" in body and "Open one" in body


@pytest.mark.django_db
def test_browsing_shows_open_vacancies_only(client):
    factories.VacancyFactory(title="Open vacancy")
    factories.VacancyFactory(title="Draft vacancy", status="draft")
    factories.VacancyFactory(title="Expired vacancy", deadline=timezone.localdate() - timedelta(days=1))
    factories.VacancyFactory(title="Pending firm vacancy", firm=factories.FirmFactory(status="pending"))
    body = client.get("/en/vacancies/").content.decode()
    assert "Open vacancy" in body
    for hidden in ("Draft vacancy", "Expired vacancy", "Pending firm vacancy"):
        assert hidden not in body
    draft = Vacancy.objects.get(title="Draft vacancy")
    assert client.get(f"/en/vacancies/{draft.pk}/").status_code == 404


@pytest.mark.django_db
def test_browsing_filters(client):
    firm = factories.FirmFactory(name="Filter Firm")
    a = factories.VacancyFactory(title="Alpha", firm=firm, remote=True, markets=["rcep"], location="city_centre",
                                 job_type="internship")
    factories.require_skills(a, required={"platform.aliexpress": (3, 1.0)})
    b = factories.VacancyFactory(title="Bravo", markets=["middle_east"], description="customs declaration work")
    factories.require_skills(b, required={"customs.customs_declaration": (3, 1.0)})

    def titles(query):
        response = client.get("/en/vacancies/" + query)
        assert response.status_code == 200
        return {v.title for v in response.context["page_obj"]}

    assert titles("") == {"Alpha", "Bravo"}
    assert titles("?skill=ＡＥ运营") == {"Alpha"}
    assert titles("?category=customs") == {"Bravo"}
    assert titles("?market=rcep") == {"Alpha"}
    assert titles("?remote=on") == {"Alpha"}
    assert titles("?job_type=internship") == {"Alpha"}
    assert titles("?location=city_centre") == {"Alpha"}
    assert titles(f"?firm={firm.pk}") == {"Alpha"}
    assert titles("?q=customs") == {"Bravo"}
    assert titles("?q=filter+firm") == {"Alpha"}


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?page=abc", "?page=999", "?firm=abc", "?market=atlantis", "?skill=nonsense-xyz",
                                   "?category=nope&job_type=forever", "?q=" + "x" * 500])
def test_bad_filters_never_fail(client, query):
    factories.VacancyFactory(title="Still listed")
    response = client.get("/en/vacancies/" + query)
    assert response.status_code == 200


@pytest.mark.django_db
def test_unknown_skill_filter_explains_itself(client):
    response = client.get("/en/vacancies/?skill=Amazn")
    assert "Unknown skill “Amazn”" in response.content.decode()
    assert "amazon_seller_central" in response.content.decode()


@pytest.mark.django_db
def test_detail_shows_skills_levels_languages_firm_salary_deadline(client, skill):
    deadline = timezone.localdate() + timedelta(days=20)
    vacancy = factories.VacancyFactory(title="Detail", salary_min=5000, salary_max=8000, deadline=deadline,
                                       firm=factories.FirmFactory(name="Detail Firm"))
    factories.require_skills(vacancy, required={"platform.aliexpress": (4, 2.0)},
                             optional={"product.product_selection": (2, 1.0)})
    VacancyLanguage.objects.create(vacancy=vacancy, language=skill("lang.es"), min_cefr=3)
    body = client.get(f"/vacancies/{vacancy.pk}/").content.decode()
    for text in ("速卖通运营", "4 · 熟练", "加分技能", "西班牙语", "≥ B1", "Detail Firm", "¥5000–8000/月",
                 deadline.strftime("%Y-%m-%d")):
        assert text in body, text


@pytest.mark.django_db
def test_browsing_uses_a_constant_number_of_queries(client):
    for _ in range(3):
        factories.require_skills(factories.VacancyFactory(), required={"platform.aliexpress": (3, 1.0)})
    client.get("/en/vacancies/")  # fills the cached firm filter
    with CaptureQueriesContext(connection) as few:
        client.get("/en/vacancies/")
    for _ in range(20):
        factories.require_skills(factories.VacancyFactory(), required={"platform.aliexpress": (3, 1.0)},
                                 optional={"product.product_selection": (2, 1.0)})
    with CaptureQueriesContext(connection) as many:
        client.get("/en/vacancies/")
    assert len(many) == len(few)
