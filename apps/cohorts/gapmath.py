"""Skill-gap arithmetic on arrays (numpy only, no Django): who qualifies for which vacancy, and what a course
would change.

A profile **qualifies** for a vacancy when it meets every required skill at the vacancy's minimum level and
every required language at its minimum CEFR level — in the matching engine's terms, the required component
R == 1 and the language component L == 1 (see ``apps.matching.engine.reference.score_pair``: full credit
only at or above the minimum). Completing a course raises each skill it teaches to the course's level
(never lowering one), so the vacancies a course *unlocks* are those the raised profile qualifies for and
the current one does not.

Skills and languages are dense indices; vacancy requirements are CSR arrays exactly as
``apps.matching.loaders.VacancyArrays`` holds them (``req_indptr/req_idx/req_min_level``,
``lang_indptr/lang_idx/lang_min_level``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

NEAR_GAP = 2  # a vacancy is "nearly matched" when at most this many required skills fall short


@dataclass(frozen=True)
class Requirements:
    """Required skills and languages of the vacancies, CSR by vacancy."""

    n_vacancies: int
    req_indptr: np.ndarray
    req_idx: np.ndarray
    req_min_level: np.ndarray
    lang_indptr: np.ndarray
    lang_idx: np.ndarray
    lang_min_level: np.ndarray

    @classmethod
    def from_arrays(cls, vacancies) -> Requirements:
        """From any object with ``VacancyArrays``' fields."""
        return cls(n_vacancies=int(vacancies.ids.shape[0]),
                   req_indptr=np.asarray(vacancies.req_indptr, dtype=np.int64),
                   req_idx=np.asarray(vacancies.req_idx, dtype=np.int64),
                   req_min_level=np.asarray(vacancies.req_min_level, dtype=np.int16),
                   lang_indptr=np.asarray(vacancies.lang_indptr, dtype=np.int64),
                   lang_idx=np.asarray(vacancies.lang_idx, dtype=np.int64),
                   lang_min_level=np.asarray(vacancies.lang_min_level, dtype=np.int16))


def _per_row_sum(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Sum ``values`` (rows × nnz) over each CSR segment: rows × n_segments."""
    cumulative = np.zeros((values.shape[0], values.shape[1] + 1), dtype=np.int32)
    np.cumsum(values, axis=1, out=cumulative[:, 1:])
    return cumulative[:, indptr[1:]] - cumulative[:, indptr[:-1]]


def unmet_required(levels: np.ndarray, req: Requirements) -> np.ndarray:
    """For each row of skill ``levels`` (rows × skills, 0 = not held): how many required skills of each
    vacancy fall short of the minimum (rows × vacancies)."""
    levels = np.atleast_2d(levels)
    short = levels[:, req.req_idx] < req.req_min_level[None, :]
    return _per_row_sum(short.astype(np.int32), req.req_indptr)


def languages_met(lang_levels: np.ndarray, req: Requirements) -> np.ndarray:
    """For each row of CEFR ``lang_levels`` (rows × languages): whether every language requirement of each
    vacancy is met (rows × vacancies)."""
    lang_levels = np.atleast_2d(lang_levels)
    short = lang_levels[:, req.lang_idx] < req.lang_min_level[None, :]
    return _per_row_sum(short.astype(np.int32), req.lang_indptr) == 0


def qualified(levels: np.ndarray, lang_levels: np.ndarray, req: Requirements) -> np.ndarray:
    """rows × vacancies: every required skill and language met (R == 1 and L == 1)."""
    return (unmet_required(levels, req) == 0) & languages_met(lang_levels, req)


def reachable(levels: np.ndarray, lang_levels: np.ndarray, req: Requirements) -> np.ndarray:
    """Indices of the vacancies that at least one row *could* qualify for: those the rows' best level of every
    skill and language meets. No row qualifies for any other vacancy, so scoring may skip them."""
    levels, lang_levels = np.atleast_2d(levels), np.atleast_2d(lang_levels)
    if levels.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    best = qualified(levels.max(axis=0), lang_levels.max(axis=0), req)[0]
    return np.flatnonzero(best)


@dataclass(frozen=True)
class Gaps:
    """One profile's position against all vacancies and what each course would unlock.

    ``missing_*`` describe the skills short in nearly-matched vacancies: the skill index, how many such
    vacancies need it and the highest level they ask for. ``unlocked[k]`` marks the vacancies course ``k``
    would add to ``qualified_now``.
    """

    qualified_now: np.ndarray
    near: np.ndarray
    missing_skill: np.ndarray
    missing_vacancies: np.ndarray
    missing_level: np.ndarray
    unlocked: np.ndarray

    @property
    def unlocks(self) -> np.ndarray:
        return self.unlocked.sum(axis=1).astype(np.int64)


def close_gaps(levels: np.ndarray, lang_levels: np.ndarray, req: Requirements, course_levels: np.ndarray,
               near_gap: int = NEAR_GAP, qualify: Callable[[np.ndarray], np.ndarray] | None = None) -> Gaps:
    """``levels`` (skills,) and ``lang_levels`` (languages,) of one profile; ``course_levels`` (courses × skills)
    the level each course brings each skill to (0 = not taught).

    ``qualify(levels_rows)`` (rows × skills → rows × vacancies, the profile's languages held fixed) decides who
    qualifies; the Django side passes the matching engine's R == 1 and L == 1. Without it, ``qualified`` here
    decides by the same definition.
    """
    if qualify is None:
        def qualify(rows: np.ndarray) -> np.ndarray:
            return qualified(rows, np.broadcast_to(lang_levels, (rows.shape[0], len(lang_levels))), req)

    levels = np.asarray(levels, dtype=np.int16)
    course_levels = np.asarray(course_levels, dtype=np.int16).reshape(-1, levels.shape[0])
    langs_ok = languages_met(np.asarray(lang_levels, dtype=np.int16), req)[0]
    unmet_now = unmet_required(levels, req)[0]
    # one call for the profile as it is (row 0) and as each course would leave it (rows 1..K)
    verdicts = qualify(np.vstack([levels[None, :], np.maximum(levels[None, :], course_levels)]))
    qualified_now = verdicts[0]
    near = (unmet_now > 0) & (unmet_now <= near_gap) & langs_ok

    # the required entries that fall short, restricted to nearly-matched vacancies
    vacancy_of_entry = np.repeat(np.arange(req.n_vacancies), np.diff(req.req_indptr))
    short = (levels[req.req_idx] < req.req_min_level) & near[vacancy_of_entry]
    skills, inverse = np.unique(req.req_idx[short], return_inverse=True)
    counts = np.bincount(inverse, minlength=skills.shape[0]) if skills.size else np.zeros(0, dtype=np.int64)
    top_level = np.zeros(skills.shape[0], dtype=np.int16)
    if skills.size:
        np.maximum.at(top_level, inverse, req.req_min_level[short])

    unlocked = verdicts[1:] & ~qualified_now[None, :]
    return Gaps(qualified_now=qualified_now, near=near, missing_skill=skills.astype(np.int64),
                missing_vacancies=counts.astype(np.int64), missing_level=top_level, unlocked=unlocked)
