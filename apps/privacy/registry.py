"""The registry of personal data: every model that holds a person's data, how to find a user's rows, what to
export and what deleting the account does to them.

``tests/privacy/test_registry.py`` walks every installed model: one with a foreign key or one-to-one field to
the user or to ``StudentProfile`` must have an entry here whose ``owner`` paths start with that field, or be
listed in ``EXEMPT`` with the reason. A new model that links to a person therefore fails the tests until it
says how its rows are exported and erased.

Erasure per entry: ``delete`` the rows; ``anonymise`` them with the entry's function (the rows stay for
aggregate figures, unlinked from the identity); ``keep`` rows that hold no personal data of their own once the
user row and the profile they point to are anonymised (e.g. enrollments that cohort totals count).
``FREE_TEXT`` lists text columns that may quote a person (their name, email, phone) in someone else's row: on
deletion those quotes are replaced with ``REDACTED``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

REDACTED = "[deleted]"
DELETE, ANONYMISE, KEEP = "delete", "anonymise", "keep"


@dataclass(frozen=True)
class PersonalData:
    """One model holding personal data."""

    label: str  # "app_label.ModelName"
    title: object  # shown in the readable export
    owner: tuple[str, ...]  # lookups that equal the user (OR-ed): "user", "profile__user", "pk" for the user itself
    fields: tuple[str, ...]  # exported (``values()`` lookups; related fields with "__")
    erase: str = DELETE
    anonymise: Callable[[QuerySet, object], None] | None = None
    why_kept: str = ""

    @property
    def model(self):
        return apps.get_model(self.label)

    def owner_q(self, user) -> Q:
        query = Q()
        for path in self.owner:
            query |= Q(pk=user.pk) if path == "pk" else Q(**{path: user})
        return query

    def rows(self, user) -> QuerySet:
        return self.model._default_manager.filter(self.owner_q(user)).distinct()


# --- anonymisers ------------------------------------------------------------------------------------------------


def _anonymise_user(rows, user) -> None:
    """The user row stays as a tombstone (applications, events and placements point to it): no name, phone or
    email, no password, inactive, no permissions."""
    for row in rows:
        row.email = f"deleted-{uuid.uuid4().hex}@deleted.invalid"
        row.full_name = ""
        row.phone = ""
        row.is_active = False
        row.is_staff = False
        row.is_superuser = False
        row.last_login = None
        row.set_unusable_password()
        row.save()
        row.groups.clear()
        row.user_permissions.clear()


def _anonymise_profile(rows, user) -> None:
    """The profile stays (applications, enrollments and placements count through it) with only the university
    and graduation year that aggregate reports group by; out of matching and hidden from firms."""
    rows.update(external_id=None, school="", major="", city="", bio="", pref_locations=[], pref_job_types=[],
                pref_markets=[], visibility="hidden", matching_opt_in=False, contact_visible_to_firms=False)


def _anonymise_application(rows, user) -> None:
    """Applications stay for hiring figures; the student's own note goes."""
    rows.update(note="")


def _anonymise_audit(rows, user) -> None:
    """Audit events stay (accountability) without where the person connected from."""
    rows.update(ip=None, user_agent="")


REGISTRY: tuple[PersonalData, ...] = (
    PersonalData("accounts.User", _("Account"), ("pk",),
                 ("email", "full_name", "phone", "account_type", "preferred_language", "date_joined", "last_login",
                  "is_active"),
                 ANONYMISE, _anonymise_user),
    PersonalData("accounts.Membership", _("Organisation memberships"), ("user",),
                 ("organisation_id", "organisation__name", "role", "created_at")),
    PersonalData("authtoken.Token", _("API tokens"), ("user",), ("created",)),  # the key itself is a secret
    PersonalData("admin.LogEntry", _("Admin actions"), ("user",),
                 ("action_time", "content_type__model", "object_id", "object_repr", "action_flag", "change_message"),
                 KEEP, why_kept="the record of an admin's changes; it points to the anonymised account"),
    PersonalData("talent.StudentProfile", _("Profile"), ("user",),
                 ("external_id", "university_id", "university__name", "school", "major", "graduation_year", "city",
                  "bio", "pref_locations", "remote_ok", "pref_job_types", "pref_markets", "visibility",
                  "matching_opt_in", "contact_visible_to_firms", "created_at", "updated_at"),
                 ANONYMISE, _anonymise_profile),
    PersonalData("talent.ProfileSkill", _("Skills"), ("profile__user",),
                 ("skill__code", "skill__label_en", "skill__label_zh", "level", "source", "evidence", "updated_at")),
    PersonalData("talent.ProfileLanguage", _("Languages"), ("profile__user",),
                 ("language__code", "language__label_en", "cefr", "source")),
    PersonalData("matching.CandidateMatch", _("Matches in vacancies' candidate lists"), ("profile__user",),
                 ("vacancy_id", "vacancy__title", "score", "required", "optional", "similarity", "language",
                  "preference", "computed_at")),
    PersonalData("matching.VacancyMatch", _("Vacancies matched to me"), ("profile__user",),
                 ("vacancy_id", "vacancy__title", "score", "required", "optional", "similarity", "language",
                  "preference", "computed_at")),
    PersonalData("matching.MatchRunComment", _("Comments on match runs"), ("author",),
                 ("run_id", "text", "created_at"),
                 KEEP, why_kept="an admin's operational note; it points to the anonymised account"),
    PersonalData("cohorts.Enrollment", _("Training enrolments"), ("profile__user",),
                 ("cohort_id", "cohort__name", "status", "attendance", "grade", "enrolled_at", "completed_at"),
                 KEEP, why_kept="cohort completion figures; it points to the anonymised profile"),
    PersonalData("cohorts.CourseCredit", _("Skills credited by courses"), ("profile__user",),
                 ("skill__code", "level", "raised", "evidence", "credited_on"),
                 KEEP, why_kept="course credit figures; it points to the anonymised profile"),
    PersonalData("cohorts.Placement", _("Placements"), ("profile__user",),
                 ("firm_id", "firm__name", "job_title", "started_on", "source", "note"),
                 KEEP, why_kept="placement figures in reports; it points to the anonymised profile"),
    PersonalData("applications.Application", _("Applications and invitations"), ("profile__user",),
                 ("vacancy_id", "vacancy__title", "vacancy__firm__name", "source", "stage", "note", "invite_message",
                  "rejection_reason", "created_at", "stage_changed_at", "hired_at", "start_date", "stayed_3_months",
                  "stayed_6_months"),
                 ANONYMISE, _anonymise_application),
    PersonalData("applications.ApplicationEvent", _("Application history"), ("application__profile__user", "actor"),
                 ("application_id", "actor_role", "from_stage", "to_stage", "reason", "created_at"),
                 KEEP, why_kept="the pipeline history of hiring figures; actor and profile are anonymised"),
    PersonalData("applications.ContactConsent", _("Contact details shared with firms"), ("profile__user",),
                 ("firm_id", "firm__name", "application_id", "purpose", "granted_at", "withdrawn_at",
                  "withdrawn_reason")),
    PersonalData("notifications.Notification", _("Notifications"), ("user",),
                 ("kind", "subject", "body", "url", "created_at", "read_at", "email_status", "emailed_at")),
    PersonalData("notifications.NotificationSettings", _("Notification settings"), ("user",),
                 ("email_invitations", "email_stage_changes", "email_digest", "digest_min_score", "last_digest_at",
                  "updated_at")),
    PersonalData("privacy.ConsentRecord", _("Consents"), ("user",),
                 ("purpose", "scope", "firm_id", "application_id", "granted", "policy_version", "source",
                  "created_at")),
    PersonalData("privacy.AuditEvent", _("My actions in the audit trail"), ("actor",),
                 ("action", "target_type", "target_id", "path", "ip", "user_agent", "created_at"),
                 ANONYMISE, _anonymise_audit),
)

# (model label, field) → why a link to a person is not personal data to export or erase here.
_AUTHORSHIP = "who created or changed an organisation's record; it points to the anonymised account afterwards"
EXEMPT: dict[tuple[str, str], str] = {
    ("authtoken.TokenProxy", "user"): "a proxy of authtoken.Token (registered)",
    ("accounts.Organisation", "approved_by"): _AUTHORSHIP,
    ("jobs.Vacancy", "created_by"): _AUTHORSHIP,
    ("matching.MatchRun", "created_by"): _AUTHORSHIP,
    ("cohorts.Programme", "created_by"): _AUTHORSHIP,
    ("cohorts.Course", "created_by"): _AUTHORSHIP,
    ("cohorts.Enrollment", "updated_by"): _AUTHORSHIP,
    ("cohorts.Placement", "recorded_by"): _AUTHORSHIP,
    ("cohorts.RosterImport", "uploaded_by"): _AUTHORSHIP + "; quotes in its text are redacted (FREE_TEXT)",
    ("applications.Application", "created_by"): _AUTHORSHIP,
    ("reports.ReportSnapshot", "created_by"): _AUTHORSHIP,
    ("reports.MatchRunReview", "reviewed_by"): _AUTHORSHIP,
}

# Text columns of other people's rows that may quote a person by name, email or phone.
FREE_TEXT: dict[str, tuple[str, ...]] = {
    "notifications.Notification": ("subject", "body"),
    "applications.Application": ("invite_message", "rejection_reason", "note"),
    "applications.ApplicationEvent": ("reason",),
    "applications.ContactConsent": ("purpose", "withdrawn_reason"),
    "admin.LogEntry": ("object_repr", "change_message"),
    "cohorts.RosterImport": ("file_name", "source_text", "summary", "errors_csv", "failure", "errors", "notices"),
    "cohorts.Placement": ("job_title", "note"),
    "cohorts.CourseCredit": ("evidence", "baseline_evidence"),
    "cohorts.Enrollment": ("grade",),
    "cohorts.Cohort": ("instructor",),
    "matching.MatchRunComment": ("text",),
    "jobs.Vacancy": ("description",),
    "accounts.Organisation": ("description",),
}

# Records keyed by the sign-in name (the email) rather than a foreign key: deleted with the account.
LOGIN_RECORDS: dict[str, str] = {
    "axes.AccessAttempt": "username",
    "axes.AccessFailureLog": "username",
    "axes.AccessLog": "username",
}


def entries() -> tuple[PersonalData, ...]:
    """Entries of installed models (an app left out of INSTALLED_APPS drops out)."""
    installed = {m._meta.label for m in apps.get_models(include_auto_created=False)}
    return tuple(e for e in REGISTRY if e.label in installed)


def entry(label: str) -> PersonalData:
    return next(e for e in REGISTRY if e.label == label)


