"""Cost of the ranked-candidate and my-matches APIs: queries per page bounded and independent of the number of
rows on the page; the direct serializers answer exactly what DRF's generic serialization would; the reference
data the explanations reuse between requests is rebuilt as soon as it changes."""

import pytest
from rest_framework import serializers

from apps.matching import explain
from apps.matching.api.serializers import CandidateSerializer, VacancyMatchSerializer
from apps.skills.models import Location

from .match_world import (
    AMAZON,
    LISTING,
    TIKTOK,
    _student,
    build_world,
    fresh_incremental_cache,  # noqa: F401 (autouse)
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgres_only(db):
    """The budgets and the reuse of reference data between requests are PostgreSQL's (production and CI);
    on SQLite the explanations rebuild their reference data on every request by design."""
    from django.db import connection

    from tests.conftest import require_service

    require_service("PostgreSQL", connection.vendor == "postgresql", "query budgets are PostgreSQL's")

# auth is forced (no token query); vacancy + managed check + profile scope + generation + count + rows +
# contact consent + audit (3) + explanations (fingerprint, idf state passed in, arrays, labels) + computed_at.
MAX_CANDIDATE_QUERIES = 24
MAX_MY_MATCHES_QUERIES = 20


@pytest.fixture
def world():
    w = build_world(rematch=False)
    # more candidates than a small page holds: the query count must not grow with the rows shown
    for i in range(9):
        _student(f"Extra {i}", skills={TIKTOK: 2 + i % 3, AMAZON: 3, LISTING: 1 + i % 4}, english=3 + i % 3,
                 contact_visible_to_firms=bool(i % 2))
    from apps.matching import services

    services.full_rematch_in_process(reason="test")
    return w


def _client(api_client, user):
    api_client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    api_client.force_authenticate(user)
    return api_client


def _queries(django_assert_max_num_queries, client, url, limit):
    with django_assert_max_num_queries(limit) as captured:
        answer = client.get(url)
    assert answer.status_code == 200, answer.content
    return answer.json(), len(captured.captured_queries)


def test_candidates_queries_bounded_and_independent_of_page_size(api_client, world, django_assert_max_num_queries):
    client = _client(api_client, world.firm_user)
    url = f"/api/v1/vacancies/{world.vacancy.pk}/candidates/"
    client.get(url)  # the first call builds the per-process reference data
    one, n_one = _queries(django_assert_max_num_queries, client, url + "?page_size=1", MAX_CANDIDATE_QUERIES)
    many, n_many = _queries(django_assert_max_num_queries, client, url + "?page_size=50", MAX_CANDIDATE_QUERIES)
    assert len(one["results"]) == 1 and len(many["results"]) == many["count"] >= 10
    assert sum(1 for item in many["results"] if item["contact"]) >= 2  # contact + audit paths taken
    assert n_one == n_many


def test_my_matches_queries_bounded_and_independent_of_page_size(api_client, world, django_assert_max_num_queries):
    from apps.matching.models import VacancyMatch

    assert VacancyMatch.objects.filter(profile=world.full).count() >= 2
    client = _client(api_client, world.full.user)
    client.get("/api/v1/matches/mine/")
    one, n_one = _queries(django_assert_max_num_queries, client, "/api/v1/matches/mine/?page_size=1",
                          MAX_MY_MATCHES_QUERIES)
    many, n_many = _queries(django_assert_max_num_queries, client, "/api/v1/matches/mine/?page_size=50",
                            MAX_MY_MATCHES_QUERIES)
    assert len(one["results"]) == 1 and len(many["results"]) == many["count"] >= 2
    assert n_one == n_many


def _generic(serializer_class, items):
    """What DRF's own ``Serializer.to_representation`` gives for every item (nested serializers included)."""

    def walk(serializer, instance):
        answer = {}
        for field in serializer._readable_fields:
            attribute = field.get_attribute(instance)
            if attribute is None:
                answer[field.field_name] = None
            elif isinstance(field, serializers.ListSerializer):
                answer[field.field_name] = [walk(field.child, item) for item in attribute]
            elif isinstance(field, serializers.BaseSerializer):
                answer[field.field_name] = walk(field, attribute)
            else:
                answer[field.field_name] = field.to_representation(attribute)
        return answer

    return [walk(serializer_class(), item) for item in items]


def test_direct_serializers_equal_drf_generic_output(world):
    from apps.matching import selectors

    rows = list(selectors.vacancy_candidates(vacancy_id=world.vacancy.pk))
    whys = explain.explain_for_vacancy(world.vacancy, rows)
    items = [{"rank": i + 1, "row": row, "why": why, "profile": row.profile,
              "contact": row.profile.user if i % 2 else None} for i, (row, why) in enumerate(zip(rows, whys))]
    direct = CandidateSerializer(items, many=True).data
    assert [dict(d) for d in direct] == _generic(CandidateSerializer, items)
    assert any(d["missing_skills"] for d in direct) and any(d["languages_missing"] for d in direct)
    # a generic serializer over the same items answers the same keys in the same order
    assert list(direct[0]) == list(_generic(CandidateSerializer, items)[0])

    vrows = list(selectors.profile_vacancies(profile_id=world.gap.pk))
    vwhys = explain.explain_for_profile(world.gap, vrows)
    vitems = [{"rank": i + 1, "row": row, "why": why, "vacancy": row.vacancy}
              for i, (row, why) in enumerate(zip(vrows, vwhys))]
    assert vitems and [dict(d) for d in VacancyMatchSerializer(vitems, many=True).data] == _generic(
        VacancyMatchSerializer, vitems)


def test_reference_data_rebuilt_when_it_changes(world):
    from apps.matching import selectors

    full_row = next(r for r in selectors.vacancy_candidates(vacancy_id=world.vacancy.pk)
                    if r.profile_id == world.full.pk)
    first = explain.explain_for_vacancy(world.vacancy, [full_row])[0]
    assert "prefers Hi-tech Zone" in first.reason
    cached = explain._reference()
    assert explain._reference() is cached  # unchanged data: reused
    Location.objects.filter(code="hi_tech_zone").update(label_en="Renamed Zone")
    assert explain._reference() is not cached
    again = explain.explain_for_vacancy(world.vacancy, [full_row])[0]
    assert "prefers Renamed Zone" in again.reason
    # a new skill changes the vocabulary the explanations are laid out on
    before = explain._reference().vocab.skill_ids.size
    from apps.skills.models import Skill

    template = Skill.objects.filter(is_language=False).first()
    Skill.objects.create(code="test.new_skill", category=template.category, label_en="New", label_zh="新")
    assert explain._reference().vocab.skill_ids.size == before + 1
    assert explain.explain_for_vacancy(world.vacancy, [full_row])[0].reason == again.reason
