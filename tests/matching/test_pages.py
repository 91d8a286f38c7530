"""Match pages per role: a firm's ranked candidates for its own vacancy (contact only with consent), the
student's ranked vacancies with what they lack, the empty states, and the refresh buttons."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from apps.matching import selectors
from apps.matching.models import CandidateMatch
from apps.skills.models import Skill
from apps.talent.models import ProfileSkill
from tests import factories

from .match_world import (
    TIKTOK,
    build_world,
    fresh_incremental_cache,  # noqa: F401 (autouse)
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _candidates_url(vacancy):
    return f"/en/matches/vacancy/{vacancy.pk}/"


def test_urls_are_named_and_language_prefixed():
    assert reverse("matching:mine") == "/en/matches/mine/"  # tests run in English
    with translation.override("zh-hans"):
        assert reverse("matching:vacancy", kwargs={"vacancy_id": 7}) == "/matches/vacancy/7/"


def test_firm_sees_its_vacancys_ranked_candidates(client, world):
    client.force_login(world.firm_user)
    response = client.get(_candidates_url(world.vacancy))
    assert response.status_code == 200
    html = response.content.decode()
    names = [unescape(n) for n in re.findall(r'<h2>([^<]+)</h2>', html)]
    expected = [row.profile.full_name for row in selectors.vacancy_candidates(vacancy_id=world.vacancy.pk)]
    assert names == expected == ["Li Full", "Zhao Course", "Wang Gap"]
    assert "Hidden Student" not in html and "Optout Student" not in html
    # score as a percentage, the reason, the missing skill with its gap, the course badge
    full = CandidateMatch.objects.get(vacancy=world.vacancy, profile=world.full)
    assert f"{round(full.score * 100)}%" in html
    assert "Meets 2 of 3 required skills; lacks TikTok Shop (needs level 3, has 1)" in html
    assert "needs 3, has 1" in html and "−2" in html
    assert "Course completed" in html
    assert "Last computed" in html
    assert f'action="/en/matches/vacancy/{world.vacancy.pk}/refresh/"' in html


def test_contact_details_only_for_students_who_consented(client, world):
    client.force_login(world.firm_user)
    html = client.get(_candidates_url(world.vacancy)).content.decode()
    assert "full@example.com" in html  # Li Full shares contact details
    assert "gap@example.com" not in html and "course@example.com" not in html
    assert html.count("Contact hidden until the student applies or shares it.") == 2
    world.gap.contact_visible_to_firms = True
    world.gap.save()
    html = client.get(_candidates_url(world.vacancy)).content.decode()
    assert "gap@example.com" in html
    assert html.count("Contact hidden until the student applies or shares it.") == 1


def test_other_firm_gets_404(client, world):
    client.force_login(world.other_firm_user)
    assert client.get(_candidates_url(world.vacancy)).status_code == 404
    assert client.post(_candidates_url(world.vacancy) + "refresh/").status_code == 404


@pytest.mark.parametrize("role", ["student", "university", "government"])
def test_other_roles_get_403(client, world, role_users, role):
    client.force_login(role_users[role])
    assert client.get(_candidates_url(world.vacancy)).status_code == 403


def test_anonymous_is_sent_to_log_in(client, world):
    response = client.get(_candidates_url(world.vacancy))
    assert response.status_code == 302 and "login" in response["Location"]
    response = client.get("/en/matches/mine/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_platform_admin_sees_any_vacancys_candidates(client, world, admin_user):
    client.force_login(admin_user)
    response = client.get(_candidates_url(world.other_vacancy))
    assert response.status_code == 200
    assert "Li Full" in response.content.decode()


def test_closed_vacancy_says_why_it_has_no_candidates(client, world):
    client.force_login(world.other_firm_user)
    html = client.get(_candidates_url(world.draft_vacancy)).content.decode()
    assert "This vacancy is not open" in html


def test_student_sees_ranked_vacancies_with_what_they_lack(client, world):
    client.force_login(world.gap.user)
    response = client.get("/en/matches/mine/")
    assert response.status_code == 200
    html = response.content.decode()
    titles = [unescape(t) for t in re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', html)]
    expected = [row.vacancy.title for row in selectors.profile_vacancies(profile_id=world.gap.pk)]
    assert titles == expected and "TikTok Shop operator" in titles and "Draft vacancy" not in titles
    assert "What you lack" in html
    assert "lacks TikTok Shop (needs level 3, has 1)" in html
    assert "English" in html and "needs B2, has B1" in html


def test_student_page_in_chinese_uses_chinese_labels(client, world):
    client.force_login(world.gap.user)
    html = client.get("/matches/mine/").content.decode()
    assert Skill.objects.get(code=TIKTOK).label_zh in html
    assert 'lang="zh-Hans"' in html


@pytest.mark.parametrize("change, text", [
    ({"visibility": "hidden"}, "because your profile is hidden"),
    ({"matching_opt_in": False}, "because you switched matching off"),
])
def test_hidden_or_opted_out_student_is_told_why_the_list_is_empty(client, world, change, text):
    for field, value in change.items():
        setattr(world.gap, field, value)
    world.gap.save()
    client.force_login(world.gap.user)
    html = client.get("/en/matches/mine/").content.decode()
    assert text in html
    assert 'href="/en/profile/privacy/"' in html
    assert "TikTok Shop operator" not in html


def test_student_without_skills_is_pointed_to_them(client, db):
    user = factories.StudentFactory()
    client.force_login(user)
    html = client.get("/en/matches/mine/").content.decode()
    assert "Add your skills and levels first" in html


@pytest.mark.parametrize("role", ["firm", "university", "government"])
def test_non_students_get_403_on_my_matches(client, role_users, role):
    client.force_login(role_users[role])
    assert client.get("/en/matches/mine/").status_code == 403


def test_firm_refresh_recomputes_the_vacancy(client, world, django_capture_on_commit_callbacks):
    # the student improves without a trigger: the stored list is stale until the refresh
    ProfileSkill.objects.filter(profile=world.gap, skill__code=TIKTOK).update(level=5)
    before = CandidateMatch.objects.get(vacancy=world.vacancy, profile=world.gap).score
    client.force_login(world.firm_user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(_candidates_url(world.vacancy) + "refresh/", follow=True)
    assert sum(c.__qualname__ == "_schedule.<locals>.enqueue" for c in callbacks) == 1  # one recompute enqueued
    assert response.redirect_chain[-1][0].endswith(f"/matches/vacancy/{world.vacancy.pk}/")
    assert "The list was recomputed." in response.content.decode()
    after = CandidateMatch.objects.get(vacancy=world.vacancy, profile=world.gap).score
    assert after > before


def test_student_refresh_recomputes_own_list(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.gap.user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/en/matches/mine/refresh/", follow=True)
    assert sum(c.__qualname__ == "_schedule.<locals>.enqueue" for c in callbacks) == 1  # one recompute enqueued
    assert "The list was recomputed." in response.content.decode()


def test_refresh_needs_post(client, world):
    client.force_login(world.gap.user)
    assert client.get("/en/matches/mine/refresh/").status_code == 405


def test_failed_enqueue_is_a_message_not_an_error(client, world, monkeypatch):
    from apps.matching import triggers

    def broken(_id):
        raise RuntimeError("broker down")

    monkeypatch.setattr(triggers, "vacancy_changed", broken)
    client.force_login(world.firm_user)
    response = client.post(_candidates_url(world.vacancy) + "refresh/", follow=True)
    assert response.status_code == 200
    assert "could not be recomputed just now" in response.content.decode()


def test_vacancy_pages_link_to_candidates(client, world):
    client.force_login(world.firm_user)
    html = client.get(f"/en/vacancies/{world.vacancy.pk}/").content.decode()
    assert f'href="/en/matches/vacancy/{world.vacancy.pk}/"' in html
    html = client.get("/en/vacancies/mine/").content.decode()
    assert f'href="/en/matches/vacancy/{world.vacancy.pk}/"' in html


def test_student_dashboard_links_to_my_matches(client, world):
    client.force_login(world.gap.user)
    html = client.get("/en/dashboard/").content.decode()
    assert 'href="/en/matches/mine/"' in html


def test_admin_pages_of_the_match_records_open_read_only(client, world, admin_user):
    from django.urls import reverse

    from apps.matching.models import MatchRun, MatchState

    client.force_login(admin_user)
    run = MatchRun.objects.first()
    for name, pk in (("matchrun", run.pk), ("matchstate", MatchState.get().pk), ("weightset", None)):
        changelist = reverse(f"admin:matching_{name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        assert client.get(changelist, {"q": "a"}).status_code == 200, changelist
        if pk is not None:
            page = client.get(reverse(f"admin:matching_{name}_change", args=[pk]))
            assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(reverse("admin:matching_matchrun_delete", args=[run.pk]), {"post": "yes"}).status_code == 403
    assert MatchRun.objects.filter(pk=run.pk).exists()


def test_students_who_applied_are_listed_apart_with_their_contact(client, world):
    from apps.applications.services import application_apply
    from apps.matching import services

    application_apply(user=world.gap.user, vacancy=world.vacancy)
    services.match_profile_incremental(profile_id=world.gap.pk)  # what the trigger does after the commit
    client.force_login(world.firm_user)
    html = client.get(_candidates_url(world.vacancy)).content.decode()
    applied = html.split("Already applied", 1)[1].split('class="card match"', 1)[0]
    assert "Wang Gap" in applied and "gap@example.com" in applied
    names = [unescape(n) for n in re.findall(r'<article class="card match".*?<h2>([^<]+)</h2>', html, re.S)]
    assert "Wang Gap" not in names and names == ["Li Full", "Zhao Course"]
    # the consent given by applying is to this firm only
    client.force_login(world.other_firm_user)
    html = client.get(_candidates_url(world.other_vacancy)).content.decode()
    assert "Wang Gap" in html and "gap@example.com" not in html
