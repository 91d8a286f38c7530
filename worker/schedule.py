"""Beat schedule: periodic work, kept in one place (times are in settings.TIME_ZONE, Asia/Shanghai)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "nightly-full-rematch": {
        "task": "matching.full_rematch",
        "schedule": crontab(hour=2, minute=30),
        "kwargs": {"reason": "nightly"},
    },
    "nightly-clear-expired-sessions": {
        "task": "maintenance.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=15),
    },
    "daily-match-digest": {
        "task": "notifications.send_digests",
        "schedule": crontab(hour=8, minute=0),
    },
    "notification-email-sweep": {
        "task": "notifications.flush_pending",
        "schedule": crontab(minute="*/10"),
    },
    "stuck-match-run-watch": {
        "task": "maintenance.fail_stuck_runs",
        "schedule": crontab(minute="*/5"),
    },
    "nightly-privacy-retention": {
        "task": "privacy.purge_stale_data",
        "schedule": crontab(hour=4, minute=0),
    },
    "daily-outcome-reminders": {
        "task": "applications.outcome_reminders",
        "schedule": crontab(hour=9, minute=30),
    },
    "weekly-government-report": {
        "task": "reports.weekly_report",
        "schedule": crontab(day_of_week="mon", hour=4, minute=0),
    },
}
