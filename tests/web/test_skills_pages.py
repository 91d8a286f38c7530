"""The skills browser and the JSON search the skill pickers use."""

import pytest


@pytest.mark.django_db
def test_browser_lists_categories_and_both_labels(client):
    response = client.get("/en/skills/?category=platform")
    body = response.content.decode()
    assert response.status_code == 200
    assert "速卖通运营" in body and "AliExpress" in body
    assert all(skill.category.code == "platform" for skill in response.context["page_obj"])


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["速卖通", "ａｌｉｅｘｐｒｅｓｓ", "AliExpress"])
def test_browser_search_finds_any_name(client, query):
    response = client.get("/skills/", {"q": query})
    assert "platform.aliexpress" in [skill.code for skill in response.context["page_obj"]]


@pytest.mark.django_db
def test_search_json(client):
    data = client.get("/skills/search.json", {"q": "ＡＥ运营"}).json()
    assert data["results"][0]["code"] == "platform.aliexpress"
    assert data["results"][0]["label"] == "速卖通运营"
    data = client.get("/en/skills/search.json", {"q": "速卖通"}).json()
    assert data["results"][0]["label"] == "AliExpress"
    assert client.get("/skills/search.json", {"q": ""}).json() == {"results": []}
    languages = client.get("/skills/search.json", {"q": "english", "languages": "1"}).json()["results"]
    assert languages and all(item["is_language"] for item in languages)
    no_languages = client.get("/skills/search.json", {"q": "english", "languages": "0"}).json()["results"]
    assert all(not item["is_language"] for item in no_languages)
    assert client.get("/skills/search.json", {"q": "a", "limit": "lots"}).status_code == 200
    assert len(client.get("/skills/search.json", {"q": "a", "limit": "1000"}).json()["results"]) <= 25


@pytest.mark.django_db
def test_unknown_skill_page_is_404(client):
    assert client.get("/skills/no.such.skill/").status_code == 404
