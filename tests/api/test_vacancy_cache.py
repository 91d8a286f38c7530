"""The vacancy browse caches its pages for readers of the public scope (apps.core.respcache); firm members and
admins always get fresh answers; any vacancy change shows in the next answer."""

import pytest
from django.db import transaction

from apps.core import respcache
from apps.jobs import services as jobs
from apps.jobs.models import VacancySkill, VacancyStatus
from apps.skills.models import Skill
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("response_cache_on")]

URL = "/api/v1/vacancies/"


@pytest.fixture
def vacancies(committed, firm, firm_user):
    with committed():
        open_one = factories.VacancyFactory(firm=firm, title="Amazon operator")
        factories.require_skills(open_one, required={"platform.amazon_seller_central": (3, 1.0)})
        draft = factories.VacancyFactory(firm=firm, title="Draft job", status=VacancyStatus.DRAFT)
    return open_one, draft


def _get(client, user, query="", outcome=None, language="en"):
    client.credentials(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    answer = client.get(URL + query)
    assert answer.status_code == 200, answer.content
    if outcome:
        assert answer[respcache.HEADER] == outcome
    return answer.json()


def _titles(body):
    return [item["title"] for item in body["results"]]


def test_second_identical_request_hits_with_at_most_one_query(api_client, student, other_student, vacancies,
                                                              django_assert_max_num_queries):
    first = _get(api_client, student, "?status=open", "miss")
    with django_assert_max_num_queries(1):
        second = _get(api_client, student, "?status=open", "hit")
    assert second == first and _titles(first) == ["Amazon operator"]
    assert _get(api_client, other_student, "?status=open", "hit") == first  # the public scope is shared
    _get(api_client, student, "?status=open&page=1", "miss")


def test_firm_members_and_admins_bypass_and_see_their_drafts(api_client, student, firm_user, admin_user, vacancies):
    assert _titles(_get(api_client, student, "", "miss")) == ["Amazon operator"]
    assert set(_titles(_get(api_client, firm_user, "", "bypass"))) == {"Amazon operator", "Draft job"}
    assert set(_titles(_get(api_client, admin_user, "", "bypass"))) == {"Amazon operator", "Draft job"}
    assert _titles(_get(api_client, student, "", "hit")) == ["Amazon operator"]


def test_vacancy_edit_shows_in_the_next_answer(api_client, student, firm_user, vacancies, committed):
    _get(api_client, student, "?status=open")
    with committed():
        response = _patch(api_client, firm_user, vacancies[0], {"title": "Amazon lead"})
    assert response.status_code == 200
    assert _titles(_get(api_client, student, "?status=open", "miss")) == ["Amazon lead"]


def _patch(client, user, vacancy, data):
    client.force_authenticate(user)
    return client.patch(f"{URL}{vacancy.pk}/", data, format="json")


def test_publish_and_close_show_at_once(api_client, student, firm_user, vacancies, committed):
    open_one, draft = vacancies
    factories.require_skills(draft, required={"platform.amazon_seller_central": (2, 1.0)})
    assert _titles(_get(api_client, student, "?ordering=-published_at")) == ["Amazon operator"]
    with committed():
        jobs.vacancy_publish(vacancy=draft, user=firm_user)
    assert set(_titles(_get(api_client, student, "?ordering=-published_at", "miss"))) == {"Amazon operator",
                                                                                          "Draft job"}
    with committed():
        jobs.vacancy_close(vacancy=open_one, user=firm_user)
    assert _titles(_get(api_client, student, "?ordering=-published_at", "miss")) == ["Draft job"]


def test_requirement_change_shows_in_a_skill_filter(api_client, student, vacancies, committed):
    query = "?skill=marketing.seo"
    assert _titles(_get(api_client, student, query)) == []
    with committed():
        VacancySkill.objects.create(vacancy=vacancies[0], skill=Skill.objects.get(code="marketing.seo"),
                                    min_level=2, required=False)
    assert _titles(_get(api_client, student, query, "miss")) == ["Amazon operator"]


def test_firm_approval_status_change_shows(api_client, student, firm, vacancies, committed):
    assert _titles(_get(api_client, student)) == ["Amazon operator"]
    with committed():
        firm.status = "suspended" if "suspended" in dict(type(firm)._meta.get_field("status").choices) else "pending"
        firm.save()
    assert _titles(_get(api_client, student, "", "miss")) == []


def test_language_is_part_of_the_key(api_client, student, vacancies):
    _get(api_client, student, "", "miss")
    _get(api_client, student, "", "miss", language="zh-hans")
    _get(api_client, student, "", "hit", language="zh-hans")


def test_bad_filter_is_a_400_and_not_cached(api_client, student, vacancies):
    api_client.force_authenticate(student)
    for _ in range(2):
        answer = api_client.get(URL + "?status=nonsense")
        assert answer.status_code == 400
        assert answer.get(respcache.HEADER) != "hit"


def test_rolled_back_vacancy_change_does_not_bump(api_client, student, firm_user, vacancies, committed):
    _get(api_client, student)
    before = respcache.versions("vacancies")
    with committed():
        with pytest.raises(RuntimeError), transaction.atomic():
            jobs.vacancy_update(vacancy=vacancies[0], user=firm_user, data={"title": "Never"})
            raise RuntimeError("roll back")
    assert respcache.versions("vacancies") == before
    assert _titles(_get(api_client, student, "", "hit")) == ["Amazon operator"]


def test_cache_off_when_seconds_is_zero(api_client, student, vacancies, settings):
    settings.RESPONSE_CACHE_SECONDS = 0
    _get(api_client, student, "", "bypass")
    _get(api_client, student, "", "bypass")


def test_a_failing_cache_answers_without_it(api_client, student, vacancies, monkeypatch):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get_many", down)
    assert _titles(_get(api_client, student, "", "bypass")) == ["Amazon operator"]
