"""Worker faults with real Redis and real worker processes (issue #7, item 12).

- a worker killed (``kill -9``) in the middle of a full rematch: another worker finishes it, every profile and
  vacancy listed as an in-process run lists them, no duplicate rows;
- 100 queued incremental recomputes, the worker killed part-way: another worker finishes them, all 100 done,
  each target's list equal to an inline recompute, no duplicate rows, none lost;
- a poison message (kills its worker each time, or always raises) stops after ``CELERY_TASK_MAX_DELIVERIES``
  deliveries (or ``max_retries``) and is recorded in ``apps.ops.FailedTask``; a poison shard fails its run;
- a stuck run (running, no shard progress for ``MATCHING["STUCK_AFTER_SECONDS"]``) is marked failed by the
  periodic ``maintenance.fail_stuck_runs``.

The workers these tests start import this module (``celery worker -I tests.integration.test_worker_faults``)
so they know its test-only tasks and fault injections, and they listen on a queue of their own, so the
session worker never takes these messages. Fault injections are switched on by environment variables that
only these workers get.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from celery import chord
from celery.signals import task_prerun, worker_process_init

from worker.celery import app

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent.parent


# --- test-only tasks and fault injection (run inside the workers started below) ---------------------------


@app.task(name="tests.faults.kill_own_worker", acks_late=True)
def kill_own_worker(*, trace_file: str) -> None:
    """A poison message: every delivery kills the process running it (as a segfault or the OOM killer would)."""
    with open(trace_file, "a") as handle:
        handle.write(f"{os.getpid()}\n")
    os.kill(os.getpid(), signal.SIGKILL)


@app.task(name="tests.faults.always_raises", acks_late=True, autoretry_for=(RuntimeError,), max_retries=2,
          default_retry_delay=0)
def always_raises(*, trace_file: str) -> None:
    """A task that fails on every attempt: bounded by its retries, then recorded."""
    with open(trace_file, "a") as handle:
        handle.write("attempt\n")
    raise RuntimeError("always fails")


@task_prerun.connect
def _slow_down(sender=None, **kwargs):
    """FAULT_TASK_DELAY: each matching recompute waits first, so a kill surely lands in the middle."""
    delay = float(os.environ.get("FAULT_TASK_DELAY") or 0)
    if delay and sender is not None and sender.name.startswith("matching.recompute_"):
        time.sleep(delay)


@worker_process_init.connect
def _poison_shard(**kwargs):
    """FAULT_KILL_SHARD=i: running shard i kills the worker process, on every delivery."""
    if not os.environ.get("FAULT_KILL_SHARD"):
        return
    from apps.matching import services

    doomed, real = int(os.environ["FAULT_KILL_SHARD"]), services.full_rematch_shard

    def shard(*, run_id, index, **options):
        if index == doomed:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(run_id=run_id, index=index, **options)

    services.full_rematch_shard = shard


# --- helpers -------------------------------------------------------------------------------------------


def _spawn(celery_worker, queue: str, name: str, **env_extra) -> subprocess.Popen:
    """A prefork worker (one child) on ``queue`` only, sharing the session worker's database/broker/cache."""
    from django.db import connection

    from tests.integration.conftest import _database_url

    env = {**celery_worker.env, "DATABASE_URL": _database_url(connection.settings_dict), "CONN_MAX_AGE": "0",
           "CELERY_VISIBILITY_TIMEOUT": "8", **{k: str(v) for k, v in env_extra.items()}}
    log = open(celery_worker.log_path.parent / f"{name}.log", "ab")  # noqa: SIM115 (handed to the child)
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "worker", "worker", "-I", "tests.integration.test_worker_faults",
         "-Q", queue, "-P", "prefork", "--concurrency", "1", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "-n", f"{name}-{uuid.uuid4().hex[:6]}@%h", "--loglevel", "INFO"],
        cwd=ROOT, env=env, start_new_session=True, stdout=log, stderr=subprocess.STDOUT)


def _stop(*procs, sig=signal.SIGTERM) -> None:
    for proc in procs:
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, sig)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def _until(condition, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"{what}: not within {timeout} s")


def _queue() -> str:
    return f"faults-{uuid.uuid4().hex[:8]}"


def _no_duplicates(generation: int) -> None:
    from apps.matching.models import CandidateMatch, VacancyMatch

    for model, key in ((CandidateMatch, ("vacancy_id", "profile_id")), (VacancyMatch, ("profile_id", "vacancy_id"))):
        rows = list(model.objects.filter(generation=generation).values_list(*key))
        assert rows, f"no {model.__name__} rows"
        assert len(rows) == len(set(rows)), f"{len(rows) - len(set(rows))} duplicate {model.__name__} rows"


def _launch_on(queue: str, run_id: int, shards_total: int) -> None:
    """``worker.tasks.matching.launch_shards``, with every message sent to ``queue``."""
    from worker.tasks.matching import rematch_failed, rematch_finish, rematch_shard

    header = [rematch_shard.si(run_id=run_id, index=i).set(queue=queue) for i in range(shards_total)]
    chord(header)(rematch_finish.si(run_id=run_id).set(queue=queue).on_error(
        rematch_failed.si(run_id=run_id).set(queue=queue)))


# --- (a) kill -9 during a full rematch -------------------------------------------------------------------


def test_full_rematch_survives_a_killed_worker_with_every_profile_and_vacancy_listed(
        transactional_db, live_celery, celery_worker):
    from apps.matching import services
    from apps.matching.models import CandidateMatch, MatchRun, MatchShard, RunStatus, VacancyMatch
    from tests.integration.test_matching_worker import _lists, _wait, _world

    _world(n_students=60, n_vacancies=12)
    reference = services.full_rematch_in_process(reason="expected", shards=1)
    expected = _lists()
    listed_profiles = set(VacancyMatch.objects.filter(generation=reference.generation).values_list("profile_id",
                                                                                                  flat=True))
    listed_vacancies = set(CandidateMatch.objects.filter(generation=reference.generation).values_list("vacancy_id",
                                                                                                     flat=True))
    queue = _queue()
    victim = _spawn(celery_worker, queue, "victim", MATCH_SHARD_DELAY=30)
    rescuer = None
    try:
        run = services.full_rematch_start(reason="kill", shards=4)
        _launch_on(queue, run.pk, run.shards_total)
        _until(lambda: MatchShard.objects.filter(run=run, status=RunStatus.RUNNING).exists(), 90, "a shard starts")
        _stop(victim, sig=signal.SIGKILL)
        rescuer = _spawn(celery_worker, queue, "rescuer")
        run = _wait(run.pk, timeout=180)
    finally:
        _stop(victim, rescuer)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert _lists() == expected
    _no_duplicates(run.generation)
    got_profiles = set(VacancyMatch.objects.filter(generation=run.generation).values_list("profile_id", flat=True))
    got_vacancies = set(CandidateMatch.objects.filter(generation=run.generation).values_list("vacancy_id", flat=True))
    assert got_profiles == listed_profiles and len(got_profiles) == run.profiles == 60  # 100% of profiles
    assert got_vacancies == listed_vacancies and len(got_vacancies) == run.vacancies == 12  # 100% of vacancies
    assert MatchShard.objects.filter(run=run, status=RunStatus.SUCCEEDED).count() == 4
    assert MatchRun.objects.get(pk=run.pk).shards_done == 4


# --- (b) kill -9 in the middle of 100 queued incremental recomputes --------------------------------------


def _own_lists(profile_ids, vacancy_ids) -> dict:
    from apps.matching.models import CandidateMatch, MatchState, VacancyMatch

    generation = MatchState.get().current_generation
    lists = {}
    for pid in profile_ids:
        lists[("profile", pid)] = sorted(VacancyMatch.objects.filter(generation=generation, profile_id=pid)
                                         .values_list("vacancy_id", "score"))
    for vid in vacancy_ids:
        lists[("vacancy", vid)] = sorted(CandidateMatch.objects.filter(generation=generation, vacancy_id=vid)
                                         .values_list("profile_id", "score"))
    return lists


def test_hundred_incremental_jobs_survive_a_killed_worker(transactional_db, live_celery, celery_worker):
    from apps.jobs.models import Vacancy
    from apps.matching import services, triggers
    from apps.matching.models import MatchRun, RunKind, RunStatus
    from apps.talent.models import StudentProfile
    from tests import factories
    from tests.integration.test_matching_worker import _world
    from worker.tasks.matching import recompute_profile, recompute_vacancy

    _world(n_students=80, n_vacancies=20)
    run = services.full_rematch_in_process(reason="baseline", shards=1)
    profile_ids = list(StudentProfile.objects.order_by("pk").values_list("pk", flat=True))[:80]
    vacancy_ids = list(Vacancy.objects.order_by("pk").values_list("pk", flat=True))[:20]
    assert len(profile_ids) + len(vacancy_ids) == 100
    before = _own_lists(profile_ids, vacancy_ids)
    # Change all 100 targets without triggers, so each one's list is stale until its recompute runs.
    with triggers.suppressed():
        for i, pid in enumerate(profile_ids):
            factories.give_skills(StudentProfile.objects.get(pk=pid), **{"marketing.seo": 1 + (i * 7) % 5,
                                                                         "logistics.fba": 1 + (i * 3) % 5})
        for i, vid in enumerate(vacancy_ids):
            factories.require_skills(Vacancy.objects.get(pk=vid), required={"platform.aliexpress": (1 + i % 4, 1.0)})
    started = MatchRun.objects.filter(kind__in=(RunKind.PROFILE, RunKind.VACANCY)).count()
    assert started == 0

    def done_targets():
        return set(MatchRun.objects.filter(kind__in=(RunKind.PROFILE, RunKind.VACANCY), status=RunStatus.SUCCEEDED,
                                           generation=run.generation).values_list("kind", "target_id"))

    queue = _queue()
    victim = _spawn(celery_worker, queue, "victim-inc", FAULT_TASK_DELAY=0.25)
    rescuer = None
    try:
        for pid in profile_ids:
            recompute_profile.apply_async(kwargs={"profile_id": pid}, queue=queue)
        for vid in vacancy_ids:
            recompute_vacancy.apply_async(kwargs={"vacancy_id": vid}, queue=queue)
        _until(lambda: len(done_targets()) >= 25, 120, "25 recomputes done")
        _stop(victim, sig=signal.SIGKILL)
        at_kill = len(done_targets())
        assert at_kill < 100, "the kill must land in the middle"
        rescuer = _spawn(celery_worker, queue, "rescuer-inc")
        _until(lambda: len(done_targets()) == 100, 180, "all 100 recomputes done")
        time.sleep(1)
    finally:
        _stop(victim, rescuer)
    targets = {(RunKind.PROFILE, p) for p in profile_ids} | {(RunKind.VACANCY, v) for v in vacancy_ids}
    assert done_targets() == targets  # 0 lost
    _no_duplicates(run.generation)
    after_workers = _own_lists(profile_ids, vacancy_ids)
    changed = sum(1 for key in before if before[key] != after_workers[key])
    assert changed >= 90, f"only {changed} of 100 lists changed: the edits did not reach the recomputes"
    # The same recomputes inline, in this process: nothing may change (each target's list is already right).
    for pid in profile_ids:
        services.match_profile_incremental(profile_id=pid)
    for vid in vacancy_ids:
        services.match_vacancy_incremental(vacancy_id=vid)
    inline = _own_lists(profile_ids, vacancy_ids)
    differing = [key for key in inline if inline[key] != after_workers[key]]
    assert differing == [], f"{len(differing)} targets differ from an inline recompute: {differing[:5]}"
    print(f"\n[faults] incremental: 100 jobs, {at_kill} done when killed, 100/100 done after, {changed} lists "
          "changed, 0 differ from inline, 0 duplicates")


# --- (c) poison messages ---------------------------------------------------------------------------------


def test_a_message_that_kills_its_worker_stops_after_max_deliveries(transactional_db, live_celery, celery_worker,
                                                                    tmp_path, settings):
    from apps.ops.models import FailedTask, FailureReason

    limit = settings.CELERY_TASK_MAX_DELIVERIES
    assert limit >= 1
    trace = tmp_path / "kills.txt"
    queue = _queue()
    worker = _spawn(celery_worker, queue, "poison")
    try:
        result = kill_own_worker.apply_async(kwargs={"trace_file": str(trace)}, queue=queue)
        record = _until(lambda: FailedTask.objects.filter(task_id=result.id).first(), 120, "the poison recorded")
        time.sleep(5)  # any further delivery would run (and append to the trace) by now
        runs = trace.read_text().split()
        assert len(runs) == limit, f"ran {len(runs)} times, limit {limit}"
        assert len(set(runs)) == limit  # each delivery killed its process; the pool started a new one
        assert FailedTask.objects.filter(task_id=result.id).count() == 1
        assert record.reason == FailureReason.POISON
        assert record.task_name == "tests.faults.kill_own_worker"
        assert record.deliveries == limit + 1 and record.kwargs == {"trace_file": str(trace)}
        assert worker.poll() is None  # the worker itself survived and keeps serving its queue
        pong = app.send_task("maintenance.ping", queue=queue).get(timeout=30)
        assert pong == "pong"
    finally:
        _stop(worker)
    print(f"\n[faults] poison: {len(runs)} deliveries ran (limit {limit}), rejected at delivery {record.deliveries},"
          " 1 FailedTask row")


def test_a_task_that_always_raises_stops_after_its_retries_and_is_recorded(transactional_db, live_celery,
                                                                           celery_worker, tmp_path):
    from apps.ops.models import FailedTask, FailureReason

    trace = tmp_path / "attempts.txt"
    queue = _queue()
    worker = _spawn(celery_worker, queue, "raiser")
    try:
        result = always_raises.apply_async(kwargs={"trace_file": str(trace)}, queue=queue)
        record = _until(lambda: FailedTask.objects.filter(task_id=result.id).first(), 60, "the failure recorded")
        time.sleep(3)
    finally:
        _stop(worker)
    assert trace.read_text().split() == ["attempt"] * 3  # the first run and max_retries=2 retries, no more
    assert record.reason == FailureReason.FAILED and record.retries == 2
    assert "RuntimeError: always fails" in record.error
    assert FailedTask.objects.filter(task_id=result.id).count() == 1


def test_a_poison_shard_fails_its_run_instead_of_looping(transactional_db, live_celery, celery_worker, settings):
    from apps.matching import services
    from apps.matching.models import MatchRun, MatchState, RunStatus
    from apps.ops.models import FailedTask, FailureReason
    from tests.integration.test_matching_worker import _world

    _world(n_students=20, n_vacancies=5)
    services.full_rematch_in_process(reason="baseline", shards=1)
    generation = MatchState.get().current_generation
    queue = _queue()
    worker = _spawn(celery_worker, queue, "poison-shard", FAULT_KILL_SHARD=0)
    try:
        run = services.full_rematch_start(reason="poison", shards=2)
        _launch_on(queue, run.pk, run.shards_total)
        run = _until(lambda: MatchRun.objects.filter(pk=run.pk, status=RunStatus.FAILED).first(), 120,
                     "the run marked failed")
    finally:
        _stop(worker)
    assert "delivered" in run.error and "matching.rematch_shard" in run.error
    record = FailedTask.objects.get(task_name="matching.rematch_shard", kwargs__run_id=run.pk)
    assert record.reason == FailureReason.POISON and record.kwargs["index"] == 0
    assert record.deliveries == settings.CELERY_TASK_MAX_DELIVERIES + 1
    assert MatchState.get().current_generation == generation  # the failed run never became current


# --- (d) a stuck run -------------------------------------------------------------------------------------


def test_a_stuck_run_is_marked_failed_by_the_periodic_task(transactional_db, live_celery, settings):
    from django.utils import timezone

    from apps.matching import services
    from apps.matching.models import MatchRun, MatchShard, RunStatus
    from tests.integration.test_matching_worker import _world
    from worker.schedule import BEAT_SCHEDULE
    from worker.tasks.maintenance import fail_stuck_runs

    assert any(entry["task"] == "maintenance.fail_stuck_runs" for entry in BEAT_SCHEDULE.values())
    stuck_after = settings.MATCHING["STUCK_AFTER_SECONDS"]
    _world(n_students=10, n_vacancies=3)
    long_ago = timezone.now() - timedelta(seconds=stuck_after + 60)
    # Stuck: started long ago, one shard done long ago, the other never progressed (its message was lost).
    stuck = services.full_rematch_start(reason="lost", shards=2)
    MatchRun.objects.filter(pk=stuck.pk).update(started_at=long_ago)
    MatchShard.objects.filter(run=stuck, index=0).update(status=RunStatus.SUCCEEDED, finished_at=long_ago)
    # Slow but alive: started long ago, yet a shard finished a minute ago.
    alive = services.full_rematch_start(reason="slow", shards=2)
    MatchRun.objects.filter(pk=alive.pk).update(started_at=long_ago)
    MatchShard.objects.filter(run=alive, index=0).update(status=RunStatus.SUCCEEDED,
                                                         finished_at=timezone.now() - timedelta(seconds=60))
    fresh = services.full_rematch_start(reason="fresh", shards=2)  # just started

    marked = fail_stuck_runs.apply_async(queue="default").get(timeout=60)  # through the session worker

    assert marked == [stuck.pk]
    stuck.refresh_from_db()
    assert stuck.status == RunStatus.FAILED and stuck.finished_at is not None
    assert stuck.error.startswith("stuck: no shard progress for") and "shards done 1/2" in stuck.error
    assert MatchRun.objects.get(pk=alive.pk).status == RunStatus.RUNNING
    assert MatchRun.objects.get(pk=fresh.pk).status == RunStatus.RUNNING
    # A late shard or merge of the failed run changes nothing: it stays failed and never becomes current.
    services.full_rematch_shard(run_id=stuck.pk, index=1)
    assert services.full_rematch_finish(run_id=stuck.pk).status == RunStatus.FAILED
    assert MatchRun.objects.get(pk=stuck.pk).status == RunStatus.FAILED
    assert fail_stuck_runs.apply_async(queue="default").get(timeout=60) == []  # marked once
