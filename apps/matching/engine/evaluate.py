"""Exact (float64) scores of given (profile, vacancy) pairs.

Every listed score comes from here, in full runs, incremental runs and explanations alike, so the same
pair always gets bit-for-bit the same score. Sums run in a fixed order (a vacancy's skills sorted by index,
accumulated with bincount), independent of which other pairs are evaluated alongside.
"""

from __future__ import annotations

import numpy as np

from .features import LANG_CREDIT, SKILL_CREDIT, ProfileMatrix, VacancyMatrix, csr_row_entries, preference_tables
from .types import MAX_CEFR_LEVEL, MAX_SKILL_LEVEL
from .weights import MatchWeights, combine, quantize_units

_SKILL_CREDIT_FLAT = SKILL_CREDIT.ravel()
_LANG_CREDIT_FLAT = LANG_CREDIT.ravel()
_DENSE_BUDGET = 1 << 22  # bytes of the per-chunk dense level matrices


class PairScores:
    """Components, raw totals and quantised units (int64) of a list of pairs."""

    __slots__ = ("required", "optional", "similarity", "language", "preference", "total", "units")

    def __init__(self, m: int):
        for name in self.__slots__[:-1]:
            setattr(self, name, np.zeros(m, dtype=np.float64))
        self.units = np.zeros(m, dtype=np.int64)

    def components(self):
        return (self.required, self.optional, self.similarity, self.language, self.preference)


def _expand(indptr: np.ndarray, rows: np.ndarray):
    """For each pair row, the positions of its CSR entries: (pair index per entry, entry position)."""
    cnt = indptr[rows + 1] - indptr[rows]
    m = rows.shape[0]
    rep = np.repeat(np.arange(m, dtype=np.int64), cnt)
    start = np.cumsum(cnt) - cnt
    pos = np.arange(rep.shape[0], dtype=np.int64) + np.repeat(indptr[rows] - start, cnt)
    return rep, pos


def chunk_rows(pm: ProfileMatrix, vm: VacancyMatrix) -> int:
    n_classes = vm.loc_classes.shape[0] + vm.jm_classes.shape[0]
    per_row = pm.n_skills + pm.n_languages + n_classes
    return max(64, min(8192, _DENSE_BUDGET // max(per_row, 1)))


def evaluate_pairs(pm: ProfileMatrix, vm: VacancyMatrix, weights: MatchWeights, p_rows, v_rows, *,
                   pref_tables=None, out: PairScores | None = None, target=None) -> PairScores:
    """Exact scores of pairs ``(p_rows[i], v_rows[i])`` (any order; profiles are processed in chunks).
    ``pref_tables`` = (p0, p1, loc, jm) from features.preference_tables may be passed when every pair's
    profile lies in [p0, p1). With ``out``/``target`` the scores of pair i go to ``out[target[i]]``."""
    p_rows = np.asarray(p_rows, dtype=np.int64)
    v_rows = np.asarray(v_rows, dtype=np.int64)
    m = p_rows.shape[0]
    if out is None:
        out = PairScores(m)
    positions = np.arange(m) if target is None else np.asarray(target, dtype=np.int64)
    if m == 0:
        return out
    if pref_tables is not None:
        c0, c1 = pref_tables[0], pref_tables[1]
        _evaluate_chunk(pm, vm, weights, c0, c1, None, p_rows - c0, v_rows, out, positions, pref_tables[2:])
        return out
    nb = chunk_rows(pm, vm)
    lo, hi = int(p_rows.min()), int(p_rows.max())
    if hi - lo < nb:
        _evaluate_chunk(pm, vm, weights, lo, hi + 1, None, p_rows - lo, v_rows, out, positions, None)
        return out
    if m <= nb:  # few pairs over a wide range (incremental calls): only the profiles involved
        uniq, local = np.unique(p_rows, return_inverse=True)
        _evaluate_chunk(pm, vm, weights, 0, 0, uniq, local.reshape(-1), v_rows, out, positions, None)
        return out
    chunk = (p_rows - lo) // nb
    ctype = np.uint16 if chunk.max() < 65535 else np.int64
    order = np.argsort(chunk.astype(ctype), kind="stable")
    bounds = np.searchsorted(chunk[order], np.arange(int(chunk.max()) + 2))
    for c in range(bounds.shape[0] - 1):
        a, b = bounds[c], bounds[c + 1]
        if a == b:
            continue
        sel = order[a:b]
        c0 = lo + c * nb
        _evaluate_chunk(pm, vm, weights, c0, min(c0 + nb, pm.n), None, p_rows[sel] - c0, v_rows[sel], out,
                        positions[sel], None)
    return out


def _evaluate_chunk(pm, vm, weights, c0, c1, rows, po_local, v_rows, out: PairScores, target, pref):
    """Pairs whose profiles are rows c0..c1 (or the given ``rows``); ``po_local`` indexes them."""
    m = v_rows.shape[0]
    nb = (c1 - c0) if rows is None else rows.shape[0]
    n_skills, n_lang_total = pm.n_skills, max(pm.n_languages, 1)

    # dense skill and language levels of the chunk's profiles
    local, pos = csr_row_entries(pm.skill_indptr, c0, c1, rows)
    levels = np.zeros(nb * n_skills, dtype=np.int8)
    levels[local * n_skills + pm.skill_idx[pos]] = pm.skill_level[pos]
    local, pos = csr_row_entries(pm.lang_indptr, c0, c1, rows)
    lang_levels = np.zeros(nb * n_lang_total, dtype=np.int8)
    lang_levels[local * n_lang_total + pm.lang_idx[pos]] = pm.lang_level[pos]
    glob = (np.arange(c0, c1, dtype=np.int64) if rows is None else rows)

    # pairs sorted by their vacancy's number of merged (required + optional) skills: the pairs that still
    # have an entry j form a prefix. Everything below is computed in this order and scattered at the end.
    # Sums run sequentially from 0 in skill order (like the bincount that computed w_req), whatever the batch.
    ms_ptr = vm.ms_indptr
    cnt = ms_ptr[v_rows + 1] - ms_ptr[v_rows]
    cmax = int(cnt.max(initial=0))
    order = np.argsort((cmax - cnt).astype(np.uint16 if cmax < 65535 else np.int64), kind="stable")
    vo = v_rows[order]
    po = po_local[order]
    active = np.searchsorted(cnt[order][::-1], np.arange(cmax), side="right")
    active = m - active  # pairs with cnt > j
    base = ms_ptr[vo]
    prow = po * n_skills
    rec_all = vm.ms_rec
    r_num = np.zeros(m, dtype=np.float64)
    o_num = np.zeros(m, dtype=np.float64)
    s_num = np.zeros(m, dtype=np.float64)
    width = MAX_SKILL_LEVEL + 1
    for j in range(cmax):
        n_j = int(active[j])
        rec = np.take(rec_all, base[:n_j] + j, axis=0)
        code = rec.view(np.int64)[:, 3]
        lvl = levels[prow[:n_j] + (code >> 8)].astype(np.intp)
        lw = lvl * width
        r_num[:n_j] += rec[:, 0] * _SKILL_CREDIT_FLAT[lw + ((code >> 4) & 15)]
        o_num[:n_j] += rec[:, 1] * _SKILL_CREDIT_FLAT[lw + (code & 15)]
        s_num[:n_j] += rec[:, 2] * lvl
    w_req = vm.w_req[vo]
    required = r_num / np.where(w_req > 0, w_req, 1.0)
    required[w_req <= 0] = 1.0
    w_opt = vm.w_opt[vo]
    optional = o_num / np.where(w_opt > 0, w_opt, 1.0)
    norm = pm.norm[glob[po]]
    similarity = s_num / np.where(norm > 0, norm, 1.0)
    np.minimum(similarity, 1.0, out=similarity)

    # languages: credits are 0, 1/2 or 1, so their sum is exact in any order
    l_ptr = vm.lang_indptr
    lcnt = l_ptr[vo + 1] - l_ptr[vo]
    lmax = int(lcnt.max(initial=0))
    l_num = np.zeros(m, dtype=np.float64)
    if lmax:
        lorder = np.argsort((lmax - lcnt).astype(np.uint16 if lmax < 65535 else np.int64), kind="stable")
        lactive = m - np.searchsorted(lcnt[lorder][::-1], np.arange(lmax), side="right")
        lbase = l_ptr[vo[lorder]]
        prow_l = po[lorder] * n_lang_total
        acc = np.zeros(m, dtype=np.float64)
        for j in range(lmax):
            n_j = int(lactive[j])
            e = lbase[:n_j] + j
            have = lang_levels[prow_l[:n_j] + vm.lang_idx[e]].astype(np.intp)
            acc[:n_j] += _LANG_CREDIT_FLAT[have * (MAX_CEFR_LEVEL + 1) + vm.lang_min[e]]
        l_num[lorder] = acc
    language = l_num / np.maximum(lcnt, 1)
    language[lcnt == 0] = 1.0

    # preferences via the class tables of this chunk
    loc_tab, jm_tab = preference_tables(pm, vm, c0, c1, rows=rows) if pref is None else pref
    hits = loc_tab[vm.loc_class[vo], po].astype(np.int64) + jm_tab[vm.jm_class[vo], po]
    preference = hits / 3

    total = combine(weights, required, optional, similarity, language, preference)
    dest = target[order]
    out.required[dest] = required
    out.optional[dest] = optional
    out.similarity[dest] = similarity
    out.language[dest] = language
    out.preference[dest] = preference
    out.total[dest] = total
    out.units[dest] = quantize_units(total)
