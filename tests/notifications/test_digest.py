"""The daily digest of new strong matches: once per user and day, only what earlier digests did not name, only for
users who want it and above their threshold; students hear of vacancies, firm members of candidates."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from apps.matching import services as matching
from apps.matching.models import VacancyMatch
from apps.notifications import services
from apps.notifications.digest import digests_send
from apps.notifications.models import Notification
from tests import factories
from tests.matching.match_world import TIKTOK

pytestmark = pytest.mark.django_db


def _digests(user):
    return list(Notification.objects.filter(user=user, kind="digest").order_by("created_at"))


def test_students_and_firms_get_one_digest_of_their_strong_matches(world, django_capture_on_commit_callbacks):
    strong = list(VacancyMatch.objects.filter(profile=world.full, score__gte=0.7).values_list("vacancy__title",
                                                                                              flat=True))
    assert strong, "the world's best student has strong matches"
    with django_capture_on_commit_callbacks(execute=True):
        counts = digests_send()
    assert counts["students"] >= 1 and counts["firm_members"] >= 1
    (digest,) = _digests(world.full.user)
    assert all(title in digest.body for title in strong)
    assert digest.event_key == f"digest:{world.full.user.pk}:{timezone.localdate().isoformat()}"
    firm_digest = _digests(world.firm_user)[0]
    assert "Li Full → TikTok Shop operator" in firm_digest.body
    assert "Hidden Student" not in firm_digest.body and "Optout Student" not in firm_digest.body
    assert any(m.to == ["full@example.com"] for m in mail.outbox)
    # the same day again: nothing new
    assert digests_send() == {"students": 0, "firm_members": 0}
    # the next day: nothing new either, everything was named already
    assert digests_send(today=timezone.localdate() + dt.timedelta(days=1)) == {"students": 0, "firm_members": 0}


def test_only_new_matches_are_named_the_next_day(world):
    digests_send()
    vacancy = factories.VacancyFactory(firm=world.firm_user.primary_organisation, title="Second TikTok job")
    factories.require_skills(vacancy, required={TIKTOK: (3, 1.0)})
    matching.match_vacancy_incremental(vacancy_id=vacancy.pk)
    digests_send(today=timezone.localdate() + dt.timedelta(days=1))
    first, second = _digests(world.full.user)
    assert "Second TikTok job" in second.body and "TikTok Shop operator" not in second.body


def test_opted_out_and_high_thresholds_get_nothing(world):
    services.settings_update(user=world.full.user, data={"email_digest": False})
    services.settings_update(user=world.gap.user, data={"digest_min_score": 1.0})
    digests_send()
    assert _digests(world.full.user) == [] and _digests(world.gap.user) == []


def test_the_unsubscribe_link_of_a_digest_stops_the_digest(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        digests_send()
    email = next(m for m in mail.outbox if m.to == ["full@example.com"])
    link = email.extra_headers["List-Unsubscribe"].strip("<>").replace("http://localhost:8000", "")
    client.post(link)
    assert services.settings_for(world.full.user).email_digest is False
