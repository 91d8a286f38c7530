"""Consent records and the audit trail (PIPL).

``ConsentRecord`` is an append-only log: every grant or withdrawal of a purpose, with the policy version and
where it was given. The switches that the rest of the platform reads (``StudentProfile.matching_opt_in``,
``contact_visible_to_firms``, ``ContactConsent`` rows, ``NotificationSettings.email_*``) are changed in the same
transaction as the record, so the latest record per purpose and scope always equals the switch.
``AuditEvent`` says who viewed contact details, exported or deleted data, changed a consent or was refused
access: identifiers only, never the values they saw.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    MATCHING = "matching", _("Matching my profile with vacancies")
    SHARE_CONTACT = "share_contact_with_firms", _("Sharing my contact details with firms")
    EMAIL = "email", _("Receiving email")


class ConsentSource(models.TextChoices):
    PRIVACY_PAGE = "privacy_page", _("Privacy & data page")
    PROFILE = "profile", _("Profile settings")
    NOTIFICATION_SETTINGS = "notification_settings", _("Notification settings")
    UNSUBSCRIBE = "unsubscribe", _("Unsubscribe link in an email")
    APPLICATION = "application", _("Application")
    API = "api", _("API")
    SYSTEM = "system", _("System")


class ConsentRecordQuerySet(models.QuerySet):
    def for_user(self, user):
        """A user sees their own records; platform admins all; anonymous none."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_platform_admin:
            return self
        return self.filter(user=user)


class ConsentRecord(models.Model):
    """One grant or withdrawal of one purpose (optionally scoped to one firm or one email kind)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_records")
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    # "" for the purpose as a whole; "firm:<id>" for contact sharing with one firm; the email kind for email.
    scope = models.CharField(_("scope"), max_length=64, blank=True)
    firm = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    application = models.ForeignKey("applications.Application", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    granted = models.BooleanField(_("granted"))
    policy_version = models.CharField(_("policy version"), max_length=32)
    source = models.CharField(_("source"), max_length=32, choices=ConsentSource.choices)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    objects = ConsentRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        indexes = [models.Index(fields=["user", "purpose", "scope", "-created_at"], name="consent_latest_idx")]

    def __str__(self):
        state = "granted" if self.granted else "withdrawn"
        return f"{self.user_id} {self.purpose}{':' + self.scope if self.scope else ''} {state}"


class Action(models.TextChoices):
    VIEW_CONTACT = "view_contact", _("Viewed contact details")
    EXPORT_DATA = "export_data", _("Exported personal data")
    DELETE_ACCOUNT = "delete_account", _("Deleted an account")
    ACCESS_DENIED = "access_denied", _("Access refused")
    CONSENT_CHANGE = "consent_change", _("Changed a consent")


class AuditEventQuerySet(models.QuerySet):
    def for_user(self, user):
        """Platform admins read the audit trail; nobody else."""
        if getattr(user, "is_authenticated", False) and user.is_platform_admin:
            return self
        return self.none()


class AuditEvent(models.Model):
    """Who did what to whose data, when and from where; identifiers only, never the values seen."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_role = models.CharField(_("actor role"), max_length=16, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices, db_index=True)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    path = models.CharField(_("path"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["actor", "-created_at"], name="audit_actor_time_idx"),
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.target_type}:{self.target_id}"
