"""The matching engine against the slow reference scorer (pure numpy, no database)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfTransformer

from apps.matching.engine import (
    DEFAULT_WEIGHTS,
    MatchWeights,
    Profiles,
    Vacancies,
    build_profile_matrix,
    build_vacancy_matrix,
    compute_idf,
    evaluate_pairs,
    explain,
    merge_vacancy_topk,
    score_profile,
    score_vacancy,
    top_k,
)
from apps.matching.engine import topk as topk_module
from apps.matching.engine.reference import (
    profile_dict,
    reference_idf,
    reference_top_k,
    score_pair,
    vacancy_dict,
)
from apps.matching.engine.synthetic import make_dataset

N_SKILLS, N_LANG, N_LOC = 24, 5, 6


# ----------------------------------------------------------------------------- data
def random_records(seed: int, n_p: int, n_v: int, n_skills: int = N_SKILLS, n_lang: int = N_LANG,
                   n_loc: int = N_LOC):
    """Small random profiles/vacancies with the awkward cases forced in: empty profiles, duplicate
    profiles and vacancies (exact ties), vacancies without required/optional skills or languages,
    skills both required and optional, remote jobs, markets 0."""
    rng = np.random.default_rng(seed)
    pop = 1.0 / np.arange(1, n_skills + 1)
    pop /= pop.sum()

    def skills(count):
        count = min(count, n_skills)
        return [int(s) for s in rng.choice(n_skills, size=count, replace=False, p=pop)]

    profiles = []
    for i in range(n_p):
        kind = rng.random()
        rec = {
            "id": int(rng.integers(1, 10**9)),
            "skills": {} if kind < 0.08 else {s: int(rng.integers(1, 6)) for s in skills(int(rng.integers(1, 8)))},
            "languages": {int(x): int(rng.integers(1, 7)) for x in rng.choice(n_lang, size=int(rng.integers(0, 3)),
                                                                              replace=False)},
            "locations": [] if rng.random() < 0.4 else [int(x) for x in rng.choice(n_loc, size=2, replace=False)],
            "remote_ok": bool(rng.random() < 0.5),
            "job_types": 0 if rng.random() < 0.4 else int(rng.integers(1, 16)),
            "markets": 0 if rng.random() < 0.4 else int(rng.integers(1, 16)),
        }
        if i > 2 and rng.random() < 0.15:  # duplicate of an earlier profile, new id -> exact ties
            rec = {**profiles[int(rng.integers(0, i))], "id": rec["id"]}
        profiles.append(rec)
    vacancies = []
    for i in range(n_v):
        kind = rng.random()
        weights = [1.0, 0.5, 2.0, rng.uniform(0.2, 3)]
        req = [] if kind < 0.1 else [(s, int(rng.integers(1, 6)), float(rng.choice(weights)))
                                     for s in skills(int(rng.integers(1, 5)))]
        opt = [] if rng.random() < 0.2 else [(s, int(rng.integers(1, 6)), float(rng.uniform(0.2, 3)))
                                             for s in skills(int(rng.integers(1, 4)))]
        if req and rng.random() < 0.2:  # a skill both required and optional
            opt = [o for o in opt if o[0] != req[0][0]] + [(req[0][0], 2, 0.7)]
        rec = {
            "id": int(rng.integers(1, 10**9)),
            "required": req,
            "optional": opt,
            "languages": [(int(x), int(rng.integers(1, 7))) for x in rng.choice(n_lang, size=int(rng.integers(0, 3)),
                                                                               replace=False)],
            "location": int(rng.integers(-1, n_loc)),
            "remote": bool(rng.random() < 0.3),
            "job_type": int(rng.integers(0, 4)),
            "markets": 0 if rng.random() < 0.3 else int(rng.integers(1, 16)),
        }
        if i > 2 and rng.random() < 0.15:
            rec = {**vacancies[int(rng.integers(0, i))], "id": rec["id"]}
        vacancies.append(rec)
    ids = [r["id"] for r in profiles]
    assert len(set(ids)) == len(ids)
    return Profiles.from_records(profiles), Vacancies.from_records(vacancies)


def build(profiles, vacancies, n_skills=N_SKILLS, n_lang=N_LANG):
    pm = build_profile_matrix(profiles, n_skills, n_lang)
    return pm, build_vacancy_matrix(vacancies, pm)


def engine_lists(res):
    """Both directions as python lists of (row, units) for comparison with the reference."""
    def rows(top, scores, counts):
        return [[(int(r), int(round(s * 1e6))) for r, s in zip(top[i, :c], scores[i, :c], strict=True)]
                for i, c in enumerate(counts)]

    return (rows(res.vacancy_top, res.vacancy_scores, res.vacancy_counts),
            rows(res.profile_top, res.profile_scores, res.profile_counts))


def reference_lists(ref, profile_rows):
    vac = [[(r, u) for r, u, _ in lst] for lst in ref["vacancy"]]
    prof = [[(r, u) for r, u, _ in ref["profile"][p]] for p in profile_rows]
    return vac, prof


def assert_same_as_reference(profiles, vacancies, res, k, exclusions=None, weights=DEFAULT_WEIGHTS):
    ref = reference_top_k(profiles, vacancies, weights, k, exclusions=exclusions)
    got_v, got_p = engine_lists(res)
    exp_v, exp_p = reference_lists(ref, range(profiles.n))
    assert got_v == exp_v
    assert got_p == exp_p
    # components of every listed pair agree with the reference to rounding error
    for v, lst in enumerate(ref["vacancy"]):
        for j, (_row, _units, comps) in enumerate(lst):
            got = [getattr(res.vacancy_components, n)[v, j] for n in
                   ("required", "optional", "similarity", "language", "preference")]
            exp = [comps[n] for n in ("required", "optional", "similarity", "language", "preference")]
            np.testing.assert_allclose(got, exp, rtol=0, atol=1e-6)
    return ref


# ----------------------------------------------------------------------------- top-k vs reference
@pytest.mark.parametrize("seed,n_p,n_v,k", [(1, 3, 2, 5), (2, 1, 1, 1), (3, 40, 15, 4), (4, 260, 90, 7),
                                            (5, 120, 200, 3)])
def test_top_k_equals_reference(seed, n_p, n_v, k):
    profiles, vacancies = random_records(seed, n_p, n_v)
    pm, vm = build(profiles, vacancies)
    res = top_k(pm, vm, DEFAULT_WEIGHTS, k=k, threads=2, block_size=32)
    assert_same_as_reference(profiles, vacancies, res, k)
    assert res.vacancy_top.shape == (n_v, k) and res.profile_top.shape == (n_p, k)
    # the padding is -1 / 0
    for i, c in enumerate(res.vacancy_counts):
        assert np.all(res.vacancy_top[i, c:] == -1) and np.all(res.vacancy_scores[i, c:] == 0)


def test_results_do_not_depend_on_tuning_knobs():
    profiles, vacancies = random_records(7, 300, 120)
    pm, vm = build(profiles, vacancies)
    base = top_k(pm, vm, k=6, threads=1, block_size=1000)
    for kw in ({"threads": 2, "block_size": 16}, {"threads": 3, "block_size": 7, "pool_capacity": 14},
               {"threads": 1, "block_size": 64}, {"threads": 2, "block_size": 1}):
        other = top_k(pm, vm, k=6, **kw)
        for field in ("vacancy_top", "vacancy_scores", "profile_top", "profile_scores", "vacancy_top_ids"):
            np.testing.assert_array_equal(getattr(base, field), getattr(other, field), err_msg=f"{field} {kw}")
    assert_same_as_reference(profiles, vacancies, base, 6)


def test_candidate_buffers_that_start_small_grow_and_lose_nothing(monkeypatch):
    # the compiled passes stop when a candidate buffer is full; the caller grows it and resumes
    profiles, vacancies = random_records(11, 400, 150)
    pm, vm = build(profiles, vacancies)
    base = top_k(pm, vm, k=8, threads=1, block_size=200)
    monkeypatch.setattr(topk_module, "_MIN_BUFFER", 0)
    small = top_k(pm, vm, k=8, threads=2, block_size=200)
    assert base.stats["buffer_growths"] == 0 and small.stats["buffer_growths"] >= 2
    for field in ("vacancy_top", "vacancy_scores", "profile_top", "profile_scores"):
        np.testing.assert_array_equal(getattr(base, field), getattr(small, field), err_msg=field)
    assert_same_as_reference(profiles, vacancies, small, 8)


def test_mass_ties_use_the_side_list_and_stay_exact():
    # 60 identical profiles tie for every vacancy; a tiny pool makes every vacancy overflow into the side list
    rng = np.random.default_rng(3)
    template = {"skills": {0: 3, 1: 2, 5: 4}, "languages": {0: 4}, "locations": [1], "remote_ok": True}
    recs = [{**template, "id": int(i)} for i in rng.permutation(np.arange(1000, 1060))]
    recs += [{"id": 5000 + i, "skills": {int(s): int(rng.integers(1, 6)) for s in rng.choice(8, 3, replace=False)}}
             for i in range(40)]
    profiles = Profiles.from_records(recs)
    vacancies = Vacancies.from_records([
        {"id": 1, "required": [(0, 2, 1.0)], "optional": [(5, 3, 1.0)]},
        {"id": 2, "required": [], "optional": []},  # everybody scores the same
        {"id": 3, "required": [(1, 1, 1.0), (2, 3, 2.0)], "languages": [(0, 3)]},
    ])
    pm, vm = build(profiles, vacancies, n_skills=8, n_lang=2)
    res = top_k(pm, vm, k=10, threads=2, block_size=16, pool_capacity=18)
    assert res.stats["overflow_vacancies"] >= 2
    assert_same_as_reference(profiles, vacancies, res, 10)
    # among the tied clones the lowest ids come first
    listed = res.vacancy_top_ids[1]
    assert list(listed) == sorted(listed)


def test_exclusions_are_never_listed():
    profiles, vacancies = random_records(11, 150, 60)
    pm, vm = build(profiles, vacancies)
    full = top_k(pm, vm, k=5)
    # exclude the current top-1 pair of every vacancy plus some random pairs
    rng = np.random.default_rng(0)
    excl = [(int(full.vacancy_top[v, 0]), v) for v in range(vacancies.n) if full.vacancy_counts[v]]
    excl += [(int(p), int(v)) for p, v in zip(rng.integers(0, 150, 200), rng.integers(0, 60, 200), strict=True)]
    res = top_k(pm, vm, k=5, exclusions=np.array(excl), threads=2, block_size=20)
    excluded = set(excl)
    for v in range(vacancies.n):
        for p in res.vacancy_top[v, :res.vacancy_counts[v]]:
            assert (int(p), v) not in excluded
    for p in range(profiles.n):
        for v in res.profile_top[p, :res.profile_counts[p]]:
            assert (p, int(v)) not in excluded
    assert_same_as_reference(profiles, vacancies, res, 5, exclusions=excl)


def test_shards_merge_to_the_unsharded_result():
    profiles, vacancies = random_records(12, 230, 70)
    pm, vm = build(profiles, vacancies)
    excl = np.array([[3, 4], [100, 7], [229, 0]])
    full = top_k(pm, vm, k=6, exclusions=excl, threads=2, block_size=30)
    parts = [top_k(pm, vm, k=6, exclusions=excl, shard=(i, 4), threads=1, block_size=25) for i in range(4)]
    assert [len(p.profile_rows) for p in parts] == [58, 58, 57, 57]
    merged = merge_vacancy_topk(parts[::-1], 6)
    for field in ("vacancy_top", "vacancy_top_ids", "vacancy_scores", "vacancy_counts", "profile_top",
                  "profile_top_ids", "profile_scores", "profile_counts"):
        np.testing.assert_array_equal(getattr(merged, field), getattr(full, field), err_msg=field)
    for name in ("required", "optional", "similarity", "language", "preference"):
        np.testing.assert_array_equal(getattr(merged.vacancy_components, name), getattr(full.vacancy_components, name))
    # a shard on its own only lists its own profiles
    rows = parts[1].profile_rows
    listed = parts[1].vacancy_top[parts[1].vacancy_top >= 0]
    assert listed.min() >= rows.start and listed.max() < rows.stop


def test_incremental_rows_equal_the_full_run():
    profiles, vacancies = random_records(13, 180, 80)
    pm, vm = build(profiles, vacancies)
    excl = np.array([[5, 2], [6, 2], [17, 40], [5, 41]])
    full = top_k(pm, vm, k=7, exclusions=excl)
    for v in range(vacancies.n):
        row = score_vacancy(pm, vm, v, 7, exclude_profile_rows=excl[excl[:, 1] == v, 0])
        c = full.vacancy_counts[v]
        np.testing.assert_array_equal(row.rows, full.vacancy_top[v, :c])
        np.testing.assert_array_equal(row.ids, full.vacancy_top_ids[v, :c])
        np.testing.assert_array_equal(row.scores, full.vacancy_scores[v, :c])
        np.testing.assert_array_equal(row.components.similarity, full.vacancy_components.similarity[v, :c])
    for p in range(profiles.n):
        row = score_profile(pm, vm, p, 7, exclude_vacancy_rows=excl[excl[:, 0] == p, 1])
        c = full.profile_counts[p]
        np.testing.assert_array_equal(row.rows, full.profile_top[p, :c])
        np.testing.assert_array_equal(row.scores, full.profile_scores[p, :c])


def test_synthetic_generator_data_matches_reference():
    profiles, vacancies = make_dataset(150, 60, 40, n_languages=4, n_locations=5, seed=9, mean_skills=8,
                                       mean_required=4, mean_optional=3)
    pm = build_profile_matrix(profiles, 40, 4)
    vm = build_vacancy_matrix(vacancies, pm)
    res = top_k(pm, vm, k=8, threads=2, block_size=40)
    assert_same_as_reference(profiles, vacancies, res, 8)


def test_other_weights():
    weights = MatchWeights(version="w-test", required=0.6, optional=0.05, similarity=0.25, language=0.0,
                           preference=0.1)
    profiles, vacancies = random_records(14, 90, 40)
    pm, vm = build(profiles, vacancies)
    res = top_k(pm, vm, weights, k=5)
    assert res.weights_version == "w-test"
    assert_same_as_reference(profiles, vacancies, res, 5, weights=weights)
    # and the weights matter: the default weights give other lists
    assert engine_lists(res) != engine_lists(top_k(pm, vm, DEFAULT_WEIGHTS, k=5))


# ----------------------------------------------------------------------------- explain, idf, gate
def test_explain_matches_reference_and_listed_score():
    profiles, vacancies = random_records(15, 60, 25)
    pm, vm = build(profiles, vacancies)
    res = top_k(pm, vm, k=3)
    idf = reference_idf(profiles)
    for v in range(vacancies.n):
        for j in range(res.vacancy_counts[v]):
            p = int(res.vacancy_top[v, j])
            e = explain(profiles, vacancies, p, v, DEFAULT_WEIGHTS)
            ref = score_pair(profile_dict(profiles, p), vacancy_dict(vacancies, v), idf, DEFAULT_WEIGHTS)
            for name in ("required", "optional", "similarity", "language", "preference"):
                assert getattr(e, name) == pytest.approx(ref[name], abs=1e-12)
            assert round(e.score * 1e6) == ref["units"]
            assert e.score == res.vacancy_scores[v, j]  # bit-identical to what top_k listed
            e2 = explain(profiles, vacancies, p, v, DEFAULT_WEIGHTS, profile_matrix=pm, vacancy_matrix=vm)
            assert e2 == e


def test_explain_details():
    profiles = Profiles.from_records([
        {"id": 1, "skills": {0: 3, 1: 1, 2: 5}, "languages": {0: 4}, "locations": [2], "remote_ok": False,
         "job_types": 0b0010, "markets": 0b0100},
        {"id": 2, "skills": {3: 2}},
    ])
    vacancies = Vacancies.from_records([
        {"id": 9, "required": [(0, 3, 2.0), (1, 2, 1.0), (4, 1, 1.0)], "optional": [(2, 4, 1.0), (3, 1, 1.0)],
         "languages": [(0, 5), (1, 2)], "location": 3, "remote": True, "job_type": 1, "markets": 0b0011},
    ])
    e = explain(profiles, vacancies, 0, 0, DEFAULT_WEIGHTS)
    assert [(m.skill, m.have, m.need) for m in e.matched_required] == [(0, 3, 3)]
    assert [(m.skill, m.have, m.need, m.gap, m.credit) for m in e.missing_required] == [(1, 1, 2, 1, 0.5),
                                                                                        (4, 0, 1, 1, 0.0)]
    assert e.required == pytest.approx((2.0 + 0.5) / 4.0)
    assert [(m.skill, m.have) for m in e.matched_optional] == [(2, 5)]
    assert [(m.skill, m.have, m.gap) for m in e.missing_optional] == [(3, 0, 1)]
    assert e.optional == pytest.approx(0.5)
    assert [(x.language, x.have, x.need, x.credit) for x in e.languages_missing] == [(0, 4, 5, 0.5), (1, 0, 2, 0.0)]
    assert e.language == pytest.approx(0.25)
    assert (e.location_ok, e.job_type_ok, e.market_ok) == (False, True, False)
    assert e.preference == pytest.approx(1 / 3)
    assert e.total == pytest.approx(e.required * (0.5 + 0.15 * e.optional + 0.15 * e.similarity + 0.1 * e.language
                                                  + 0.1 * e.preference))


def test_idf_is_sklearns():
    profiles, _ = random_records(16, 50, 1)
    counts = np.zeros((profiles.n, N_SKILLS))
    for p in range(profiles.n):
        for s, lv in profile_dict(profiles, p)["skills"].items():
            counts[p, s] = lv
    expected = TfidfTransformer(smooth_idf=True).fit(counts).idf_
    np.testing.assert_allclose(compute_idf(profiles, N_SKILLS), expected, rtol=1e-14)
    ref = reference_idf(profiles)
    np.testing.assert_allclose([ref[s] for s in range(N_SKILLS)], expected, rtol=1e-14)


def test_required_gate():
    # A misses most of the required weight but is perfect on everything else; B meets every requirement
    # and nothing else. B must rank above A whatever the ids.
    profiles = Profiles.from_records([
        {"id": 1, "skills": {0: 5, 5: 5, 6: 5, 7: 5}, "languages": {0: 6}, "locations": [], "remote_ok": True},
        {"id": 2, "skills": {0: 1, 1: 5, 2: 5, 3: 5, 4: 5}, "languages": {}, "locations": [9], "job_types": 0b1000,
         "markets": 0b1000},
    ])
    vacancies = Vacancies.from_records([
        {"id": 1, "required": [(0, 1, 1.0), (1, 1, 1.0), (2, 1, 1.0), (3, 1, 1.0), (4, 1, 0.99)],
         "optional": [(5, 1, 1.0), (6, 1, 1.0), (7, 1, 1.0)], "languages": [(0, 6)], "location": 1, "job_type": 0,
         "markets": 1},
    ])
    pm, vm = build(profiles, vacancies, n_skills=10, n_lang=1)
    weights = MatchWeights(version="gate", required=0.5, optional=0.3, similarity=0.1, language=0.05,
                           preference=0.05)
    res = top_k(pm, vm, weights, k=2)
    assert list(res.vacancy_top_ids[0]) == [2, 1]
    s = evaluate_pairs(pm, vm, weights, [0, 1], [0, 0])
    assert s.required[1] == 1.0 and s.required[0] < 0.5
    assert s.units[1] > s.units[0]
    # and over random data: every pair with R < 0.5 - 1e-6 scores below every pair with R == 1
    profiles, vacancies = random_records(17, 200, 80)
    pm, vm = build(profiles, vacancies)
    for w in (DEFAULT_WEIGHTS, weights):
        p, v = np.meshgrid(np.arange(profiles.n), np.arange(vacancies.n))
        s = evaluate_pairs(pm, vm, w, p.ravel(), v.ravel())
        low, full = s.units[s.required < 0.5 - 1e-6], s.units[s.required == 1.0]
        assert low.size and full.size
        assert low.max() < full.min()
        assert full.min() >= int(w.required * 1e6)


def test_weights_validation():
    ok = dict(version="v", required=0.5, optional=0.15, similarity=0.15, language=0.1, preference=0.1)
    MatchWeights(**ok)
    for bad in ({"required": 0.45, "optional": 0.2}, {"optional": 0.2}, {"language": -0.1, "optional": 0.35},
                {"similarity": float("nan")}, {"version": ""}, {"required": 0.6}):
        with pytest.raises(ValueError):
            MatchWeights(**{**ok, **bad})
    assert DEFAULT_WEIGHTS.version == "default-1"
    assert DEFAULT_WEIGHTS.as_tuple() == (0.5, 0.15, 0.15, 0.1, 0.1)


def test_input_validation():
    with pytest.raises(ValueError):
        build_profile_matrix(Profiles.from_records([{"id": 1, "skills": {30: 2}}]), 10, 2)
    with pytest.raises(ValueError):
        build_profile_matrix(Profiles.from_records([{"id": 1, "skills": {3: 6}}]), 10, 2)
    with pytest.raises(ValueError):
        build_profile_matrix(Profiles.from_records([{"id": 1}, {"id": 1}]), 10, 2)
    dup = Profiles.from_records([{"id": 1, "skills": {2: 3}}])
    dup = dataclasses.replace(dup, skill_indptr=[0, 2], skill_idx=[2, 2], skill_level=[3, 1])
    with pytest.raises(ValueError):
        build_profile_matrix(dup, 10, 2)
    pm = build_profile_matrix(Profiles.from_records([{"id": 1, "skills": {2: 3}}]), 10, 2)
    with pytest.raises(ValueError):
        build_vacancy_matrix(Vacancies.from_records([{"id": 1, "required": [(2, 3, 0.0)]}]), pm)
    with pytest.raises(ValueError):
        build_vacancy_matrix(Vacancies.from_records([{"id": 1, "languages": [(5, 3)]}]), pm)
    with pytest.raises(ValueError):
        top_k(pm, build_vacancy_matrix(Vacancies.from_records([{"id": 1}]), pm), k=0)


def test_loader_shaped_objects_are_accepted():
    profiles, vacancies = random_records(18, 20, 6)

    @dataclasses.dataclass
    class Loose:  # what apps.matching.loaders returns: same attribute names, plain dataclass
        pass

    loose_p, loose_v = Loose(), Loose()
    for f in dataclasses.fields(Profiles):
        setattr(loose_p, f.name, getattr(profiles, f.name))
    for f in dataclasses.fields(Vacancies):
        setattr(loose_v, f.name, getattr(vacancies, f.name))
    pm = build_profile_matrix(loose_p, N_SKILLS, N_LANG)
    vm = build_vacancy_matrix(loose_v, pm)
    res = top_k(pm, vm, k=3)
    assert_same_as_reference(profiles, vacancies, res, 3)


# ----------------------------------------------------------------------------- property test
@st.composite
def datasets(draw):
    n_s = draw(st.integers(1, 6))
    n_l = draw(st.integers(1, 3))
    skill = st.integers(0, n_s - 1)
    prof = st.fixed_dictionaries({
        "skills": st.dictionaries(skill, st.integers(1, 5), max_size=n_s),
        "languages": st.dictionaries(st.integers(0, n_l - 1), st.integers(1, 6), max_size=n_l),
        "locations": st.lists(st.integers(0, 2), max_size=2, unique=True),
        "remote_ok": st.booleans(), "job_types": st.integers(0, 3), "markets": st.integers(0, 3),
    })
    req_item = st.tuples(skill, st.integers(1, 5), st.sampled_from([0.5, 1.0, 1.5, 2.0]))
    vac = st.fixed_dictionaries({
        "required": st.lists(req_item, max_size=3, unique_by=lambda t: t[0]),
        "optional": st.lists(req_item, max_size=2, unique_by=lambda t: t[0]),
        "languages": st.lists(st.tuples(st.integers(0, n_l - 1), st.integers(1, 6)), max_size=2,
                              unique_by=lambda t: t[0]),
        "location": st.integers(-1, 2), "remote": st.booleans(), "job_type": st.integers(0, 1),
        "markets": st.integers(0, 3),
    })
    profs = draw(st.lists(prof, min_size=1, max_size=12))
    vacs = draw(st.lists(vac, min_size=1, max_size=6))
    p_ids = draw(st.lists(st.integers(1, 10**6), min_size=len(profs), max_size=len(profs), unique=True))
    v_ids = draw(st.lists(st.integers(1, 10**6), min_size=len(vacs), max_size=len(vacs), unique=True))
    k = draw(st.integers(1, 4))
    return (Profiles.from_records([{**p, "id": i} for p, i in zip(profs, p_ids, strict=True)]),
            Vacancies.from_records([{**v, "id": i} for v, i in zip(vacs, v_ids, strict=True)]), n_s, n_l, k)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_property_engine_equals_reference(data):
    profiles, vacancies, n_s, n_l, k = data
    pm = build_profile_matrix(profiles, n_s, n_l)
    vm = build_vacancy_matrix(vacancies, pm)
    res = top_k(pm, vm, DEFAULT_WEIGHTS, k=k, threads=2, block_size=3, pool_capacity=k + 8)
    assert_same_as_reference(profiles, vacancies, res, k)
