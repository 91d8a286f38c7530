"""Serialising writes that count a cohort's places.

On PostgreSQL the cohort row is locked with ``SELECT ... FOR UPDATE``: every enrollment into the same cohort
waits for the one before it to commit, then counts again. SQLite has no row locks; there the transaction
first writes to the cohort row, which takes SQLite's single write lock, so enrollments run one at a time
just the same (others wait up to the connection's busy timeout).
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from ..models import Cohort, Enrollment


def lock_cohort(cohort_id: int) -> Cohort:
    """The cohort, locked until the surrounding transaction ends (call inside ``transaction.atomic``)."""
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("lock_cohort() needs a transaction")
    if connection.vendor == "sqlite":
        Cohort.objects.filter(pk=cohort_id).update(updated_at=timezone.now())
    return Cohort.objects.select_for_update().get(pk=cohort_id)


def seats_taken(cohort: Cohort) -> int:
    """Places held right now (enrolled, completed or failed); exact only while the cohort is locked."""
    return Enrollment.objects.filter(cohort_id=cohort.pk).holding_seats().count()
