"""Cost of the vacancy browse list: a bounded number of queries per page whatever the page size, the number of
vacancies or their requirements, with every filter the load bench uses."""

import pytest

from apps.jobs.models import VacancyLanguage
from apps.skills.models import Skill
from tests import factories

pytestmark = pytest.mark.django_db

# auth is forced (no token query): COUNT + page + skills prefetch + languages prefetch (+1 spare)
MAX_QUERIES = 5
SKILLS = ["platform.amazon_seller_central", "platform.tiktok_shop", "platform.listing_optimization"]


def _vacancies(n: int):
    firm = factories.FirmFactory()
    english = Skill.objects.get(code="lang.en")
    for i in range(n):
        vacancy = factories.VacancyFactory(firm=firm, title=f"Amazon operator {i}", location="city_centre",
                                           remote=bool(i % 2))
        factories.require_skills(vacancy, required={code: (2, 1.0) for code in SKILLS[: 1 + i % 3]},
                                 optional={"content.listing_copywriting": (2, 1.0)})
        VacancyLanguage.objects.create(vacancy=vacancy, language=english, min_cefr=3)


@pytest.mark.parametrize("query", [
    "status=open", "status=open&page_size=50", "status=open&ordering=-published_at",
    "status=open&remote=true&ordering=-salary", "status=open&skill=platform.amazon_seller_central",
    "status=open&q=amazon", "status=open&location=city_centre", "status=open&job_type=full_time",
])
def test_browse_queries_bounded_and_independent_of_rows(client_for, student, query, django_assert_max_num_queries):
    client = client_for(student)
    counts = []
    for n in (2, 25):  # a few vacancies, then more than a page
        _vacancies(n if not counts else n - 2)
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            answer = client.get(f"/api/v1/vacancies/?{query}")
        assert answer.status_code == 200, answer.content
        body = answer.json()
        assert body["count"] >= len(body["results"]) > 0
        assert all(item["required_skills"] and item["languages"] for item in body["results"])
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
