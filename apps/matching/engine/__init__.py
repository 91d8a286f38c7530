"""TalentMatch matching engine: pure numpy/scipy/scikit-learn, no Django.

Typical use::

    pm = build_profile_matrix(profiles, n_skills, n_languages)      # idf over these profiles
    vm = build_vacancy_matrix(vacancies, pm)
    result = top_k(pm, vm, DEFAULT_WEIGHTS, k=50, exclusions=applied_pairs)
    row = score_vacancy(pm, vm, vacancy_row, k=50)                  # incremental
    why = explain(profiles, vacancies, p_row, v_row, DEFAULT_WEIGHTS, profile_matrix=pm, vacancy_matrix=vm)

See ``weights.py`` for the score definition and ``topk.py`` for how the exact top-k is found fast.
"""

from .evaluate import evaluate_pairs
from .explain import explain
from .features import ProfileMatrix, VacancyMatrix, build_profile_matrix, build_vacancy_matrix, compute_idf
from .incremental import score_profile, score_vacancy
from .topk import merge_vacancy_topk, shard_bounds, top_k
from .types import (
    Components,
    Explanation,
    LanguageMatch,
    Profiles,
    RowTopK,
    SkillMatch,
    TopKResult,
    Vacancies,
)
from .weights import DEFAULT_WEIGHTS, SCORE_SCALE, MatchWeights, quantize_units

__all__ = [
    "DEFAULT_WEIGHTS", "SCORE_SCALE", "Components", "Explanation", "LanguageMatch", "MatchWeights",
    "ProfileMatrix", "Profiles", "RowTopK", "SkillMatch", "TopKResult", "Vacancies", "VacancyMatrix",
    "build_profile_matrix", "build_vacancy_matrix", "compute_idf", "evaluate_pairs", "explain",
    "merge_vacancy_topk", "quantize_units", "score_profile", "score_vacancy", "shard_bounds", "top_k",
]
