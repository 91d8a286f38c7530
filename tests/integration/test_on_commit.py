"""Every path that enqueues a Celery task does so only after its transaction commits (issue #7, item 13).

One case per enqueue path in the code (``.delay`` / ``apply_async`` outside the tasks themselves): the matching
triggers (profile and vacancy recomputes), the roster import, the notification email, the full rematch after
an import and the rematch after a weights change. Each runs inside a real transaction (``transactional_db``)
with the broker path switched on (not eager) and ``Task.apply_async`` replaced by a spy: a rollback sends
nothing, a commit sends exactly the expected task. ``test_matching_triggers.py`` checks the same for the
triggers through a real Redis broker and worker.
"""

from __future__ import annotations

import pytest
from celery.app.task import Task
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from tests import factories
from tests.cohorts.conftest import cohort, course, government, programme, provider  # noqa: F401  (fixtures)


@pytest.fixture
def sent(monkeypatch, settings):
    """The tasks handed to the broker, as (task name, kwargs); nothing really leaves the process."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    calls: list[tuple[str, dict]] = []

    def apply_async(self, args=None, kwargs=None, **options):
        calls.append((self.name, dict(kwargs or {})))

    monkeypatch.setattr(Task, "apply_async", apply_async)
    return calls


def _profile_skill(request):
    from apps.skills.models import Skill
    from apps.talent import services

    profile = factories.StudentFactory().profile
    services.profile_set_skill(profile=profile, skill=Skill.objects.get(code="marketing.seo"), level=3)
    return "matching.recompute_profile", {"profile_id": profile.pk}


def _vacancy_trigger(request):
    from apps.matching import triggers

    vacancy = factories.VacancyFactory()
    triggers.vacancy_changed(vacancy.pk)
    return "matching.recompute_vacancy", {"vacancy_id": vacancy.pk}


def _roster_upload(request):
    from apps.cohorts.services.rosters import roster_upload

    the_cohort = request.getfixturevalue("cohort")
    staff = request.getfixturevalue("university_user")
    upload = SimpleUploadedFile("roster.csv", b"email_or_external_id,status\nS1,enrolled\n", content_type="text/csv")
    run = roster_upload(cohort=the_cohort, user=staff, upload=upload)
    return "cohorts.import_roster", {"roster_import_id": run.pk}


def _notification(request):
    from apps.notifications.services import notify

    user = factories.StudentFactory()
    note = notify(user=user, kind="stage", event_key=f"test:on-commit:{user.pk}", subject="s", body="b")
    assert note is not None
    return "notifications.send_email", {"notification_id": note.pk}


def _rematch_after_import(request):
    from apps.matching.services import full_rematch_after_import

    full_rematch_after_import(reason="import")
    return "matching.full_rematch", {"reason": "import"}


def _rematch_after_weights(request):
    from apps.matching.learning import rematch_now

    assert rematch_now("weights changed") == "queued for the workers"
    return "matching.full_rematch", {"reason": "weights changed"}


PATHS = {
    "profile-recompute": _profile_skill,
    "vacancy-recompute": _vacancy_trigger,
    "roster-import": _roster_upload,
    "notification-email": _notification,
    "rematch-after-import": _rematch_after_import,
    "rematch-after-weights": _rematch_after_weights,
}


@pytest.mark.parametrize("path", PATHS)
def test_nothing_is_enqueued_when_the_transaction_rolls_back(path, transactional_db, sent, request):
    with pytest.raises(RuntimeError, match="roll back"), transaction.atomic():
        PATHS[path](request)
        assert sent == [], "enqueued inside the transaction"
        raise RuntimeError("roll back")
    assert sent == []


@pytest.mark.parametrize("path", PATHS)
def test_the_task_is_enqueued_once_the_transaction_commits(path, transactional_db, sent, request):
    with transaction.atomic():
        name, kwargs = PATHS[path](request)
        assert sent == [], "enqueued inside the transaction"
    assert sent == [(name, kwargs)]
