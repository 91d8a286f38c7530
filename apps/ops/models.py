"""Operational records: background tasks that were given up on, kept for an administrator to look at.

A task lands here when it failed for good (its retries were used up) or when its message was delivered more
than ``CELERY_TASK_MAX_DELIVERIES`` times without finishing (a "poison" message that kills or hangs the
worker each time; see ``worker.base``). The row holds the task's name, id and arguments (ids, never personal
data), how often it was delivered and the error, so the message can be understood and, once fixed, resent.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FailureReason(models.TextChoices):
    POISON = "poison", _("Delivered too often without finishing")
    FAILED = "failed", _("Failed after its retries")


class FailedTaskQuerySet(models.QuerySet):
    def for_user(self, user):
        """Only platform administrators see operational records."""
        if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
            return self
        return self.none()


class FailedTask(models.Model):
    task_name = models.CharField(_("task"), max_length=200, db_index=True)
    task_id = models.CharField(_("task id"), max_length=64, db_index=True)
    reason = models.CharField(_("reason"), max_length=16, choices=FailureReason.choices)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    retries = models.PositiveIntegerField(_("retries"), default=0)
    deliveries = models.PositiveIntegerField(_("deliveries"), default=0)
    error = models.TextField(_("error"), blank=True)
    hostname = models.CharField(_("worker"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True, db_index=True)

    objects = FailedTaskQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("failed task")
        verbose_name_plural = _("failed tasks")

    def __str__(self):
        return f"{self.task_name} {self.task_id} ({self.reason})"
