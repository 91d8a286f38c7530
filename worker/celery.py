"""The Celery application.

Broker and result backend come from Django settings (``CELERY_*``). With no broker configured the
settings switch on eager mode, so every task runs in the calling process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentmatch.settings.base")

# Redis re-delivers an unacknowledged message after the visibility timeout; every task's time limit is
# kept below it so a live task is never handed to a second worker. Test runs (and deployments) sharing
# one Redis database keep their queues apart with CELERY_BROKER_KEY_PREFIX.
_broker_transport_options = {"visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", 60 * 60))}
if os.environ.get("CELERY_BROKER_KEY_PREFIX"):
    _broker_transport_options["global_keyprefix"] = os.environ["CELERY_BROKER_KEY_PREFIX"]

# Every task counts its deliveries and stops a poison message after CELERY_TASK_MAX_DELIVERIES (worker/base.py).
app = Celery("talentmatch", task_cls="worker.base:CountedTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    include=[
        "worker.tasks.matching",
        "worker.tasks.maintenance",
        "worker.tasks.cohorts",
        "worker.tasks.applications",
        "worker.tasks.notifications",
        "worker.tasks.privacy",
        "worker.tasks.reports",
    ],
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
    broker_transport_options=_broker_transport_options,
    result_backend_transport_options={"visibility_timeout": 60 * 60},
    broker_connection_retry_on_startup=True,
)


from .schedule import BEAT_SCHEDULE  # noqa: E402

app.conf.beat_schedule = BEAT_SCHEDULE


@app.on_after_configure.connect
def _use_site_time_zone(sender, source, **kwargs):
    """Read beat's crontabs in the site's time zone (settings.TIME_ZONE) rather than Celery's default, UTC."""
    from django.conf import settings

    if not source.get("timezone"):
        source["timezone"] = settings.TIME_ZONE
