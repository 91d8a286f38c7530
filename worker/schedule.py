"""Beat schedule: periodic work, kept in one place."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "nightly-full-rematch": {
        "task": "matching.full_rematch",
        "schedule": crontab(hour=2, minute=30),
        "kwargs": {"reason": "nightly"},
    },
}
