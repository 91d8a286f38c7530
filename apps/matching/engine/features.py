"""Precomputed sparse features of profiles and vacancies (reusable across full and incremental runs).

Feature space (``F = 6 * n_skills + 6 * n_languages`` columns):

* ``s*5 + (m-1)`` for skill ``s`` and level threshold ``m`` in 1..5: the profile holds
  ``credit(level, m)`` (1 if level >= m, 0.5 if level == m-1, else 0), so a vacancy that needs ``s`` at
  ``m`` with weight ``w`` puts ``w`` in that one column and the dot product is the weighted credit.
* ``5*n_skills + s``: idf-weighted, L2-normalised skill vectors (cosine similarity as a dot product).
* ``6*n_skills + lang*6 + (m-1)``: the same credit encoding for CEFR levels 1..6.

Preferences are not columns here: they depend on few distinct vacancy "classes" ((location, remote) and
(job type, markets)), whose per-profile values are computed per block (``preference_tables``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer

from .types import MAX_CEFR_LEVEL, MAX_SKILL_LEVEL, Profiles, Vacancies

N_SKILL_THRESHOLDS = MAX_SKILL_LEVEL  # m = 1..5
N_LANG_THRESHOLDS = MAX_CEFR_LEVEL  # m = 1..6


def credit_table(max_level: int) -> np.ndarray:
    """``table[have, need]`` for have in 0..max, need in 0..max; need 0 means "not asked" (credit 0)."""
    t = np.zeros((max_level + 1, max_level + 1), dtype=np.float64)
    for have in range(1, max_level + 1):
        for need in range(1, max_level + 1):
            t[have, need] = 1.0 if have >= need else (0.5 if have == need - 1 else 0.0)
    return t


SKILL_CREDIT = credit_table(MAX_SKILL_LEVEL)
LANG_CREDIT = credit_table(MAX_CEFR_LEVEL)


def feature_count(n_skills: int, n_languages: int) -> int:
    return 6 * n_skills + 6 * n_languages


def _rows_of(indptr: np.ndarray) -> np.ndarray:
    return np.repeat(np.arange(indptr.shape[0] - 1, dtype=np.int64), np.diff(indptr))


def sorted_csr(indptr: np.ndarray, idx: np.ndarray, *values: np.ndarray):
    """Sort every CSR row by index (stable across calls: engine, incremental and explain agree)."""
    rows = _rows_of(indptr)
    if idx.size and np.any((rows[1:] == rows[:-1]) & (idx[1:] < idx[:-1])):
        # scipy sorts each row in C++; the data column carries the permutation
        m = sp.csr_matrix((np.arange(idx.shape[0], dtype=np.int64), idx.astype(np.int64), indptr),
                          shape=(indptr.shape[0] - 1, int(idx.max()) + 1))
        m.has_sorted_indices = False
        m.sort_indices()
        order = m.data
        return (indptr, idx[order], *(v[order] for v in values))
    return (indptr, idx, *values)


def compute_idf(profiles: Profiles, n_skills: int) -> np.ndarray:
    """idf over the profile population with scikit-learn's TfidfTransformer (smooth_idf=True):
    idf(s) = ln((1 + n) / (1 + df(s))) + 1."""
    n = profiles.n
    counts = sp.csr_matrix((np.ones(profiles.skill_idx.shape[0], dtype=np.float64),
                            profiles.skill_idx.astype(np.int64), profiles.skill_indptr), shape=(n, n_skills))
    tf = TfidfTransformer(norm=None, use_idf=True, smooth_idf=True, sublinear_tf=False)
    tf.fit(counts)
    return np.asarray(tf.idf_, dtype=np.float64)


def profile_norms(indptr: np.ndarray, idx: np.ndarray, level: np.ndarray, idf: np.ndarray) -> np.ndarray:
    """||level * idf|| per profile; rows must be sorted (sorted_csr) so every caller sums in the same order."""
    rows = _rows_of(indptr)
    x = level.astype(np.float64) * idf[idx]
    return np.sqrt(np.bincount(rows, weights=x * x, minlength=indptr.shape[0] - 1))


@dataclass(frozen=True, eq=False)
class ProfileMatrix:
    """Profiles prepared for matching. Build with :func:`build_profile_matrix`.

    profiles: the (validated) input.
    idf: float64 (n_skills,) idf used for similarity (population of these profiles, or the one given).
    norm: float64 (n,) ||level * idf|| per profile.
    skill_*/lang_*/loc_*: row-sorted copies of the CSR inputs; nopref: bool (n,) no location preference.
    The feature columns of this module are produced per block of profiles (operators.profile_block_features)
    rather than stored.
    id_rank: int64 (n,) rank of each id among the profile ids (tie-break key).
    """

    profiles: Profiles
    n_skills: int
    n_languages: int
    idf: np.ndarray
    norm: np.ndarray
    skill_indptr: np.ndarray
    skill_idx: np.ndarray
    skill_level: np.ndarray
    lang_indptr: np.ndarray
    lang_idx: np.ndarray
    lang_level: np.ndarray
    loc_indptr: np.ndarray
    loc_idx: np.ndarray
    nopref: np.ndarray
    id_rank: np.ndarray
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def n(self) -> int:
        return self.profiles.n

    @property
    def ids(self) -> np.ndarray:
        return self.profiles.ids

    def skill_columns(self) -> sp.csc_matrix:
        """Levels as a (n, n_skills) CSC matrix: the profiles of each skill (built once, for score_vacancy)."""
        m = self._cache.get("skill_csc")
        if m is None:
            m = sp.csr_matrix((self.skill_level.astype(np.float64), self.skill_idx, self.skill_indptr),
                              shape=(self.n, self.n_skills)).tocsc()
            m.sort_indices()
            self._cache["skill_csc"] = m
        return m

    def language_columns(self) -> sp.csc_matrix:
        m = self._cache.get("lang_csc")
        if m is None:
            m = sp.csr_matrix((self.lang_level.astype(np.float64), self.lang_idx, self.lang_indptr),
                              shape=(self.n, self.n_languages)).tocsc()
            m.sort_indices()
            self._cache["lang_csc"] = m
        return m


def _id_rank(ids: np.ndarray) -> np.ndarray:
    rank = np.empty(ids.shape[0], dtype=np.int64)
    rank[np.argsort(ids, kind="stable")] = np.arange(ids.shape[0], dtype=np.int64)
    return rank


def build_profile_matrix(profiles, n_skills: int, n_languages: int, *, idf: np.ndarray | None = None,
                         validate: bool = True) -> ProfileMatrix:
    """Precompute the profile side. ``idf`` defaults to the idf of these profiles (sklearn semantics); pass
    a stored vector to score incremental updates exactly like the last full run."""
    profiles = Profiles.coerce(profiles)
    if validate:
        profiles.validate(n_skills, n_languages)
    s_ptr, s_idx, s_lvl = sorted_csr(profiles.skill_indptr, profiles.skill_idx, profiles.skill_level)
    l_ptr, l_idx, l_lvl = sorted_csr(profiles.lang_indptr, profiles.lang_idx, profiles.lang_level)
    c_ptr, c_idx = sorted_csr(profiles.loc_indptr, profiles.loc_idx)
    if idf is None:
        idf = compute_idf(profiles, n_skills)
    idf = np.ascontiguousarray(idf, dtype=np.float64)
    if idf.shape != (n_skills,):
        raise ValueError(f"idf must have {n_skills} entries")
    norm = profile_norms(s_ptr, s_idx, s_lvl, idf)

    return ProfileMatrix(
        profiles=profiles, n_skills=n_skills, n_languages=n_languages, idf=idf, norm=norm,
        skill_indptr=s_ptr, skill_idx=s_idx, skill_level=s_lvl, lang_indptr=l_ptr, lang_idx=l_idx,
        lang_level=l_lvl, loc_indptr=c_ptr, loc_idx=c_idx, nopref=np.diff(c_ptr) == 0,
        id_rank=_id_rank(profiles.ids),
    )


@dataclass(frozen=True, eq=False)
class VacancyMatrix:
    """Vacancies prepared for matching against one ProfileMatrix. Build with :func:`build_vacancy_matrix`.

    ms_*: per vacancy, the union of its required and optional skills sorted by skill ("merged skills"):
        ms_req_min/ms_opt_min (0 = not required/optional), ms_req_w/ms_opt_w raw weights (0 = absent),
        ms_sim = idf(s) * y(s) / ||y|| with y(s) = (sum of the skill's weights) * idf(s).
    ms_rec: float64 (nnz_ms, 4) the same merged entries as 32-byte rows (w_req, w_opt, sim, packed
        skill/min levels as int64 bits) for cache-friendly gathers in the exact evaluator.
    w_req/w_opt: float64 (n,) sums of the required/optional weights (in ms order).
    lang_*: row-sorted required languages; n_lang (n,) their count.
    loc_class/jm_class: int32 (n,) index into loc_classes ((location, remote) rows) and jm_classes
        ((job_type, markets) rows): preference classes.
    y_req/y_opt/y_sim/y_lang: float64 CSR (n, F) unweighted component operators: y_req holds w/W at the
        credit column of every required (skill, min level), y_opt the same for optional skills, y_sim the
        normalised idf vector, y_lang 1/n_lang at every (language, min level).
    """

    vacancies: Vacancies
    n_skills: int
    n_languages: int
    idf: np.ndarray
    ms_indptr: np.ndarray
    ms_skill: np.ndarray
    ms_req_min: np.ndarray
    ms_req_w: np.ndarray
    ms_opt_min: np.ndarray
    ms_opt_w: np.ndarray
    ms_sim: np.ndarray
    ms_rec: np.ndarray
    w_req: np.ndarray
    w_opt: np.ndarray
    lang_indptr: np.ndarray
    lang_idx: np.ndarray
    lang_min: np.ndarray
    n_lang: np.ndarray
    loc_class: np.ndarray
    loc_classes: np.ndarray
    jm_class: np.ndarray
    jm_classes: np.ndarray
    y_req: sp.csr_matrix
    y_opt: sp.csr_matrix
    y_sim: sp.csr_matrix
    y_lang: sp.csr_matrix
    id_rank: np.ndarray
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def n(self) -> int:
        return self.vacancies.n

    @property
    def ids(self) -> np.ndarray:
        return self.vacancies.ids

    @property
    def has_req(self) -> np.ndarray:
        return np.diff(self.vacancies.req_indptr) > 0

    @property
    def has_opt(self) -> np.ndarray:
        return np.diff(self.vacancies.opt_indptr) > 0


def build_vacancy_matrix(vacancies, profile_matrix: ProfileMatrix, *, validate: bool = True) -> VacancyMatrix:
    """Precompute the vacancy side against ``profile_matrix`` (its taxonomy sizes and idf)."""
    vacancies = Vacancies.coerce(vacancies)
    n_skills, n_languages = profile_matrix.n_skills, profile_matrix.n_languages
    if validate:
        vacancies.validate(n_skills, n_languages)
    idf = profile_matrix.idf
    n = vacancies.n
    rr = _rows_of(vacancies.req_indptr)
    ro = _rows_of(vacancies.opt_indptr)
    keys = np.concatenate([rr * n_skills + vacancies.req_idx, ro * n_skills + vacancies.opt_idx])
    uniq, inv = np.unique(keys, return_inverse=True)
    nr = rr.shape[0]
    ms_row = uniq // n_skills
    ms_skill = (uniq % n_skills).astype(np.int32)
    ms_req_min = np.zeros(uniq.shape[0], np.int8)
    ms_req_w = np.zeros(uniq.shape[0], np.float64)
    ms_opt_min = np.zeros(uniq.shape[0], np.int8)
    ms_opt_w = np.zeros(uniq.shape[0], np.float64)
    ms_req_min[inv[:nr]] = vacancies.req_min_level
    ms_req_w[inv[:nr]] = vacancies.req_weight
    ms_opt_min[inv[nr:]] = vacancies.opt_min_level
    ms_opt_w[inv[nr:]] = vacancies.opt_weight
    ms_indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(ms_row, minlength=n), out=ms_indptr[1:])
    idf_s = idf[ms_skill]
    y = (ms_req_w + ms_opt_w) * idf_s
    ynorm = np.sqrt(np.bincount(ms_row, weights=y * y, minlength=n))
    ysafe = np.where(ynorm > 0, ynorm, 1.0)
    ms_sim = idf_s * y / ysafe[ms_row]
    w_req = np.bincount(ms_row, weights=ms_req_w, minlength=n)
    w_opt = np.bincount(ms_row, weights=ms_opt_w, minlength=n)
    # one 32-byte row per merged entry: w_req, w_opt, sim, and (as int64 bits) skill*256 + req_min*16 + opt_min
    ms_rec = np.zeros((uniq.shape[0], 4), dtype=np.float64)
    ms_rec[:, 0], ms_rec[:, 1], ms_rec[:, 2] = ms_req_w, ms_opt_w, ms_sim
    ms_rec.view(np.int64)[:, 3] = (ms_skill.astype(np.int64) << 8) | (ms_req_min.astype(np.int64) << 4) | ms_opt_min

    l_ptr, l_idx, l_min = sorted_csr(vacancies.lang_indptr, vacancies.lang_idx, vacancies.lang_min_level)
    n_lang = np.diff(l_ptr)

    loc_key = np.stack([vacancies.location, vacancies.remote.astype(np.int64)], axis=1)
    loc_classes, loc_class = np.unique(loc_key, axis=0, return_inverse=True)
    jm_key = np.stack([vacancies.job_type, vacancies.markets], axis=1)
    jm_classes, jm_class = np.unique(jm_key, axis=0, return_inverse=True)

    shape = (n, feature_count(n_skills, n_languages))
    is_r = ms_req_min > 0
    is_o = ms_opt_min > 0
    s64 = ms_skill.astype(np.int64)
    wr_safe = np.where(w_req > 0, w_req, 1.0)
    wo_safe = np.where(w_opt > 0, w_opt, 1.0)
    y_req = _csr(ms_row[is_r], s64[is_r] * 5 + ms_req_min[is_r] - 1, ms_req_w[is_r] / wr_safe[ms_row[is_r]],
                 shape)
    y_opt = _csr(ms_row[is_o], s64[is_o] * 5 + ms_opt_min[is_o] - 1, ms_opt_w[is_o] / wo_safe[ms_row[is_o]],
                 shape)
    y_sim = _csr(ms_row, 5 * n_skills + s64, y / ysafe[ms_row], shape)
    lrows = _rows_of(l_ptr)
    y_lang = _csr(lrows, 6 * n_skills + l_idx.astype(np.int64) * 6 + l_min - 1,
                  1.0 / np.maximum(n_lang, 1)[lrows], shape)
    return VacancyMatrix(
        vacancies=vacancies, n_skills=n_skills, n_languages=n_languages, idf=idf, ms_indptr=ms_indptr,
        ms_skill=ms_skill, ms_req_min=ms_req_min, ms_req_w=ms_req_w, ms_opt_min=ms_opt_min, ms_opt_w=ms_opt_w,
        ms_sim=ms_sim, ms_rec=ms_rec, w_req=w_req, w_opt=w_opt, lang_indptr=l_ptr, lang_idx=l_idx, lang_min=l_min,
        n_lang=n_lang, loc_class=loc_class.reshape(-1).astype(np.int32), loc_classes=loc_classes,
        jm_class=jm_class.reshape(-1).astype(np.int32), jm_classes=jm_classes, y_req=y_req, y_opt=y_opt,
        y_sim=y_sim, y_lang=y_lang, id_rank=_id_rank(vacancies.ids),
    )


def _csr(rows, cols, vals, shape) -> sp.csr_matrix:
    """CSR from row-sorted triplets (rows ascending; columns ascending inside a row)."""
    indptr = np.zeros(shape[0] + 1, np.int64)
    np.cumsum(np.bincount(rows, minlength=shape[0]), out=indptr[1:])
    m = sp.csr_matrix((np.asarray(vals, np.float64), np.asarray(cols, np.int64).astype(np.int32), indptr),
                      shape=shape)
    m.sort_indices()
    return m


def csr_row_entries(indptr: np.ndarray, p0: int, p1: int, rows: np.ndarray | None):
    """Entries of CSR rows p0..p1 (or of the given ``rows``): (local row of each entry, entry positions)."""
    if rows is None:
        a, b = int(indptr[p0]), int(indptr[p1])
        return _rows_of(indptr[p0:p1 + 1] - a), np.arange(a, b, dtype=np.int64)
    starts, counts = indptr[rows], indptr[rows + 1] - indptr[rows]
    local = np.repeat(np.arange(rows.shape[0], dtype=np.int64), counts)
    before = np.cumsum(counts) - counts
    pos = np.arange(local.shape[0], dtype=np.int64) + np.repeat(starts - before, counts)
    return local, pos


def preference_tables(pm: ProfileMatrix, vm: VacancyMatrix, p0: int, p1: int, *, rows: np.ndarray | None = None,
                      dtype=np.uint8) -> tuple[np.ndarray, np.ndarray]:
    """Per-class preference values of profiles ``p0..p1`` (or of the given ``rows``):

    loc (n_loc_classes, n): 1 if the location indicator holds for a vacancy of that (location, remote)
    class (no preference, location listed, or remote work accepted);
    jm (n_jm_classes, n): job-type indicator + market indicator (0..2) for that (job_type, markets) class.
    """
    sel = slice(p0, p1) if rows is None else rows
    profiles = pm.profiles
    nopref = pm.nopref[sel]
    nb = nopref.shape[0]
    rok = profiles.remote_ok[sel]
    lc = vm.loc_classes
    loc = np.empty((lc.shape[0], nb), dtype=dtype)
    loc[:] = nopref[None, :]
    remote_rows = np.flatnonzero(lc[:, 1] == 1)
    if remote_rows.size:
        loc[remote_rows] |= rok[None, :].astype(dtype)
    ent_row, pos = csr_row_entries(pm.loc_indptr, p0, p1, rows)
    if pos.shape[0]:
        ent_loc = pm.loc_idx[pos].astype(np.int64)
        max_loc = int(max(lc[:, 0].max(initial=-1), ent_loc.max(initial=-1)))
        lookup = np.full((max_loc + 2, 2), -1, dtype=np.int64)
        valid = lc[:, 0] >= 0
        lookup[lc[valid, 0], lc[valid, 1]] = np.flatnonzero(valid)
        for remote in (0, 1):
            cls = lookup[ent_loc, remote]
            hit = cls >= 0
            loc[cls[hit], ent_row[hit]] = 1
    jc = vm.jm_classes
    pj = profiles.pref_job_types[sel]
    pmk = profiles.pref_markets[sel]
    job_ok = (pj[None, :] == 0) | (((pj[None, :] >> jc[:, 0:1]) & 1) == 1)
    mk = jc[:, 1:2]
    mkt_ok = (pmk[None, :] == 0) | (mk == 0) | ((pmk[None, :] & mk) != 0)
    jm = job_ok.astype(dtype) + mkt_ok.astype(dtype)
    return loc, jm
