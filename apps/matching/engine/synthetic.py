"""Synthetic profiles and vacancies for the benchmark and the tests (seeded, vectorised).

Skill popularity is Zipf-like (p(rank r) ~ 1 / (r + 1) ** zipf), so a few skills appear in most profiles and
vacancies, like "English" or "Excel" would; the skill index is a random permutation of the rank.
"""

from __future__ import annotations

import numpy as np

from .types import Profiles, Vacancies


def _zipf_probs(n: int, a: float, rng: np.random.Generator) -> np.ndarray:
    p = 1.0 / np.arange(1, n + 1, dtype=np.float64) ** a
    p /= p.sum()
    return p[rng.permutation(n)]


def _sample_sets(rng, counts: np.ndarray, probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each row draw up to ``counts[i]`` distinct items with probabilities ``probs``: draws with
    replacement, keeping the first occurrence of each item (a row can end up a little short when its
    draws repeat a lot). Returns CSR (indptr, idx) with sorted rows."""
    n_items = probs.shape[0]
    n = counts.shape[0]
    counts = np.minimum(counts, n_items)
    width = int(counts.max(initial=0)) * 3 + 4
    cdf = np.cumsum(probs)
    cdf[-1] = 1.0
    draws = np.minimum(np.searchsorted(cdf, rng.random((n, width)), side="right"), n_items - 1)
    order = np.argsort(draws, axis=1, kind="stable")
    srt = np.take_along_axis(draws, order, axis=1)
    first_sorted = np.ones_like(srt, dtype=bool)
    first_sorted[:, 1:] = srt[:, 1:] != srt[:, :-1]
    first = np.zeros_like(first_sorted)
    np.put_along_axis(first, order, first_sorted, axis=1)
    keep = first & (np.cumsum(first, axis=1) <= counts[:, None])
    got = keep.sum(axis=1)
    chosen = np.sort(np.where(keep, draws, n_items), axis=1)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(got, out=indptr[1:])
    idx = chosen[np.arange(width)[None, :] < got[:, None]]
    return indptr, idx.astype(np.int64)


def _random_mask(rng, n: int, bits: int, p_zero: float, max_bits: int) -> np.ndarray:
    k = rng.integers(1, max_bits + 1, size=n)
    masks = np.zeros(n, dtype=np.int64)
    for b in range(max_bits):
        bit = rng.integers(0, bits, size=n)
        masks |= np.where(k > b, np.left_shift(1, bit), 0)
    masks[rng.random(n) < p_zero] = 0
    return masks


def make_profiles(n: int, n_skills: int = 500, n_languages: int = 20, n_locations: int = 50, *, seed: int = 1,
                  zipf: float = 1.0, mean_skills: float = 15.0, empty_share: float = 0.01,
                  duplicate_share: float = 0.005, skill_probs=None) -> Profiles:
    rng = np.random.default_rng(seed)
    probs = _zipf_probs(n_skills, zipf, rng) if skill_probs is None else skill_probs
    counts = np.clip(rng.poisson(mean_skills, n), 0, 3 * int(mean_skills) + 5)
    counts[rng.random(n) < empty_share] = 0
    s_ptr, s_idx = _sample_sets(rng, counts, probs)
    s_lvl = rng.choice(np.arange(1, 6), size=s_idx.shape[0], p=[0.1, 0.25, 0.3, 0.22, 0.13])
    lang_probs = _zipf_probs(n_languages, 1.2, np.random.default_rng(seed + 7))
    l_counts = np.clip(1 + rng.poisson(0.8, n), 0, min(5, n_languages))
    l_counts[rng.random(n) < 0.05] = 0
    l_ptr, l_idx = _sample_sets(rng, l_counts, lang_probs)
    l_lvl = rng.integers(1, 7, size=l_idx.shape[0])
    loc_probs = _zipf_probs(n_locations, 0.8, np.random.default_rng(seed + 11))
    c_counts = rng.integers(1, 4, size=n)
    c_counts[rng.random(n) < 0.3] = 0
    c_ptr, c_idx = _sample_sets(rng, c_counts, loc_probs)
    profiles = Profiles(
        ids=rng.permutation(np.arange(1, n + 1, dtype=np.int64) * 3),
        skill_indptr=s_ptr, skill_idx=s_idx, skill_level=s_lvl, lang_indptr=l_ptr, lang_idx=l_idx,
        lang_level=l_lvl, loc_indptr=c_ptr, loc_idx=c_idx, remote_ok=rng.random(n) < 0.5,
        pref_job_types=_random_mask(rng, n, 4, 0.4, 2), pref_markets=_random_mask(rng, n, 8, 0.5, 3),
    )
    n_dup = int(n * duplicate_share)
    if n_dup and n > 1:
        # forced ties: some profiles are copies of others (new ids keep them distinct)
        src = rng.integers(0, n, size=n_dup)
        dst = rng.choice(n, size=n_dup, replace=False)
        rows = np.arange(n)
        rows[dst] = src
        copy = profiles.take(rows)
        profiles = Profiles(**{**{f: getattr(copy, f) for f in Profiles.__dataclass_fields__},
                               "ids": profiles.ids})
    return profiles


def make_vacancies(n: int, n_skills: int = 500, n_languages: int = 20, n_locations: int = 50, *, seed: int = 2,
                   zipf: float = 1.0, mean_required: float = 6.0, mean_optional: float = 4.0,
                   no_required_share: float = 0.02, duplicate_share: float = 0.005, skill_probs=None) -> Vacancies:
    rng = np.random.default_rng(seed)
    probs = _zipf_probs(n_skills, zipf, rng) if skill_probs is None else skill_probs
    n_req = np.clip(rng.poisson(mean_required, n), 1, 3 * int(mean_required) + 5)
    n_req[rng.random(n) < no_required_share] = 0
    n_opt = np.clip(rng.poisson(mean_optional, n), 0, 3 * int(mean_optional) + 5)
    ptr, idx = _sample_sets(rng, n_req + n_opt, probs)
    # split every row's distinct skills into required (first n_req after shuffling) and optional
    total = ptr[-1]
    row_of = np.repeat(np.arange(n), np.diff(ptr))
    shuffle_key = row_of * 2.0 + rng.random(total)  # random order inside each row
    order = np.argsort(shuffle_key, kind="stable")
    idx = idx[order]
    pos = np.arange(total) - ptr[row_of]
    is_req = pos < n_req[row_of]
    req_ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.minimum(n_req, np.diff(ptr)), out=req_ptr[1:])
    opt_ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.diff(ptr) - np.diff(req_ptr), out=opt_ptr[1:])
    req_idx, opt_idx = idx[is_req], idx[~is_req]
    lang_probs = _zipf_probs(n_languages, 1.2, np.random.default_rng(seed + 7))
    l_counts = rng.choice([0, 1, 2], size=n, p=[0.4, 0.4, 0.2])
    l_ptr, l_idx = _sample_sets(rng, l_counts, lang_probs)
    loc_probs = _zipf_probs(n_locations, 0.8, np.random.default_rng(seed + 11))
    location = np.searchsorted(np.cumsum(loc_probs), rng.random(n) * 0.999999)
    location[rng.random(n) < 0.1] = -1
    vac = Vacancies(
        ids=rng.permutation(np.arange(1, n + 1, dtype=np.int64) * 7),
        req_indptr=req_ptr, req_idx=req_idx,
        req_min_level=rng.choice(np.arange(1, 6), size=req_idx.shape[0], p=[0.15, 0.3, 0.3, 0.17, 0.08]),
        req_weight=np.round(rng.uniform(0.5, 2.0, size=req_idx.shape[0]), 3),
        opt_indptr=opt_ptr, opt_idx=opt_idx,
        opt_min_level=rng.choice(np.arange(1, 6), size=opt_idx.shape[0], p=[0.2, 0.3, 0.3, 0.15, 0.05]),
        opt_weight=np.round(rng.uniform(0.5, 2.0, size=opt_idx.shape[0]), 3),
        lang_indptr=l_ptr, lang_idx=l_idx, lang_min_level=rng.integers(2, 6, size=l_idx.shape[0]),
        location=location, remote=rng.random(n) < 0.3, job_type=rng.integers(0, 4, size=n),
        markets=_random_mask(rng, n, 8, 0.2, 2),
    )
    n_dup = int(n * duplicate_share)
    if n_dup and n > 1:
        src = rng.integers(0, n, size=n_dup)
        dst = rng.choice(n, size=n_dup, replace=False)
        rows = np.arange(n)
        rows[dst] = src
        copy = vac.take(rows)
        vac = Vacancies(**{**{f: getattr(copy, f) for f in Vacancies.__dataclass_fields__}, "ids": vac.ids})
    return vac


def make_dataset(n_profiles: int, n_vacancies: int, n_skills: int = 500, n_languages: int = 20,
                 n_locations: int = 50, *, seed: int = 1, zipf: float = 1.0, **kwargs):
    """Profiles and vacancies sharing one skill popularity ranking."""
    probs = _zipf_probs(n_skills, zipf, np.random.default_rng(seed + 1000))
    profiles = make_profiles(n_profiles, n_skills, n_languages, n_locations, seed=seed, skill_probs=probs,
                             **{k: v for k, v in kwargs.items() if k in ("mean_skills", "empty_share")})
    vacancies = make_vacancies(n_vacancies, n_skills, n_languages, n_locations, seed=seed + 500,
                               skill_probs=probs,
                               **{k: v for k, v in kwargs.items() if k in ("mean_required", "mean_optional")})
    return profiles, vacancies
