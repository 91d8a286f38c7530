"""Matching services against the database: a full run stores exactly the engine's lists, and every
incremental recompute leaves the stored lists equal to what a fresh full run would store."""

import random

import pytest
from django.test import override_settings

from apps.jobs.models import VacancyLanguage, VacancySkill, VacancyStatus
from apps.matching import selectors, services
from apps.matching.models import CandidateMatch, ListCutoff, MatchRun, MatchState, RunStatus, VacancyMatch
from apps.skills.models import Location, Skill
from apps.talent.models import ProfileLanguage, ProfileSkill
from tests import factories

pytestmark = pytest.mark.django_db(transaction=False)


def _stored_lists():
    generation = MatchState.get().current_generation
    cand = {}
    for v, p, s in CandidateMatch.objects.filter(generation=generation).order_by("vacancy_id", "-score",
                                                                                  "profile_id").values_list(
            "vacancy_id", "profile_id", "score"):
        cand.setdefault(v, []).append((p, round(s, 6)))
    vac = {}
    for p, v, s in VacancyMatch.objects.filter(generation=generation).order_by("profile_id", "-score",
                                                                                "vacancy_id").values_list(
            "profile_id", "vacancy_id", "score"):
        vac.setdefault(p, []).append((v, round(s, 6)))
    cutoffs = sorted(ListCutoff.objects.filter(generation=generation).values_list("kind", "owner_id", "size"))
    return cand, vac, cutoffs


def _world(rng, n_profiles=40, n_vacancies=15):
    skills = list(Skill.objects.filter(is_language=False).order_by("code")[:30])
    languages = list(Skill.objects.filter(is_language=True).order_by("code")[:4])
    locations = list(Location.objects.values_list("code", flat=True))
    firm = factories.FirmFactory()
    profiles = []
    for _ in range(n_profiles):
        user = factories.StudentFactory()
        profile = user.profile
        profile.pref_locations = rng.sample(locations, rng.randint(0, 2))
        profile.remote_ok = rng.random() < 0.5
        profile.save()
        for skill in rng.sample(skills, rng.randint(0, 8)):
            ProfileSkill.objects.create(profile=profile, skill=skill, level=rng.randint(1, 5))
        for lang in rng.sample(languages, rng.randint(0, 2)):
            ProfileLanguage.objects.create(profile=profile, language=lang, cefr=rng.randint(1, 6))
        profiles.append(profile)
    vacancies = []
    for _ in range(n_vacancies):
        vacancy = factories.VacancyFactory(firm=firm, location=rng.choice(locations), remote=rng.random() < 0.3)
        for i, skill in enumerate(rng.sample(skills, rng.randint(1, 6))):
            VacancySkill.objects.create(vacancy=vacancy, skill=skill, min_level=rng.randint(1, 5),
                                        weight=rng.choice([0.5, 1.0, 2.0]), required=i < 3)
        if rng.random() < 0.5:
            VacancyLanguage.objects.create(vacancy=vacancy, language=rng.choice(languages),
                                           min_cefr=rng.randint(1, 6))
        vacancies.append(vacancy)
    return skills, profiles, vacancies


@override_settings(MATCHING={"TOP_K": 5, "SHARDS": 3, "THREADS": 1, "COALESCE_SECONDS": 0})
def test_sharded_full_run_equals_single_run_and_is_visible_at_once(django_capture_on_commit_callbacks):
    rng = random.Random(3)
    with services_suppressed():
        _world(rng)
    run1 = services.full_rematch_in_process(reason="test", shards=1)
    lists1 = _stored_lists()
    with django_capture_on_commit_callbacks(execute=True):
        run3 = services.full_rematch_in_process(reason="test", shards=3)
    assert run3.status == RunStatus.SUCCEEDED and run3.shards_total == 3
    assert MatchState.get().current_generation == run3.generation > run1.generation
    assert _stored_lists() == lists1
    # old generation rows are gone after the flip
    assert not CandidateMatch.objects.exclude(generation=run3.generation).exists()
    assert lists1[0], "some vacancy must have candidates"


def services_suppressed():
    from apps.matching import triggers

    return triggers.suppressed()


@override_settings(MATCHING={"TOP_K": 4, "SHARDS": 1, "THREADS": 1, "COALESCE_SECONDS": 0})
def test_incremental_changes_equal_a_fresh_full_run():
    rng = random.Random(7)
    with services_suppressed():
        skills, profiles, vacancies = _world(rng, n_profiles=35, n_vacancies=12)
    services.full_rematch_in_process(reason="test")
    for step in range(25):
        with services_suppressed():
            kind = rng.choice(["profile_skill", "profile_hide", "vacancy_skill", "vacancy_close", "profile_lang"])
            if kind.startswith("profile"):
                profile = rng.choice(profiles)
                if kind == "profile_skill":
                    ProfileSkill.objects.update_or_create(profile=profile, skill=rng.choice(skills),
                                                          defaults={"level": rng.randint(1, 5)})
                elif kind == "profile_lang":
                    ProfileSkill.objects.filter(profile=profile).delete()
                else:
                    profile.matching_opt_in = not profile.matching_opt_in
                profile.save()
                services.match_profile_incremental(profile_id=profile.pk)
            else:
                vacancy = rng.choice(vacancies)
                if kind == "vacancy_skill":
                    VacancySkill.objects.update_or_create(vacancy=vacancy, skill=rng.choice(skills),
                                                          defaults={"min_level": rng.randint(1, 5),
                                                                    "required": True, "weight": 1.0})
                else:
                    vacancy.status = VacancyStatus.CLOSED if vacancy.status == VacancyStatus.OPEN else \
                        VacancyStatus.OPEN
                vacancy.save()
                services.match_vacancy_incremental(vacancy_id=vacancy.pk)
        assert _stored_lists() == _expected_lists(k=4), f"step {step} ({kind}) diverged from a full run"


def _expected_lists(k):
    """What a full run with the current generation's frozen idf would store, straight from the engine."""

    from apps.matching import engine
    from apps.matching.loaders import Vocabulary, load_profiles, load_vacancies
    from apps.matching.services.common import frozen_idf

    vocab = Vocabulary.build()
    idf = frozen_idf(vocab, MatchState.get())
    pm = engine.build_profile_matrix(load_profiles(vocab), vocab.skill_ids.size, vocab.language_ids.size, idf=idf)
    vm = engine.build_vacancy_matrix(load_vacancies(vocab), pm)
    result = engine.top_k(pm, vm, services.active_weights(), k=k, threads=1)
    cand, vac, cutoffs = {}, {}, []
    for row, vid in enumerate(vm.ids.tolist()):
        n = int(result.vacancy_counts[row])
        if n:
            cand[vid] = [(int(result.vacancy_top_ids[row, j]), round(float(result.vacancy_scores[row, j]), 6))
                         for j in range(n)]
            cutoffs.append(("vacancy", vid, n))
    for row, pid in enumerate(pm.ids.tolist()):
        n = int(result.profile_counts[row])
        if n:
            vac[pid] = [(int(result.profile_top_ids[row, j]), round(float(result.profile_scores[row, j]), 6))
                        for j in range(n)]
            cutoffs.append(("profile", pid, n))
    return cand, vac, sorted(cutoffs)


def test_run_record_and_selectors(student, firm_user):
    vacancy = factories.VacancyFactory(firm=firm_user.primary_organisation)
    factories.require_skills(vacancy, required={"platform.amazon_seller_central": (3, 1.0)})
    factories.give_skills(student.profile, **{"platform.amazon_seller_central": 4})
    run = services.full_rematch_in_process(reason="test")
    assert run.status == RunStatus.SUCCEEDED
    assert run.candidate_rows == 1 and run.vacancy_rows == 1
    assert set(run.timings) >= {"load", "score", "persist_profiles", "persist_vacancies"}
    rows = list(selectors.vacancy_candidates(vacancy_id=vacancy.pk))
    assert [r.profile_id for r in rows] == [student.profile.pk]
    assert rows[0].required == 1.0 and rows[0].score >= 0.5
    assert [r.vacancy_id for r in selectors.profile_vacancies(profile_id=student.profile.pk)] == [vacancy.pk]
    assert MatchRun.objects.for_user(firm_user).count() == 0


def test_hidden_profile_and_closed_vacancy_are_not_listed(student, other_student, firm_user):
    vacancy = factories.VacancyFactory(firm=firm_user.primary_organisation)
    closed = factories.VacancyFactory(firm=firm_user.primary_organisation, status=VacancyStatus.CLOSED)
    for v in (vacancy, closed):
        factories.require_skills(v, required={"platform.amazon_seller_central": (2, 1.0)})
    for s in (student, other_student):
        factories.give_skills(s.profile, **{"platform.amazon_seller_central": 3})
    other_student.profile.matching_opt_in = False
    other_student.profile.save()
    services.full_rematch_in_process(reason="test")
    assert [r.profile_id for r in selectors.vacancy_candidates(vacancy_id=vacancy.pk)] == [student.profile.pk]
    assert not selectors.vacancy_candidates(vacancy_id=closed.pk).exists()


def test_a_skill_added_after_the_run_started_is_left_out_not_misplaced(student, firm_user):
    """Shards load with the run's frozen vocabulary; a newer skill must not shift onto another's index."""
    from apps.matching.loaders import Vocabulary, load_profiles
    from apps.skills.models import SkillCategory

    factories.give_skills(student.profile, **{"platform.amazon_seller_central": 4})
    frozen = Vocabulary.build()
    newer = Skill.objects.create(code="aaa.newer", category=SkillCategory.objects.first(), label_en="Newer")
    ProfileSkill.objects.create(profile=student.profile, skill=newer, level=5)
    arrays = load_profiles(frozen, profile_ids=[student.profile.pk])
    held = {int(frozen.skill_ids[i]) for i in arrays.skill_idx}
    assert held == {Skill.objects.get(code="platform.amazon_seller_central").pk}


@pytest.mark.django_db(transaction=True)
@override_settings(MATCHING={"TOP_K": 5, "SHARDS": 2, "THREADS": 1, "COALESCE_SECONDS": 0})
def test_a_run_outside_a_transaction_copies_and_indexes_on_several_connections(monkeypatch):
    from django.db import connection

    from apps.matching import partitions
    from tests.conftest import require_service

    require_service("PostgreSQL", connection.vendor == "postgresql", "partitions are PostgreSQL's")
    calls = []
    real = partitions.in_parallel
    monkeypatch.setattr(partitions, "in_parallel", lambda jobs: calls.append(len(jobs)) or real(jobs))
    rng = random.Random(5)
    with services_suppressed():
        _world(rng, n_profiles=60, n_vacancies=20)
    run = services.full_rematch_in_process(reason="test", shards=2)
    assert run.status == RunStatus.SUCCEEDED
    # two shards x two COPY streams, four index builds, two ANALYZEs: all on other connections
    assert calls == [2, 2, 4, 2]
    assert _stored_lists() == _expected_lists(k=5)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_constraintdef(k.oid) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
            "WHERE k.contype = 'p' AND c.relname IN (%s, %s)",
            [f"matching_candidatematch_g{run.generation}", f"matching_vacancymatch_g{run.generation}"])
        keys = dict(cursor.fetchall())
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename IN (%s, %s)",
                       [f"matching_candidatematch_g{run.generation}", f"matching_vacancymatch_g{run.generation}"])
        n_indexes = cursor.fetchone()[0]
    assert keys == {f"matching_candidatematch_g{run.generation}": "PRIMARY KEY (profile_id, vacancy_id, generation)",
                    f"matching_vacancymatch_g{run.generation}": "PRIMARY KEY (vacancy_id, profile_id, generation)"}
    assert n_indexes == 4  # key and rank index of each partition, attached to the parents' indexes
    assert run.vacancy_rows == VacancyMatch.objects.filter(generation=run.generation).count() > 0
