"""Learning the score weights from hiring outcomes (Django side): read the outcomes, fit a candidate weight set,
evaluate it against the weights in force on a time-ordered hold-out, promote it only when it is better, roll
back in one step.

The numbers live in ``engine/learn.py``; this module reads ``apps.applications`` outcomes, stores candidates as
inactive ``WeightSet`` rows (with their fit, split and metrics in ``metrics``) and switches the active one.
Activating a set records the one it replaced (``metrics["previous_active"]``), so ``weights_rollback`` walks
back one activation at a time, down to the engine's defaults. Every match run records the version it used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.utils import timezone

from apps.matching.engine import DEFAULT_WEIGHTS, MatchWeights
from apps.matching.engine import learn as lm
from apps.matching.models import WeightSet

PRIMARY = "ndcg"
METRICS = ("ndcg", "recall", "mrr")


class LearningError(Exception):
    """Learning or evaluation cannot go ahead; the message says why and what to do."""


@dataclass
class OutcomeData:
    """Reviewed applications as arrays, in decision order."""

    application_ids: np.ndarray
    vacancy_ids: np.ndarray
    components: np.ndarray  # n x 5
    labels: np.ndarray
    grades: np.ndarray
    times: np.ndarray  # seconds since the epoch

    @classmethod
    def load(cls) -> OutcomeData:
        from apps.applications.selectors import outcome_records

        records = outcome_records()
        return cls(
            application_ids=np.array([r.application_id for r in records], dtype=np.int64),
            vacancy_ids=np.array([r.vacancy_id for r in records], dtype=np.int64),
            components=np.array([r.components for r in records], dtype=np.float64).reshape(-1, 5),
            labels=np.array([r.label for r in records], dtype=np.int64),
            grades=np.array([r.grade for r in records], dtype=np.int64),
            times=np.array([r.decided_at.timestamp() for r in records], dtype=np.float64),
        )

    @property
    def n(self) -> int:
        return int(self.labels.size)


def current_weights() -> MatchWeights:
    from apps.matching.services import active_weights

    return active_weights()


def weights_of(row: WeightSet) -> MatchWeights:
    return MatchWeights(version=row.version, required=row.required, optional=row.optional,
                        similarity=row.similarity, language=row.language, preference=row.preference)


@dataclass
class Evaluation:
    """Current and candidate weights ranked on the same hold-out."""

    current: MatchWeights
    candidate: MatchWeights
    current_metrics: lm.RankingMetrics
    candidate_metrics: lm.RankingMetrics
    test_items: int
    test_vacancies: int
    train_items: int

    def delta(self, metric: str = PRIMARY) -> float:
        return getattr(self.candidate_metrics, metric) - getattr(self.current_metrics, metric)

    def relative(self, metric: str = PRIMARY) -> float:
        base = getattr(self.current_metrics, metric)
        return self.delta(metric) / base if base else math.inf

    @property
    def better(self) -> bool:
        """The candidate beats the current weights on the primary metric (nDCG@k) of the hold-out."""
        return self.current_metrics.groups > 0 and self.delta(PRIMARY) > 1e-9

    def as_dict(self) -> dict:
        return {"current_version": self.current.version, "current": self.current_metrics.as_dict(),
                "candidate": self.candidate_metrics.as_dict(), "test_items": self.test_items,
                "test_vacancies": self.test_vacancies, "train_items": self.train_items,
                "delta": {m: self.delta(m) for m in METRICS}, "evaluated_at": timezone.now().isoformat()}


def _split(data: OutcomeData, *, holdout: float, train_vacancies=None) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) indices: the stored training vacancies of a candidate (everything else is held out), or a
    fresh time-ordered split."""
    if train_vacancies is not None:
        in_train = np.isin(data.vacancy_ids, np.asarray(list(train_vacancies), dtype=np.int64))
        return np.flatnonzero(in_train), np.flatnonzero(~in_train)
    return lm.time_split(data.times, data.vacancy_ids, holdout=holdout)


def _evaluate_on(data: OutcomeData, train: np.ndarray, test: np.ndarray, current: MatchWeights,
                 candidate: MatchWeights, k: int) -> Evaluation:
    if test.size == 0:
        raise LearningError("The hold-out is empty: no outcomes after the ones the candidate learned from.")
    comps, grades, groups = data.components[test], data.grades[test], data.vacancy_ids[test]
    now = lm.ranking_metrics(lm.scores(comps, current), grades, groups, k=k)
    new = lm.ranking_metrics(lm.scores(comps, candidate), grades, groups, k=k)
    if now.groups == 0:
        raise LearningError("No vacancy in the hold-out has a positive outcome; nothing to rank against yet.")
    return Evaluation(current=current, candidate=candidate, current_metrics=now, candidate_metrics=new,
                      test_items=int(test.size), test_vacancies=int(np.unique(groups).size),
                      train_items=int(train.size))


def _new_version() -> str:
    base = "learned-" + timezone.localtime().strftime("%Y%m%d-%H%M%S")
    version, n = base, 1
    while WeightSet.objects.filter(version=version).exists():
        n += 1
        version = f"{base}-{n}"
    return version


@dataclass
class LearnResult:
    candidate: WeightSet
    fit: lm.FitResult
    evaluation: Evaluation
    outcomes: int


def learn_candidate(*, holdout: float = 0.35, C: float = 10.0, centred: bool = True, min_outcomes: int = 40,
                    k: int = 10, data: OutcomeData | None = None) -> LearnResult:
    """Fit weights on the earlier outcomes, evaluate them against the weights in force on the later ones, and
    store them as an inactive candidate ``WeightSet``."""
    data = data or OutcomeData.load()
    if data.n < min_outcomes:
        raise LearningError(f"Only {data.n} reviewed outcomes so far; learning needs at least {min_outcomes} "
                            "(shortlisted or further, or rejected after review).")
    train, test = _split(data, holdout=holdout)
    if np.unique(data.labels[train]).size < 2:
        raise LearningError("The training outcomes are all positive or all negative; nothing to learn yet.")
    try:
        fit = lm.fit_weights(data.components[train], data.labels[train], data.vacancy_ids[train], C=C,
                             centred=centred)
    except ValueError as error:
        raise LearningError(str(error)) from error
    version = _new_version()
    candidate = lm.weights_from_tuple(version, fit.weights)
    evaluation = _evaluate_on(data, train, test, current_weights(), candidate, k)
    row = WeightSet.objects.create(
        version=version, **dict(zip(lm.COMPONENT_NAMES, fit.weights, strict=True)), is_active=False,
        note=f"Learned from {train.size} outcomes ({fit.positives} positive) by logistic regression on the score "
             f"terms{', centred per vacancy' if centred else ''}; C={C:g}.",
        metrics={"kind": "learned", "fit": {"coef": list(fit.coef), "intercept": fit.intercept, "n": fit.n,
                                            "positives": fit.positives, "centred": centred, "C": C},
                 "holdout": holdout, "k": k,
                 "train_vacancies": sorted(set(data.vacancy_ids[train].tolist())),
                 "trained_until": float(data.times[train].max()) if train.size else None,
                 "evaluation": evaluation.as_dict()})
    return LearnResult(candidate=row, fit=fit, evaluation=evaluation, outcomes=data.n)


def latest_candidate() -> WeightSet | None:
    """The newest weight set that is not in force."""
    return WeightSet.objects.filter(is_active=False).order_by("-created_at", "-pk").first()


def evaluate(*, candidate: WeightSet, k: int | None = None, holdout: float | None = None,
             data: OutcomeData | None = None) -> Evaluation:
    """Rank the hold-out with the weights in force and with ``candidate``: the outcomes the candidate did not
    learn from (its stored training vacancies), or a fresh time-ordered split for a hand-made set."""
    data = data or OutcomeData.load()
    if data.n == 0:
        raise LearningError("There are no reviewed outcomes yet.")
    stored = candidate.metrics or {}
    k = k or int(stored.get("k", 10))
    train, test = _split(data, holdout=holdout or float(stored.get("holdout", 0.35)),
                         train_vacancies=stored.get("train_vacancies") if holdout is None else None)
    return _evaluate_on(data, train, test, current_weights(), weights_of(candidate), k)


@transaction.atomic
def weights_activate(*, weight_set: WeightSet | None, reason: str = "") -> tuple[str, str]:
    """Put ``weight_set`` in force (None: the engine's defaults), remembering which set it replaced. Returns
    (previous version, new version)."""
    current = WeightSet.objects.select_for_update().filter(is_active=True).first()
    previous = current.version if current else DEFAULT_WEIGHTS.version
    if current is not None:
        current.is_active = False
        current.save(update_fields=["is_active"])
    if weight_set is None:
        return previous, DEFAULT_WEIGHTS.version
    weight_set = WeightSet.objects.select_for_update().get(pk=weight_set.pk)
    if current is not None and current.pk == weight_set.pk:
        weight_set.is_active = True
        weight_set.save(update_fields=["is_active"])
        return previous, weight_set.version
    metrics = dict(weight_set.metrics or {})
    metrics["previous_active"] = current.version if current else None
    metrics.setdefault("activations", []).append({"at": timezone.now().isoformat(), "reason": reason,
                                                   "replaced": previous})
    weight_set.metrics = metrics
    weight_set.is_active = True
    weight_set.activated_at = timezone.now()
    weight_set.save(update_fields=["is_active", "activated_at", "metrics"])
    return previous, weight_set.version


def promote(*, candidate: WeightSet, evaluation: Evaluation) -> bool:
    """Activate ``candidate`` only when it beats the weights in force on the hold-out; the evaluation is stored."""
    metrics = dict(candidate.metrics or {})
    metrics["evaluation"] = evaluation.as_dict()
    WeightSet.objects.filter(pk=candidate.pk).update(metrics=metrics)
    candidate.refresh_from_db()
    if not evaluation.better:
        return False
    weights_activate(weight_set=candidate,
                     reason=f"nDCG@{evaluation.candidate_metrics.k} {evaluation.current_metrics.ndcg:.4f} → "
                            f"{evaluation.candidate_metrics.ndcg:.4f} on {evaluation.test_items} held-out outcomes")
    return True


@transaction.atomic
def weights_rollback() -> tuple[str, str]:
    """Restore the weights that were in force before the current set (the engine's defaults at the bottom).
    Returns (version rolled back, version now in force)."""
    current = WeightSet.objects.select_for_update().filter(is_active=True).first()
    if current is None:
        raise LearningError(f"The engine's defaults ({DEFAULT_WEIGHTS.version}) are in force; there is nothing to "
                            "roll back.")
    previous_version = (current.metrics or {}).get("previous_active")
    metrics = dict(current.metrics or {})
    metrics["rolled_back_at"] = timezone.now().isoformat()
    current.metrics = metrics
    current.is_active = False
    current.save(update_fields=["is_active", "metrics"])
    previous = WeightSet.objects.filter(version=previous_version).first() if previous_version else None
    if previous is None:
        return current.version, DEFAULT_WEIGHTS.version
    previous.is_active = True
    previous.activated_at = timezone.now()
    previous.save(update_fields=["is_active", "activated_at"])
    return current.version, previous.version


def rematch_now(reason: str) -> str:
    """Re-score everything with the weights now in force: through the workers when there is a broker, else in
    this process before returning (a command must not exit while a background rematch still runs)."""
    from django.conf import settings

    from apps.matching.services import full_rematch_in_process

    if settings.CELERY_TASK_ALWAYS_EAGER:
        run = full_rematch_in_process(reason=reason)
        return f"done in-process (run #{run.pk}, {run.status}, weights {run.weights_version})"
    from worker.tasks.matching import full_rematch

    transaction.on_commit(lambda: full_rematch.delay(reason=reason))  # after the new weights are committed
    return "queued for the workers"
