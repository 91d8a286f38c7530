"""A real Celery worker, reached through Redis, working on the test database.

How to use (tests in tests/integration/ see these fixtures)::

    def test_profile_edit_is_matched_by_the_worker(transactional_db, live_celery):
        ...  # commit data; on_commit triggers and .delay() now go through Redis to the worker
        live_celery.wait_for(lambda: Match.objects.filter(...).exists())

- ``celery_worker`` (session): starts ``celery -A worker worker -Q default,matching -P solo`` in a
  subprocess, pointed at the test database (PostgreSQL, or a file-based SQLite test database) and at
  database 14 of the Redis server in REDIS_URL (default 127.0.0.1:6379) under a key prefix of its own,
  so parallel test runs (xdist workers, other checkouts) never take each other's tasks. It waits until
  the worker answers ``maintenance.ping``.
- ``live_celery`` (function): switches this process from eager mode to that broker for one test — the
  Celery app's broker/backend and Django's ``CELERY_TASK_ALWAYS_EAGER`` and cache (shared with the worker,
  so the coalescing keys of ``apps.matching.triggers`` agree) — and restores everything afterwards.
  It returns a ``LiveCelery`` with ``app``, ``worker`` and ``wait_for(condition, timeout)``.
- A test that needs more workers (say, to kill one) starts them with ``celery_worker.env`` — the same
  database, broker, key prefix and cache — and a node name of its own.
- Data the worker must read has to be committed: use ``transactional_db`` (or ``live_server``), not ``db``.

A missing Redis skips these tests on a laptop and fails them in CI (``require_service``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from tests.conftest import port_open, require_service

ROOT = Path(__file__).resolve().parent.parent.parent
# The Redis server comes from REDIS_URL (scripts/test sets redis://127.0.0.1:6379/15); the worker's queues
# live in database 14 of that server.
_REDIS = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15")
REDIS_HOST, REDIS_PORT, BROKER_DB = _REDIS.hostname or "127.0.0.1", _REDIS.port or 6379, 14
WORKER_START_TIMEOUT = 90


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.redis)


@dataclass
class CeleryWorker:
    """A running worker subprocess and how to reach it."""

    process: subprocess.Popen
    broker_url: str
    key_prefix: str
    cache_location: str
    log_path: Path
    database_url: str = ""
    env: dict | None = None  # the worker's environment: start extra workers with it
    mail_dir: Path | None = None  # the worker's emails, one file per connection (Django's file-based backend)

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no worker log)"


@dataclass
class LiveCelery:
    """What ``live_celery`` hands a test."""

    app: object
    worker: CeleryWorker

    def wait_for(self, condition: Callable[[], bool], timeout: float = 30, interval: float = 0.2) -> None:
        """Poll ``condition`` until it is true; fail with the worker's log when ``timeout`` passes."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if self.worker.process.poll() is not None:
                pytest.fail(f"the Celery worker exited ({self.worker.process.returncode}):\n{self.worker.log_tail()}")
            time.sleep(interval)
        pytest.fail(f"condition not met within {timeout} s; worker log:\n{self.worker.log_tail()}")


def _database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database this test process is connected to (the test database)."""
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    if "postgresql" in engine:
        user = quote(settings_dict.get("USER") or "", safe="")
        password = settings_dict.get("PASSWORD") or ""
        auth = f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
        host = settings_dict.get("HOST") or "127.0.0.1"
        port = settings_dict.get("PORT") or "5432"
        return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"
    raise RuntimeError(f"the integration worker does not know how to reach a {engine} database")


def _client_app(broker_url: str, key_prefix: str):
    """A bare Celery client on the worker's broker, used to wait for the worker to come up."""
    from celery import Celery

    client = Celery("talentmatch-test-client", broker=broker_url, backend=broker_url, set_as_current=False)
    client.conf.broker_transport_options = {"global_keyprefix": key_prefix}
    client.conf.broker_connection_retry_on_startup = True
    return client


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, tmp_path_factory, worker_id):
    """Start a Celery worker subprocess on Redis and the test database; stop it at the end of the session."""
    require_service("Redis", port_open(REDIS_HOST, REDIS_PORT), f"{REDIS_HOST}:{REDIS_PORT} does not answer")
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            require_service(
                "a shared test database",
                False,
                "the worker cannot see an in-memory SQLite test database: set DATABASE_URL to PostgreSQL",
            )
        database_url = _database_url(connection.settings_dict)

    broker_url = f"redis://{REDIS_HOST}:{REDIS_PORT}/{BROKER_DB}"
    key_prefix = f"tmtest-{worker_id}-{uuid.uuid4().hex[:8]}:"
    cache_location = f"rediscache://{REDIS_HOST}:{REDIS_PORT}/{BROKER_DB}?key_prefix={key_prefix}cache"
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    mail_dir = tmp_path_factory.mktemp("worker-mail")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "talentmatch.settings.base"),
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "0",  # no idle connection may outlive a task: the test database is dropped at the end
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": broker_url,
        "CELERY_BROKER_KEY_PREFIX": key_prefix,
        "CACHE_URL": cache_location,
        "TALENTMATCH_EAGER_NOTICE": "0",
        "EMAIL_URL": f"filemail:///{mail_dir}",  # four slashes: an absolute path
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "worker", "worker",
        "-Q", "default,matching", "-P", "solo", "--concurrency", "1",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
        "-n", f"{key_prefix.rstrip(':')}@%h", "--loglevel", "INFO",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    worker = CeleryWorker(process, broker_url, key_prefix, cache_location, log_path, database_url, env, mail_dir)
    try:
        client = _client_app(broker_url, key_prefix)
        result = client.send_task("maintenance.ping", queue="default")
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"the Celery worker exited at start ({process.returncode}):\n{worker.log_tail()}")
            try:
                assert result.get(timeout=1) == "pong"
                break
            except Exception as error:  # celery.exceptions.TimeoutError until the worker is up
                if type(error).__name__ != "TimeoutError":
                    raise
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"the Celery worker did not answer within {WORKER_START_TIMEOUT} s:\n{worker.log_tail()}"
                    )
        client.close()
        yield worker
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        _delete_keys(broker_url, key_prefix)


def _delete_keys(redis_url: str, prefix: str) -> None:
    """Remove this session's queues and bindings from the shared Redis database."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=500))
        if keys:
            client.delete(*keys)
    except redis.RedisError:
        pass
    finally:
        client.close()


def _reset_connections(app) -> None:
    """Drop the cached broker pools, producer pool and result backend so new settings take effect."""
    from kombu import pools

    pools.reset()  # kombu keeps connection and producer pools in process-wide registries
    app._pool = None
    app.amqp._producer_pool = None
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def live_celery(celery_worker, settings):
    """Send this test's tasks through Redis to ``celery_worker`` instead of running them eagerly."""
    from worker.celery import app

    keys = ("task_always_eager", "broker_url", "result_backend", "broker_transport_options")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(
        task_always_eager=False,
        broker_url=celery_worker.broker_url,
        result_backend=celery_worker.broker_url,
        broker_transport_options={**saved["broker_transport_options"], "global_keyprefix": celery_worker.key_prefix},
    )
    _reset_connections(app)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = celery_worker.broker_url
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": celery_worker.broker_url,
            "KEY_PREFIX": f"{celery_worker.key_prefix}cache",
        }
    }
    try:
        yield LiveCelery(app=app, worker=celery_worker)
    finally:
        _reset_connections(app)
        app.conf.update(saved)
