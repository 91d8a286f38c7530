"""Per-pair explanation: the components and total (bit-for-bit what top_k lists) plus the skill details."""

from __future__ import annotations

import numpy as np

from .evaluate import evaluate_pairs
from .features import (
    LANG_CREDIT,
    SKILL_CREDIT,
    ProfileMatrix,
    VacancyMatrix,
    build_profile_matrix,
    build_vacancy_matrix,
    compute_idf,
)
from .types import Explanation, LanguageMatch, Profiles, SkillMatch, Vacancies
from .weights import DEFAULT_WEIGHTS, SCORE_SCALE, MatchWeights


def _row(indptr, row, *arrays):
    a, b = int(indptr[row]), int(indptr[row + 1])
    return [arr[a:b] for arr in arrays]


def explain(profiles, vacancies, p_row: int, v_row: int, weights: MatchWeights = DEFAULT_WEIGHTS, *,
            profile_matrix: ProfileMatrix | None = None, vacancy_matrix: VacancyMatrix | None = None,
            n_skills: int | None = None, n_languages: int | None = None) -> Explanation:
    """Explain the score of profile row ``p_row`` against vacancy row ``v_row``.

    The idf comes from ``profile_matrix`` when given (so the explanation matches that run), else from all
    of ``profiles``. Pass the matrices of a run to explain its scores without rebuilding anything.
    """
    profiles = Profiles.coerce(profiles)
    vacancies = Vacancies.coerce(vacancies)
    if profile_matrix is not None and vacancy_matrix is not None:
        pm, vm, pi, vi = profile_matrix, vacancy_matrix, int(p_row), int(v_row)
    else:
        if profile_matrix is not None:
            n_skills, n_languages, idf = profile_matrix.n_skills, profile_matrix.n_languages, profile_matrix.idf
        else:
            if n_skills is None:
                n_skills = 1 + int(max(profiles.skill_idx.max(initial=-1), vacancies.req_idx.max(initial=-1),
                                       vacancies.opt_idx.max(initial=-1)))
            if n_languages is None:
                n_languages = 1 + int(max(profiles.lang_idx.max(initial=-1), vacancies.lang_idx.max(initial=-1)))
            idf = compute_idf(profiles, n_skills)
        pm = build_profile_matrix(profiles.take([p_row]), n_skills, n_languages, idf=idf)
        vm = build_vacancy_matrix(vacancies.take([v_row]), pm)
        pi, vi = 0, 0
    scores = evaluate_pairs(pm, vm, weights, [pi], [vi])

    s_idx, s_lvl = _row(profiles.skill_indptr, p_row, profiles.skill_idx, profiles.skill_level)
    have = {int(s): int(lv) for s, lv in zip(s_idx, s_lvl, strict=True)}

    def skill_lists(prefix):
        idx, need, w = _row(getattr(vacancies, f"{prefix}_indptr"), v_row, getattr(vacancies, f"{prefix}_idx"),
                            getattr(vacancies, f"{prefix}_min_level"), getattr(vacancies, f"{prefix}_weight"))
        matched, missing = [], []
        for s, m, wt in sorted(zip(idx.tolist(), need.tolist(), w.tolist(), strict=True)):
            h = have.get(s, 0)
            item = SkillMatch(skill=s, have=h, need=m, weight=wt, credit=float(SKILL_CREDIT[h, m]))
            (matched if h >= m else missing).append(item)
        return tuple(matched), tuple(missing)

    matched_req, missing_req = skill_lists("req")
    matched_opt, missing_opt = skill_lists("opt")
    l_idx, l_lvl = _row(profiles.lang_indptr, p_row, profiles.lang_idx, profiles.lang_level)
    langs = {int(a): int(b) for a, b in zip(l_idx, l_lvl, strict=True)}
    v_lang, v_min = _row(vacancies.lang_indptr, v_row, vacancies.lang_idx, vacancies.lang_min_level)
    met, short = [], []
    for lang, m in sorted(zip(v_lang.tolist(), v_min.tolist(), strict=True)):
        h = langs.get(lang, 0)
        item = LanguageMatch(language=lang, have=h, need=m, credit=float(LANG_CREDIT[h, m]))
        (met if h >= m else short).append(item)

    locs = set(_row(profiles.loc_indptr, p_row, profiles.loc_idx)[0].tolist())
    location = int(vacancies.location[v_row])
    location_ok = (not locs) or (location in locs) or (bool(vacancies.remote[v_row])
                                                       and bool(profiles.remote_ok[p_row]))
    pj, pmk = int(profiles.pref_job_types[p_row]), int(profiles.pref_markets[p_row])
    mk = int(vacancies.markets[v_row])
    job_ok = pj == 0 or bool((pj >> int(vacancies.job_type[v_row])) & 1)
    market_ok = pmk == 0 or mk == 0 or (pmk & mk) != 0
    return Explanation(
        profile_id=int(profiles.ids[p_row]), vacancy_id=int(vacancies.ids[v_row]),
        weights_version=weights.version,
        required=float(scores.required[0]), optional=float(scores.optional[0]),
        similarity=float(scores.similarity[0]), language=float(scores.language[0]),
        preference=float(scores.preference[0]), total=float(scores.total[0]),
        score=float(np.int64(scores.units[0]) / SCORE_SCALE),
        matched_required=matched_req, missing_required=missing_req,
        matched_optional=matched_opt, missing_optional=missing_opt,
        languages_met=tuple(met), languages_missing=tuple(short),
        location_ok=bool(location_ok), job_type_ok=bool(job_ok), market_ok=bool(market_ok),
    )
