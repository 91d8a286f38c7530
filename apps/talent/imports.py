"""Bulk import of student profiles from a CSV roster (``manage.py import_profiles`` and the upload page).

Columns: ``external_id, full_name, email, school, major, graduation_year, city, skills, languages``.
Idempotent on ``external_id``: a re-import updates the account and profile and replaces the profile's
self-declared skills and languages; course- and firm-confirmed ones are kept as they are. New accounts
get an unusable password, so students claim them through password reset. A column left out of the file
is left untouched on re-import; a blank cell clears the value.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import AccountType, Organisation, User
from apps.imports.csvio import CsvRow, CsvSource
from apps.imports.items import ItemParser, parse_int
from apps.imports.report import ImportReport
from apps.imports.runner import BATCH_SIZE, BatchResult, RowErrors, run_import

from .models import ProfileLanguage, ProfileSkill, SkillSourceKind, StudentProfile

REQUIRED_COLUMNS = ("external_id", "full_name", "email")
OPTIONAL_COLUMNS = ("school", "major", "graduation_year", "city", "skills", "languages")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
TEMPLATE_EXAMPLE = ["S2025001", "王小明", "wang.xiaoming@example.edu.cn", "国际商学院", "跨境电子商务", "2026",
                    "宁波", "Amazon Seller Central:4; 选品:3", "English:CET-6; Japanese:A2"]
PROFILE_TEXT_FIELDS = {"school": 200, "major": 200, "city": 100}


@dataclass
class ProfileRow:
    """One parsed roster row; ``fields``/``skills``/``languages`` hold only the columns the file has."""

    number: int
    external_id: str
    email: str
    full_name: str
    fields: dict = field(default_factory=dict)
    skills: dict[int, int] | None = None
    languages: dict[int, int] | None = None


def _unusable_password() -> str:
    # What set_unusable_password() stores, without its slower random-string loop (100,000 rows).
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


class ProfileImporter:
    """Parses and writes roster rows; built once per run (one skill resolver, duplicate tracking)."""

    required_columns = REQUIRED_COLUMNS
    optional_columns = OPTIONAL_COLUMNS

    def __init__(self, *, header: list[str], university: Organisation | None = None):
        self.header = set(header)
        self.university = university
        self.parser = ItemParser()
        self.seen_ids: dict[str, int] = {}
        self.seen_emails: dict[str, tuple[str, int]] = {}

    def row_number(self, item: ProfileRow) -> int:
        return item.number

    def forget(self) -> None:
        """Nothing cached here depends on rows a rolled-back batch wrote."""

    def parse(self, row: CsvRow, errors: RowErrors) -> ProfileRow | None:
        external_id = errors.require("external_id", 100)
        full_name = errors.require("full_name", 150)
        email = errors.require("email", 254).lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.add("email", _("%(value)s is not a valid email address") % {"value": email}, value=email)
                email = ""
        if external_id:
            first = self.seen_ids.get(external_id)
            if first:
                errors.add("external_id", _("external id %(id)s is already used on row %(row)s of this file")
                           % {"id": external_id, "row": first}, value=external_id)
            else:
                self.seen_ids[external_id] = row.number
        if email and external_id:
            owner = self.seen_emails.get(email)
            if owner and owner[0] != external_id:
                errors.add("email", _("%(email)s is already used by external id %(other)s on row %(row)s")
                           % {"email": email, "other": owner[0], "row": owner[1]}, value=email)
            elif not owner:
                self.seen_emails[email] = (external_id, row.number)
        item = ProfileRow(number=row.number, external_id=external_id, email=email, full_name=full_name)
        for column, max_length in PROFILE_TEXT_FIELDS.items():
            if column in self.header:
                item.fields[column] = errors.optional(column, max_length)
        if "graduation_year" in self.header:
            item.fields["graduation_year"] = errors.cell("graduation_year", parse_int, row.get("graduation_year"),
                                                         minimum=1950, maximum=2100)
        if "skills" in self.header:
            skills = errors.cell("skills", self.parser.skill_list, row.get("skills"))
            item.skills = {s.skill_id: s.level for s in skills or []}
        if "languages" in self.header:
            languages = errors.cell("languages", self.parser.language_list, row.get("languages"))
            item.languages = {lang.language_id: lang.cefr for lang in languages or []}
        return None if errors.bad else item

    def write(self, items: list[ProfileRow]) -> BatchResult:
        """Write one batch: one query each for existing profiles, email owners, skills and languages."""
        result = BatchResult()
        now = timezone.now()
        profiles = {p.external_id: p for p in StudentProfile.objects.select_related("user")
                    .filter(external_id__in=[i.external_id for i in items])}
        email_owner = dict(User.objects.filter(email__in=[i.email for i in items]).values_list("email", "pk"))
        accepted: list[tuple[ProfileRow, StudentProfile | None]] = []
        for item in items:
            profile = profiles.get(item.external_id)
            owner = email_owner.get(item.email)
            if owner is not None and (profile is None or owner != profile.user_id):
                result.error(item.number, "email", _("%(email)s is already used by another account")
                             % {"email": item.email}, value=item.email)
                continue
            if profile is not None and self.university is not None and profile.university_id not in (
                    None, self.university.pk):
                result.error(item.number, "external_id", _("external id %(id)s belongs to a student of another "
                             "university") % {"id": item.external_id}, value=item.external_id)
                continue
            accepted.append((item, profile))

        existing_ids = [p.pk for _item, p in accepted if p is not None]
        current_skills: dict[int, dict[int, tuple[int, int, str]]] = {}
        for pk, profile_id, skill_id, level, source in ProfileSkill.objects.filter(
                profile_id__in=existing_ids).values_list("pk", "profile_id", "skill_id", "level", "source"):
            current_skills.setdefault(profile_id, {})[skill_id] = (pk, level, source)
        current_languages: dict[int, dict[int, tuple[int, int, str]]] = {}
        for pk, profile_id, language_id, cefr, source in ProfileLanguage.objects.filter(
                profile_id__in=existing_ids).values_list("pk", "profile_id", "language_id", "cefr", "source"):
            current_languages.setdefault(profile_id, {})[language_id] = (pk, cefr, source)

        new_users, new_profiles, new_items = [], [], []
        changed_users, changed_profiles = {}, {}
        user_fields, profile_fields = set(), {"updated_at"}
        skill_ops = _Ops(ProfileSkill, "skill_id", "level")
        language_ops = _Ops(ProfileLanguage, "language_id", "cefr")
        for item, profile in accepted:
            if profile is None:
                user = User(email=item.email, full_name=item.full_name, account_type=AccountType.STUDENT,
                            password=_unusable_password(), date_joined=now)
                new_users.append(user)
                new_profiles.append(StudentProfile(user=user, external_id=item.external_id,
                                                   university=self.university, **item.fields))
                new_items.append(item)
                continue
            changed = False
            user = profile.user
            for name, value in (("full_name", item.full_name), ("email", item.email)):
                if getattr(user, name) != value:
                    setattr(user, name, value)
                    user_fields.add(name)
                    changed_users[user.pk] = user
            for name, value in item.fields.items():
                if getattr(profile, name) != value:
                    setattr(profile, name, value)
                    profile_fields.add(name)
                    changed = True
            if self.university is not None and profile.university_id is None:
                profile.university = self.university
                profile_fields.add("university")
                changed = True
            if item.skills is not None:
                changed |= skill_ops.plan(profile.pk, item.skills, current_skills.get(profile.pk, {}))
            if item.languages is not None:
                changed |= language_ops.plan(profile.pk, item.languages, current_languages.get(profile.pk, {}))
            if changed or user.pk in changed_users:
                profile.updated_at = now
                changed_profiles[profile.pk] = profile
                result.updated += 1
            else:
                result.unchanged += 1

        if new_users:
            User.objects.bulk_create(new_users, batch_size=BATCH_SIZE)
            StudentProfile.objects.bulk_create(new_profiles, batch_size=BATCH_SIZE)
            for item, profile in zip(new_items, new_profiles, strict=True):
                skill_ops.plan(profile.pk, item.skills or {}, {})
                language_ops.plan(profile.pk, item.languages or {}, {})
            result.created += len(new_users)
        if changed_users:
            User.objects.bulk_update(list(changed_users.values()), sorted(user_fields), batch_size=500)
        if changed_profiles:
            StudentProfile.objects.bulk_update(list(changed_profiles.values()), sorted(profile_fields),
                                               batch_size=500)
        skill_ops.apply(now)
        language_ops.apply(now)
        return result


class _Ops:
    """Planned changes to one profile's self-declared rows (skills or languages), written in bulk."""

    def __init__(self, model, key: str, value: str):
        self.model, self.key, self.value = model, key, value
        self.create: list = []
        self.update: list = []
        self.delete: list[int] = []

    def plan(self, profile_id: int, wanted: dict[int, int], current: dict[int, tuple[int, int, str]]) -> bool:
        """Replace the self-declared rows with ``wanted``; confirmed rows stay. Return whether anything changes."""
        before = (len(self.create), len(self.update), len(self.delete))
        for target_id, value in wanted.items():
            row = current.get(target_id)
            if row is None:
                self.create.append(self.model(profile_id=profile_id, **{self.key: target_id, self.value: value},
                                              source=SkillSourceKind.SELF))
            elif row[2] == SkillSourceKind.SELF and row[1] != value:
                self.update.append(self.model(pk=row[0], **{self.value: value}))
        self.delete.extend(pk for target_id, (pk, _value, source) in current.items()
                           if source == SkillSourceKind.SELF and target_id not in wanted)
        return before != (len(self.create), len(self.update), len(self.delete))

    def apply(self, now) -> None:
        for start in range(0, len(self.delete), 900):
            self.model.objects.filter(pk__in=self.delete[start:start + 900]).delete()
        fields = [self.value]
        if hasattr(self.model, "updated_at"):
            fields.append("updated_at")
            for row in self.update:
                row.updated_at = now
        if self.update:
            self.model.objects.bulk_update(self.update, fields, batch_size=500)
        if self.create:
            self.model.objects.bulk_create(self.create, batch_size=BATCH_SIZE)


def profiles_import(*, rows_source: CsvSource, strict: bool = False, university: Organisation | None = None,
                    batch_size: int = BATCH_SIZE) -> ImportReport:
    """Import a student roster (command and upload page share this); new students join ``university``."""
    importer = ProfileImporter(header=rows_source.header, university=university)
    return run_import(source=rows_source, importer=importer, strict=strict, batch_size=batch_size)
