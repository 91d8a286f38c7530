"""Learning the score weights from hiring outcomes, and ranking metrics to judge them. Pure numpy/scikit-learn.

The score is ``R * (w_req + w_opt*O + w_sim*S + w_lang*L + w_pref*F)`` (``weights.py``), which is exactly linear
in the *score terms* ``x = (R, R*O, R*S, R*L, R*F)``: ``score = w . x``. A logistic regression of the outcome
(the firm shortlisted or went further = 1, rejected after review = 0) on ``x`` therefore estimates a weight
vector directly: its coefficients, clipped at 0 and scaled to sum to 1 (with ``required`` raised to 0.5 when
below, the rest shrunk in proportion), are a valid ``MatchWeights``.

Firms rank candidates *within* a vacancy, and vacancies differ in how strong their whole applicant pool is, so
by default the terms are centred per vacancy before fitting (a fixed effect per vacancy; the coefficients then
only see which candidate a firm preferred over the others in the same pool).

Metrics (nDCG@k, recall@k, MRR) rank each vacancy's reviewed candidates by score and compare with what the
firm did: graded gains for nDCG (shortlisted 1 < interview 2 < offer 3 < hired 4), positives for recall and MRR.
Equal scores keep the input order (the caller passes candidates in a fixed order), the same for every weight set.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .weights import MatchWeights

COMPONENT_NAMES = ("required", "optional", "similarity", "language", "preference")
MIN_REQUIRED = 0.5
DECIMALS = 4


def score_terms(components: np.ndarray) -> np.ndarray:
    """``n x 5`` components (R, O, S, L, F) → ``n x 5`` terms whose dot product with the weights is the score."""
    components = np.asarray(components, dtype=np.float64).reshape(-1, 5)
    return np.column_stack([components[:, 0], components[:, 0:1] * components[:, 1:]])


def scores(components: np.ndarray, weights) -> np.ndarray:
    """Scores of ``n x 5`` components under ``weights`` (a MatchWeights or 5 numbers), as the engine computes them."""
    w = np.asarray(weights.as_tuple() if isinstance(weights, MatchWeights) else weights, dtype=np.float64)
    return score_terms(components) @ w


def centre_by_group(x: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Subtract each group's mean row (a fixed effect per group)."""
    groups = np.asarray(groups)
    _, inverse, counts = np.unique(groups, return_inverse=True, return_counts=True)
    sums = np.zeros((counts.size, x.shape[1]))
    np.add.at(sums, inverse, x)
    return x - sums[inverse] / counts[inverse, None]


def coef_to_weights(coef, *, min_required: float = MIN_REQUIRED, decimals: int = DECIMALS) -> tuple[float, ...]:
    """Valid weights from coefficients on the score terms: non-negative, summing to 1, ``required`` ≥ 0.5.

    Negative coefficients become 0 (a part that hurts is simply not rewarded); the rest keep their ratios,
    except that ``required`` is raised to ``min_required`` when below it and the others shrink in proportion.
    Rounded to ``decimals`` by largest remainders, so the rounded weights still sum to exactly 1.
    """
    w = np.clip(np.asarray(coef, dtype=np.float64).reshape(5), 0.0, None)
    if not np.all(np.isfinite(w)) or w.sum() <= 0:
        raise ValueError("no part of the score predicts the outcomes positively; nothing to learn")
    w = w / w.sum()
    if w[0] < min_required:
        rest = w[1:].sum()
        w[1:] = w[1:] / rest * (1.0 - min_required) if rest > 0 else (1.0 - min_required) / 4
        w[0] = min_required
    # largest-remainder rounding on a 10^-decimals grid: the units sum exactly to one whole, required stays >= min
    scale = 10**decimals
    units = w * scale
    whole = np.floor(units + 1e-9).astype(np.int64)
    short = scale - int(whole.sum())
    for i in np.argsort(-(units - whole), kind="stable")[:short]:
        whole[i] += 1
    rounded = whole / scale
    return tuple(float(v) for v in rounded)


@dataclass(frozen=True)
class FitResult:
    """A fitted model: the weights it maps to, the raw coefficients, and what it was fitted on."""

    weights: tuple[float, float, float, float, float]
    coef: tuple[float, ...]
    intercept: float
    n: int
    positives: int
    centred: bool
    C: float


def fit_weights(components, labels, groups=None, *, C: float = 10.0, centred: bool = True,
                random_state: int = 0) -> FitResult:
    """Fit a logistic regression of ``labels`` (0/1) on the score terms of ``components`` and map it to weights.

    ``groups`` (vacancy ids) enable the per-vacancy centring; ``C`` is the inverse L2 strength.
    """
    from sklearn.linear_model import LogisticRegression

    x = score_terms(components)
    y = np.asarray(labels, dtype=np.int64).reshape(-1)
    if x.shape[0] != y.shape[0]:
        raise ValueError("components and labels differ in length")
    if np.unique(y).size < 2:
        raise ValueError("the outcomes need both positives and negatives")
    if centred:
        if groups is None:
            raise ValueError("centring needs the groups")
        x = centre_by_group(x, groups)
    model = LogisticRegression(C=C, max_iter=5000, random_state=random_state)
    model.fit(x, y)
    coef = model.coef_[0]
    return FitResult(weights=coef_to_weights(coef), coef=tuple(float(c) for c in coef),
                     intercept=float(model.intercept_[0]), n=int(y.size), positives=int(y.sum()), centred=centred,
                     C=float(C))


# --- ranking metrics ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankingMetrics:
    """Means over the groups that have at least one positive."""

    ndcg: float
    recall: float
    mrr: float
    groups: int
    items: int
    k: int
    per_group: dict = field(default_factory=dict, compare=False, repr=False)

    def as_dict(self) -> dict:
        return {"ndcg": self.ndcg, "recall": self.recall, "mrr": self.mrr, "groups": self.groups,
                "items": self.items, "k": self.k}


def _dcg(gains: np.ndarray, k: int) -> float:
    top = gains[:k]
    return float(np.sum((np.power(2.0, top) - 1.0) / np.log2(np.arange(2, top.size + 2))))


def ranking_metrics(item_scores, grades, groups, *, k: int = 10) -> RankingMetrics:
    """nDCG@k (graded), recall@k and MRR of ranking each group's items by ``item_scores`` (descending; ties keep
    the input order)."""
    item_scores = np.asarray(item_scores, dtype=np.float64)
    grades = np.asarray(grades, dtype=np.float64)
    groups = np.asarray(groups)
    ndcgs, recalls, rrs, per_group = [], [], [], {}
    for group in np.unique(groups):
        idx = np.flatnonzero(groups == group)
        g = grades[idx]
        if not np.any(g > 0):
            continue
        order = idx[np.argsort(-item_scores[idx], kind="stable")]
        ranked = grades[order]
        ideal = np.sort(g)[::-1]
        ndcg = _dcg(ranked, k) / _dcg(ideal, k)
        relevant = ranked > 0
        recall = float(relevant[:k].sum() / relevant.sum())
        rr = 1.0 / (int(np.argmax(relevant)) + 1)
        ndcgs.append(ndcg)
        recalls.append(recall)
        rrs.append(rr)
        per_group[group.item() if hasattr(group, "item") else group] = (ndcg, recall, rr)
    if not ndcgs:
        return RankingMetrics(math.nan, math.nan, math.nan, 0, 0, k)
    return RankingMetrics(float(np.mean(ndcgs)), float(np.mean(recalls)), float(np.mean(rrs)), len(ndcgs),
                          int(sum(np.count_nonzero(groups == gr) for gr in per_group)), k, per_group)


def time_split(times, groups, *, holdout: float = 0.25) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, test) of a time-ordered hold-out that keeps each vacancy's pool whole.

    Groups (vacancies) are ordered by their last decision; the vacancies decided last, holding about ``holdout``
    of the items, are the test set and the earlier ones train. So the model is judged on the most recent
    vacancies, ranking their complete candidate pools, as it would be used on vacancies to come.
    """
    if not 0 < holdout < 1:
        raise ValueError("holdout must be between 0 and 1")
    times = np.asarray(times, dtype=np.float64)
    groups = np.asarray(groups)
    uniq, inverse = np.unique(groups, return_inverse=True)
    last = np.full(uniq.size, -np.inf)
    np.maximum.at(last, inverse, times)
    counts = np.bincount(inverse, minlength=uniq.size)
    order = np.argsort(-last, kind="stable")  # latest first
    target = holdout * times.size
    taken, test_groups = 0, []
    for g in order:
        if taken >= target:
            break
        test_groups.append(g)
        taken += counts[g]
    is_test = np.isin(inverse, np.asarray(test_groups, dtype=inverse.dtype))
    return np.flatnonzero(~is_test), np.flatnonzero(is_test)


def weights_from_tuple(version: str, values) -> MatchWeights:
    return MatchWeights(version, *(float(v) for v in values))
