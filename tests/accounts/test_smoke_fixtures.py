import pytest

from apps.skills.models import Skill


@pytest.mark.django_db
def test_role_fixtures_have_expected_types(role_users):
    assert role_users["student"].profile is not None
    assert role_users["firm"].primary_organisation.kind == "firm"
    assert role_users["university"].account_type == "university"
    assert role_users["admin"].is_platform_admin
    assert not role_users["firm"].is_platform_admin


@pytest.mark.django_db
def test_taxonomy_is_loaded_by_migrate():
    assert Skill.objects.count() >= 0
