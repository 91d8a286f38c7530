"""A full rematch through real workers on Redis, including a worker killed in the middle of a shard."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from apps.matching import services
from apps.matching.models import CandidateMatch, MatchRun, MatchShard, MatchState, RunStatus, VacancyMatch
from tests import factories
from tests.integration.conftest import ROOT, _database_url

pytestmark = pytest.mark.slow


def _world(n_students=30, n_vacancies=8):
    from apps.matching import triggers

    codes = ["platform.amazon_seller_central", "platform.aliexpress", "marketing.seo", "logistics.fba",
             "lang.en"]
    skills = [c for c in codes if not c.startswith("lang.")]
    with triggers.suppressed():
        firm = factories.FirmFactory()
        for i in range(n_vacancies):
            vacancy = factories.VacancyFactory(firm=firm)
            factories.require_skills(vacancy, required={skills[i % 4]: (2 + i % 3, 1.0)},
                                     optional={skills[(i + 1) % 4]: (2, 1.0)})
        for i in range(n_students):
            student = factories.StudentFactory()
            factories.give_skills(student.profile, **{skills[i % 4]: 1 + i % 5, skills[(i + 2) % 4]: 1 + (i * 3) % 5})


def _lists():
    generation = MatchState.get().current_generation
    return (sorted(CandidateMatch.objects.filter(generation=generation).values_list("vacancy_id", "profile_id",
                                                                                     "score")),
            sorted(VacancyMatch.objects.filter(generation=generation).values_list("profile_id", "vacancy_id",
                                                                                   "score")))


def _wait(run_id, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = MatchRun.objects.get(pk=run_id)
        if run.status in (RunStatus.SUCCEEDED, RunStatus.FAILED):
            return run
        time.sleep(0.2)
    pytest.fail(f"run {run_id} did not finish in {timeout}s")


def test_full_rematch_through_the_worker_equals_in_process(transactional_db, live_celery):
    from worker.tasks.matching import launch_shards

    _world()
    expected_run = services.full_rematch_in_process(reason="expected", shards=1)
    expected = _lists()
    run = services.full_rematch_start(reason="worker", shards=3)
    launch_shards(run.pk, run.shards_total)
    run = _wait(run.pk)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.generation > expected_run.generation
    assert run.shards_done == 3
    assert _lists() == expected
    assert expected[0], "the data set must produce candidates"


def _start_worker(celery_worker, env_extra: dict, name: str) -> subprocess.Popen:
    from django.db import connection

    env = {**os.environ, "DATABASE_URL": _database_url(connection.settings_dict), "CONN_MAX_AGE": "0",
           "CELERY_BROKER_URL": celery_worker.broker_url, "CELERY_RESULT_BACKEND": celery_worker.broker_url,
           "CELERY_BROKER_KEY_PREFIX": celery_worker.key_prefix, "CACHE_URL": celery_worker.cache_location,
           "TALENTMATCH_EAGER_NOTICE": "0", **env_extra}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "worker", "worker", "-Q", "matching", "-P", "prefork",
         "--concurrency", "1", "--without-gossip", "--without-mingle", "--without-heartbeat", "-n",
         f"{name}-{celery_worker.key_prefix.rstrip(':')}@%h", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_killed_worker_shard_is_redone_without_duplicates(transactional_db, live_celery, celery_worker):
    """kill -9 the worker while a shard is running: another worker redoes it; no row is doubled."""
    from worker.tasks.matching import launch_shards

    _world()
    services.full_rematch_in_process(reason="expected", shards=1)
    expected = _lists()
    # The session worker listens on "default" and "matching"; this test's shards go to a separate queue
    # served only by the workers it starts, so the victim surely takes one.
    session_worker = [f"{celery_worker.key_prefix.rstrip(':')}@{socket.gethostname()}"]
    live_celery.app.control.cancel_consumer("matching", destination=session_worker, reply=True, timeout=5)
    doomed = _start_worker(celery_worker, {"MATCH_SHARD_DELAY": "30", "CELERY_VISIBILITY_TIMEOUT": "8"}, "victim")
    rescuer = None
    try:
        time.sleep(3)
        run = services.full_rematch_start(reason="kill", shards=2)
        launch_shards(run.pk, run.shards_total)
        deadline = time.monotonic() + 60
        while not MatchShard.objects.filter(run=run, status=RunStatus.RUNNING).exists():
            assert time.monotonic() < deadline, "no shard started"
            time.sleep(0.2)
        os.killpg(doomed.pid, signal.SIGKILL)
        doomed.wait(timeout=10)
        rescuer = _start_worker(celery_worker, {"CELERY_VISIBILITY_TIMEOUT": "8"}, "rescuer")
        run = _wait(run.pk, timeout=120)
        assert run.status == RunStatus.SUCCEEDED, run.error
        assert _lists() == expected
        generation = run.generation
        for model, key in ((CandidateMatch, ("vacancy_id", "profile_id")), (VacancyMatch, ("profile_id",
                                                                                           "vacancy_id"))):
            rows = list(model.objects.filter(generation=generation).values_list(*key))
            assert len(rows) == len(set(rows)), f"duplicate {model.__name__} rows"
        assert MatchShard.objects.filter(run=run, attempts__gte=1).count() == 2
    finally:
        live_celery.app.control.add_consumer("matching", destination=session_worker, reply=True, timeout=5)
        for proc in (doomed, rescuer):
            if proc and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=20)
