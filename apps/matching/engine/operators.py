"""Weighted operators for candidate screening, and the error margin that keeps screening exact.

Screening computes every pair's approximate score as ``T = R * Q`` (float32) with two sparse x dense
products per block of profiles (``kernels.screen_block`` computes both, row by row):

* ``R = r_pre + YR @ XR``: required credit on a fixed-point grid (``YR`` holds round(w/W * r_scale) as
  int16, ``XR`` twice the credit, 0/1/2; ``r_pre`` = 2 * r_scale for vacancies without required skills);
  every partial sum is an integer below 2**15, so R is exact in any integer or float32 arithmetic;
* ``Q = q_pre + YQ @ X`` in float32 (``q_pre`` = w_req + w_lang for vacancies without languages; YQ holds the
  optional, similarity, language and preference terms, multiplied by their weights), pre-divided by
  2 * r_scale so that ``T = R * Q`` is the score;

where ``X``/``XR`` are dense blocks of profile features restricted to the columns some vacancy uses
("compact" columns), ``X`` followed by one row per preference class. ``margin`` bounds how far a screened
score can be from the exact float64 one (twice, plus one grid step on each side; the float32 part is
bounded for any order of summation, all of Q's terms being non-negative): any pair whose screened
score is more than ``margin`` below the k-th best screened score of its list cannot be in the exact top-k,
ties included.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .features import LANG_CREDIT, SKILL_CREDIT, ProfileMatrix, VacancyMatrix, feature_count, preference_tables
from .weights import SCORE_SCALE, MatchWeights

FLOAT32_EPS = 2.0 ** -24
FLOOR = np.float32(np.finfo(np.float32).tiny)  # screening threshold floor: scores of exactly 0 never listed


@dataclass(frozen=True, eq=False)
class WeightedOps:
    remap: np.ndarray  # int64 (F,) full feature column -> compact column of X, -1 unused
    used: np.ndarray  # int64 (n_feat,) compact column -> full feature column
    credit_col: np.ndarray  # int64 (n_skills, 5) compact column of (skill, threshold m), -1 unused
    r_credit_col: np.ndarray  # int64 (n_skills, 5) column of XR, -1 unused
    n_rcols: int
    yr16: sp.csr_matrix  # int16 (n_v, n_rcols)
    r_pre16: np.ndarray  # int16 (n_v,)
    r_full: int  # R on the int16 grid when every requirement is met
    sim_col: np.ndarray  # int64 (n_skills,) compact similarity column, -1 unused
    lang_col: np.ndarray  # int64 (n_languages, 6) compact column of (language, threshold m), -1 unused
    n_feat: int  # compact feature columns
    loc_off: int
    jm_off: int
    n_cols: int  # n_feat + loc classes + jm classes
    yq: sp.csr_matrix  # float32 (n_v, n_cols), divided by r_full
    q_pre: np.ndarray  # float32 (n_v,), divided by r_full
    eps: float
    margin: float


def weighted_ops(pm: ProfileMatrix, vm: VacancyMatrix, weights: MatchWeights) -> WeightedOps:
    """The operators for this (profile matrix, weights), cached on the vacancy matrix (one weight set)."""
    cached = vm._cache.get("ops")
    if cached is not None and cached[0] is pm and cached[1] == weights.as_tuple():
        return cached[2]
    ops = _build_ops(pm, vm, weights)
    vm._cache["ops"] = (pm, weights.as_tuple(), ops)
    return ops


def _build_ops(pm: ProfileMatrix, vm: VacancyMatrix, weights: MatchWeights) -> WeightedOps:
    w_req, w_opt, w_sim, w_lang, w_pref = weights.as_tuple()
    n_v = vm.n
    n_full = feature_count(pm.n_skills, pm.n_languages)
    yq_full = (vm.y_opt * w_opt + vm.y_sim * w_sim + vm.y_lang * w_lang).tocsr()
    yq_full.sum_duplicates()
    used = np.unique(yq_full.indices.astype(np.int64))
    remap = np.full(n_full, -1, dtype=np.int64)
    remap[used] = np.arange(used.shape[0], dtype=np.int64)
    n_feat = int(used.shape[0])
    n_lc = vm.loc_classes.shape[0]
    n_jm = vm.jm_classes.shape[0]
    loc_off, jm_off = n_feat, n_feat + n_lc
    n_cols = jm_off + n_jm

    # required part on an int16 grid: sum(round(w/W * r_scale) * 2 * credit) <= 2 * (r_scale + n/2) < 2**15
    r_used = np.unique(vm.y_req.indices.astype(np.int64))
    r_remap = np.full(n_full, -1, dtype=np.int64)
    r_remap[r_used] = np.arange(r_used.shape[0], dtype=np.int64)
    n_req = np.diff(vm.y_req.indptr)
    n_req_max = int(n_req.max(initial=0))
    if n_req_max > 4096:
        raise ValueError("a vacancy with more than 4096 required skills is not supported")
    r_scale = 16383 - n_req_max - 1
    r_full = 2 * r_scale
    yr16 = sp.csr_matrix((np.rint(vm.y_req.data * r_scale).astype(np.int16),
                          r_remap[vm.y_req.indices].astype(np.int32), vm.y_req.indptr.astype(np.int64)),
                         shape=(n_v, max(int(r_used.shape[0]), 1)))
    yr16.has_sorted_indices = True
    r_pre16 = np.where(vm.w_req <= 0, r_full, 0).astype(np.int16)
    unit = 1.0 / r_full

    # YQ rows: the remapped feature entries, then the two preference-class entries (all divided by r_full)
    counts = np.diff(yq_full.indptr) + 2
    indptr = np.zeros(n_v + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    cols = np.empty(int(indptr[-1]), dtype=np.int32)
    data = np.empty(int(indptr[-1]), dtype=np.float32)
    rows = np.repeat(np.arange(n_v, dtype=np.int64), np.diff(yq_full.indptr))
    dest = np.arange(rows.shape[0], dtype=np.int64) + 2 * rows
    cols[dest] = remap[yq_full.indices]
    data[dest] = yq_full.data * unit
    cols[indptr[1:] - 2] = loc_off + vm.loc_class
    data[indptr[1:] - 2] = w_pref / 3 * unit
    cols[indptr[1:] - 1] = jm_off + vm.jm_class
    data[indptr[1:] - 1] = w_pref / 3 * unit
    yq = sp.csr_matrix((data, cols, indptr), shape=(n_v, n_cols))
    yq.has_sorted_indices = True

    q_pre = ((w_req + w_lang * (vm.n_lang == 0)) * unit).astype(np.float32)
    nnz_q = np.diff(yq.indptr)
    # |T - exact| <= R rounding on the grid (n_req / (2 r_scale)) + float32 rounding of Q and of the product
    # (a generous count of rounded operations times u; scores are <= 1)
    eps = n_req_max / (2.0 * r_scale) + (4.0 * float(nnz_q.max(initial=0)) + 16.0) * FLOAT32_EPS
    margin = 2.0 * eps + 2.0 / SCORE_SCALE + 1e-9
    n_s, n_l = pm.n_skills, pm.n_languages
    credit_col = remap[:5 * n_s].reshape(n_s, 5)
    r_credit_col = r_remap[:5 * n_s].reshape(n_s, 5)
    sim_col = remap[5 * n_s:6 * n_s]
    lang_col = remap[6 * n_s:].reshape(n_l, 6)
    return WeightedOps(remap=remap, used=used, credit_col=credit_col, r_credit_col=r_credit_col,
                       n_rcols=int(yr16.shape[1]), yr16=yr16, r_pre16=r_pre16, r_full=r_full,
                       sim_col=sim_col, lang_col=lang_col,
                       n_feat=n_feat, loc_off=loc_off, jm_off=jm_off, n_cols=n_cols, yq=yq,
                       q_pre=q_pre, eps=eps, margin=margin)


_SKILL_CREDIT_BY_M = SKILL_CREDIT[:, 1:].astype(np.float32)  # [level, m-1]
_LANG_CREDIT_BY_M = LANG_CREDIT[:, 1:].astype(np.float32)


_SKILL_CREDIT2_BY_M = (2 * SKILL_CREDIT[:, 1:]).astype(np.int16)  # [level, m-1] twice the credit


def profile_block_features(pm: ProfileMatrix, vm: VacancyMatrix, ops: WeightedOps, a: int, b: int,
                           out=None, previous=None, tables=None):
    """Dense features of profiles a..b in the compact columns of ``ops``, built from the profiles' skill and
    language lists: (X float32 (n_cols, b-a), XR int16 (n_rcols, b-a)). ``out`` = (X, XR) is reused when
    given: ``previous`` are the flat positions written by the last call (reset to 0 instead of clearing the
    buffers). Returns ((X, XR), positions)."""
    nb = b - a
    if out is None:
        out = (np.zeros((ops.n_cols, nb), dtype=np.float32), np.zeros((ops.n_rcols, nb), dtype=np.int16))
    x, xr = out
    flat, rflat = x.reshape(-1), xr.reshape(-1)
    if previous is not None:
        flat[previous[0]] = 0.0
        rflat[previous[1]] = 0
    parts, rparts = [], []
    # skills: credit(level, m) at (skill, m) and level * idf / ||x|| at the similarity column
    lo, hi = int(pm.skill_indptr[a]), int(pm.skill_indptr[b])
    if hi > lo:
        local = np.repeat(np.arange(nb, dtype=np.int64), np.diff(pm.skill_indptr[a:b + 1]))
        sk = pm.skill_idx[lo:hi]
        lv = pm.skill_level[lo:hi].astype(np.intp)
        cols = ops.credit_col[sk]
        vals = _SKILL_CREDIT_BY_M[lv]
        ok = (cols >= 0) & (vals > 0)
        pos = (cols * nb + local[:, None])[ok]
        flat[pos] = vals[ok]
        parts.append(pos)
        cols = ops.r_credit_col[sk]
        vals16 = _SKILL_CREDIT2_BY_M[lv]
        ok = (cols >= 0) & (vals16 > 0)
        pos = (cols * nb + local[:, None])[ok]
        rflat[pos] = vals16[ok]
        rparts.append(pos)
        scol = ops.sim_col[sk]
        ok = scol >= 0
        norm = pm.norm[a:b]
        sval = (lv * pm.idf[sk] / np.where(norm > 0, norm, 1.0)[local]).astype(np.float32)
        pos = (scol * nb + local)[ok]
        flat[pos] = sval[ok]
        parts.append(pos)
    lo, hi = int(pm.lang_indptr[a]), int(pm.lang_indptr[b])
    if hi > lo:
        local = np.repeat(np.arange(nb, dtype=np.int64), np.diff(pm.lang_indptr[a:b + 1]))
        cols = ops.lang_col[pm.lang_idx[lo:hi]]
        vals = _LANG_CREDIT_BY_M[pm.lang_level[lo:hi].astype(np.intp)]
        ok = (cols >= 0) & (vals > 0)
        pos = (cols * nb + local[:, None])[ok]
        flat[pos] = vals[ok]
        parts.append(pos)
    loc_tab, jm_tab = preference_tables(pm, vm, a, b) if tables is None else tables
    x[ops.loc_off:ops.jm_off] = loc_tab
    x[ops.jm_off:] = jm_tab
    empty = np.empty(0, np.int64)
    return out, (np.concatenate(parts) if parts else empty, np.concatenate(rparts) if rparts else empty)
