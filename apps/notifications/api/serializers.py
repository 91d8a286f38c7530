"""Shapes of notifications and notification settings over the API."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.notifications.models import Notification, NotificationSettings


class NotificationSerializer(serializers.ModelSerializer):
    """One notification, in the language it was written in (the recipient's)."""

    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "body", "url", "created_at", "read_at", "is_read", "email_status"]
        read_only_fields = fields

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None


class NotificationSettingsSerializer(serializers.ModelSerializer):
    digest_min_score = serializers.FloatField(min_value=0.3, max_value=1.0, required=False, help_text=_(
        "The daily digest names new matches scoring at least this (0.3-1)."))

    class Meta:
        model = NotificationSettings
        fields = ["email_invitations", "email_stage_changes", "email_digest", "digest_min_score", "last_digest_at"]
        read_only_fields = ["last_digest_at"]


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
