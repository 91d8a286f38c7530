"""Under concurrency, on PostgreSQL (row locks): hires never exceed the openings, and a duplicate application is a
409, never a 500. Threads each hold their own database connection and call the API at the same moment."""

import threading
import time

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from apps.applications import services
from apps.applications.models import Application, Stage
from apps.jobs.models import Vacancy, VacancyStatus
from apps.matching.triggers import suppressed
from tests import factories
from tests.conftest import require_service

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _need_postgres():
    require_service("PostgreSQL", connection.vendor == "postgresql",
                    "row locks need PostgreSQL: run with DATABASE_URL=postgres://...")


def _at_once(calls):
    """Run ``calls`` (callables returning (status, body)) in threads released together; return their answers."""
    barrier = threading.Barrier(len(calls))
    answers, lock = [], threading.Lock()

    def run(call):
        try:
            barrier.wait(timeout=30)
            answer = call()
            with lock:
                answers.append(answer)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def _post(user, url, body):
    def call():
        client = APIClient()
        client.force_authenticate(user)
        response = client.post(url, body, format="json", HTTP_ACCEPT_LANGUAGE="en")
        return response.status_code, response.json()

    return call


def test_twenty_concurrent_hires_on_three_openings_make_exactly_three(monkeypatch):
    _need_postgres()
    # Widen the window between counting the hires and committing one (every hire waits 50 ms there), so hires
    # that were not serialised by the vacancy's row lock would certainly overlap and overfill it.
    record_event = services._event

    def slow_event(*args, **kwargs):
        time.sleep(0.05)
        return record_event(*args, **kwargs)

    monkeypatch.setattr(services, "_event", slow_event)
    firm_user = factories.MemberFactory()
    vacancy = factories.VacancyFactory(firm=firm_user.primary_organisation, openings=3)
    factories.require_skills(vacancy, required={"platform.aliexpress": (2, 1.0)})
    with suppressed():
        applications = [services.application_apply(user=factories.StudentFactory(), vacancy=vacancy)
                        for _ in range(20)]
    answers = _at_once([_post(firm_user, f"/api/v1/applications/{a.pk}/move/", {"stage": "hired"})
                        for a in applications])
    codes = sorted(code for code, _body in answers)
    assert len(answers) == 20
    assert codes.count(200) == 3, codes
    assert codes.count(409) == 17, codes
    assert all(body["code"] == "vacancy_filled" and "All 3 openings" in body["detail"]
               for code, body in answers if code == 409)
    assert Application.objects.filter(vacancy=vacancy, stage=Stage.HIRED).count() == 3
    assert Vacancy.objects.get(pk=vacancy.pk).status == VacancyStatus.CLOSED


def test_the_same_application_sent_ten_times_at_once_is_stored_once():
    _need_postgres()
    vacancy = factories.VacancyFactory()
    factories.require_skills(vacancy, required={"platform.aliexpress": (2, 1.0)})
    student = factories.StudentFactory()
    with suppressed():
        answers = _at_once([_post(student, "/api/v1/applications/", {"vacancy": vacancy.pk, "note": f"try {i}"})
                            for i in range(10)])
    codes = sorted(code for code, _body in answers)
    assert codes.count(201) == 1 and codes.count(409) == 9, codes
    assert all(body["code"] == "duplicate_application" and "already applied" in body["detail"]
               for code, body in answers if code == 409)
    assert Application.objects.filter(profile=student.profile, vacancy=vacancy).count() == 1
