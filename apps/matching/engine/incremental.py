"""Incremental scoring: one vacancy against all profiles, one profile against all vacancies.

Same screening + exact scoring as the full run (same margin, same exact evaluator, same ordering), so a
row computed here equals the corresponding row of ``top_k``.
"""

from __future__ import annotations

import numpy as np

from .evaluate import evaluate_pairs
from .features import LANG_CREDIT, SKILL_CREDIT, ProfileMatrix, VacancyMatrix
from .operators import FLOOR, profile_block_features, weighted_ops
from .types import Components, RowTopK
from .weights import DEFAULT_WEIGHTS, SCORE_SCALE, MatchWeights

_KEY_UNITS = 1 << 30


def _select(scores32: np.ndarray, k: int, margin: float) -> np.ndarray:
    """Indices whose float32 score can still be in the exact top-k."""
    n = scores32.shape[0]
    if n > k:
        kth = np.partition(scores32, n - k)[n - k]
        thr = max(float(kth) - margin, float(FLOOR))
    else:
        thr = float(FLOOR)
    return np.flatnonzero(scores32 >= np.float32(thr))


def _finish(pm, vm, weights, p_rows, v_rows, other_rank, other_rows, other_ids, k) -> RowTopK:
    scores = evaluate_pairs(pm, vm, weights, p_rows, v_rows)
    keep = scores.units > 0
    units = scores.units[keep]
    rows = other_rows[keep]
    key = ((_KEY_UNITS - units) << 32) | other_rank[rows]
    order = np.argsort(key, kind="stable")[:k]
    comps = Components(*(c[keep][order].astype(np.float32) for c in scores.components()))
    return RowTopK(rows=rows[order].astype(np.int32), ids=other_ids[rows[order]],
                   scores=units[order] / SCORE_SCALE, components=comps)


def _vacancy_scores32(pm: ProfileMatrix, vm: VacancyMatrix, weights: MatchWeights, v: int) -> np.ndarray:
    """Screening scores (float32 grade accuracy) of vacancy ``v`` against every profile, computed per skill
    from the profiles that have it (skill columns), so nothing per pair is needed."""
    w_req, w_opt, w_sim, w_lang, w_pref = weights.as_tuple()
    n = pm.n
    cols = pm.skill_columns()
    r = np.zeros(n, dtype=np.float64)
    q = np.zeros(n, dtype=np.float64)
    a, b = int(vm.ms_indptr[v]), int(vm.ms_indptr[v + 1])
    inv_norm = 1.0 / np.where(pm.norm > 0, pm.norm, 1.0)
    wr = vm.w_req[v]
    wo = vm.w_opt[v]
    for e in range(a, b):
        s = int(vm.ms_skill[e])
        lo, hi = cols.indptr[s], cols.indptr[s + 1]
        rows = cols.indices[lo:hi]
        lv = cols.data[lo:hi].astype(np.intp)
        if vm.ms_req_min[e]:
            r[rows] += (vm.ms_req_w[e] / wr) * SKILL_CREDIT[lv, vm.ms_req_min[e]]
        contrib = w_sim * vm.ms_sim[e] * lv * inv_norm[rows]
        if vm.ms_opt_min[e]:
            contrib = contrib + (w_opt * vm.ms_opt_w[e] / wo) * SKILL_CREDIT[lv, vm.ms_opt_min[e]]
        q[rows] += contrib
    if wr <= 0:
        r[:] = 1.0
    la, lb = int(vm.lang_indptr[v]), int(vm.lang_indptr[v + 1])
    if lb > la:
        lcols = pm.language_columns()
        for e in range(la, lb):
            lang = int(vm.lang_idx[e])
            lo, hi = lcols.indptr[lang], lcols.indptr[lang + 1]
            q[lcols.indices[lo:hi]] += (w_lang / (lb - la)) * LANG_CREDIT[lcols.data[lo:hi].astype(np.intp),
                                                                          vm.lang_min[e]]
    else:
        q += w_lang
    loc, jm = _single_class_preferences(pm, vm, v)
    q += w_req + (w_pref / 3) * (loc + jm)
    return (r * q).astype(np.float32)


def _single_class_preferences(pm: ProfileMatrix, vm: VacancyMatrix, v: int):
    profiles = pm.profiles
    location = int(vm.vacancies.location[v])
    remote = bool(vm.vacancies.remote[v])
    loc = pm.nopref.copy()
    if remote:
        loc |= profiles.remote_ok
    if location >= 0:
        hit = np.flatnonzero(pm.loc_idx == location)
        if hit.size:
            rows = np.searchsorted(pm.loc_indptr, hit, side="right") - 1
            loc[rows] = True
    job = int(vm.vacancies.job_type[v])
    mk = int(vm.vacancies.markets[v])
    pj, pmk = profiles.pref_job_types, profiles.pref_markets
    job_ok = (pj == 0) | (((pj >> job) & 1) == 1)
    mkt_ok = (pmk == 0) | (mk == 0) | ((pmk & mk) != 0)
    return loc, job_ok.astype(np.int8) + mkt_ok.astype(np.int8)


def vacancy_row_topk(pm: ProfileMatrix, vm: VacancyMatrix, weights: MatchWeights, v: int, k: int, *,
                     p_range: tuple[int, int] | None = None, exclude_rows=None) -> RowTopK:
    t = _vacancy_scores32(pm, vm, weights, v)
    p0, p1 = (0, pm.n) if p_range is None else p_range
    if exclude_rows is not None and len(exclude_rows):
        t[np.asarray(exclude_rows, dtype=np.int64)] = 0.0
    sub = t[p0:p1]
    cand = _select(sub, k, weighted_ops(pm, vm, weights).margin) + p0
    return _finish(pm, vm, weights, cand, np.full(cand.shape[0], v, dtype=np.int64), pm.id_rank, cand, pm.ids, k)


def score_vacancy(profile_matrix: ProfileMatrix, vacancy_matrix: VacancyMatrix, vacancy_row: int, k: int = 50,
                  weights: MatchWeights = DEFAULT_WEIGHTS, exclude_profile_rows=None) -> RowTopK:
    """Top-k profiles of one vacancy (e.g. just posted or edited): equals that vacancy's row of top_k."""
    if not 0 <= vacancy_row < vacancy_matrix.n:
        raise IndexError("vacancy_row out of range")
    return vacancy_row_topk(profile_matrix, vacancy_matrix, weights, int(vacancy_row), int(k),
                            exclude_rows=exclude_profile_rows)


def score_profile(profile_matrix: ProfileMatrix, vacancy_matrix: VacancyMatrix, profile_row: int, k: int = 50,
                  weights: MatchWeights = DEFAULT_WEIGHTS, exclude_vacancy_rows=None) -> RowTopK:
    """Top-k vacancies of one profile (e.g. just edited): equals that profile's row of top_k."""
    pm, vm = profile_matrix, vacancy_matrix
    if not 0 <= profile_row < pm.n:
        raise IndexError("profile_row out of range")
    p = int(profile_row)
    ops = weighted_ops(pm, vm, weights)
    (x, xr), _ = profile_block_features(pm, vm, ops, p, p + 1)
    r = ops.r_pre16 + ops.yr16 @ xr[:, 0]
    q = ops.q_pre + ops.yq @ x[:, 0]
    t = (r.astype(np.float32) * q).astype(np.float32)
    if exclude_vacancy_rows is not None and len(exclude_vacancy_rows):
        t[np.asarray(exclude_vacancy_rows, dtype=np.int64)] = 0.0
    cand = _select(t, int(k), ops.margin)
    return _finish(pm, vm, weights, np.full(cand.shape[0], p, dtype=np.int64), cand, vm.id_rank, cand, vm.ids,
                   int(k))


def _floor_rows(scores32: np.ndarray, floors: np.ndarray | None, margin: float) -> np.ndarray:
    """Rows whose screening score can reach their own floor (the last score of a full list; 0 = any)."""
    if floors is None:
        return np.empty(0, dtype=np.int64)
    thr = np.maximum(np.asarray(floors, dtype=np.float64) - margin, float(FLOOR)).astype(np.float32)
    return np.flatnonzero(scores32 >= thr)


def _union(*parts) -> np.ndarray:
    parts = [np.asarray(p, dtype=np.int64).ravel() for p in parts if p is not None and len(p)]
    return np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)


def vacancy_placements(profile_matrix: ProfileMatrix, vacancy_matrix: VacancyMatrix, vacancy_row: int, k: int,
                       weights: MatchWeights = DEFAULT_WEIGHTS, *, profile_floors=None, must_rows=None,
                       exclude_profile_rows=None) -> RowTopK:
    """Exact scores of one vacancy for the profiles that matter to an incremental update: its own top-k,
    every profile whose float32 screening score can reach that profile's floor (``profile_floors``, one per
    profile: the last score of its full list, 0 when the list is short), and ``must_rows``. Ordered like
    a top-k row; pairs scoring 0 are left out. Far fewer exact evaluations than scoring every profile."""
    pm, vm, v = profile_matrix, vacancy_matrix, int(vacancy_row)
    t = _vacancy_scores32(pm, vm, weights, v)
    if exclude_profile_rows is not None and len(exclude_profile_rows):
        t[np.asarray(exclude_profile_rows, dtype=np.int64)] = 0.0
    margin = weighted_ops(pm, vm, weights).margin
    cand = _union(_select(t, int(k), margin), _floor_rows(t, profile_floors, margin), must_rows)
    if exclude_profile_rows is not None and len(exclude_profile_rows):
        cand = np.setdiff1d(cand, np.asarray(exclude_profile_rows, dtype=np.int64))
    return _finish(pm, vm, weights, cand, np.full(cand.shape[0], v, dtype=np.int64), pm.id_rank, cand, pm.ids,
                   max(int(cand.shape[0]), 1))


def profile_placements(profile_matrix: ProfileMatrix, vacancy_matrix: VacancyMatrix, profile_row: int, k: int,
                       weights: MatchWeights = DEFAULT_WEIGHTS, *, vacancy_floors=None, must_rows=None,
                       exclude_vacancy_rows=None) -> RowTopK:
    """The profile-side twin of :func:`vacancy_placements`."""
    pm, vm, p = profile_matrix, vacancy_matrix, int(profile_row)
    ops = weighted_ops(pm, vm, weights)
    (x, xr), _ = profile_block_features(pm, vm, ops, p, p + 1)
    r = ops.r_pre16 + ops.yr16 @ xr[:, 0]
    q = ops.q_pre + ops.yq @ x[:, 0]
    t = (r.astype(np.float32) * q).astype(np.float32)  # the same screening as score_profile
    if exclude_vacancy_rows is not None and len(exclude_vacancy_rows):
        t[np.asarray(exclude_vacancy_rows, dtype=np.int64)] = 0.0
    cand = _union(_select(t, int(k), ops.margin), _floor_rows(t, vacancy_floors, ops.margin), must_rows)
    if exclude_vacancy_rows is not None and len(exclude_vacancy_rows):
        cand = np.setdiff1d(cand, np.asarray(exclude_vacancy_rows, dtype=np.int64))
    return _finish(pm, vm, weights, np.full(cand.shape[0], p, dtype=np.int64), cand, vm.id_rank, cand, vm.ids,
                   max(int(cand.shape[0]), 1))
