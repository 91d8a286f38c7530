"""The Django admin for platform admins: every model registered, organisations approved through the service."""

import pytest
from django.contrib import admin
from django.urls import reverse

from apps.accounts.models import Organisation
from tests import factories


@pytest.mark.django_db
def test_every_model_of_the_apps_is_registered_and_its_pages_open(client_for, admin_user):
    from django.apps import apps

    client = client_for(admin_user)
    factories.VacancyFactory()
    factories.StudentFactory()
    for label in ("accounts", "skills", "talent", "jobs"):
        for model in apps.get_app_config(label).get_models():
            assert model in admin.site._registry, model
            opts = model._meta
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            assert client.get(url).status_code == 200, url
            assert client.get(url, {"q": "a"}).status_code == 200, url
            first = model.objects.first()
            if first is not None:
                change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
                assert client.get(change).status_code == 200, change


@pytest.mark.django_db
def test_approve_and_reject_actions_go_through_the_service(client_for, admin_user):
    pending = factories.FirmFactory(status="pending", approved_at=None)
    other = factories.FirmFactory(status="pending", approved_at=None)
    client = client_for(admin_user)
    url = reverse("admin:accounts_organisation_changelist")
    response = client.post(url, {"action": "approve", "_selected_action": [pending.pk]}, follow=True)
    assert "1 organisation approved." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == "approved" and pending.approved_by == admin_user and pending.approved_at
    client.post(url, {"action": "reject", "_selected_action": [other.pk]})
    other.refresh_from_db()
    assert other.status == "rejected" and other.approved_by is None


@pytest.mark.django_db
def test_admin_alias_edit_keeps_the_normalised_form(client_for, admin_user, skill):
    from apps.skills.models import SkillAlias

    aliexpress = skill("platform.aliexpress")
    client = client_for(admin_user)
    url = reverse("admin:skills_skillalias_add")
    response = client.post(url, {"skill": aliexpress.pk, "alias": "ＡＬＩ速卖", "language": "zh", "kind": "alias"})
    assert response.status_code == 302
    assert SkillAlias.objects.get(alias="ＡＬＩ速卖").normalized == "ali速卖"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["student", "firm", "university", "government"])
def test_admin_is_only_for_platform_admins(client_for, role_users, role):
    response = client_for(role_users[role]).get(reverse("admin:accounts_organisation_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert Organisation.objects.exists()
