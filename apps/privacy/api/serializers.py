"""Shapes of the privacy API; the services do the work."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.privacy.models import AuditEvent, Purpose


class ConsentStateSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    label = serializers.CharField()
    granted = serializers.BooleanField()
    since = serializers.DateTimeField(allow_null=True)
    policy_version = serializers.CharField(source="record.policy_version", allow_null=True, default=None)


class ConsentChangeSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    granted = serializers.BooleanField(help_text=_("true grants the purpose, false withdraws it (at once)."))


class DeleteAccountSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=256, trim_whitespace=False,
                                     help_text=_("The account's password, to confirm."))


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["id", "created_at", "actor", "actor_role", "action", "target_type", "target_id", "path", "ip",
                  "user_agent"]
        read_only_fields = fields
