"""The Celery application.

Broker and result backend come from Django settings (``CELERY_*``). With no broker configured the
settings switch on eager mode, so every task runs in the calling process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentmatch.settings.base")

app = Celery("talentmatch")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    include=["worker.tasks.matching", "worker.tasks.maintenance"],
    task_default_queue="default",
    task_routes={
        "matching.*": {"queue": "matching"},
        "notifications.*": {"queue": "default"},
    },
    task_serializer="json",
    accept_content=["json"],
    result_serializer="json",
    result_expires=60 * 60 * 24,
    worker_prefetch_multiplier=1,
    task_acks_on_failure_or_timeout=True,
    task_reject_on_worker_lost=True,
    # Redis re-delivers an unacknowledged message after the visibility timeout; every task's
    # time limit is kept below it so a live task is never handed to a second worker.
    broker_transport_options={"visibility_timeout": 60 * 60},
    result_backend_transport_options={"visibility_timeout": 60 * 60},
    broker_connection_retry_on_startup=True,
)

from .schedule import BEAT_SCHEDULE  # noqa: E402

app.conf.beat_schedule = BEAT_SCHEDULE
