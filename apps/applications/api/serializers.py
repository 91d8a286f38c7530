"""Shapes of applications over the API. Which rows a caller sees and whose contact details they get are decided by
the views (``for_user`` and ``selectors.consented_profile_ids``); the serializers only pick fields."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.applications.models import Application, ApplicationEvent, Stage


class ApplicationEventSerializer(serializers.ModelSerializer):
    """One stage change: who (role, and name for the firm and the student themselves), when, from, to, why."""

    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationEvent
        fields = ["from_stage", "to_stage", "actor_role", "actor_name", "reason", "created_at"]

    def get_actor_name(self, event) -> str:
        return (event.actor.full_name or event.actor.email) if event.actor else ""


class _VacancySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    firm_id = serializers.IntegerField()
    firm_name = serializers.CharField(source="firm.name")
    status = serializers.CharField()
    openings = serializers.IntegerField()


class _ProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")
    school = serializers.CharField()
    major = serializers.CharField()
    graduation_year = serializers.IntegerField(allow_null=True)


class _ContactSerializer(serializers.Serializer):
    email = serializers.EmailField()
    phone = serializers.CharField()


class _MatchSerializer(serializers.Serializer):
    score = serializers.FloatField(source="match_score", allow_null=True)
    required = serializers.FloatField(source="match_required", allow_null=True)
    optional = serializers.FloatField(source="match_optional", allow_null=True)
    similarity = serializers.FloatField(source="match_similarity", allow_null=True)
    language = serializers.FloatField(source="match_language", allow_null=True)
    preference = serializers.FloatField(source="match_preference", allow_null=True)
    weights_version = serializers.CharField(source="match_weights_version")


class _OutcomeSerializer(serializers.Serializer):
    hired_at = serializers.DateTimeField(allow_null=True)
    start_date = serializers.DateField(allow_null=True)
    stayed_3_months = serializers.BooleanField(allow_null=True)
    stayed_6_months = serializers.BooleanField(allow_null=True)


class ApplicationSerializer(serializers.ModelSerializer):
    """An application or invitation with its stage history, the match when it was made and the hiring outcome."""

    vacancy = _VacancySerializer(read_only=True)
    profile = _ProfileSerializer(read_only=True)
    contact = serializers.SerializerMethodField(help_text=_(
        "The student's email and phone while they share them with the caller's firm; else null."))
    match = _MatchSerializer(source="*", read_only=True, help_text=_("The score and its parts when it was made."))
    outcome = _OutcomeSerializer(source="*", read_only=True)
    events = ApplicationEventSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = ["id", "vacancy", "profile", "contact", "source", "stage", "note", "invite_message",
                  "rejection_reason", "created_at", "stage_changed_at", "reviewed_at", "match", "outcome", "events"]
        read_only_fields = fields

    def get_contact(self, application) -> dict | None:
        if application.profile_id not in self.context.get("contact_profile_ids", set()):
            return None
        user = application.profile.user
        return {"email": user.email, "phone": user.phone}


class ApplyInputSerializer(serializers.Serializer):
    vacancy = serializers.IntegerField(help_text=_("Id of an open vacancy."))
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class InviteInputSerializer(serializers.Serializer):
    vacancy = serializers.IntegerField(help_text=_("Id of one of your firm's open vacancies."))
    profile = serializers.IntegerField(help_text=_("Id of the student profile (from the ranked candidates)."))
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class NoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class MoveInputSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=[Stage.SHORTLISTED, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED,
                                             Stage.REJECTED])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300,
                                   help_text=_("Required when rejecting."))


class BulkInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[Stage.SHORTLISTED, Stage.REJECTED])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300,
                                   help_text=_("Required when rejecting."))
    applications = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=200)


class BulkResultSerializer(serializers.Serializer):
    application_id = serializers.IntegerField()
    ok = serializers.BooleanField()
    stage = serializers.CharField()
    message = serializers.CharField()


class BulkAnswerSerializer(serializers.Serializer):
    moved = serializers.IntegerField()
    results = BulkResultSerializer(many=True)


class OutcomeInputSerializer(serializers.Serializer):
    """Only the fields sent are changed; null clears one."""

    start_date = serializers.DateField(required=False, allow_null=True)
    stayed_3_months = serializers.BooleanField(required=False, allow_null=True)
    stayed_6_months = serializers.BooleanField(required=False, allow_null=True)


class PipelineItemSerializer(ApplicationSerializer):
    """An application on the board, with the matcher's one-line reason in the caller's language."""

    reason = serializers.SerializerMethodField()
    components_now = serializers.SerializerMethodField(help_text=_("The score's parts as the matcher sees them now."))

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "reason", "components_now"]
        read_only_fields = fields

    def _why(self, application):
        return self.context.get("explanations", {}).get(application.pk)

    def get_reason(self, application) -> str:
        why = self._why(application)
        return why.reason if why else ""

    def get_components_now(self, application) -> dict | None:
        why = self._why(application)
        return why.components if why else None


class PipelineSerializer(serializers.Serializer):
    vacancy = _VacancySerializer()
    hires = serializers.IntegerField()
    openings_left = serializers.IntegerField()
    stages = serializers.DictField(child=PipelineItemSerializer(many=True),
                                   help_text=_("Stage → applications at it, best match first."))
