"""The personal-data registry: complete (every model linking to a person), exported in full, erased in full."""

import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.functions import Cast

from apps.privacy.models import AuditEvent
from apps.privacy.registry import EXEMPT, entries
from apps.privacy.services import export_pk
from apps.talent.models import StudentProfile
from tests import factories

from .conftest import EMAIL, NAME, PHONE


def _person_links(model):
    """Concrete FK / one-to-one fields of ``model`` pointing at the user or at StudentProfile."""
    targets = {get_user_model(), StudentProfile}
    return [f for f in model._meta.get_fields()
            if (f.many_to_one or f.one_to_one) and f.concrete and f.related_model in targets]


def test_every_model_linking_to_a_person_is_registered_or_exempt():
    registered = {e.label: e for e in entries()}
    missing = []
    for model in apps.get_models():
        label = model._meta.label
        for link in _person_links(model):
            item = registered.get(label)
            covered = item is not None and any(path.split("__")[0] == link.name for path in item.owner)
            if not covered and (label, link.name) not in EXEMPT:
                missing.append(f"{label}.{link.name}")
    assert missing == [], f"register these in apps/privacy/registry.py or exempt them with a reason: {missing}"
    assert all(reason.strip() for reason in EXEMPT.values())
    # The user model itself is registered, and every entry names real fields (values() would raise otherwise).
    assert get_user_model()._meta.label in registered


@pytest.mark.django_db
def test_export_has_every_row_of_every_registered_model(seeded, client):
    user, seeded_rows = seeded
    empty = [label for label, pks in seeded_rows.items() if not pks]
    assert empty == [], f"the fixture must seed every registered model: {empty}"
    client.force_login(user)
    response = client.get("/en/privacy/export.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    exported = {label: {row["pk"] for row in block["rows"]} for label, block in data["models"].items()}
    total = sum(len(pks) for pks in seeded_rows.values())
    present = sum(len({export_pk(pk) for pk in pks} & exported.get(label, set()))
                  for label, pks in seeded_rows.items())
    print(f"export: {present}/{total} seeded rows present across {len(seeded_rows)} registered models")
    assert present == total
    assert len(seeded_rows) == len(entries())
    assert data["models"]["accounts.User"]["rows"][0]["email"] == EMAIL
    assert AuditEvent.objects.filter(actor=user, action="export_data").count() >= 2  # the fixture's and this one


@pytest.mark.django_db
def test_readable_export_lists_the_same_rows(seeded, client):
    user, seeded_rows = seeded
    client.force_login(user)
    page = client.get("/en/privacy/export/")
    assert page.status_code == 200
    assert NAME in page.content.decode() and "Hire me please" in page.content.decode()


def _text_columns(model):
    return [f for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.EmailField | models.JSONField)]


def _rows_quoting(values) -> dict[str, int]:
    """Rows of every model whose text, email or JSON columns contain any of ``values`` (case-insensitive)."""
    found = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        query = models.Q()
        annotations = {}
        for field in _text_columns(model):
            name = field.name
            if isinstance(field, models.JSONField):
                name = f"_txt_{field.name}"
                annotations[name] = Cast(field.name, models.TextField())
            for value in values:
                query |= models.Q(**{f"{name}__icontains": value})
        if not annotations and not _text_columns(model):
            continue
        count = model._default_manager.annotate(**annotations).filter(query).count()
        if count:
            found[model._meta.label] = count
    return found


@pytest.mark.django_db
def test_deleting_the_account_leaves_no_personal_data(seeded, client, firm_user):
    user, seeded_rows = seeded
    profile_id = user.profile.pk
    applications_before = apps.get_model("applications.Application").objects.count()
    placements_before = apps.get_model("cohorts.Placement").objects.count()
    before = _rows_quoting([EMAIL, NAME, PHONE])
    assert {"accounts.User", "cohorts.RosterImport", "notifications.Notification", "admin.LogEntry"} <= set(before)

    client.force_login(user)
    refused = client.post("/en/privacy/delete/", {"password": "not my password", "confirm": "on"})
    assert refused.status_code == 400 and get_user_model().objects.get(pk=user.pk).email == EMAIL
    response = client.post("/en/privacy/delete/", {"password": factories.PASSWORD, "confirm": "on"})
    assert response.status_code == 302

    left = _rows_quoting([EMAIL, NAME, PHONE, "STU-PRIV-0042"])
    print(f"rows still carrying the deleted user's email/name/phone: {sum(left.values())} (before: "
          f"{sum(before.values())} in {len(before)} models)")
    assert left == {}
    # Registry walk: deleted entries have 0 rows; kept/anonymised ones point only to the anonymous tombstone.
    tombstone = get_user_model().objects.get(pk=user.pk)
    assert tombstone.email.endswith("@deleted.invalid") and not tombstone.full_name and not tombstone.phone
    assert not tombstone.is_active and not tombstone.has_usable_password()
    for item in entries():
        rows = item.rows(tombstone)
        if item.erase == "delete":
            assert rows.count() == 0, item.label
    profile = StudentProfile.objects.get(pk=profile_id)
    assert (profile.school, profile.bio, profile.external_id, profile.matching_opt_in) == ("", "", None, False)
    assert AuditEvent.objects.filter(actor=tombstone).exclude(ip=None).count() == 0
    # Aggregate figures survive without identity.
    assert apps.get_model("applications.Application").objects.count() == applications_before
    assert apps.get_model("cohorts.Placement").objects.count() == placements_before
    # The user is signed out and cannot sign in again.
    assert client.get("/en/privacy/").status_code == 302
    assert not client.login(email=EMAIL, password=factories.PASSWORD)
    assert not client.login(email=tombstone.email, password=factories.PASSWORD)
    assert AuditEvent.objects.filter(action="delete_account", target_id=str(user.pk)).count() == 1


@pytest.mark.django_db
def test_delete_account_over_the_api_needs_the_password(api_client, student):
    api_client.force_authenticate(student)
    assert api_client.post("/api/v1/privacy/delete-account/", {"password": "wrong"}).status_code == 400
    assert api_client.post("/api/v1/privacy/delete-account/", {}).status_code == 400
    assert api_client.post("/api/v1/privacy/delete-account/", {"password": factories.PASSWORD}).status_code == 204
    student.refresh_from_db()
    assert not student.is_active and student.email.endswith("@deleted.invalid")
