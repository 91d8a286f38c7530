"""Bad input never answers 500: junk bodies and query strings against every operation, as the owning role."""

import pytest

from tests.api.test_permission_matrix import MATRIX, OPERATIONS, _url

JUNK_BODIES = [
    [], "text", 12345, None, {"title": {"nested": 1}}, {"title": "x" * 10_000},
    {"required_skills": [None]}, {"required_skills": {"skill": "SEO"}}, {"required_skills": [{"skill": None}]},
    {"optional_skills": [{"skill": "SEO", "weight": "heavy", "min_level": [3]}]},
    {"languages": [{"language": ["English"], "min_cefr": None}]},
    {"skills": [{"skill": {"code": 1}, "level": "high"}], "languages": [{"language": "English", "cefr": 99}]},
    {"skill": "SEO", "level": 1.5}, {"language": "English", "cefr": True},
    {"names": [None, 3]}, {"text": None, "limit": "all"}, {"email": ["a@b.c"], "password": None},
    {"firm": "mine"}, {"firm": -1}, {"firm": 10**20}, {"deadline": "31/02/2026"}, {"salary_min": 10**12},
    {"markets": [None, {"x": 1}]}, {"pref_locations": [1, 2]}, {"graduation_year": 10**9},
    {"account_type": None, "email": "x@example.com", "password": "correct-horse-battery-staple"},
    {"title": "NUL \x00 byte"}, {"skill": "SEO\x00", "level": 2},
]

WRITE_OPERATIONS = sorted({op for op, _target in MATRIX if OPERATIONS[op].method in {"post", "put", "patch"}})


def _owning_target(operation):
    """A target on which the role ``firm`` (or ``student`` for the profile) is allowed to act."""
    targets = [target for op, target in MATRIX if op == operation]
    return next((t for t in targets if t.startswith("A.")), targets[0])


@pytest.mark.django_db
@pytest.mark.parametrize("operation", WRITE_OPERATIONS)
@pytest.mark.parametrize("role", ["firm", "student", "admin"])
def test_junk_bodies_never_answer_500(world, client_for, operation, role):
    op = OPERATIONS[operation]
    url = _url(op, _owning_target(operation), world)
    client = client_for(world["users"][role])
    for body in JUNK_BODIES:
        response = getattr(client, op.method)(url, body, format="json")
        assert response.status_code < 500, (operation, body, response.status_code)
    raw = getattr(client, op.method)(url, b"{not json", content_type="application/json")
    assert raw.status_code < 500  # 400 where the body is read; publish/close take no body and ignore it


@pytest.mark.django_db
@pytest.mark.parametrize("url", [
    "/api/v1/vacancies/?page=abc", "/api/v1/vacancies/?page=0", "/api/v1/vacancies/?firm=1e99",
    "/api/v1/vacancies/?q=%00", "/api/v1/vacancies/?skill=%00", "/api/v1/vacancies/?market=%00",
    "/api/v1/vacancies/?remote=maybe", "/api/v1/vacancies/?ordering=-salary,deadline,published_at",
    "/api/v1/vacancies/abc/", "/api/v1/vacancies/99999999999999999999/", "/api/v1/vacancies/%00/",
    "/api/v1/skills/?q=%00", "/api/v1/skills/?category=%00", "/api/v1/skills/%00/", "/api/v1/skills/a%00b/",
    "/api/v1/markets/%00/", "/api/v1/locations/%00/", "/api/v1/skill-categories/%00/",
    "/api/v1/organisations/?kind=%00", "/api/v1/organisations/?q=%00", "/api/v1/organisations/?search=%00",
    "/api/v1/organisations/?ordering=%00", "/api/v1/organisations/x/", "/api/v1/profile/skills/%00/",
])
def test_junk_urls_never_answer_500(world, client_for, url):
    for role in ("anonymous", "student", "firm"):
        response = getattr(client_for(world["users"][role]), "delete" if "profile" in url else "get")(url)
        assert response.status_code < 500, (role, url, response.status_code)
