"""Explanations of stored matches: the same components and score as the stored row, the right skill gaps and
sources, and a one-line reason naming what is lacking in the reader's language."""

import pytest
from django.utils import translation

from apps.matching import selectors, services
from apps.matching.explain import explain_for_profile, explain_for_vacancy, explain_pairs
from apps.matching.persist import COMPONENTS
from apps.skills.models import Skill
from apps.talent.models import ProfileSkill

from .match_world import (
    AMAZON,
    COPY,
    LISTING,
    TIKTOK,
    build_world,
    fresh_incremental_cache,  # noqa: F401 (autouse)
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _assert_same_as_stored(row, why):
    assert why.available
    assert why.score == pytest.approx(row.score, abs=1e-9)
    for name in COMPONENTS:
        # the engine stores similarity at float32 precision; the explanation recomputes it in float64
        assert why.components[name] == pytest.approx(getattr(row, name), abs=1e-6), name


def test_components_equal_the_stored_rows_in_both_directions(world):
    rows = list(selectors.vacancy_candidates(vacancy_id=world.vacancy.pk))
    assert [r.profile_id for r in rows] == [world.full.pk, world.course.pk, world.gap.pk]
    for row, why in zip(rows, explain_for_vacancy(world.vacancy, rows), strict=True):
        assert (why.profile_id, why.vacancy_id) == (row.profile_id, world.vacancy.pk)
        _assert_same_as_stored(row, why)
    mine = list(selectors.profile_vacancies(profile_id=world.gap.pk))
    assert {r.vacancy_id for r in mine} >= {world.vacancy.pk, world.second_vacancy.pk}
    for row, why in zip(mine, explain_for_profile(world.gap, mine), strict=True):
        _assert_same_as_stored(row, why)


def test_components_still_equal_after_an_incremental_recompute(world):
    ProfileSkill.objects.filter(profile=world.gap, skill__code=TIKTOK).update(level=2)
    services.match_profile_incremental(profile_id=world.gap.pk)
    row = selectors.vacancy_candidates(vacancy_id=world.vacancy.pk).get(profile=world.gap)
    (why,) = explain_for_vacancy(world.vacancy, [row])
    _assert_same_as_stored(row, why)
    (tiktok,) = [line for line in why.missing_required if line.skill.code == TIKTOK]
    assert (tiktok.have, tiktok.need, tiktok.gap) == (2, 3, 1)


def test_missing_skill_gap_and_levels(world):
    row = selectors.vacancy_candidates(vacancy_id=world.vacancy.pk).get(profile=world.gap)
    (why,) = explain_for_vacancy(world.vacancy, [row])
    assert [line.skill.code for line in why.matched_required] == [AMAZON, LISTING]
    assert [(line.skill.code, line.have, line.need, line.gap) for line in why.missing_required] == [
        (TIKTOK, 1, 3, 2)]
    assert [(line.skill.code, line.have, line.need, line.gap) for line in why.missing_optional] == [(COPY, 0, 2, 2)]
    assert why.required_total == 3
    (english,) = why.languages_missing
    assert (english.language.code, english.have_name, english.need_name) == ("lang.en", "B1", "B2")
    assert not why.languages_met


def test_reason_mentions_the_missing_skill_in_both_languages(world):
    row = selectors.vacancy_candidates(vacancy_id=world.vacancy.pk).get(profile=world.gap)
    tiktok = Skill.objects.get(code=TIKTOK)
    with translation.override("en"):
        (why,) = explain_for_vacancy(world.vacancy, [row])
    assert why.reason.startswith("Meets 2 of 3 required skills")
    assert f"lacks {tiktok.label_en} (needs level 3, has 1)" in why.reason
    assert "English B1, needs B2" in why.reason
    with translation.override("zh-hans"):
        (why_zh,) = explain_for_vacancy(world.vacancy, [row])
    assert tiktok.label_zh in why_zh.reason
    assert tiktok.label_en + " (" not in why_zh.reason
    assert "英语" in why_zh.reason  # the language's Chinese label


def test_reason_of_a_full_match_names_languages_and_preferred_location(world):
    row = selectors.vacancy_candidates(vacancy_id=world.vacancy.pk).get(profile=world.full)
    (why,) = explain_for_vacancy(world.vacancy, [row])
    assert not why.missing_required and not why.missing_optional
    assert why.location_preferred and why.location.code == "hi_tech_zone"
    assert why.reason == "Meets all 3 required skills; English C1 as required; prefers Hi-tech Zone"


def test_skill_source_is_reported(world):
    row = selectors.vacancy_candidates(vacancy_id=world.vacancy.pk).get(profile=world.course)
    (why,) = explain_for_vacancy(world.vacancy, [row])
    sources = {line.skill.code: line.source for line in why.matched}
    assert sources == {AMAZON: "course", LISTING: "self"}
    assert all(line.source == "" for line in why.missing)
    assert str(next(line for line in why.matched if line.source == "course").source_label) == "Course completed"


def test_a_pair_that_left_matching_keeps_the_stored_components(world):
    row = selectors.vacancy_candidates(vacancy_id=world.vacancy.pk).get(profile=world.gap)
    world.gap.visibility = "hidden"
    world.gap.save()  # no recompute yet: the stored row is still there
    (why,) = explain_for_vacancy(world.vacancy, [row])
    assert not why.available
    assert why.components == row.components and why.score == row.score
    assert not why.matched and not why.missing
    assert "no longer" in why.reason or "left matching" in why.reason


def test_explaining_loads_once_for_a_page(world, django_assert_max_num_queries):
    rows = list(selectors.vacancy_candidates(vacancy_id=world.vacancy.pk))
    with django_assert_max_num_queries(20):
        explain_for_vacancy(world.vacancy, rows * 10)


def test_too_many_pairs_are_refused():
    with pytest.raises(ValueError, match="at most"):
        explain_pairs([(1, 1, None)] * 201)
