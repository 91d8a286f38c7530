"""Fixtures for API tests: fast password hashing, signed-in clients, and a small world of firms and vacancies."""

import pytest
from rest_framework.test import APIClient

from apps.jobs.models import VacancyStatus
from tests import factories


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """PBKDF2 at full strength costs ~0.3 s per user; these tests create hundreds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def client_for():
    """``client_for(user)``: an API client signed in as ``user`` (anonymous for None), asking for English."""

    def make(user):
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def world(student, firm_user, other_firm_user, pending_firm_user, university_user, government_user, admin_user):
    """One user per role, and vacancies of three firms in every status.

    Firm ``A`` is the ``firm`` role's (approved), ``B`` the ``other_firm`` role's (approved), ``C`` the
    ``pending_firm`` role's (waiting for approval).
    """
    firm_a = firm_user.primary_organisation
    firm_b = other_firm_user.primary_organisation
    firm_c = pending_firm_user.primary_organisation
    vacancies = {}
    for key, firm, status in (
        ("A.open", firm_a, VacancyStatus.OPEN), ("A.draft", firm_a, VacancyStatus.DRAFT),
        ("A.closed", firm_a, VacancyStatus.CLOSED), ("B.open", firm_b, VacancyStatus.OPEN),
        ("B.draft", firm_b, VacancyStatus.DRAFT), ("C.draft", firm_c, VacancyStatus.DRAFT),
    ):
        extra = {"published_at": None} if status == VacancyStatus.DRAFT else {}
        vacancy = factories.VacancyFactory(firm=firm, status=status, title=f"Vacancy {key}", **extra)
        factories.require_skills(vacancy, required={"platform.aliexpress": (3, 1.0)},
                                 optional={"marketing.seo": (2, 0.5)})
        vacancies[key] = vacancy
    factories.give_skills(student.profile, **{"platform.amazon_seller_central": 3})
    return {
        "users": {
            "anonymous": None, "student": student, "firm": firm_user, "other_firm": other_firm_user,
            "pending_firm": pending_firm_user, "university": university_user, "government": government_user,
            "admin": admin_user,
        },
        "orgs": {"A": firm_a, "B": firm_b, "C": firm_c, "U": university_user.primary_organisation,
                 "G": government_user.primary_organisation},
        "vacancies": vacancies,
    }
