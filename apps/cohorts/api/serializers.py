"""Representation and input shape of programmes, courses, cohorts, enrollments and placements.

Writes go through ``apps.cohorts.services``; these classes only check shapes. Which rows appear is decided
by each model's ``for_user`` in the views.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.skills.api.fields import SkillReferenceField

from ..models import (
    Cohort,
    Course,
    CourseCredit,
    CourseSkill,
    Enrollment,
    Placement,
    Programme,
    ProgrammePartner,
)


class PartnerSerializer(serializers.ModelSerializer):
    firm = serializers.IntegerField(source="firm_id", help_text=_("The firm's organisation id."))
    firm_name = serializers.CharField(source="firm.name", read_only=True)
    reserved_places = serializers.IntegerField(min_value=0, default=0,
                                               help_text=_("Places the firm reserves for graduates (订单班)."))

    class Meta:
        model = ProgrammePartner
        fields = ["firm", "firm_name", "reserved_places", "note"]


class ProgrammeSerializer(serializers.ModelSerializer):
    """A programme; ``partners`` replaces the partner list when sent."""

    university = serializers.IntegerField(source="university_id", required=False,
                                          help_text=_("Running university's id; needed only if you belong to "
                                                      "several."))
    university_name = serializers.CharField(source="university.name", read_only=True)
    government = serializers.IntegerField(source="government_id", required=False, allow_null=True,
                                          help_text=_("Funding government agency's organisation id."))
    government_name = serializers.CharField(source="government.name", read_only=True, default=None, allow_null=True)
    partners = PartnerSerializer(many=True, required=False, max_length=100)

    class Meta:
        model = Programme
        fields = ["id", "name_zh", "name_en", "description_zh", "description_en", "university", "university_name",
                  "government", "government_name", "funding_amount", "target_trained", "target_placement_rate",
                  "starts_on", "ends_on", "status", "partners", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def validate_university(self, value):
        if self.instance is not None and value != self.instance.university_id:
            raise serializers.ValidationError(_("A programme cannot move to another university."))
        return value


class CourseSkillSerializer(serializers.ModelSerializer):
    skill = SkillReferenceField()
    label_en = serializers.CharField(source="skill.label_en", read_only=True)
    label_zh = serializers.CharField(source="skill.label_zh", read_only=True)
    level = serializers.IntegerField(min_value=1, max_value=5, default=3,
                                     help_text=_("The level a student reaches on completing the course (1-5)."))

    class Meta:
        model = CourseSkill
        fields = ["skill", "label_en", "label_zh", "level"]


class CourseSerializer(serializers.ModelSerializer):
    """A course; ``skills`` (code or any name, with the level reached) replaces what it teaches when sent."""

    provider = serializers.IntegerField(source="provider_id", required=False,
                                        help_text=_("Provider's organisation id; needed only if you belong to "
                                                    "several."))
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    skills = CourseSkillSerializer(many=True, required=False, max_length=40)

    class Meta:
        model = Course
        fields = ["id", "provider", "provider_name", "title_zh", "title_en", "description_zh", "description_en",
                  "hours", "mode", "fee", "is_active", "skills", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def validate_provider(self, value):
        if self.instance is not None and value != self.instance.provider_id:
            raise serializers.ValidationError(_("A course cannot move to another provider."))
        return value


class CohortSerializer(serializers.ModelSerializer):
    course = serializers.PrimaryKeyRelatedField(queryset=Course.objects.all(),
                                                help_text=_("The course this cohort runs."))
    course_title = serializers.CharField(source="course.title", read_only=True)
    provider_name = serializers.CharField(source="course.provider.name", read_only=True)
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.all(), required=False,
                                                   allow_null=True)
    skills = CourseSkillSerializer(source="course.skills", many=True, read_only=True)
    seats_taken = serializers.IntegerField(read_only=True, default=None)
    is_enrollment_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Cohort
        fields = ["id", "course", "course_title", "provider_name", "programme", "name", "starts_on", "ends_on",
                  "capacity", "seats_taken", "place", "instructor", "enrollment_opens_on", "enrollment_closes_on",
                  "requires_approval", "is_cancelled", "is_enrollment_open", "skills", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def validate_course(self, value):
        if self.instance is not None and value.pk != self.instance.course_id:
            raise serializers.ValidationError(_("A cohort cannot move to another course."))
        return value


class CreditSerializer(serializers.ModelSerializer):
    skill = serializers.CharField(source="skill.code", read_only=True)
    active = serializers.SerializerMethodField()

    class Meta:
        model = CourseCredit
        fields = ["skill", "level", "raised", "credited_on", "evidence", "active"]

    def get_active(self, credit) -> bool:
        return credit.revoked_at is None


class EnrollmentSerializer(serializers.ModelSerializer):
    """One student's place in a cohort. Staff create it naming the student by email or external id, and change
    status (completing credits the course's skills), attendance and grade."""

    cohort = serializers.PrimaryKeyRelatedField(queryset=Cohort.objects.all())
    cohort_name = serializers.CharField(source="cohort.__str__", read_only=True)
    student = serializers.CharField(write_only=True, required=True,
                                    help_text=_("The student's account email or external id (on create)."))
    profile = serializers.IntegerField(source="profile_id", read_only=True)
    student_name = serializers.CharField(source="profile.user.full_name", read_only=True)
    external_id = serializers.CharField(source="profile.external_id", read_only=True, default=None, allow_null=True)
    email = serializers.SerializerMethodField()
    completed_on = serializers.DateField(write_only=True, required=False,
                                         help_text=_("Completion date when marking completed (today if left out)."))
    credits = CreditSerializer(many=True, read_only=True)

    class Meta:
        model = Enrollment
        fields = ["id", "cohort", "cohort_name", "student", "profile", "student_name", "external_id", "email",
                  "status", "attendance", "grade", "enrolled_at", "completed_at", "completed_on", "credits",
                  "created_at", "updated_at"]
        read_only_fields = ["enrolled_at", "completed_at", "created_at", "updated_at"]
        validators: list = []

    def get_email(self, enrollment) -> str | None:
        """Shown when the student lets this reader see their contact details (``contact_visible_to``).

        Each profile whose email is shown goes into the context's ``contact_shown`` (profile id → profile) when the
        view passes one: the view records them in the audit trail, once per response.
        """
        request = self.context.get("request")
        profile = enrollment.profile
        if not (request and profile.contact_visible_to(request.user)):
            return None
        shown = self.context.get("contact_shown")
        if shown is not None:
            shown[profile.pk] = profile
        return profile.user.email

    def get_fields(self):
        fields = super().get_fields()
        if isinstance(self.instance, Enrollment):
            fields["cohort"].read_only = True
            fields["student"].required = False
        return fields


class JoinSerializer(serializers.Serializer):
    """No body is needed to join a cohort."""


class CompleteAllSerializer(serializers.Serializer):
    completed_on = serializers.DateField(required=False)


class PlacementSerializer(serializers.ModelSerializer):
    student = serializers.CharField(write_only=True, help_text=_("The student's account email or external id."))
    profile = serializers.IntegerField(source="profile_id", read_only=True)
    student_name = serializers.CharField(source="profile.user.full_name", read_only=True)
    firm = serializers.IntegerField(source="firm_id", help_text=_("The hiring firm's organisation id."))
    firm_name = serializers.CharField(source="firm.name", read_only=True)
    vacancy = serializers.IntegerField(source="vacancy_id", required=False, allow_null=True)

    class Meta:
        model = Placement
        fields = ["id", "student", "profile", "student_name", "firm", "firm_name", "vacancy", "job_title",
                  "started_on", "source", "note", "created_at"]
        read_only_fields = ["source", "created_at"]
        validators: list = []



# --- Read-only answers: recommendations, outcomes, insights ----------------------------------------------


class SkillRefSerializer(serializers.Serializer):
    skill = serializers.CharField(source="skill.code")
    label_en = serializers.CharField(source="skill.label_en")
    label_zh = serializers.CharField(source="skill.label_zh")


class SkillGapSerializer(SkillRefSerializer):
    level_needed = serializers.IntegerField()
    level_held = serializers.IntegerField(help_text=_("0: not on the profile."))
    vacancies = serializers.IntegerField(help_text=_("Nearly-matched vacancies that need this skill."))


class ClosesSerializer(serializers.Serializer):
    skill = serializers.CharField()
    level = serializers.IntegerField()

    def to_representation(self, instance):
        skill, level = instance
        return {"skill": skill.code, "label_en": skill.label_en, "label_zh": skill.label_zh, "level": level}


class CohortRecommendationSerializer(serializers.Serializer):
    cohort = CohortSerializer()
    unlocks = serializers.IntegerField(help_text=_("How many more open vacancies the student would qualify for "
                                                   "after completing this cohort."))
    unlocked_vacancy_ids = serializers.ListField(child=serializers.IntegerField())
    closes = ClosesSerializer(many=True, help_text=_("Missing skills this cohort teaches, with the level reached."))
    seats_left = serializers.IntegerField()


class RecommendationsSerializer(serializers.Serializer):
    open_vacancies = serializers.IntegerField()
    qualified_now = serializers.IntegerField(help_text=_("Open vacancies whose every required skill and language "
                                                         "the student meets."))
    nearly = serializers.IntegerField(help_text=_("Open vacancies the student misses by one or two required "
                                                  "skills."))
    gaps = SkillGapSerializer(many=True)
    cohorts = CohortRecommendationSerializer(many=True)


class OutcomeTotalsSerializer(serializers.Serializer):
    enrolled = serializers.IntegerField()
    completed = serializers.IntegerField()
    failed = serializers.IntegerField()
    dropped = serializers.IntegerField()
    placed = serializers.IntegerField()
    placed_at_partners = serializers.IntegerField()
    placement_rate = serializers.FloatField(allow_null=True, help_text=_("Placed graduates, % of graduates."))
    median_days_to_placement = serializers.FloatField(allow_null=True)


class GraduateSerializer(serializers.Serializer):
    enrollment = serializers.IntegerField(source="enrollment.pk")
    cohort = serializers.IntegerField(source="enrollment.cohort_id")
    student_name = serializers.CharField(source="enrollment.profile.user.full_name")
    email = serializers.CharField(allow_blank=True, help_text=_("Empty unless the graduate shares contact details "
                                                                "with this reader."))
    completed_at = serializers.DateTimeField(source="enrollment.completed_at")
    firm = serializers.IntegerField(source="placement.firm_id", default=None)
    firm_name = serializers.CharField(source="placement.firm.name", default=None)
    started_on = serializers.DateField(source="placement.started_on", default=None)
    days_to_placement = serializers.IntegerField(allow_null=True)
    at_partner_firm = serializers.BooleanField()


class CohortOutcomeSerializer(serializers.Serializer):
    cohort = serializers.IntegerField(source="cohort.pk")
    cohort_name = serializers.CharField(source="cohort.__str__")
    totals = OutcomeTotalsSerializer()
    graduates = GraduateSerializer(many=True, help_text=_("Only the people this reader may see: none for "
                                                         "government (aggregates only)."))


class PartnerOutcomeSerializer(serializers.Serializer):
    firm = serializers.IntegerField(source="firm.pk")
    firm_name = serializers.CharField(source="firm.name")
    reserved_places = serializers.IntegerField()
    hired = serializers.IntegerField()
    filled_rate = serializers.FloatField(allow_null=True)


class ProgrammeOutcomeSerializer(serializers.Serializer):
    programme = serializers.IntegerField(source="programme.pk")
    target_trained = serializers.IntegerField(source="programme.target_trained")
    target_placement_rate = serializers.FloatField(source="target_rate")
    trained_vs_target = serializers.FloatField(allow_null=True, help_text=_("Graduates, % of the target."))
    meets_placement_target = serializers.BooleanField(allow_null=True)
    totals = OutcomeTotalsSerializer()
    cohorts = CohortOutcomeSerializer(many=True)
    partners = PartnerOutcomeSerializer(many=True)


class DemandGapSerializer(SkillRefSerializer):
    openings = serializers.IntegerField(help_text=_("Openings of open vacancies requiring the skill."))
    vacancies = serializers.IntegerField()


class CohortReachSerializer(serializers.Serializer):
    cohort = serializers.IntegerField(source="cohort.pk")
    cohort_name = serializers.CharField(source="cohort.__str__")
    graduates = serializers.IntegerField()
    vacancies_matched = serializers.IntegerField(help_text=_("Open vacancies at least one graduate now qualifies "
                                                             "for."))
    mean_per_graduate = serializers.FloatField()


class InsightsSerializer(serializers.Serializer):
    open_vacancies = serializers.IntegerField()
    demand = DemandGapSerializer(many=True, help_text=_("Skills open vacancies require that no active course "
                                                        "teaches, by openings."))
    cohorts = CohortReachSerializer(many=True)
