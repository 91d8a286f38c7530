"""Learning the weights from outcomes: the numeric parts against hand-computed values and synthetic truths, then
the commands end to end (learn, evaluate, promote only when better, roll back), and the demo's outcome histories,
whose hidden preferences the learned weights must find (they beat the defaults on the hold-out)."""

import datetime as dt
import math
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from apps.applications.models import Application, ApplicationEvent, Stage
from apps.matching import learning
from apps.matching.engine import DEFAULT_WEIGHTS, MatchWeights
from apps.matching.engine import learn as lm
from apps.matching.engine.weights import combine
from apps.matching.models import MatchRun, WeightSet
from tests import factories

HIDDEN = MatchWeights("hidden", required=0.5, optional=0.0, similarity=0.05, language=0.3, preference=0.15)


# --- numbers ---------------------------------------------------------------------------------------------------


def test_score_terms_reproduce_the_engines_score():
    rng = np.random.default_rng(1)
    parts = rng.random((200, 5))
    expected = combine(HIDDEN, *parts.T)
    assert np.allclose(lm.scores(parts, HIDDEN), expected)
    assert np.allclose(lm.score_terms(parts) @ np.array(HIDDEN.as_tuple()), expected)


@pytest.mark.parametrize("coef", [(8, -1, 2, 6, 3), (1, 0, 0, 0, 0), (0.1, 5, 5, 5, 5), (3, 1, 1, 1, 1e-9),
                                  (2, 0.3, 0.3, 0.2, 0.2)])
def test_coefficients_map_to_valid_weights(coef):
    w = lm.coef_to_weights(coef)
    MatchWeights("x", *w)  # validates: non-negative, sum 1, required >= 0.5
    assert math.fsum(w) == pytest.approx(1.0, abs=1e-12) and w[0] >= 0.5 and min(w) >= 0
    positive = np.clip(np.array(coef, float), 0, None)
    if positive[0] / positive.sum() >= 0.5:  # no clamp: the ratios are kept (to the rounding)
        assert np.allclose(w, positive / positive.sum(), atol=1e-4)
    else:  # clamped: required is exactly 0.5 and the others keep their ratios
        assert w[0] == 0.5
        rest = positive[1:] / positive[1:].sum() * 0.5 if positive[1:].sum() else np.full(4, 0.125)
        assert np.allclose(w[1:], rest, atol=1e-4)


def test_nothing_to_learn_from_all_negative_coefficients():
    with pytest.raises(ValueError, match="nothing to learn"):
        lm.coef_to_weights((-1, -2, -0.5, -1, -3))


def test_ranking_metrics_against_hand_computed_values():
    # group 1: ranked grades [0, 2, 1] -> DCG = 3/log2(3) + 1/log2(4); ideal [2, 1, 0] -> 3 + 1/log2(3)
    # group 2: ranked [0, 0, 1, 0] (k=2 cuts the positive off); group 3 has no positive and is skipped
    scores = [0.9, 0.8, 0.7, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4]
    grades = [0, 2, 1, 0, 0, 1, 0, 0, 0]
    groups = [1, 1, 1, 2, 2, 2, 2, 3, 3]
    m = lm.ranking_metrics(scores, grades, groups, k=2)
    ndcg1 = (3 / math.log2(3)) / (3 + 1 / math.log2(3))
    assert m.groups == 2 and m.items == 7
    assert m.ndcg == pytest.approx((ndcg1 + 0.0) / 2)
    assert m.recall == pytest.approx((0.5 + 0.0) / 2)
    assert m.mrr == pytest.approx((1 / 2 + 1 / 3) / 2)
    full = lm.ranking_metrics(scores, grades, groups, k=10)
    assert full.recall == 1.0


def test_ties_keep_the_input_order_for_every_weight_set():
    m = lm.ranking_metrics([0.5, 0.5, 0.5], [0, 0, 1], [7, 7, 7], k=10)
    assert m.mrr == pytest.approx(1 / 3)


def test_time_split_keeps_vacancies_whole_and_holds_out_the_latest():
    rng = np.random.default_rng(3)
    groups = np.repeat(np.arange(40), 10)
    times = groups * 100.0 + rng.random(400)  # vacancy i decided around time 100 i
    train, test = lm.time_split(times, groups, holdout=0.25)
    assert set(groups[train]).isdisjoint(groups[test])
    assert test.size == 100 and set(groups[test]) == set(range(30, 40))
    assert times[train].max() < times[test].min()


def _synthetic(n_groups=120, pool=25, seed=0, weights=HIDDEN, noise=0.01):
    """Pools of candidates; the firm shortlists the best 30 % by ``weights`` (plus noise)."""
    rng = np.random.default_rng(seed)
    comps, labels, grades, groups, times = [], [], [], [], []
    for g in range(n_groups):
        parts = np.column_stack([rng.uniform(0.3, 1, pool), rng.random((pool, 4))])
        utility = lm.scores(parts, weights) + noise * rng.logistic(size=pool)
        order = np.argsort(-utility)
        label = np.zeros(pool, int)
        label[order[: int(0.3 * pool)]] = 1
        grade = label.copy()
        grade[order[:2]] = 3
        comps.append(parts)
        labels.append(label)
        grades.append(grade)
        groups.append(np.full(pool, g))
        times.append(np.full(pool, float(g)))
    return tuple(np.concatenate(x) for x in (comps, labels, grades, groups, times))


def test_the_fit_recovers_hidden_weights_and_ranks_better_than_the_defaults():
    comps, labels, grades, groups, times = _synthetic()
    train, test = lm.time_split(times, groups, holdout=0.25)
    fit = lm.fit_weights(comps[train], labels[train], groups[train])
    assert np.allclose(fit.weights, HIDDEN.as_tuple(), atol=0.05), fit.weights
    learned = lm.ranking_metrics(lm.scores(comps[test], fit.weights), grades[test], groups[test])
    default = lm.ranking_metrics(lm.scores(comps[test], DEFAULT_WEIGHTS), grades[test], groups[test])
    assert learned.ndcg > default.ndcg + 0.02


def test_fit_refuses_one_class():
    with pytest.raises(ValueError, match="both positives and negatives"):
        lm.fit_weights(np.random.default_rng(0).random((10, 5)), np.ones(10), np.zeros(10))


# --- commands --------------------------------------------------------------------------------------------------


def _outcome_history(n_vacancies=40, pool=20, seed=5):
    """Reviewed applications in the database whose labels follow HIDDEN, one vacancy after the other in time."""
    comps, labels, grades, groups, _times = _synthetic(n_groups=n_vacancies, pool=pool, seed=seed)
    students = [factories.StudentFactory().profile for _ in range(pool)]
    firm = factories.FirmFactory()
    vacancies = [factories.VacancyFactory(firm=firm, openings=5) for _ in range(n_vacancies)]
    start = timezone.now() - dt.timedelta(days=200)
    rows = []
    for i in range(comps.shape[0]):
        g, positive = int(groups[i]), bool(labels[i])
        at = start + dt.timedelta(days=4 * g, minutes=i)
        stage = (Stage.OFFER if grades[i] == 3 else Stage.SHORTLISTED) if positive else Stage.REJECTED
        rows.append(Application(
            profile=students[i % pool], vacancy=vacancies[g], source="applied", stage=stage,
            furthest={Stage.OFFER: 4, Stage.SHORTLISTED: 2}.get(stage, 1), stage_changed_at=at, reviewed_at=at,
            match_score=float(lm.scores(comps[i:i + 1], DEFAULT_WEIGHTS)[0]),
            **{f"match_{name}": float(v) for name, v in zip(lm.COMPONENT_NAMES, comps[i], strict=True)}))
    Application.objects.bulk_create(rows)
    ApplicationEvent.objects.bulk_create([ApplicationEvent(application=a, actor_role="firm", from_stage="applied",
                                                           to_stage="rejected", created_at=a.reviewed_at)
                                          for a in rows if a.stage == Stage.REJECTED])
    return vacancies


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_learn_evaluate_promote_and_roll_back(settings):
    _outcome_history()
    text = _run("learn_weights")
    candidate = WeightSet.objects.get()
    assert not candidate.is_active and candidate.version.startswith("learned-")
    assert np.allclose([candidate.required, candidate.optional, candidate.similarity, candidate.language,
                        candidate.preference], HIDDEN.as_tuple(), atol=0.06)
    evaluation = candidate.metrics["evaluation"]
    assert evaluation["candidate"]["ndcg"] > evaluation["current"]["ndcg"]
    assert "The candidate is better: nDCG@10 +" in text and f"Stored candidate weight set {candidate.version}" in text
    assert len(candidate.metrics["train_vacancies"]) == 26  # 40 vacancies, the latest 35 % held out

    report = _run("evaluate_matching", "--promote")
    assert f"Promoted {candidate.version}" in report and "recall@10" in report and "MRR" in report
    candidate.refresh_from_db()
    assert candidate.is_active and candidate.metrics["previous_active"] is None
    assert learning.current_weights().version == candidate.version
    assert MatchRun.objects.order_by("-pk").first().weights_version == candidate.version  # the rematch used it

    assert "Weights in force: default-1" in _run("weights", "rollback")
    assert not WeightSet.objects.filter(is_active=True).exists()
    assert MatchRun.objects.order_by("-pk").first().weights_version == "default-1"
    with pytest.raises(CommandError, match="nothing to roll back"):
        _run("weights", "rollback", "--no-rematch")


@pytest.mark.django_db
def test_a_candidate_that_is_not_better_is_not_promoted():
    _outcome_history()
    worse = WeightSet.objects.create(version="worse", required=0.5, optional=0.5, similarity=0, language=0,
                                     preference=0)
    report = _run("evaluate_matching", "--candidate", "worse", "--promote", "--holdout", "0.25")
    assert "Not promoted: worse does not beat the weights in force" in report
    worse.refresh_from_db()
    assert not worse.is_active and worse.metrics["evaluation"]["delta"]["ndcg"] < 0


@pytest.mark.django_db
def test_rollback_walks_back_one_activation_at_a_time():
    a = WeightSet.objects.create(version="a", required=0.6, optional=0.1, similarity=0.1, language=0.1,
                                 preference=0.1)
    b = WeightSet.objects.create(version="b", required=0.7, optional=0.1, similarity=0.1, language=0.05,
                                 preference=0.05)
    _run("weights", "activate", "a", "--no-rematch")
    _run("weights", "activate", "b", "--no-rematch")
    assert "Weights in force: a (was b)" in _run("weights", "rollback", "--no-rematch")
    assert "Weights in force: default-1 (was a)" in _run("weights", "rollback", "--no-rematch")
    listing = _run("weights", "list")
    assert "* default-1 (engine)" in listing
    a.refresh_from_db()
    b.refresh_from_db()
    assert not a.is_active and not b.is_active


@pytest.mark.django_db
def test_commands_explain_what_is_missing():
    with pytest.raises(CommandError, match="Only 0 reviewed outcomes"):
        _run("learn_weights")
    with pytest.raises(CommandError, match="run manage.py learn_weights first"):
        _run("evaluate_matching")
    with pytest.raises(CommandError, match="no weight set 'nope'"):
        _run("weights", "activate", "nope")


# --- the demo's histories --------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_histories_let_the_learning_beat_the_defaults():
    from apps.applications.demo import HIDDEN_WEIGHTS, demo_outcomes
    from apps.core.demo.services import demo_seed

    demo_seed(students=400, vacancies=120, rematch=False, outcomes=False)
    counts = demo_outcomes(rematch=False)
    assert counts["applications"] > 1500 and counts["reviewed"] > 1200 and counts["hires"] > 0
    assert demo_outcomes(rematch=False)["applications"] == 0  # runs once
    from apps.cohorts.models import Placement

    started = Application.objects.filter(stage="hired", start_date__isnull=False)
    assert Placement.objects.filter(source="pipeline").count() == started.count() > 0
    # every hire has a free opening and no filled vacancy stays open
    for vacancy_id, openings in Application.objects.filter(stage="hired").values_list("vacancy_id",
                                                                                        "vacancy__openings"):
        assert Application.objects.filter(vacancy_id=vacancy_id, stage="hired").count() < openings
    result = learning.learn_candidate()
    evaluation = result.evaluation
    assert evaluation.current.version == "default-1"
    assert evaluation.better, evaluation.as_dict()
    assert evaluation.candidate_metrics.ndcg > evaluation.current_metrics.ndcg
    # it found the hidden taste: more weight on languages and preferences, less on optional skills
    learned = dict(zip(lm.COMPONENT_NAMES, result.fit.weights, strict=True))
    assert learned["language"] > DEFAULT_WEIGHTS.language and learned["optional"] < DEFAULT_WEIGHTS.optional
    assert HIDDEN_WEIGHTS.language > DEFAULT_WEIGHTS.language
