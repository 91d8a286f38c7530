"""Applications entry points: reminders to confirm whether hires stayed 3 and 6 months."""

from celery import shared_task


@shared_task(name="applications.outcome_reminders", soft_time_limit=600, time_limit=660)
def outcome_reminders(**kwargs) -> int:
    """Remind firms of hires whose 3- or 6-month mark passed unanswered (once per hire, mark and member)."""
    from apps.applications.services import outcome_reminders_due

    return outcome_reminders_due()
