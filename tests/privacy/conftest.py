"""A student with a row in every model of the privacy registry, and their name/email/phone quoted elsewhere."""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from rest_framework.authtoken.models import Token

from apps.accounts.models import Membership
from apps.applications import services as application_services
from apps.cohorts.models import Cohort, Course, CourseCredit, Enrollment, Placement, RosterImport
from apps.matching.models import CandidateMatch, MatchRun, VacancyMatch
from apps.notifications.models import Notification
from apps.notifications.services import settings_update
from apps.privacy import audit, services
from apps.privacy.models import Action, Purpose
from apps.skills.models import Skill
from apps.talent.models import ProfileLanguage
from tests import factories

EMAIL = "erase.me.zhao@example.com"
NAME = "Zhaoxuan Privacytest"
PHONE = "+86 139 5555 0142"


def _pair(model, profile, vacancy):
    now = timezone.now()
    return model.objects.create(profile=profile, vacancy=vacancy, generation=1, score=0.8, required=0.8,
                                optional=0.5, similarity=0.4, language=1.0, preference=1.0, computed_at=now)


@pytest.fixture
def seeded(db, firm_user, university, admin_user):
    """``(user, {model label: [pks of the user's rows]})`` covering every registered model."""
    user = factories.StudentFactory(email=EMAIL, full_name=NAME, phone=PHONE)
    profile = user.profile
    profile.external_id = "STU-PRIV-0042"
    profile.school, profile.major, profile.bio = "Ningbo Tech", "E-commerce", "I run stores. Call me."
    profile.university = university
    profile.save()
    firm = firm_user.memberships.get().organisation
    vacancy = factories.VacancyFactory(firm=firm)
    factories.give_skills(profile, **{"platform.amazon_seller_central": 4})
    english = Skill.objects.filter(is_language=True).first()
    ProfileLanguage.objects.create(profile=profile, language=english, cefr=4)
    Membership.objects.create(user=user, organisation=university)
    Token.objects.create(user=user)
    LogEntry.objects.create(user=user, content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk),
                            object_repr=str(user), action_flag=ADDITION, change_message="[]")
    if apps.is_installed("apps.matching") and "matchruncomment" in apps.all_models["matching"]:
        run = MatchRun.objects.create(kind="full", weights_version="test")
        apps.get_model("matching.MatchRunComment").objects.create(run=run, author=user, text="Looks right")
    _pair(CandidateMatch, profile, vacancy)
    _pair(VacancyMatch, profile, vacancy)
    course = Course.objects.create(provider=university, title_zh="亚马逊运营实训", title_en="Amazon lab", hours=40)
    today = timezone.localdate()
    cohort = Cohort.objects.create(course=course, capacity=20, name="2026 spring", instructor="Teacher Wu",
                                   starts_on=today - dt.timedelta(days=60), ends_on=today - dt.timedelta(days=5))
    enrollment = Enrollment.objects.create(cohort=cohort, profile=profile, status="completed", grade="A",
                                           completed_at=timezone.now())
    CourseCredit.objects.create(enrollment=enrollment, profile=profile,
                                skill=Skill.objects.get(code="platform.amazon_seller_central"), level=3,
                                evidence=f"Course completed by {NAME}", credited_on=today)
    Placement.objects.create(profile=profile, firm=firm, job_title="Store operator", started_on=today,
                             note=f"{NAME} ({PHONE}) started well")
    application = application_services.application_apply(user=user, vacancy=vacancy, note="Hire me please")
    Notification.objects.create(user=user, kind="stage", event_key="privacy-test:1", subject="Hello", body="Hi")
    settings_update(user=user, data={"email_digest": False})  # NotificationSettings + a ConsentRecord
    audit.record(user=user, action=Action.EXPORT_DATA, target_type="accounts.user", target_id=user.pk)
    # Quotes of the person in rows that are not theirs: a roster upload and an admin's log of a change.
    RosterImport.objects.create(cohort=cohort, uploaded_by=admin_user, file_name="roster.csv",
                                source_text=f"name,email,phone\n{NAME},{EMAIL},{PHONE}\n",
                                errors=[{"row": 2, "email": EMAIL}])
    LogEntry.objects.create(user=admin_user, content_type=ContentType.objects.get_for_model(profile),
                            object_id=str(profile.pk), object_repr=NAME, action_flag=ADDITION, change_message="[]")
    if apps.is_installed("axes"):  # failed sign-ins are logged under the email
        apps.get_model("axes.AccessAttempt").objects.create(username=EMAIL, ip_address="10.0.0.9", user_agent="x",
                                                            get_data="", post_data="", failures_since_start=1)
    assert application.consents.exists()
    assert Notification.objects.filter(user=firm_user, body__contains=NAME).exists()  # the firm was told by name
    seeded_rows = {}
    from apps.privacy.registry import entries

    for item in entries():
        seeded_rows[item.label] = list(item.rows(user).values_list("pk", flat=True))
    assert services.record_profile_consents  # imported for the hooks
    assert Purpose.EMAIL
    return user, seeded_rows
