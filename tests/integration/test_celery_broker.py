"""The broker path for real: tasks go through Redis to a Celery worker subprocess and back."""

from datetime import timedelta

from celery.result import EagerResult
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from worker.tasks.maintenance import clear_expired_sessions, ping


def test_ping_round_trip_through_redis(transactional_db, live_celery):
    result = ping.delay()
    # It really goes through the broker: an eager call returns an EagerResult that never touched Redis.
    assert not isinstance(result, EagerResult)
    assert result.get(timeout=30) == "pong"
    assert result.state == "SUCCESS"


def test_worker_works_on_the_test_database(transactional_db, live_celery):
    expired = SessionStore()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=timezone.now() - timedelta(days=1))
    current = SessionStore()
    current.create()

    deleted = clear_expired_sessions.delay().get(timeout=30)

    assert deleted == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [current.session_key]


def test_tasks_are_routed_to_their_queues(live_celery):
    app = live_celery.app
    assert app.amqp.router.route({}, "matching.recompute_profile")["queue"].name == "matching"
    assert app.amqp.router.route({}, "maintenance.ping")["queue"].name == "default"
