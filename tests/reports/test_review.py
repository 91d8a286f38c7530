"""Match-run review: anomaly detection on real runs of the matcher, admin-only pages, CSRF-protected forms."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from apps.matching import services
from apps.matching.models import MatchRun, MatchRunComment
from apps.reports import review
from apps.reports.models import MatchRunReview, ReviewStatus
from apps.talent.models import Visibility
from tests import factories

AMAZON = "platform.amazon_seller_central"
TIKTOK = "platform.tiktok_shop"


def _student(**levels):
    profile = factories.StudentFactory().profile
    factories.give_skills(profile, **levels)
    return profile


@pytest.fixture
def world(db):
    """Two open vacancies: one for Amazon (two students qualify), one for TikTok Shop at level 5 (nobody holds
    it); one student with no skills at all, one hidden from firms, and a draft vacancy."""
    firm = factories.FirmFactory()
    amazon = factories.VacancyFactory(firm=firm, title="Amazon operator")
    factories.require_skills(amazon, required={AMAZON: (3, 1.0)})
    tiktok = factories.VacancyFactory(firm=firm, title="TikTok lead")
    factories.require_skills(tiktok, required={TIKTOK: (5, 1.0)})
    draft = factories.VacancyFactory(firm=firm, title="Draft", status="draft")
    factories.require_skills(draft, required={TIKTOK: (1, 1.0)})
    strong = [_student(**{AMAZON: 4}), _student(**{AMAZON: 5})]
    empty = _student()
    hidden = _student(**{AMAZON: 5})
    hidden.visibility = Visibility.HIDDEN
    hidden.save()
    return {"amazon": amazon, "tiktok": tiktok, "draft": draft, "strong": strong, "empty": empty, "hidden": hidden}


def test_anomalies_of_the_current_run_are_recounted_from_its_rows(world):
    run = services.full_rematch_in_process(reason="test")
    overview = review.run_overview(run)

    assert overview.rows_available and overview.histogram_source == "rows"
    # The TikTok vacancy has no candidate at all; the Amazon one has two scoring above the qualified score.
    assert [v.pk for v in overview.vacancies_without_qualified_sample] == [world["tiktok"].pk]
    assert overview.vacancies_without_qualified == 1
    # The student without skills matches nothing; the hidden one is not in the matcher's population at all.
    assert [p.pk for p in overview.profiles_matching_nothing_sample] == [world["empty"].pk]
    assert overview.profiles_matching_nothing == 1
    # The histogram counts exactly the stored candidate rows of the generation, in the bins of their scores.
    from apps.matching.models import CandidateMatch

    scores = list(CandidateMatch.objects.filter(generation=run.generation).values_list("score", flat=True))
    assert sum(overview.histogram) == len(scores) == run.candidate_rows
    for score in scores:
        assert overview.histogram[min(int(score * 10), 9)] >= 1
    assert overview.has_anomalies
    assert overview.previous is None and overview.shifts == []


def test_raising_a_student_clears_the_vacancy_anomaly(world):
    factories.give_skills(world["empty"], **{TIKTOK: 5})
    run = services.full_rematch_in_process(reason="test")
    overview = review.run_overview(run)
    assert overview.vacancies_without_qualified == 0
    assert overview.profiles_matching_nothing == 0


def test_a_sudden_shift_from_the_previous_full_run_is_reported(world):
    first = services.full_rematch_in_process(reason="first")
    same = services.full_rematch_in_process(reason="unchanged")
    assert review.run_overview(same).shifts == []
    assert review.run_overview(same).previous == first

    for _ in range(10):
        _student(**{AMAZON: 4})
    grown = services.full_rematch_in_process(reason="grown")
    overview = review.run_overview(grown)
    assert overview.previous == same
    shifted = {shift.metric: shift for shift in overview.shifts}
    assert {"profiles", "candidate_rows", "vacancy_rows"} <= set(shifted)
    assert shifted["profiles"].previous == same.profiles and shifted["profiles"].current == grown.profiles
    assert shifted["profiles"].change > review.SHIFT_THRESHOLD
    # the older run's rows are no longer current: it falls back to its own stats, no per-row anomalies
    old = review.run_overview(same)
    assert not old.rows_available and old.histogram_source == "stats"
    assert old.vacancies_without_qualified is None
    assert old.histogram == same.stats["score_histogram"]


@pytest.mark.parametrize(("previous", "current", "expected"), [
    ({"profiles": 100}, {"profiles": 121}, ["profiles"]),     # +21 %, 21 people
    ({"profiles": 100}, {"profiles": 120}, []),               # exactly 20 % is not more than 20 %
    ({"profiles": 100}, {"profiles": 79}, ["profiles"]),      # drops count too
    ({"profiles": 2}, {"profiles": 5}, []),                   # +150 % but only 3 people: below the floor
    ({"profiles": 0}, {"profiles": 5}, ["profiles"]),         # from nothing
    ({"mean_top_score": 0.80}, {"mean_top_score": 0.60}, ["mean_top_score"]),
    ({"mean_top_score": 0.05}, {"mean_top_score": 0.065}, []),  # +30 % but 0.015: below the floor
])
def test_shift_rule(previous, current, expected):
    assert [s.metric for s in review.shifts_between(previous, current)] == expected


# --------------------------------------------------------------------------------------------- pages


@pytest.fixture
def run(world):
    return services.full_rematch_in_process(reason="test")


@pytest.mark.parametrize("role", ["anonymous", "student", "firm", "university", "government"])
def test_run_pages_are_for_platform_admins_only(client, role_users, run, role):
    user = role_users[role]
    if user is not None:
        client.force_login(user)
    for url in (reverse("reports:runs"), reverse("reports:run_detail", args=[run.pk])):
        response = client.get(url)
        if user is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 403
    for url, data in ((reverse("reports:run_review", args=[run.pk]), {"status": "flagged"}),
                      (reverse("reports:run_comment", args=[run.pk]), {"text": "hello"})):
        response = client.post(url, data)
        assert response.status_code in (302, 403)
        if user is not None:
            assert response.status_code == 403
    assert not MatchRunReview.objects.exists()
    assert not MatchRunComment.objects.exists()


def test_admin_sees_runs_and_the_anomalies(client, admin_user, run, world):
    client.force_login(admin_user)
    response = client.get(reverse("reports:runs"))
    assert response.status_code == 200
    assert f'data-run="{run.pk}"' in response.content.decode()

    response = client.get(reverse("reports:run_detail", args=[run.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "TikTok lead" in page  # the vacancy without a qualified candidate
    assert "Amazon operator" not in page
    assert "1 profile matching nothing" in page
    assert page.count("<svg") >= 1
    # timings are named steps in the reader's language, in the order they happen, not raw keys
    assert run.timings and ">score<" not in page and ">persist_profiles<" not in page
    assert page.index(">Scoring<") < page.index(">Merging the shards<")
    chinese = client.get(f"/reports/runs/{run.pk}/").content.decode()  # the default language has no prefix
    assert ">评分<" in chinese and ">Scoring<" not in chinese


def _csrf(client, url):
    page = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_review_status_and_comments_are_saved_through_csrf_protected_forms(admin_user, run):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    detail = reverse("reports:run_detail", args=[run.pk])

    assert client.post(reverse("reports:run_review", args=[run.pk]), {"status": "flagged"}).status_code == 403
    assert not MatchRunReview.objects.exists()

    token = _csrf(client, detail)
    response = client.post(reverse("reports:run_review", args=[run.pk]),
                           {"status": "flagged", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    saved = MatchRunReview.objects.get(run=run)
    assert (saved.status, saved.reviewed_by) == (ReviewStatus.FLAGGED, admin_user)
    assert saved.reviewed_at is not None

    response = client.post(reverse("reports:run_comment", args=[run.pk]),
                           {"text": "  Scores look <b>low</b>  ", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    comment = MatchRunComment.objects.get(run=run)
    assert (comment.text, comment.author) == ("Scores look <b>low</b>", admin_user)
    page = client.get(detail).content.decode()
    assert "Scores look &lt;b&gt;low&lt;/b&gt;" in page
    assert "badge-flagged" in page

    # back to "not reviewed" clears who and when
    client.post(reverse("reports:run_review", args=[run.pk]), {"status": "unreviewed", "csrfmiddlewaretoken": token})
    saved.refresh_from_db()
    assert (saved.status, saved.reviewed_by, saved.reviewed_at) == (ReviewStatus.UNREVIEWED, None, None)


def test_bad_review_input_is_a_form_error_not_a_500(client, admin_user, run):
    client.force_login(admin_user)
    response = client.post(reverse("reports:run_review", args=[run.pk]), {"status": "approved!"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    response = client.post(reverse("reports:run_comment", args=[run.pk]), {"text": "   "})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    response = client.post(reverse("reports:run_comment", args=[run.pk]), {"text": "x" * 4001})
    assert response.status_code == 400
    assert not MatchRunComment.objects.exists()
    assert client.get(reverse("reports:run_detail", args=[run.pk + 999])).status_code == 404
    assert client.get(reverse("reports:runs") + "?kind=nonsense&review=zzz").status_code == 200


def test_run_list_filters_by_kind_and_review(client, admin_user, run):
    other = MatchRun.objects.create(kind="profile", status="succeeded", weights_version="x", target_id=1)
    review.review_set_status(run=run, status=ReviewStatus.REVIEWED, reviewer=admin_user)
    client.force_login(admin_user)
    full_only = client.get(reverse("reports:runs")).content.decode()
    assert f'data-run="{run.pk}"' in full_only and f'data-run="{other.pk}"' not in full_only
    every = client.get(reverse("reports:runs") + "?kind=").content.decode()
    assert f'data-run="{other.pk}"' in every
    unreviewed = client.get(reverse("reports:runs") + "?kind=&review=unreviewed").content.decode()
    assert f'data-run="{other.pk}"' in unreviewed and f'data-run="{run.pk}"' not in unreviewed
