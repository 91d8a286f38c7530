"""Writes of the privacy app: consents (recorded with the switch they change), the data export, account erasure.

The switches other apps read stay where they are (profile, contact consents, notification settings); every
change of one goes through here or through a hook here (``record_*``), in the same transaction, so the latest
``ConsentRecord`` per purpose and scope equals the switch.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .models import Action, ConsentRecord, ConsentSource, Purpose
from .registry import ANONYMISE, DELETE, FREE_TEXT, LOGIN_RECORDS, REDACTED, entries

# StudentProfile switch → purpose.
PROFILE_CONSENTS = {"matching_opt_in": Purpose.MATCHING, "contact_visible_to_firms": Purpose.SHARE_CONTACT}
# NotificationSettings switch → scope of the email purpose.
EMAIL_CONSENTS = {"email_invitations": "invitations", "email_stage_changes": "stage_changes",
                  "email_digest": "digest"}
EXPORT_FORMAT = "talentmatch-personal-data/1"


def _record(*, user_id: int, purpose: str, granted: bool, source: str, scope: str = "", firm_id=None,
            application_id=None) -> ConsentRecord:
    record = ConsentRecord.objects.create(user_id=user_id, purpose=purpose, scope=scope, firm_id=firm_id,
                                          application_id=application_id, granted=bool(granted), source=source,
                                          policy_version=settings.PRIVACY_POLICY_VERSION)
    request = audit._current_request.get()
    actor = getattr(request, "user", None) if request is not None else None
    if not getattr(actor, "is_authenticated", False):
        actor = get_user_model().objects.filter(pk=user_id).first()
    audit.record(user=actor, action=Action.CONSENT_CHANGE, target_type="privacy.consentrecord",
                 target_id=record.pk)
    return record


# --- hooks the owning apps call when a switch changes ----------------------------------------------------------


def record_profile_consents(*, profile, before: dict, source: str = ConsentSource.PROFILE) -> list[ConsentRecord]:
    """Record each profile consent switch that differs from ``before`` (field → old value)."""
    return [_record(user_id=profile.user_id, purpose=purpose, granted=getattr(profile, field), source=source)
            for field, purpose in PROFILE_CONSENTS.items()
            if field in before and bool(before[field]) != bool(getattr(profile, field))]


def record_email_consents(*, user, row, before: dict,
                          source: str = ConsentSource.NOTIFICATION_SETTINGS) -> list[ConsentRecord]:
    """Record each email switch of ``row`` (NotificationSettings) that differs from ``before``."""
    return [_record(user_id=user.pk, purpose=Purpose.EMAIL, scope=scope, granted=getattr(row, field), source=source)
            for field, scope in EMAIL_CONSENTS.items()
            if field in before and bool(before[field]) != bool(getattr(row, field))]


def record_firm_consents(consents: Iterable[tuple[int, int, int | None]], *, granted: bool,
                         source: str = ConsentSource.APPLICATION) -> list[ConsentRecord]:
    """Record contact sharing with one firm granted or ended: ``(user_id, firm_id, application_id)`` each."""
    return [_record(user_id=user_id, purpose=Purpose.SHARE_CONTACT, scope=f"firm:{firm_id}", firm_id=firm_id,
                    application_id=application_id, granted=granted, source=source)
            for user_id, firm_id, application_id in consents]


def snapshot(obj, fields: Iterable[str]) -> dict:
    """The current values of ``fields`` (taken before a change, for the hooks above)."""
    return {field: getattr(obj, field) for field in fields}


# --- one-click consent changes ---------------------------------------------------------------------------------


def consent_set(*, user, purpose: str, granted: bool, source: str = ConsentSource.PRIVACY_PAGE) -> None:
    """Grant or withdraw a purpose at once: the switch changes and the change is recorded, in one transaction."""
    if purpose in (Purpose.MATCHING, Purpose.SHARE_CONTACT):
        from apps.talent.models import StudentProfile
        from apps.talent.services import profile_update

        profile = StudentProfile.objects.filter(user=user).first()
        if profile is None:
            raise ValidationError({"purpose": _("Only students and trainees have a profile to match or share.")})
        field = next(f for f, p in PROFILE_CONSENTS.items() if p == purpose)
        profile_update(profile=profile, data={field: bool(granted)}, consent_source=source)
    elif purpose == Purpose.EMAIL:
        from apps.notifications.services import settings_update

        settings_update(user=user, data={field: bool(granted) for field in EMAIL_CONSENTS}, consent_source=source)
    else:
        raise ValidationError({"purpose": _("Unknown purpose.")})


def firm_consent_withdraw(*, user, firm_id: int, source: str = ConsentSource.PRIVACY_PAGE) -> int:
    """Stop one firm seeing the contact details the student shared by applying; returns how many consents ended."""
    from apps.applications.services import consent_withdraw
    from apps.talent.models import StudentProfile

    profile = StudentProfile.objects.filter(user=user).first()
    if profile is None:
        raise PermissionDenied(_("Only the student can withdraw their consent."))
    return consent_withdraw(user=user, profile=profile, firm_id=firm_id, source=source)


# --- export ----------------------------------------------------------------------------------------------------


def export_data(*, user) -> dict:
    """Every row of every registered model that belongs to ``user``, with the registered fields (machine-readable)."""
    models_out = {}
    for item in entries():
        rows = _export_rows(item, user)
        models_out[item.label] = {"title": str(item.title), "count": len(rows), "rows": rows}
    return {"format": EXPORT_FORMAT, "generated_at": timezone.now(), "policy_version": settings.PRIVACY_POLICY_VERSION,
            "user_id": user.pk, "models": models_out}


def export_pk(value) -> object:
    """A row's key in the export: the primary key, or "a-b-c" for a composite one (match rows)."""
    return "-".join(str(part) for part in value) if isinstance(value, tuple) else value


def _export_rows(item, user) -> list[dict]:
    pk_fields = [field.attname for field in item.model._meta.pk_fields]
    if len(pk_fields) == 1:
        return list(item.rows(user).order_by("pk").values("pk", *item.fields))
    rows = list(item.rows(user).order_by(*pk_fields).values(*dict.fromkeys([*pk_fields, *item.fields])))
    for row in rows:
        key = export_pk(tuple(row[name] for name in pk_fields))
        for name in pk_fields:
            if name not in item.fields:
                del row[name]
        row["pk"] = key
    return rows


def export_json(*, user) -> str:
    """The export as JSON text; the export is recorded in the audit trail."""
    data = export_data(user=user)
    audit.record(user=user, action=Action.EXPORT_DATA, target_type="accounts.user", target_id=user.pk)
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


# --- deletion --------------------------------------------------------------------------------------------------


def identifiers(user) -> list[str]:
    """What identifies the person in free text: email, name, phone, external id (short ones are not matched)."""
    found = [user.email, user.full_name, user.phone]
    profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
    if profile is not None and profile.external_id:
        found.append(profile.external_id)
    return [value.strip() for value in found if value and len(value.strip()) >= 2]


def _redact(text, patterns):
    if isinstance(text, str):
        for pattern in patterns:
            text = pattern.sub(REDACTED, text)
        return text
    if isinstance(text, list):
        return [_redact(item, patterns) for item in text]
    if isinstance(text, dict):
        return {_redact(key, patterns): _redact(value, patterns) for key, value in text.items()}
    return text


def redact_free_text(values: list[str]) -> int:
    """Replace ``values`` wherever ``FREE_TEXT`` columns quote them; returns the number of rows changed."""
    from django.apps import apps

    if not values:
        return 0
    patterns = [re.compile(re.escape(value), re.IGNORECASE) for value in values]
    changed = 0
    for label, names in FREE_TEXT.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        fields = [model._meta.get_field(name) for name in names]
        text_fields = [f.name for f in fields if not isinstance(f, models.JSONField)]
        json_fields = [f.name for f in fields if isinstance(f, models.JSONField)]
        query = models.Q()
        for name in text_fields:
            for value in values:
                query |= models.Q(**{f"{name}__icontains": value})
        candidates = model._default_manager.filter(query) if text_fields else model._default_manager.none()
        if json_fields:  # JSON is searched in Python: its text form differs between databases
            lowered = [v.lower() for v in values]
            extra = [pk for pk, *blobs in model._default_manager.values_list("pk", *json_fields)
                     if any(v in json.dumps(blob, ensure_ascii=False).lower() for blob in blobs for v in lowered)]
            candidates = model._default_manager.filter(query | models.Q(pk__in=extra))
        for row in candidates:
            updates = {}
            for name in text_fields + json_fields:
                new = _redact(getattr(row, name), patterns)
                if new != getattr(row, name):
                    updates[name] = new
            if updates:
                model._default_manager.filter(pk=row.pk).update(**updates)
                changed += 1
    return changed


def _delete_sessions(user) -> int:
    from django.contrib.sessions.models import Session

    doomed = [s.pk for s in Session.objects.filter(expire_date__gte=timezone.now()).iterator()
              if str(s.get_decoded().get("_auth_user_id")) == str(user.pk)]
    Session.objects.filter(pk__in=doomed).delete()
    return len(doomed)


def _delete_login_records(user) -> int:
    from django.apps import apps

    deleted = 0
    for label, name in LOGIN_RECORDS.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        deleted += model._default_manager.filter(**{f"{name}__iexact": user.email}).delete()[0]
    return deleted


@transaction.atomic
def account_erase(*, user, actor=None) -> dict[str, int]:
    """Delete or anonymise every registered row of ``user`` (per the registry), redact quotes of them in other
    rows, end their sessions. The user row stays as an anonymous tombstone that cannot sign in."""
    quoted = identifiers(user)
    audit.record(user=actor, action=Action.DELETE_ACCOUNT, target_type="accounts.user", target_id=user.pk)
    counts = {"sessions": _delete_sessions(user)}
    user_entry = None
    for item in entries():
        if item.label == get_user_model()._meta.label:
            user_entry = item
            continue
        if len(item.model._meta.pk_fields) > 1:  # match rows: no single key to select by
            rows = item.rows(user)
        else:
            rows = item.model._default_manager.filter(pk__in=item.rows(user).values("pk"))
        if item.erase == DELETE:
            counts[item.label] = rows.delete()[0]
        elif item.erase == ANONYMISE:
            counts[item.label] = rows.count()
            item.anonymise(rows, user)
    counts["login_records"] = _delete_login_records(user)
    counts["redacted"] = redact_free_text(quoted)
    if user_entry is not None:
        user_entry.anonymise(get_user_model().objects.filter(pk=user.pk), user)
    return counts


def account_delete(*, user, password: str) -> dict[str, int]:
    """The user deletes their own account, confirming with their password."""
    if not password or not user.check_password(password):
        raise ValidationError({"password": _("The password is not correct.")})
    if user.is_superuser and not get_user_model().objects.filter(is_superuser=True, is_active=True).exclude(
            pk=user.pk).exists():
        raise ValidationError({"password": _("The last platform admin cannot delete their account.")})
    return account_erase(user=user, actor=user)
