"""Vacancies over the API: browse and filter, create with nested requirements, change, publish, close, delete."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import Membership
from apps.jobs.models import Vacancy, VacancyStatus
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/vacancies/"


def body(**extra):
    return {"title": "AliExpress operator", "description": "Run our store.", "job_type": "full_time",
            "location": "city_centre", "markets": ["rcep", "middle_east"], "salary_min": 6000, "salary_max": 9000,
            "required_skills": [{"skill": "速卖通", "min_level": 4, "weight": 2}],
            "optional_skills": [{"skill": "SEO"}],
            "languages": [{"language": "English", "min_cefr": "CET-6"}], **extra}


def requirements(vacancy):
    return {(row.skill.code, row.min_level, row.weight, row.required) for row in vacancy.skills.all()}


def test_create_takes_names_implies_the_firm_and_makes_a_draft(client_for, firm_user, firm):
    response = client_for(firm_user).post(URL, body(), format="json")
    assert response.status_code == 201, response.data
    vacancy = Vacancy.objects.get(pk=response.data["id"])
    assert (vacancy.firm, vacancy.status, vacancy.created_by) == (firm, VacancyStatus.DRAFT, firm_user)
    assert requirements(vacancy) == {("platform.aliexpress", 4, 2.0, True), ("marketing.seo", 3, 1.0, False)}
    assert [(row.language.code, row.min_cefr) for row in vacancy.languages.all()] == [("lang.en", 4)]
    data = response.data
    assert (data["firm"], data["firm_name"], data["status"], data["is_open"]) == (firm.pk, firm.name, "draft", False)
    assert data["required_skills"] == [{"skill": "platform.aliexpress", "label_en": "AliExpress",
                                        "label_zh": "速卖通运营", "min_level": 4, "weight": 2.0}]
    assert data["optional_skills"][0]["skill"] == "marketing.seo"
    assert data["languages"] == [{"language": "lang.en", "label_en": "English", "label_zh": "英语", "min_cefr": "B2"}]


def test_a_member_of_several_firms_must_name_one_and_only_their_own(client_for, firm_user, firm, other_firm_user):
    second = factories.FirmFactory()
    Membership.objects.create(user=firm_user, organisation=second, role="member")
    client = client_for(firm_user)
    unnamed = client.post(URL, body(), format="json")
    assert unnamed.status_code == 400
    assert unnamed.data["firm"] == ["You belong to several firms: say which one (its id)."]
    named = client.post(URL, body(firm=second.pk), format="json")
    assert named.status_code == 201
    assert Vacancy.objects.get(pk=named.data["id"]).firm == second
    foreign = client.post(URL, body(firm=other_firm_user.primary_organisation.pk), format="json")
    assert foreign.status_code == 403
    assert foreign.data["detail"] == "You are not a member of this firm."
    assert client.post(URL, body(firm=999999), format="json").status_code == 403  # same answer: no probing


def test_admin_names_the_firm(client_for, admin_user, firm, university):
    client = client_for(admin_user)
    assert client.post(URL, body(firm=firm.pk), format="json").status_code == 201
    assert client.post(URL, body(firm=university.pk), format="json").data["firm"] == [
        "There is no firm with this id."]


@pytest.mark.parametrize(("extra", "field"), [
    ({"title": ""}, "title"),
    ({"required_skills": [{"skill": "Amazn seller"}]}, "required_skills"),
    ({"required_skills": [{"skill": "English"}]}, "required_skills"),
    ({"required_skills": [{"skill": "SEO", "min_level": 6}]}, "required_skills"),
    ({"required_skills": [{"skill": "SEO", "weight": 0}]}, "required_skills"),
    ({"languages": [{"language": "SEO"}]}, "languages"),
    ({"languages": [{"language": "English", "min_cefr": "fluent"}]}, "languages"),
    ({"markets": ["atlantis"]}, "markets"),
    ({"markets": "rcep"}, "markets"),
    ({"location": "moon"}, "location"),
    ({"salary_min": 9000, "salary_max": 6000}, "salary_max"),
    ({"salary_min": -1}, "salary_min"),
    ({"openings": 0}, "openings"),
    ({"job_type": "astronaut"}, "job_type"),
    ({"deadline": "next week"}, "deadline"),
    ({"optional_skills": [{"skill": "速卖通"}]}, "skills"),  # the service: listed twice (required and optional)
])
def test_create_errors_name_the_field_and_store_nothing(client_for, firm_user, extra, field):
    response = client_for(firm_user).post(URL, body(**extra), format="json")
    assert response.status_code == 400
    assert field in response.data, response.data
    assert not Vacancy.objects.exists()


def test_unknown_skill_error_names_the_item_and_suggests(client_for, firm_user):
    response = client_for(firm_user).post(URL, body(required_skills=[{"skill": "SEO"}, {"skill": "Amazn seller"}]),
                                          format="json")
    message = response.json()["required_skills"]["1"]["skill"][0]
    assert message.startswith("Unknown skill 'Amazn seller'. Did you mean:")
    assert "platform.amazon_seller_central" in message


def test_duplicate_external_id_in_one_firm_is_a_conflict(client_for, firm_user):
    client = client_for(firm_user)
    assert client.post(URL, body(external_id="HR-1"), format="json").status_code == 201
    duplicate = client.post(URL, body(external_id="HR-1"), format="json")
    assert duplicate.status_code == 409
    assert duplicate.data["detail"] == "This conflicts with data that already exists."
    assert Vacancy.objects.count() == 1


def test_publish_opens_the_vacancy_to_everyone(client_for, firm_user):
    client = client_for(firm_user)
    created = client.post(URL, body(), format="json").data
    assert client_for(None).get(f"{URL}{created['id']}/").status_code == 404
    published = client.post(f"{URL}{created['id']}/publish/")
    assert published.status_code == 200
    assert (published.data["status"], published.data["is_open"]) == ("open", True)
    assert published.data["published_at"]
    assert published.data["required_skills"][0]["skill"] == "platform.aliexpress"
    assert client_for(None).get(f"{URL}{created['id']}/").status_code == 200


def test_publish_refusals_carry_the_service_message(client_for, firm_user, pending_firm_user):
    no_skills = client_for(firm_user).post(URL, body(required_skills=[], optional_skills=[]), format="json").data
    response = client_for(firm_user).post(f"{URL}{no_skills['id']}/publish/")
    assert response.status_code == 400
    assert response.data["skills"] == ["Add at least one skill before publishing."]

    pending = client_for(pending_firm_user).post(URL, body(), format="json")
    assert pending.status_code == 201  # a pending firm may prepare drafts
    response = client_for(pending_firm_user).post(f"{URL}{pending.data['id']}/publish/")
    assert response.status_code == 400
    assert "waiting for approval" in response.data["status"][0]
    assert Vacancy.objects.get(pk=pending.data["id"]).status == VacancyStatus.DRAFT

    late = client_for(firm_user).post(URL, body(deadline="2020-01-01"), format="json").data
    assert client_for(firm_user).post(f"{URL}{late['id']}/publish/").data["deadline"] == ["The deadline has passed."]


def test_close_takes_the_vacancy_out_of_browsing(client_for, firm_user, firm):
    vacancy = factories.VacancyFactory(firm=firm)
    assert client_for(None).get(URL).data["count"] == 1
    response = client_for(firm_user).post(f"{URL}{vacancy.pk}/close/")
    assert response.status_code == 200 and response.data["status"] == "closed"
    assert client_for(None).get(URL).data["count"] == 0
    assert client_for(firm_user).get(URL, {"status": "closed"}).data["count"] == 1


def test_patch_changes_fields_and_keeps_lists_not_sent(client_for, firm_user):
    client = client_for(firm_user)
    created = client.post(URL, body(), format="json").data
    url = f"{URL}{created['id']}/"
    response = client.patch(url, {"title": "Senior operator", "optional_skills": [{"skill": "FBA", "min_level": 2}]},
                            format="json")
    assert response.status_code == 200, response.data
    vacancy = Vacancy.objects.get(pk=created["id"])
    assert vacancy.title == "Senior operator"
    assert requirements(vacancy) == {("platform.aliexpress", 4, 2.0, True), ("logistics.fba", 2, 1.0, False)}
    assert vacancy.languages.count() == 1
    assert response.data["optional_skills"][0]["skill"] == "logistics.fba"
    cleared = client.patch(url, {"languages": [], "required_skills": []}, format="json")
    assert (cleared.data["languages"], cleared.data["required_skills"]) == ([], [])
    assert len(cleared.data["optional_skills"]) == 1


def test_put_replaces_and_the_firm_cannot_change(client_for, firm_user, other_firm_user):
    client = client_for(firm_user)
    created = client.post(URL, body(), format="json").data
    url = f"{URL}{created['id']}/"
    replaced = client.put(url, {"title": "Logistics clerk", "required_skills": [{"skill": "FBA"}]}, format="json")
    assert replaced.status_code == 200, replaced.data
    vacancy = Vacancy.objects.get(pk=created["id"])
    assert requirements(vacancy) == {("logistics.fba", 3, 1.0, True)}
    moved = client.patch(url, {"firm": other_firm_user.primary_organisation.pk}, format="json")
    assert moved.status_code == 400
    assert moved.data["firm"] == ["A vacancy cannot move to another firm."]
    assert client.patch(url, {"firm": created["firm"], "title": "Same firm"}, format="json").status_code == 200


def test_other_firms_see_404_for_drafts_and_403_for_open_vacancies(client_for, firm, other_firm_user):
    draft = factories.VacancyFactory(firm=firm, status=VacancyStatus.DRAFT)
    open_one = factories.VacancyFactory(firm=firm)
    client = client_for(other_firm_user)
    for method in ("get", "patch", "delete"):
        assert getattr(client, method)(f"{URL}{draft.pk}/", {}, format="json").status_code == 404
    assert client.post(f"{URL}{draft.pk}/publish/").status_code == 404
    refused = client.patch(f"{URL}{open_one.pk}/", {"title": "Hijacked"}, format="json")
    assert refused.status_code == 403
    assert refused.data["detail"] == "Only members of the organisation that owns this may change it."
    assert client.delete(f"{URL}{open_one.pk}/").status_code == 403
    assert Vacancy.objects.get(pk=open_one.pk).title != "Hijacked"


def test_delete(client_for, firm_user, firm):
    vacancy = factories.VacancyFactory(firm=firm)
    assert client_for(firm_user).delete(f"{URL}{vacancy.pk}/").status_code == 204
    assert not Vacancy.objects.filter(pk=vacancy.pk).exists()


@pytest.fixture
def catalogue(firm, other_firm_user):
    """Four open vacancies with different attributes, and a draft."""
    firm_b = other_firm_user.primary_organisation
    today = timezone.localdate()
    made = {
        "amazon": factories.VacancyFactory(firm=firm, title="Amazon operator", job_type="full_time",
                                           location="city_centre", markets=["united_states"], salary_min=8000,
                                           deadline=today + datetime.timedelta(days=30)),
        "intern": factories.VacancyFactory(firm=firm, title="Shopee intern", job_type="internship",
                                           location="ecommerce_park", remote=True, markets=["southeast_asia"],
                                           salary_min=3000, deadline=today + datetime.timedelta(days=5)),
        "customs": factories.VacancyFactory(firm=firm_b, title="Customs declarant",
                                            description="报关 and 9610 declarations", location="city_centre",
                                            markets=["rcep", "southeast_asia"], salary_min=6000),
        "remote": factories.VacancyFactory(firm=firm_b, title="Remote copywriter", remote=True, salary_min=None),
        "draft": factories.VacancyFactory(firm=firm_b, title="Draft", status=VacancyStatus.DRAFT),
        "expired": factories.VacancyFactory(firm=firm, title="Expired", deadline=today - datetime.timedelta(days=1)),
    }
    factories.require_skills(made["amazon"], required={"platform.amazon_seller_central": (3, 1.0)})
    factories.require_skills(made["intern"], optional={"platform.shopee": (2, 1.0)})
    factories.require_skills(made["customs"], required={"customs.customs_declaration": (3, 1.0)})
    return made


@pytest.mark.parametrize(("params", "expected"), [
    ({}, {"amazon", "intern", "customs", "remote"}),
    ({"job_type": "internship"}, {"intern"}),
    ({"location": "city_centre"}, {"amazon", "customs"}),
    ({"remote": "true"}, {"intern", "remote"}),
    ({"remote": "false"}, {"amazon", "customs"}),
    ({"market": "southeast_asia"}, {"intern", "customs"}),
    ({"market": "rcep"}, {"customs"}),
    ({"market": "southeast"}, set()),  # whole codes only
    ({"skill": "platform.shopee"}, {"intern"}),
    ({"skill": "platform.amazon_seller_central"}, {"amazon"}),
    ({"skill": "customs.customs_declaration"}, {"customs"}),
    ({"q": "9610"}, {"customs"}),
    ({"q": "operator"}, {"amazon"}),
    ({"status": "draft"}, set()),  # anonymous never sees drafts
])
def test_filters(client_for, catalogue, params, expected):
    response = client_for(None).get(URL, params)
    assert response.status_code == 200
    names = {k for k, v in catalogue.items() if v.pk in {row["id"] for row in response.data["results"]}}
    assert names == expected


def test_filter_by_firm_and_status_for_members(client_for, catalogue, other_firm_user):
    firm_b = other_firm_user.primary_organisation
    client = client_for(other_firm_user)
    ids = {row["id"] for row in client.get(URL, {"firm": firm_b.pk}).data["results"]}
    assert ids == {catalogue[k].pk for k in ("customs", "remote", "draft")}
    assert [row["id"] for row in client.get(URL, {"status": "draft"}).data["results"]] == [catalogue["draft"].pk]


@pytest.mark.parametrize(("ordering", "expected"), [
    ("salary", ["intern", "customs", "amazon"]),
    ("-salary", ["amazon", "customs", "intern"]),
    ("deadline", ["intern", "amazon"]),
])
def test_ordering(client_for, catalogue, ordering, expected):
    rows = client_for(None).get(URL, {"ordering": ordering}).data["results"]
    order = [next(k for k, v in catalogue.items() if v.pk == row["id"]) for row in rows]
    assert [name for name in order if name in expected] == expected


def test_ordering_by_published_at(client_for, catalogue):
    Vacancy.objects.filter(pk=catalogue["remote"].pk).update(published_at=timezone.now() + datetime.timedelta(hours=1))
    rows = client_for(None).get(URL, {"ordering": "-published_at"}).data["results"]
    assert rows[0]["id"] == catalogue["remote"].pk


@pytest.mark.parametrize("params", [{"job_type": "astronaut"}, {"status": "lost"}, {"firm": "abc"},
                                    {"ordering": "nonsense"}])
def test_bad_filter_values_are_400(client_for, catalogue, params):
    response = client_for(None).get(URL, params)
    assert response.status_code == 400
    assert set(params) <= set(response.data)


@pytest.mark.parametrize("url", [URL, "/api/v1/skills/"])
def test_list_queries_do_not_grow_with_rows(client_for, firm, firm_user, url):
    client = client_for(firm_user)

    def make(count):
        for _ in range(count):
            vacancy = factories.VacancyFactory(firm=firm)
            factories.require_skills(vacancy, required={"platform.aliexpress": (3, 1.0)},
                                     optional={"marketing.seo": (2, 1.0)})

    make(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    make(12)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few) <= 10
