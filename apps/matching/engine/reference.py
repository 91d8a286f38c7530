"""Slow, obviously-correct scorer written straight from the definition (loops and dicts, no matrix tricks).

Used only by the tests and the benchmark to check the engine. Nothing here is fast.
"""

from __future__ import annotations

import math

from .types import Profiles, Vacancies
from .weights import MatchWeights, quantize_unit


def credit(have: int, need: int) -> float:
    """Full credit at or above the minimum, half credit one level below, none otherwise.
    A skill/language the profile does not have (have = 0) never earns credit, not even for a minimum of 1."""
    if have <= 0:
        return 0.0
    if have >= need:
        return 1.0
    if have == need - 1:
        return 0.5
    return 0.0


def profile_dict(profiles: Profiles, row: int) -> dict:
    a, b = int(profiles.skill_indptr[row]), int(profiles.skill_indptr[row + 1])
    skills = {int(s): int(lv) for s, lv in zip(profiles.skill_idx[a:b], profiles.skill_level[a:b], strict=True)}
    a, b = int(profiles.lang_indptr[row]), int(profiles.lang_indptr[row + 1])
    langs = {int(s): int(lv) for s, lv in zip(profiles.lang_idx[a:b], profiles.lang_level[a:b], strict=True)}
    a, b = int(profiles.loc_indptr[row]), int(profiles.loc_indptr[row + 1])
    return {
        "id": int(profiles.ids[row]),
        "skills": skills,
        "languages": langs,
        "locations": {int(x) for x in profiles.loc_idx[a:b]},
        "remote_ok": bool(profiles.remote_ok[row]),
        "job_types": int(profiles.pref_job_types[row]),
        "markets": int(profiles.pref_markets[row]),
    }


def vacancy_dict(vacancies: Vacancies, row: int) -> dict:
    def triples(prefix):
        ptr = getattr(vacancies, f"{prefix}_indptr")
        a, b = int(ptr[row]), int(ptr[row + 1])
        return [(int(s), int(m), float(w)) for s, m, w in zip(
            getattr(vacancies, f"{prefix}_idx")[a:b], getattr(vacancies, f"{prefix}_min_level")[a:b],
            getattr(vacancies, f"{prefix}_weight")[a:b], strict=True)]

    a, b = int(vacancies.lang_indptr[row]), int(vacancies.lang_indptr[row + 1])
    return {
        "id": int(vacancies.ids[row]),
        "required": triples("req"),
        "optional": triples("opt"),
        "languages": [(int(x), int(m)) for x, m in zip(vacancies.lang_idx[a:b], vacancies.lang_min_level[a:b],
                                                       strict=True)],
        "location": int(vacancies.location[row]),
        "remote": bool(vacancies.remote[row]),
        "job_type": int(vacancies.job_type[row]),
        "markets": int(vacancies.markets[row]),
    }


def reference_idf(profiles: Profiles) -> dict[int, float]:
    """idf(s) = ln((1 + n) / (1 + df(s))) + 1 over the profile population (sklearn's smooth_idf)."""
    n = profiles.n
    df: dict[int, int] = {}
    for row in range(n):
        for s in profile_dict(profiles, row)["skills"]:
            df[s] = df.get(s, 0) + 1
    return _IdfTable(n, df)


class _IdfTable(dict):
    """idf lookup that also answers for skills no profile has (df = 0)."""

    def __init__(self, n: int, df: dict[int, int]):
        super().__init__()
        self.n = n
        self.df = df

    def __missing__(self, s):
        value = math.log((1 + self.n) / (1 + self.df.get(s, 0))) + 1.0
        self[s] = value
        return value


def _weighted_credit(items, levels) -> float:
    total_w = 0.0
    got = 0.0
    for s, need, w in items:
        total_w += w
        got += w * credit(levels.get(s, 0), need)
    return got / total_w


def score_pair(profile: dict, vacancy: dict, idf, weights: MatchWeights) -> dict:
    """Components, raw total and quantised units of one (profile, vacancy) pair, from the definition."""
    skills = profile["skills"]
    # required: weighted credit over required skills; 1 when the vacancy requires nothing
    required = _weighted_credit(vacancy["required"], skills) if vacancy["required"] else 1.0
    # optional: same over optional skills; 0 when there are none
    optional = _weighted_credit(vacancy["optional"], skills) if vacancy["optional"] else 0.0
    # similarity: cosine of idf-weighted vectors (profile: level*idf, vacancy: weight*idf over req+opt)
    x = {s: lv * idf[s] for s, lv in skills.items()}
    y: dict[int, float] = {}
    for s, _need, w in vacancy["required"] + vacancy["optional"]:
        y[s] = y.get(s, 0.0) + w
    y = {s: w * idf[s] for s, w in y.items()}
    nx = math.sqrt(sum(v * v for v in x.values()))
    ny = math.sqrt(sum(v * v for v in y.values()))
    if nx > 0 and ny > 0:
        dot = sum(x[s] * y[s] for s in x if s in y)
        similarity = min(1.0, dot / (nx * ny))
    else:
        similarity = 0.0
    # language: equal-weight credit over required languages; 1 when none is required
    if vacancy["languages"]:
        language = sum(credit(profile["languages"].get(lang, 0), need) for lang, need in vacancy["languages"])
        language /= len(vacancy["languages"])
    else:
        language = 1.0
    # preference: mean of location, job type and market indicators
    location_ok = (not profile["locations"] or vacancy["location"] in profile["locations"]
                   or (vacancy["remote"] and profile["remote_ok"]))
    job_ok = profile["job_types"] == 0 or bool((profile["job_types"] >> vacancy["job_type"]) & 1)
    market_ok = profile["markets"] == 0 or vacancy["markets"] == 0 or (profile["markets"] & vacancy["markets"]) != 0
    preference = (int(location_ok) + int(job_ok) + int(market_ok)) / 3
    w = weights
    total = required * (w.required + w.optional * optional + w.similarity * similarity + w.language * language
                        + w.preference * preference)
    return {
        "required": required, "optional": optional, "similarity": similarity, "language": language,
        "preference": preference, "total": total, "units": quantize_unit(total),
    }


def reference_top_k(profiles: Profiles, vacancies: Vacancies, weights: MatchWeights, k: int,
                    exclusions=None, profile_rows=None) -> dict:
    """Every pair scored with score_pair; returns
    ``{"vacancy": [[(profile_row, units, components), ...] per vacancy], "profile": [[(vacancy_row, ...)]]}``,
    each list sorted by units descending then id ascending, cut at k, pairs with units 0 left out.
    ``profile_rows`` restricts the profiles considered (the idf still uses every profile)."""
    idf = reference_idf(profiles)
    excluded = {(int(p), int(v)) for p, v in (exclusions if exclusions is not None else [])}
    rows = range(profiles.n) if profile_rows is None else profile_rows
    pdicts = {p: profile_dict(profiles, p) for p in rows}
    vdicts = [vacancy_dict(vacancies, v) for v in range(vacancies.n)]
    by_vacancy = [[] for _ in range(vacancies.n)]
    by_profile = {p: [] for p in rows}
    for p in rows:
        for v in range(vacancies.n):
            if (p, v) in excluded:
                continue
            res = score_pair(pdicts[p], vdicts[v], idf, weights)
            if res["units"] <= 0:
                continue
            by_vacancy[v].append((res["units"], pdicts[p]["id"], p, res))
            by_profile[p].append((res["units"], vdicts[v]["id"], v, res))
    out_v = []
    for lst in by_vacancy:
        lst.sort(key=lambda t: (-t[0], t[1]))
        out_v.append([(row, units, res) for units, _id, row, res in lst[:k]])
    out_p = {}
    for p, lst in by_profile.items():
        lst.sort(key=lambda t: (-t[0], t[1]))
        out_p[p] = [(row, units, res) for units, _id, row, res in lst[:k]]
    return {"vacancy": out_v, "profile": out_p}
