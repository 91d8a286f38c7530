"""Notification entry points: send one notification's email, the daily digest, and a sweep for stuck emails.

``send_email`` is idempotent by design (it claims the notification row before sending), so it uses
``acks_late``: a message delivered twice, or again after a worker died, still sends one email at most.
"""

from celery import shared_task

RETRY = {"autoretry_for": (Exception,), "retry_backoff": 30, "retry_backoff_max": 900, "retry_jitter": True,
         "max_retries": 4}


@shared_task(name="notifications.send_email", acks_late=True, soft_time_limit=60, time_limit=90, **RETRY)
def send_email(*, notification_id: int, **kwargs) -> str:
    """Email one notification, at most once (a repeated delivery finds it claimed and does nothing)."""
    from apps.notifications.services import notification_send_email

    return notification_send_email(notification_id=notification_id)


@shared_task(name="notifications.send_digests", soft_time_limit=1500, time_limit=1600)
def send_digests(**kwargs) -> dict:
    """Write today's digest of new strong matches for every user who wants one (once per user and day)."""
    from apps.notifications.digest import digests_send

    return digests_send()


@shared_task(name="notifications.flush_pending", soft_time_limit=120, time_limit=150)
def flush_pending(**kwargs) -> int:
    """Re-enqueue emails still pending a while after their event (say the broker was down at the commit)."""
    from apps.notifications.services import enqueue_email, pending_email_ids

    ids = pending_email_ids()
    for notification_id in ids:
        enqueue_email(notification_id)
    return len(ids)
