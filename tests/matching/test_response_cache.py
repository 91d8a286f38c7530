"""The ranked-candidates API caches its pages (apps.core.respcache): a repeated request is answered from the cache
with a few queries, and every change that alters a page makes the next answer show it.

Writes are wrapped in ``committed()`` (on-commit hooks run, as after a real commit): the bumps run on commit.
"""

import pytest
from django.db import transaction

from apps.applications import services as applications
from apps.core import respcache
from apps.jobs import services as jobs
from apps.jobs.models import VacancySkill
from apps.matching import services
from apps.privacy.models import Action, AuditEvent, Purpose
from apps.privacy.services import consent_set
from apps.skills.models import Skill
from apps.talent import services as talent
from apps.talent.models import ProfileSkill

from .match_world import (
    AMAZON,
    LISTING,
    TIKTOK,
    _student,
    build_world,
    fresh_incremental_cache,  # noqa: F401 (autouse)
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("response_cache_on")]

MAX_HIT_QUERIES = 8  # vacancy + managed check (firm ids, exists) + match state + viewer's firms + audit insert


@pytest.fixture
def world(committed):
    with committed():
        return build_world()


def _url(vacancy, query=""):
    return f"/api/v1/vacancies/{vacancy.pk}/candidates/{query}"


@pytest.fixture
def client(api_client, world):
    api_client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    api_client.force_authenticate(world.firm_user)
    return api_client


def _get(client, url, outcome=None):
    answer = client.get(url)
    assert answer.status_code == 200, answer.content
    if outcome:
        assert answer[respcache.HEADER] == outcome
    return answer.json()


def _ids(body):
    return [item["profile"]["id"] for item in body["results"]]


def test_second_identical_request_is_a_hit_with_few_queries(client, world, django_assert_max_num_queries):
    first = _get(client, _url(world.vacancy), "miss")
    with django_assert_max_num_queries(MAX_HIT_QUERIES):
        second = _get(client, _url(world.vacancy), "hit")
    assert second == first and len(first["results"]) == 3
    # other pages, page sizes and vacancies are other entries
    one = _get(client, _url(world.vacancy, "?page_size=1"), "miss")
    assert _ids(one) == _ids(first)[:1]
    assert _get(client, _url(world.vacancy, "?page=2&page_size=1"), "miss")["results"][0]["profile"]["id"] == \
        _ids(first)[1]
    assert _get(client, _url(world.vacancy, "?page_size=1&page=2"), "hit")  # same parameters, other order
    _get(client, _url(world.second_vacancy), "miss")


def test_cache_off_when_seconds_is_zero(client, world, settings):
    settings.RESPONSE_CACHE_SECONDS = 0
    _get(client, _url(world.vacancy), "bypass")
    _get(client, _url(world.vacancy), "bypass")


def test_recompute_of_the_vacancy_shows_its_new_list(client, world, committed):
    before = _get(client, _url(world.vacancy))
    assert world.gap.pk in _ids(before)
    # a change no model signal sees (a queryset update): only the recompute's bump can invalidate
    VacancySkill.objects.filter(vacancy=world.vacancy, skill__code=TIKTOK).update(min_level=1, weight=5.0)
    assert _get(client, _url(world.vacancy), "hit") == before
    with committed():
        services.match_vacancy_incremental(vacancy_id=world.vacancy.pk)
    after = _get(client, _url(world.vacancy), "miss")
    gap = next(item for item in after["results"] if item["profile"]["id"] == world.gap.pk)
    assert not any(s["code"] == TIKTOK for s in gap["missing_skills"])  # the level asked for is met now


def test_recompute_of_an_unrelated_profile_that_enters_the_list(client, world, committed):
    before = _get(client, _url(world.vacancy))
    with committed():
        newcomer = _student("New Comer", skills={TIKTOK: 5, AMAZON: 5, LISTING: 5}, english=6)
    # the profile row exists (its signals bumped) but is not in the stored list until recomputed
    assert newcomer.pk not in _ids(_get(client, _url(world.vacancy), "miss"))
    assert _ids(_get(client, _url(world.vacancy), "hit")) == _ids(before)
    with committed():
        services.match_profile_incremental(profile_id=newcomer.pk)
    after = _get(client, _url(world.vacancy), "miss")
    assert newcomer.pk in _ids(after)


def test_profile_hidden_leaves_the_page(client, world, committed):
    assert world.course.pk in _ids(_get(client, _url(world.vacancy)))
    with committed():
        talent.profile_update(profile=world.course, data={"visibility": "hidden"})
    assert world.course.pk not in _ids(_get(client, _url(world.vacancy), "miss"))


def test_profile_skill_change_changes_the_explanation(client, world, committed):
    before = _get(client, _url(world.vacancy))
    gap = next(item for item in before["results"] if item["profile"]["id"] == world.gap.pk)
    assert gap["missing_skills"][0]["have"] == 1
    with committed():
        talent.profile_set_skill(profile=world.gap, skill=Skill.objects.get(code=TIKTOK), level=2)
    after = _get(client, _url(world.vacancy), "miss")
    gap = next(item for item in after["results"] if item["profile"]["id"] == world.gap.pk)
    assert gap["missing_skills"][0]["have"] == 2


def _contact(body, profile):
    return next(item for item in body["results"] if item["profile"]["id"] == profile.pk)["contact"]


def test_consent_withdrawn_hides_contact_details(client, world, committed):
    assert _contact(_get(client, _url(world.vacancy)), world.full)["email"] == "full@example.com"
    with committed():
        consent_set(user=world.full.user, purpose=Purpose.SHARE_CONTACT, granted=False)
    assert _contact(_get(client, _url(world.vacancy), "miss"), world.full) is None


def test_firm_consent_through_an_application_and_its_withdrawal(client, world, committed):
    """Applying to the firm's other vacancy shares contact details with the firm; withdrawing hides them."""
    assert _contact(_get(client, _url(world.vacancy)), world.gap) is None
    with committed():
        applications.application_apply(user=world.gap.user, vacancy=world.second_vacancy)
    assert _contact(_get(client, _url(world.vacancy), "miss"), world.gap)["email"] == "gap@example.com"
    with committed():
        applications.consent_withdraw(user=world.gap.user, profile=world.gap, firm_id=world.vacancy.firm_id)
    assert _contact(_get(client, _url(world.vacancy), "miss"), world.gap) is None


def test_an_application_moves_the_student_out_of_the_ranked_list(client, world, committed):
    assert world.gap.pk in _ids(_get(client, _url(world.vacancy)))
    with committed():
        applications.application_apply(user=world.gap.user, vacancy=world.vacancy)
    assert world.gap.pk not in _ids(_get(client, _url(world.vacancy), "miss"))


def test_vacancy_edit_shows_at_once(client, world, committed):
    assert _get(client, _url(world.vacancy))["list_status"] == "ok"
    with committed():
        jobs.vacancy_close(vacancy=world.vacancy, user=world.firm_user)
    assert _get(client, _url(world.vacancy), "miss")["list_status"] == "not_open"


def test_generation_flip_after_a_full_rematch(client, world, django_capture_on_commit_callbacks):
    before = _get(client, _url(world.vacancy))
    ProfileSkill.objects.filter(profile=world.gap, skill__code=TIKTOK).update(level=5)  # no signal
    # the hooks are not run: the new generation in the key alone must give a fresh page
    with django_capture_on_commit_callbacks(execute=False):
        services.full_rematch_in_process(reason="test")
    after = _get(client, _url(world.vacancy), "miss")
    assert after["computed_at"] != before["computed_at"]

    def score(body):
        return next(item["score"] for item in body["results"] if item["profile"]["id"] == world.gap.pk)

    assert score(after) > score(before)


def test_another_firm_is_refused_before_the_cache(api_client, client, world):
    _get(client, _url(world.vacancy))
    api_client.force_authenticate(world.other_firm_user)
    answer = api_client.get(_url(world.vacancy))
    assert answer.status_code == 403 and respcache.HEADER not in answer


def test_platform_admin_gets_its_own_entry(api_client, client, world, admin_user):
    _get(client, _url(world.vacancy), "miss")
    api_client.force_authenticate(admin_user)
    _get(api_client, _url(world.vacancy), "miss")
    _get(api_client, _url(world.vacancy), "hit")


def test_language_switch_gives_the_other_language(client, world):
    english = _get(client, _url(world.vacancy))
    client.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    chinese = _get(client, _url(world.vacancy), "miss")
    assert english["results"][0]["reason"] != chinese["results"][0]["reason"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese["results"][0]["reason"])
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    assert _get(client, _url(world.vacancy), "hit") == english


def test_rolled_back_change_does_not_bump(client, world, committed):
    _get(client, _url(world.vacancy))
    names = ("matches", "profiles", "vacancies", respcache.list_version(world.vacancy.pk))
    before = respcache.versions(*names)
    with committed():
        with pytest.raises(RuntimeError), transaction.atomic():
            talent.profile_update(profile=world.course, data={"visibility": "hidden"})
            services.match_vacancy_incremental(vacancy_id=world.vacancy.pk)
            raise RuntimeError("roll back")
    assert respcache.versions(*names) == before
    _get(client, _url(world.vacancy), "hit")
    with committed():
        talent.profile_update(profile=world.course, data={"visibility": "hidden"})
    after = dict(zip(names, respcache.versions(*names), strict=True))
    # the profile's signal and trigger bump "profiles"; its (eager) recompute bumps the lists it left
    assert after["profiles"] != before[1] and after[names[3]] != before[3]
    assert (after["matches"], after["vacancies"]) == (before[0], before[2])


def test_a_profile_recompute_bumps_only_the_lists_it_changed(client, world, committed):
    _get(client, _url(world.vacancy))
    _get(client, _url(world.second_vacancy))
    with committed():
        services.match_profile_incremental(profile_id=world.full.pk)  # nothing changed: same places
    _get(client, _url(world.second_vacancy), "miss")  # the lists it was in were rewritten
    other = respcache.versions(respcache.list_version(world.other_vacancy.pk))
    with committed():
        talent.profile_update(profile=world.course, data={"visibility": "hidden"})  # course: not in other's list
    assert respcache.versions(respcache.list_version(world.other_vacancy.pk)) == other


def test_contact_views_are_audited_on_hits_too(client, world):
    def audited():
        return sorted(AuditEvent.objects.filter(action=Action.VIEW_CONTACT, actor=world.firm_user)
                      .values_list("target_id", flat=True))

    body = _get(client, _url(world.vacancy), "miss")
    shown = sorted(str(item["profile"]["id"]) for item in body["results"] if item["contact"])
    assert shown and audited() == shown
    _get(client, _url(world.vacancy), "hit")
    assert audited() == sorted(shown * 2)


def test_a_failing_cache_answers_without_it(client, world, monkeypatch):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get_many", down)
    assert len(_get(client, _url(world.vacancy), "bypass")["results"]) == 3
