"""Full rematch: every matchable profile against every open vacancy, in shards.

``full_rematch_start`` freezes what the shards must agree on (vocabulary, idf over the whole population,
the vacancy ids, the profile id bounds of each shard) in the run's snapshot. Each shard
(``full_rematch_shard``) loads only its profiles, scores them against all vacancies, writes its profiles'
lists and keeps its partial per-vacancy top-K in its ``MatchShard`` row, all in one transaction, so a
re-delivered shard replaces its own rows and never duplicates them. ``full_rematch_finish`` merges the
partial vacancy lists, writes them and flips the current generation in one transaction. The same three
steps run through Celery (a chord) or in the calling process.
"""

from __future__ import annotations

import io
import logging
import math
import time

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.core import respcache
from apps.matching import engine, partitions
from apps.matching.loaders import Vocabulary, fetch_columns, load_profiles, load_vacancies, matchable_profiles_sql
from apps.matching.models import CandidateMatch, MatchRun, MatchShard, MatchState, RunKind, RunStatus, VacancyMatch
from apps.matching.persist import COMPONENTS, copy_in_parallel, write_pairs
from apps.talent.models import ProfileSkill

from .common import (
    active_weights,
    cutoffs_from_lists,
    delete_generation_rows,
    exclusion_pairs,
    locked_state,
    pairs_from_rows,
    top_k_size,
    write_cutoffs,
)

log = logging.getLogger(__name__)


def _population_idf(vocab: Vocabulary) -> tuple[np.ndarray, int]:
    """idf over all matchable profiles, computed from document frequencies in SQL (same formula as the
    engine's scikit-learn TfidfTransformer: ln((1+n)/(1+df))+1)."""
    sub, params = matchable_profiles_sql()
    ids = fetch_columns(sub, params, [("id", "i8")])["id"]
    n = int(ids.shape[0])
    table = ProfileSkill._meta.db_table
    df = fetch_columns(
        f"SELECT skill_id, COUNT(*) FROM {table} WHERE profile_id IN ({sub}) GROUP BY skill_id",  # noqa: S608  # nosec B608 # identifiers from models, values are params
        params, [("skill_id", "i8"), ("count", "i8")])
    counts = np.zeros(vocab.skill_ids.shape[0], dtype=np.float64)
    known = vocab.known_skills(df["skill_id"])
    counts[vocab.skill_index(df["skill_id"][known])] = df["count"][known]
    return np.log((1.0 + n) / (1.0 + counts)) + 1.0, n


def _bounds(n_shards: int) -> list[list[int]]:
    """Inclusive profile id ranges splitting the matchable profiles into ``n_shards`` equal parts."""
    sub, params = matchable_profiles_sql()
    ids = np.sort(fetch_columns(sub, params, [("id", "i8")])["id"])
    if ids.size == 0:
        return [[0, 0]]
    n_shards = max(1, min(n_shards, ids.size))
    edges = np.linspace(0, ids.size, n_shards + 1).astype(np.int64)
    return [[int(ids[a]), int(ids[b - 1])] for a, b in zip(edges[:-1], edges[1:], strict=True) if b > a]


def full_rematch_start(*, reason: str = "manual", shards: int = 1, created_by=None) -> MatchRun:
    """Create a full run with its snapshot and one ``MatchShard`` row per shard."""
    started = time.perf_counter()
    vocab = Vocabulary.build()
    idf, n_profiles = _population_idf(vocab)
    bounds = _bounds(shards)
    from apps.matching.loaders import open_vacancy_ids

    vacancy_ids = open_vacancy_ids()
    weights = active_weights()
    with transaction.atomic():
        last = MatchRun.objects.aggregate(g=Max("generation"))["g"] or 0
        state_generation = MatchState.get().current_generation
        run = MatchRun.objects.create(
            kind=RunKind.FULL, status=RunStatus.RUNNING, generation=max(last, state_generation) + 1,
            weights_version=weights.version, reason=reason[:64], top_k=top_k_size(), shards_total=len(bounds),
            profiles=n_profiles, vacancies=len(vacancy_ids), started_at=timezone.now(), created_by=created_by,
            snapshot={
                "skill_ids": vocab.skill_ids.tolist(), "language_ids": vocab.language_ids.tolist(),
                "location_codes": vocab.location_codes, "job_types": vocab.job_types,
                "market_codes": vocab.market_codes, "idf": idf.tolist(), "vacancy_ids": vacancy_ids,
                "bounds": bounds, "weights": list(weights.as_tuple()),
            },
            timings={"start": round(time.perf_counter() - started, 3)},
        )
        MatchShard.objects.bulk_create([MatchShard(run=run, index=i) for i in range(len(bounds))])
        if partitions.enabled():
            partitions.prepare(run.generation)
    return run


def _snapshot_vocab(snapshot: dict) -> Vocabulary:
    return Vocabulary(skill_ids=np.asarray(snapshot["skill_ids"], dtype=np.int64),
                      language_ids=np.asarray(snapshot["language_ids"], dtype=np.int64),
                      location_codes=list(snapshot["location_codes"]), job_types=list(snapshot["job_types"]),
                      market_codes=list(snapshot["market_codes"]))


def run_weights(run: MatchRun) -> engine.MatchWeights:
    values = run.snapshot.get("weights") or active_weights().as_tuple()
    return engine.MatchWeights(run.weights_version, *values)


def full_rematch_shard(*, run_id: int, index: int, threads: int | None = None) -> dict:
    """Score one shard's profiles against every vacancy of the run; idempotent (re-delivery safe).
    ``threads``: the engine's threads (default: settings.MATCHING["THREADS"], i.e. MATCH_THREADS, which a
    worker running N shards at once on C cores should set to about C / N)."""
    from django.conf import settings

    threads = threads or settings.MATCHING["THREADS"]
    run = MatchRun.objects.get(pk=run_id)
    if run.status not in (RunStatus.RUNNING, RunStatus.PENDING):
        return {"run": run_id, "shard": index, "skipped": run.status}
    MatchShard.objects.filter(run=run, index=index).exclude(status=RunStatus.SUCCEEDED).update(
        status=RunStatus.RUNNING)
    t = {}
    t0 = time.perf_counter()
    snapshot = run.snapshot
    vocab = _snapshot_vocab(snapshot)
    lo, hi = snapshot["bounds"][index]
    sub, params = matchable_profiles_sql()
    ids = fetch_columns(sub + " AND p.id >= %s AND p.id <= %s", [*params, lo, hi], [("id", "i8")])["id"]
    profiles = load_profiles(vocab, profile_ids=ids.tolist())
    vacancies = load_vacancies(vocab, vacancy_ids=snapshot["vacancy_ids"])
    t["load"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    idf = np.asarray(snapshot["idf"], dtype=np.float64)
    pm = engine.build_profile_matrix(profiles, vocab.skill_ids.size, max(vocab.language_ids.size, 1), idf=idf)
    vm = engine.build_vacancy_matrix(vacancies, pm)
    result = engine.top_k(pm, vm, run_weights(run), k=run.top_k, exclusions=exclusion_pairs(pm.ids, vm.ids),
                          threads=threads)
    t["score"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    profile_pairs = pairs_from_rows(owner_ids=pm.ids, top_ids=result.profile_top_ids,
                                    scores=result.profile_scores, counts=result.profile_counts,
                                    components=result.profile_components, owner_is_vacancy=False)
    partial = io.BytesIO()
    np.savez(partial, vacancy_ids=vm.ids, top_ids=result.vacancy_top_ids, scores=result.vacancy_scores,
             counts=result.vacancy_counts,
             **{name: getattr(result.vacancy_components, name) for name in COMPONENTS})
    delay = float(settings.MATCHING.get("SHARD_DELAY_SECONDS", 0))
    if delay:  # fault-injection for the worker-kill tests: a window in which the shard is surely running
        time.sleep(delay)
    now = timezone.now()
    staged = partitions.parallel_available()
    if staged:
        # The run's own staging table: nobody reads it before the run attaches it, and a re-delivered
        # shard first removes its profile range, so these rows need not commit with the shard's record.
        partitions.delete_profile_range(run.generation, lo, hi)
        written = copy_in_parallel(VacancyMatch, generation=run.generation, pairs=profile_pairs, computed_at=now,
                                   table=partitions.staging_table(VacancyMatch, run.generation),
                                   streams=partitions.BUILD_CONNECTIONS)
    with transaction.atomic():
        shard = MatchShard.objects.select_for_update().get(run=run, index=index)
        if not staged:  # the same in this transaction (inside a caller's transaction, or another database)
            if partitions.enabled():
                partitions.delete_profile_range(run.generation, lo, hi)
                table = partitions.staging_table(VacancyMatch, run.generation)
            else:
                _delete_range(VacancyMatch, run.generation, lo, hi)
                table = None
            written = write_pairs(VacancyMatch, generation=run.generation, pairs=profile_pairs, computed_at=now,
                                  table=table)
        owners, sizes, last_scores, last_ids = cutoffs_from_lists(
            pm.ids, result.profile_top_ids, result.profile_scores, result.profile_counts)
        write_cutoffs(generation=run.generation, kind="profile", owners=owners, sizes=sizes,
                      last_scores=last_scores, last_ids=last_ids, replace_range=(lo, hi))
        shard.partial = partial.getvalue()
        shard.status = RunStatus.SUCCEEDED
        shard.profiles = pm.n
        shard.vacancy_rows = written
        shard.attempts += 1
        t["persist"] = time.perf_counter() - t0
        shard.timings = {k: round(v, 3) for k, v in t.items()}
        shard.finished_at = timezone.now()
        shard.save()
    return {"run": run_id, "shard": index, "profiles": pm.n, "rows": written, **shard.timings}


def _delete_range(model, generation: int, lo: int, hi: int) -> None:
    model.objects.filter(generation=generation, profile_id__gte=lo, profile_id__lte=hi).delete()


def _merge_partials(blobs: list[bytes], k: int):
    parts = [np.load(io.BytesIO(bytes(b))) for b in blobs]
    vacancy_ids = parts[0]["vacancy_ids"]
    ids = np.concatenate([p["top_ids"] for p in parts], axis=1)
    units = np.rint(np.concatenate([p["scores"] for p in parts], axis=1) * engine.SCORE_SCALE).astype(np.int64)
    valid = ids >= 0
    order = np.lexsort((ids, -units, ~valid), axis=1)[:, :k]
    take = lambda a: np.take_along_axis(a, order, axis=1)  # noqa: E731
    top_ids, top_units, top_valid = take(ids), take(units), take(valid)
    comps = {name: take(np.concatenate([p[name] for p in parts], axis=1)) for name in COMPONENTS}
    return vacancy_ids, np.where(top_valid, top_ids, -1), top_units / engine.SCORE_SCALE, top_valid.sum(axis=1), comps


def full_rematch_finish(*, run_id: int) -> MatchRun:
    """Merge the shards' vacancy lists, write them, and make the run's generation current (atomically)."""
    run = MatchRun.objects.get(pk=run_id)
    if run.status in (RunStatus.SUCCEEDED, RunStatus.FAILED):  # done, or given up on (stuck): never flip late
        return run
    shards = list(MatchShard.objects.filter(run=run).order_by("index"))
    missing = [s.index for s in shards if s.status != RunStatus.SUCCEEDED]
    if missing:
        raise RuntimeError(f"run {run_id}: shards {missing} have not finished")
    t0 = time.perf_counter()
    vacancy_ids, top_ids, scores, counts, comps = _merge_partials([s.partial for s in shards], run.top_k)

    class _Comps:
        pass

    holder = _Comps()
    for name, value in comps.items():
        setattr(holder, name, value)
    pairs = pairs_from_rows(owner_ids=vacancy_ids, top_ids=top_ids, scores=scores, counts=counts,
                            components=holder, owner_is_vacancy=True)
    t_merge = time.perf_counter() - t0
    t0 = time.perf_counter()
    now = timezone.now()
    staged = partitions.parallel_available()
    t_index = 0.0
    if staged:  # staging tables: written and indexed before the flip transaction, on several connections
        partitions.truncate(CandidateMatch, run.generation)
        written = write_pairs(CandidateMatch, generation=run.generation, pairs=pairs, computed_at=now,
                              table=partitions.staging_table(CandidateMatch, run.generation))
        t_staged = time.perf_counter()
        partitions.build_indexes(run.generation)
        t_index = time.perf_counter() - t_staged
    with transaction.atomic():
        state = locked_state()
        if not staged:
            if partitions.enabled():
                partitions.truncate(CandidateMatch, run.generation)
                table = partitions.staging_table(CandidateMatch, run.generation)
            else:
                CandidateMatch.objects.filter(generation=run.generation).delete()
                table = None
            written = write_pairs(CandidateMatch, generation=run.generation, pairs=pairs, computed_at=now,
                                  table=table)
        owners, sizes, last_scores, last_ids = cutoffs_from_lists(vacancy_ids, top_ids, scores, counts)
        write_cutoffs(generation=run.generation, kind="vacancy", owners=owners, sizes=sizes,
                      last_scores=last_scores, last_ids=last_ids,
                      replace_range=(0, int(vacancy_ids.max()) if vacancy_ids.size else 0))
        t_written = time.perf_counter()
        if partitions.enabled():  # (index both directions once if not done above) and attach as partitions
            partitions.attach(run.generation)
        t_attach = time.perf_counter() - t_written + t_index
        run.candidate_rows = written
        run.vacancy_rows = sum(s.vacancy_rows for s in shards)
        run.shards_done = len(shards)
        run.status = RunStatus.SUCCEEDED
        run.finished_at = timezone.now()
        shard_timings = [s.timings for s in shards]
        run.timings = {
            **run.timings,
            "load": round(sum(s.get("load", 0) for s in shard_timings), 3),
            "score": round(sum(s.get("score", 0) for s in shard_timings), 3),
            "persist_profiles": round(sum(s.get("persist", 0) for s in shard_timings), 3),
            "merge": round(t_merge, 3),
            "persist_vacancies": round(t_written - t0 - t_index, 3),
            "index_attach": round(t_attach, 3),
        }
        run.stats = _score_stats(scores, counts, len(vacancy_ids), run.profiles, shards)
        run.save()
        state.current_generation = run.generation
        state.current_run = run
        state.computed_at = now
        state.idf = {"skill_ids": run.snapshot["skill_ids"], "idf": run.snapshot["idf"]}
        state.save()
        MatchShard.objects.filter(run=run).update(partial=None)
        respcache.bump("matches")  # the generation is in the cache keys too; this drops them early
    transaction.on_commit(lambda: _after_flip(run))
    return run


def _after_flip(run: MatchRun) -> None:
    """Housekeeping once a new generation is visible: drop older rows, and recompute what changed while
    the run was scoring (those edits went into the previous generation's lists)."""
    from apps.jobs.models import Vacancy
    from apps.matching import triggers
    from apps.talent.models import StudentProfile

    delete_generation_rows(keep=run.generation)
    since = run.started_at or run.created_at
    for pk in StudentProfile.objects.filter(updated_at__gte=since).values_list("pk", flat=True)[:5000]:
        triggers.profile_changed(pk)
    for pk in Vacancy.objects.filter(updated_at__gte=since).values_list("pk", flat=True)[:5000]:
        triggers.vacancy_changed(pk)


def _score_stats(scores: np.ndarray, counts: np.ndarray, n_vacancies: int, n_profiles: int, shards) -> dict:
    top1 = np.where(counts > 0, scores[:, 0] if scores.size else 0.0, 0.0)
    listed = scores[np.arange(scores.shape[1])[None, :] < counts[:, None]] if scores.size else np.empty(0)
    hist, edges = np.histogram(listed, bins=10, range=(0.0, 1.0)) if listed.size else (np.zeros(10, int), None)
    return {
        "vacancies_without_candidates": int((counts == 0).sum()),
        "vacancies_with_full_lists": int((counts == counts.max()).sum()) if counts.size else 0,
        "mean_top_score": round(float(top1[counts > 0].mean()), 6) if (counts > 0).any() else 0.0,
        "score_histogram": [int(x) for x in hist],
        "profiles_listed": int(sum(s.profiles for s in shards)),
        "n_vacancies": n_vacancies,
        "n_profiles": n_profiles,
    }


def full_rematch_fail(*, run_id: int, error: str) -> None:
    """Record a run as failed (the current generation stays as it was); the first recorded reason is kept."""
    MatchRun.objects.filter(pk=run_id).exclude(status__in=(RunStatus.SUCCEEDED, RunStatus.FAILED)).update(
        status=RunStatus.FAILED, error=error[:10000], finished_at=timezone.now())
    if partitions.enabled():
        generation = MatchRun.objects.filter(pk=run_id).values_list("generation", flat=True).first()
        if generation is not None:
            partitions.discard(generation)  # its staging tables; an attached partition is never touched


def fail_stuck_runs(*, stuck_after: float | None = None, now=None) -> list[int]:
    """Mark failed every full run still running whose shards made no progress for ``stuck_after`` seconds.

    Progress is the run's start or the latest ``MatchShard.finished_at``. A run gets stuck when its messages are
    lost (a broker flushed, a poison shard dropped by ``worker.base``) or its merge never comes; without this it
    would show "running" forever. Returns the ids marked failed; each keeps the reason in ``MatchRun.error``.
    """
    from django.conf import settings

    stuck_after = float(settings.MATCHING.get("STUCK_AFTER_SECONDS", 7200) if stuck_after is None else stuck_after)
    now = now or timezone.now()
    marked = []
    running = MatchRun.objects.filter(kind=RunKind.FULL, status__in=(RunStatus.RUNNING, RunStatus.PENDING))
    for run in running.only("pk", "started_at", "created_at", "shards_total"):
        shards = list(MatchShard.objects.filter(run=run).values_list("status", "finished_at", "attempts"))
        last = max([run.started_at or run.created_at, *(f for _, f, _ in shards if f)])
        idle = (now - last).total_seconds()
        if idle <= stuck_after:
            continue
        done = sum(1 for status, _, _ in shards if status == RunStatus.SUCCEEDED)
        error = (f"stuck: no shard progress for {int(idle)} s (limit {int(stuck_after)} s); "
                 f"shards done {done}/{len(shards)}, attempts {sum(a for _, _, a in shards)}; "
                 "marked failed by maintenance.fail_stuck_runs")
        updated = MatchRun.objects.filter(pk=run.pk, status__in=(RunStatus.RUNNING, RunStatus.PENDING)).update(
            status=RunStatus.FAILED, error=error, finished_at=now)
        if updated:
            log.warning("match run %s %s", run.pk, error)
            marked.append(run.pk)
    return marked


def full_rematch_in_process(*, reason: str = "manual", shards: int | None = None, created_by=None,
                            threads: int | None = None) -> MatchRun:
    """Run the same shards one after another in this process (no broker)."""

    run = full_rematch_start(reason=reason, shards=shards or 1, created_by=created_by)
    try:
        for index in range(run.shards_total):
            full_rematch_shard(run_id=run.pk, index=index, threads=threads)
        return full_rematch_finish(run_id=run.pk)
    except Exception as exc:
        full_rematch_fail(run_id=run.pk, error=f"{type(exc).__name__}: {exc}")
        raise


def shards_for(n_profiles: int, requested: int | None = None) -> int:
    from django.conf import settings

    if requested:
        return max(1, requested)
    return max(1, min(settings.MATCHING["SHARDS"], math.ceil(n_profiles / 25000)))
