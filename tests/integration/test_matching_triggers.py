"""Edits reach the workers after commit, coalesced: ten edits of a profile within a second, one recompute."""

import time

import pytest
from django.db import transaction

from apps.matching.models import MatchRun, RunKind
from apps.talent import services as talent
from tests import factories


def test_ten_edits_in_a_second_cause_one_recompute(transactional_db, live_celery, settings):
    settings.MATCHING = {**settings.MATCHING, "COALESCE_SECONDS": 1.5}
    student = factories.StudentFactory()
    from apps.skills.models import Skill

    skill = Skill.objects.get(code="platform.aliexpress")
    profile = student.profile
    for level in (1, 2, 3, 4, 5, 4, 3, 2, 3, 4):
        talent.profile_set_skill(profile=profile, skill=skill, level=level)
    live_celery.wait_for(lambda: MatchRun.objects.filter(kind=RunKind.PROFILE, target_id=profile.pk).exists(),
                         timeout=30)
    time.sleep(3)  # any second recompute would have landed by now
    assert MatchRun.objects.filter(kind=RunKind.PROFILE, target_id=profile.pk).count() == 1


def test_nothing_is_enqueued_when_the_transaction_rolls_back(transactional_db, live_celery, settings):
    settings.MATCHING = {**settings.MATCHING, "COALESCE_SECONDS": 0.2}
    student = factories.StudentFactory()
    from apps.skills.models import Skill

    skill = Skill.objects.get(code="marketing.seo")
    with pytest.raises(RuntimeError), transaction.atomic():
        talent.profile_set_skill(profile=student.profile, skill=skill, level=3)
        raise RuntimeError("roll back")
    time.sleep(3)
    assert not MatchRun.objects.filter(target_id=student.profile.pk).exists()
