"""Incremental recomputes: one profile or one vacancy, kept exact against the current generation.

A worker process keeps the prepared matrices of the current generation in memory (``_Cache``): the
vacancy side for profile recomputes, the profile side for vacancy recomputes. They are rebuilt when the
generation changes or when the other side changed since they were built (a cheap stamp query), and they
score with the idf frozen by the last full run, so an incremental row equals the full run's row.

Writing one object's change touches two kinds of lists: the object's own top-K (replaced) and the
other side's lists it enters or leaves. ``ListCutoff`` tells which lists it enters; a list it leaves while
full is recomputed as a whole, so the stored lists stay exactly what a full run would store.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from apps.core import respcache
from apps.jobs.models import Vacancy
from apps.matching import engine
from apps.matching.loaders import Vocabulary, load_profiles, load_vacancies
from apps.matching.models import CandidateMatch, ListCutoff, MatchRun, MatchState, RunKind, RunStatus, VacancyMatch
from apps.matching.persist import COMPONENTS, PairColumns, write_pairs
from apps.talent.models import StudentProfile

from .common import active_weights, exclusion_pairs, frozen_idf, load_cutoffs, top_k_size, write_cutoffs

log = logging.getLogger(__name__)
INLINE_RECOMPUTE_LIMIT = 200


@dataclass
class _Side:
    stamp: tuple
    arrays: object
    matrix: object


class _Cache:
    """Per-process prepared matrices for the current generation."""

    lock = threading.Lock()
    generation: int | None = None
    vocab_stamp: tuple | None = None
    vocab: Vocabulary | None = None
    idf: np.ndarray | None = None
    profiles: _Side | None = None
    vacancies: _Side | None = None

    @classmethod
    def reset(cls) -> None:
        with cls.lock:
            cls.generation = cls.vocab = cls.vocab_stamp = cls.idf = cls.profiles = cls.vacancies = None


def _vocab_stamp() -> tuple:
    """Changes whenever a skill, location or market is added or removed (or the database is another)."""
    from apps.skills.models import Location, Market, Skill

    skills = Skill.objects.aggregate(n=Count("id"), m=Max("id"))
    return (skills["n"], skills["m"], Location.objects.count(), Market.objects.count(),
            MatchState.objects.filter(pk=1).values_list("current_run_id", "computed_at").first())


def _profile_stamp() -> tuple:
    agg = StudentProfile.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    return (agg["n"], agg["t"])


def _vacancy_stamp() -> tuple:
    agg = Vacancy.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    return (agg["n"], agg["t"], timezone.localdate())


def _frame(state: MatchState) -> tuple[Vocabulary, np.ndarray]:
    """Vocabulary and idf of the current generation (frozen at its full run; fresh if there was none)."""
    vocab_stamp = _vocab_stamp()
    if _Cache.generation != state.current_generation or _Cache.vocab is None or _Cache.vocab_stamp != vocab_stamp:
        vocab = Vocabulary.build()
        idf = frozen_idf(vocab, state)
        _Cache.generation, _Cache.vocab, _Cache.idf = state.current_generation, vocab, idf
        _Cache.vocab_stamp = vocab_stamp
        _Cache.profiles = _Cache.vacancies = None
    return _Cache.vocab, _Cache.idf


def _n_lang(vocab: Vocabulary) -> int:
    return max(vocab.language_ids.size, 1)


def _profile_side(vocab, idf) -> _Side:
    stamp = _profile_stamp()
    if _Cache.profiles is None or _Cache.profiles.stamp != stamp:
        arrays = load_profiles(vocab)
        matrix = engine.build_profile_matrix(arrays, vocab.skill_ids.size, _n_lang(vocab), idf=idf)
        _Cache.profiles = _Side(stamp, arrays, matrix)
    return _Cache.profiles


def _vacancy_side(vocab, idf) -> _Side:
    """All open vacancies prepared against an empty profile matrix that carries the frozen idf."""
    stamp = _vacancy_stamp()
    if _Cache.vacancies is None or _Cache.vacancies.stamp != stamp:
        arrays = load_vacancies(vocab)
        holder = engine.build_profile_matrix(load_profiles(vocab, profile_ids=[]), vocab.skill_ids.size,
                                             _n_lang(vocab), idf=idf)
        _Cache.vacancies = _Side(stamp, arrays, engine.build_vacancy_matrix(arrays, holder))
    return _Cache.vacancies


def _record(kind: str, target: int, generation: int, weights, started, timings: dict, **counts) -> None:
    MatchRun.objects.create(kind=kind, status=RunStatus.SUCCEEDED, generation=generation, target_id=target,
                            weights_version=weights.version, top_k=top_k_size(), started_at=started,
                            finished_at=timezone.now(), timings={k: round(v, 4) for k, v in timings.items()},
                            **counts)


def _pair_columns(vacancy_ids, profile_ids, scores, components, keep=None) -> PairColumns:
    sel = slice(None) if keep is None else keep
    return PairColumns(vacancy_id=np.asarray(vacancy_ids, np.int64)[sel],
                       profile_id=np.asarray(profile_ids, np.int64)[sel],
                       score=np.asarray(scores, np.float64)[sel],
                       **{n: np.asarray(getattr(components, n), np.float64)[sel] for n in COMPONENTS})


def _units(x) -> np.ndarray:
    return np.rint(np.asarray(x, dtype=np.float64) * engine.SCORE_SCALE).astype(np.int64)


def _refresh_cutoffs(generation: int, kind: str, owners: list[int]) -> None:
    """Recompute the cutoffs of these lists from their stored rows."""
    if not owners:
        return
    if kind == "profile":
        rows = VacancyMatch.objects.filter(generation=generation, profile_id__in=owners).values_list(
            "profile_id", "score", "vacancy_id")
    else:
        rows = CandidateMatch.objects.filter(generation=generation, vacancy_id__in=owners).values_list(
            "vacancy_id", "score", "profile_id")
    size: dict[int, int] = {}
    last: dict[int, tuple] = {}
    for owner, score, other in rows:
        size[owner] = size.get(owner, 0) + 1
        key = (-round(score * engine.SCORE_SCALE), other)  # the list's order; the last entry has the largest key
        if owner not in last or key > last[owner][0]:
            last[owner] = (key, score, other)
    present = [o for o in owners if o in size]
    write_cutoffs(generation=generation, kind=kind, owners=present, sizes=[size[o] for o in present],
                  last_scores=[last[o][1] for o in present], last_ids=[last[o][2] for o in present])
    gone = [o for o in owners if o not in size]
    if gone:
        ListCutoff.objects.filter(generation=generation, kind=kind, owner_id__in=gone).delete()


def _list_model(kind: str):
    """(model, owner field, other field) of the lists owned by ``kind``."""
    return (VacancyMatch, "profile_id", "vacancy_id") if kind == "profile" else \
        (CandidateMatch, "vacancy_id", "profile_id")


def _write_own_list(*, generation: int, kind: str, owner_id: int, row, k: int) -> None:
    """Replace the owner's own top-k list with ``row`` (a RowTopK over the other side, best first)."""
    model, owner_field, _ = _list_model(kind)
    model.objects.filter(generation=generation, **{owner_field: owner_id}).delete()
    n = min(k, row.ids.size) if row is not None else 0
    if n:
        own = slice(0, n)
        vac, prof = ((row.ids[own], np.full(n, owner_id)) if kind == "profile"
                     else (np.full(n, owner_id), row.ids[own]))
        write_pairs(model, generation=generation,
                    pairs=_pair_columns(vac, prof, row.scores[own], _slice_components(row.components, own)),
                    computed_at=timezone.now())
    _refresh_cutoffs(generation, kind, [owner_id])


def _placement_inputs(*, generation: int, changed_kind: str, changed_id: int, other_ids: np.ndarray, k: int):
    """The changed object's current entries in the other side's lists, those lists' cutoffs, and per
    other-side row the floor a new entry must reach (last score of a full list, else 0)."""
    owner_kind = "vacancy" if changed_kind == "profile" else "profile"
    model, owner_field, other_field = _list_model(owner_kind)
    old = dict(model.objects.filter(generation=generation, **{other_field: changed_id})
               .values_list(owner_field, "score"))
    cut = load_cutoffs(generation=generation, kind=owner_kind)
    floors = np.zeros(other_ids.size, dtype=np.float64)
    if cut["owner_id"].size and other_ids.size:
        pos = np.minimum(np.searchsorted(cut["owner_id"], other_ids), cut["owner_id"].size - 1)
        hit = (cut["owner_id"][pos] == other_ids) & (cut["size"][pos] >= k)
        floors[hit] = cut["last_score"][pos][hit]
    old_ids = np.fromiter(old.keys(), dtype=np.int64, count=len(old))
    must = np.searchsorted(other_ids, np.intersect1d(other_ids, old_ids)) if old else None
    return old, cut, floors, must


def _place_in_other_lists(*, generation: int, changed_kind: str, changed_id: int, row, k: int, old: dict,
                          cut: dict) -> list[int]:
    """Put the changed object into the other side's lists exactly where a full run would.

    ``row`` holds the changed object's scores against every object of the other side (score > 0 only).
    Returns the owners whose lists must be rebuilt whole: full lists the object left or slid down in,
    since the entry that now belongs at their end is not known here.
    """
    owner_kind = "vacancy" if changed_kind == "profile" else "profile"
    model, owner_field, other_field = _list_model(owner_kind)
    model.objects.filter(generation=generation, **{other_field: changed_id}).delete()
    ids = row.ids if row is not None else np.empty(0, np.int64)
    scores = row.scores if row is not None else np.empty(0)
    n_cut = cut["owner_id"].size
    if n_cut:
        pos = np.minimum(np.searchsorted(cut["owner_id"], ids), n_cut - 1)
        has = cut["owner_id"][pos] == ids
        sizes = np.where(has, cut["size"][pos], 0).astype(np.int64)
        last_units = np.where(has, _units(cut["last_score"][pos]), 0)
        last_ids = np.where(has, cut["last_id"][pos], 0)
    else:
        sizes = np.zeros(ids.size, np.int64)
        last_units = np.zeros(ids.size, np.int64)
        last_ids = np.zeros(ids.size, np.int64)
    new_units = _units(scores)
    was_in = np.array([o in old for o in ids.tolist()], dtype=bool)
    old_units = np.array([round(old.get(o, 0.0) * engine.SCORE_SCALE) for o in ids.tolist()], dtype=np.int64)
    full = sizes >= k
    beats = (~full) | (new_units > last_units) | ((new_units == last_units) & (changed_id < last_ids))
    # in the list before: it stays unless the list is full and it slid down (then rebuild that list)
    rebuild = was_in & full & (new_units < old_units)
    include = np.where(was_in, ~rebuild, beats)
    grown = ids[include & ~was_in & full].tolist()
    if include.any():
        vac, prof = ((ids, np.full(ids.size, changed_id)) if owner_kind == "vacancy"
                     else (np.full(ids.size, changed_id), ids))
        write_pairs(model, generation=generation,
                    pairs=_pair_columns(vac, prof, scores, row.components, keep=include), computed_at=timezone.now())
    if grown:  # a full list took a new entry: drop its old last entry (known from the cutoff)
        last_of = dict(zip(ids.tolist(), last_ids.tolist(), strict=True))
        for start in range(0, len(grown), 500):
            chunk = grown[start:start + 500]
            match = Q()
            for owner in chunk:
                match |= Q(**{owner_field: owner, other_field: last_of[owner]})
            model.objects.filter(match, generation=generation).delete()
    scored = set(ids.tolist())
    full_owners = set(cut["owner_id"][cut["size"] >= k].tolist()) if n_cut else set()
    left_full = [o for o in old if o not in scored and o in full_owners]
    to_rebuild = sorted(set(ids[rebuild].tolist()) | set(left_full))
    _refresh_cutoffs(generation, owner_kind, sorted(set(old) | set(ids[include].tolist())))
    return to_rebuild


def _score_profile_row(vocab, side, profile_id: int, weights, k: int, placements=None):
    """One profile against every vacancy: its top-k, or (``placements`` = (floors, must_rows)) also the
    vacancies whose lists it may enter."""
    arrays = load_profiles(vocab, profile_ids=[profile_id])
    vm = side.matrix
    if arrays.ids.size == 0 or vm.n == 0:
        return None
    pm1 = engine.build_profile_matrix(arrays, vocab.skill_ids.size, _n_lang(vocab), idf=vm.idf)
    exclusions = exclusion_pairs(pm1.ids, vm.ids)
    excluded = exclusions[:, 1] if exclusions.size else None
    if placements is None:
        return engine.score_profile(pm1, vm, 0, k=k, weights=weights, exclude_vacancy_rows=excluded)
    from apps.matching.engine.incremental import profile_placements

    floors, must = placements
    return profile_placements(pm1, vm, 0, k, weights, vacancy_floors=floors, must_rows=must,
                              exclude_vacancy_rows=excluded)


def _score_vacancy_row(vocab, side, vacancy_id: int, weights, k: int, placements=None):
    """One vacancy against every profile: its top-k, or (with ``placements``) also the profiles whose
    lists it may enter."""
    arrays = load_vacancies(vocab, vacancy_ids=[vacancy_id])
    pm = side.matrix
    if arrays.ids.size == 0 or pm.n == 0:
        return None
    vm1 = engine.build_vacancy_matrix(arrays, pm)
    exclusions = exclusion_pairs(pm.ids, vm1.ids)
    excluded = exclusions[:, 0] if exclusions.size else None
    if placements is None:
        return engine.score_vacancy(pm, vm1, 0, k=k, weights=weights, exclude_profile_rows=excluded)
    from apps.matching.engine.incremental import vacancy_placements

    floors, must = placements
    return vacancy_placements(pm, vm1, 0, k, weights, profile_floors=floors, must_rows=must,
                              exclude_profile_rows=excluded)


def _recompute(kind: str, object_id: int, *, record: bool = True) -> dict:
    started, t = timezone.now(), {}
    t0 = time.perf_counter()
    k = top_k_size()
    weights = active_weights()
    with _Cache.lock:
        state = MatchState.get()
        generation = state.current_generation
        vocab, idf = _frame(state)
        side = _vacancy_side(vocab, idf) if kind == "profile" else _profile_side(vocab, idf)
        t["load"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        score_row = _score_profile_row if kind == "profile" else _score_vacancy_row
        other_ids = side.matrix.ids
        with transaction.atomic():
            locked_state_row = MatchState.objects.select_for_update().get(pk=state.pk)
            if locked_state_row.current_generation != generation:
                raise RuntimeError("a full rematch switched generations meanwhile; retry")
            old, cut, floors, must = _placement_inputs(generation=generation, changed_kind=kind,
                                                       changed_id=object_id, other_ids=other_ids, k=k)
            t["load"] += time.perf_counter() - t0
            t0 = time.perf_counter()
            row = score_row(vocab, side, object_id, weights, k, placements=(floors, must))
            t["score"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            _write_own_list(generation=generation, kind=kind, owner_id=object_id, row=row, k=k)
            rebuild = _place_in_other_lists(generation=generation, changed_kind=kind, changed_id=object_id, row=row,
                                            k=k, old=old, cut=cut)
            other_kind = "vacancy" if kind == "profile" else "profile"
            other_side = _profile_side(vocab, idf) if other_kind == "vacancy" else _vacancy_side(vocab, idf)
            other_score = _score_vacancy_row if other_kind == "vacancy" else _score_profile_row
            for owner in rebuild[:INLINE_RECOMPUTE_LIMIT]:
                _write_own_list(generation=generation, kind=other_kind, owner_id=owner,
                                row=other_score(vocab, other_side, owner, weights, k), k=k)
            respcache.bump(*_candidate_lists_written(kind, object_id, generation, old, rebuild))
        t["persist"] = time.perf_counter() - t0
    _enqueue_rest(other_kind, rebuild[INLINE_RECOMPUTE_LIMIT:])
    if record:
        _record(RunKind.PROFILE if kind == "profile" else RunKind.VACANCY, object_id, generation, weights, started,
                t, profiles=1 if kind == "profile" else side.matrix.n,
                vacancies=1 if kind == "vacancy" else side.matrix.n)
    return {f"{kind}_id": object_id, "listed": row is not None, "rebuilt": len(rebuild),
            "timings": {key: round(v, 4) for key, v in t.items()}}


def _candidate_lists_written(kind: str, object_id: int, generation: int, old: dict, rebuild: list[int]) -> list[str]:
    """Response-cache counters (``apps.core.respcache``) of the candidate lists this recompute wrote: the vacancy's
    own, or every list the profile was in, is in now, or that was rebuilt."""
    if kind == "vacancy":
        return [respcache.list_version(object_id)]
    placed = CandidateMatch.objects.filter(generation=generation, profile_id=object_id).values_list("vacancy_id",
                                                                                                   flat=True)
    return [respcache.list_version(v) for v in sorted(set(old) | set(placed) | set(rebuild))]


def match_profile_incremental(*, profile_id: int) -> dict:
    """Recompute one profile: its own vacancy list and its place in every vacancy's candidate list."""
    return _recompute("profile", profile_id)


def match_vacancy_incremental(*, vacancy_id: int) -> dict:
    """Recompute one vacancy: its candidate list and its place in every profile's vacancy list."""
    return _recompute("vacancy", vacancy_id)


def _slice_components(components, sl):
    return engine.Components(*(getattr(components, n)[sl] for n in COMPONENTS))


def _enqueue_rest(kind: str, ids: list[int]) -> None:
    if not ids:
        return
    from apps.matching import triggers

    for object_id in ids:
        (triggers.vacancy_changed if kind == "vacancy" else triggers.profile_changed)(object_id)
