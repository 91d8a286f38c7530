"""In-app notifications with an email outbox, and each user's notification settings.

A notification is written in the same transaction as the event it reports, keyed by an idempotency key
(``event_key``, unique): the same event can never produce two notifications. Its email is sent afterwards
by a Celery task, which claims the row (``email_status`` pending → sending) before sending, so a message
the broker delivers twice still sends one email.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    STAGE = "stage", _("Application update")
    DIGEST = "digest", _("New strong matches")
    OUTCOME = "outcome", _("Outcome reminder")


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Not emailed (settings)")
    FAILED = "failed", _("Failed")


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        """Everyone sees only their own notifications."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one user, shown in the app and (per the user's settings) emailed once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    event_key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(max_length=16, choices=EmailStatus.choices, default=EmailStatus.PENDING,
                                    db_index=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=300, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self):
        return f"{self.user}: {self.subject}"


class NotificationSettings(models.Model):
    """Which notifications a user wants by email (in-app ones are always kept), and digest state."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_settings")
    email_invitations = models.BooleanField(_("email me invitations"), default=True)
    email_stage_changes = models.BooleanField(_("email me application updates"), default=True)
    email_digest = models.BooleanField(_("email me a daily digest of new strong matches"), default=True)
    digest_min_score = models.FloatField(_("strong match from score"), default=0.7)
    last_digest_at = models.DateTimeField(null=True, blank=True)
    # What earlier digests already reported (vacancy ids for students, "vacancy:profile" for firms), capped.
    digest_seen = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return f"settings of {self.user}"

    def wants_email(self, kind: str) -> bool:
        return {
            "invitation": self.email_invitations,
            "stage": self.email_stage_changes,
            "outcome": self.email_stage_changes,
            "digest": self.email_digest,
        }.get(kind, True)
