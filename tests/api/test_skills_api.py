"""Taxonomy endpoints: search, lookup by code, reference lists, resolving names and suggesting from text."""

import pytest

from apps.skills.models import Location, Market, Skill, SkillAlias, SkillCategory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client_for):
    return client_for(None)


def codes(response):
    return [row["code"] for row in response.data["results"]]


def test_search_in_chinese_shows_both_labels_category_and_aliases(client):
    response = client.get("/api/v1/skills/", {"q": "速卖通"})
    assert response.status_code == 200
    assert codes(response) == ["platform.aliexpress"]
    skill = response.data["results"][0]
    assert (skill["label_en"], skill["label_zh"]) == ("AliExpress", "速卖通运营")
    assert skill["category"]["code"] == "platform"
    assert "速卖通" in skill["aliases_zh"]
    assert "AliExpress seller" in skill["aliases_en"]
    assert "AliExpress" not in skill["aliases_en"]  # labels are not repeated as aliases


def test_search_is_case_and_width_insensitive(client):
    assert "platform.aliexpress" in codes(client.get("/api/v1/skills/", {"q": "ＡＬＩＥＸＰＲＥＳＳ"}))


def test_search_by_category_and_language_flag(client):
    in_category = codes(client.get("/api/v1/skills/", {"category": "logistics", "q": ""}))
    assert in_category and all(code.startswith("logistics.") for code in in_category)
    languages = client.get("/api/v1/skills/", {"language": "true"})
    assert languages.data["count"] == Skill.objects.filter(is_language=True, is_active=True).count()
    assert all(row["is_language"] for row in languages.data["results"])
    no_languages = client.get("/api/v1/skills/", {"language": "false", "q": "英语"})
    assert all(not row["is_language"] for row in no_languages.data["results"])


def test_search_is_paginated(client):
    first = client.get("/api/v1/skills/")
    assert first.data["count"] == Skill.objects.filter(is_active=True).count()
    assert len(first.data["results"]) == 20
    assert first.data["next"]
    assert client.get("/api/v1/skills/", {"page": 999}).status_code == 404


def test_bad_search_parameter_is_a_400(client):
    response = client.get("/api/v1/skills/", {"language": "perhaps"})
    assert response.status_code == 400
    assert "language" in response.data


def test_detail_by_code_with_dots_and_colons(client):
    response = client.get("/api/v1/skills/logistics.fba/")
    assert response.status_code == 200
    assert response.data["code"] == "logistics.fba"
    category = SkillCategory.objects.create(code="esco", label_en="ESCO skills", label_zh="ESCO技能", order=99)
    Skill.objects.create(code="esco:0a1b-2c3d", label_en="manage warehouse", category=category, source="esco",
                         esco_uri="http://data.europa.eu/esco/skill/0a1b-2c3d")
    esco = client.get("/api/v1/skills/esco:0a1b-2c3d/")
    assert esco.status_code == 200
    assert esco.data["esco_uri"] == "http://data.europa.eu/esco/skill/0a1b-2c3d"
    assert client.get("/api/v1/skills/no.such:skill/").status_code == 404


def test_labels_follow_the_request_language(client_for):
    zh = client_for(None).get("/api/v1/skills/platform.aliexpress/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    en = client_for(None).get("/api/v1/skills/platform.aliexpress/", HTTP_ACCEPT_LANGUAGE="en")
    assert (zh.data["label"], en.data["label"]) == ("速卖通运营", "AliExpress")


def test_inactive_skills_are_not_served(client):
    Skill.objects.filter(code="platform.wish").update(is_active=False)
    assert client.get("/api/v1/skills/platform.wish/").status_code == 404
    assert "platform.wish" not in codes(client.get("/api/v1/skills/", {"q": "wish"}))


@pytest.mark.parametrize(("url", "model"), [("/api/v1/skill-categories/", SkillCategory),
                                             ("/api/v1/markets/", Market), ("/api/v1/locations/", Location)])
def test_reference_lists_are_complete_and_unpaginated(client, url, model):
    response = client.get(url)
    assert response.status_code == 200
    assert [row["code"] for row in response.data] == list(model.objects.values_list("code", flat=True))
    assert model.objects.count() >= 5
    first = response.data[0]
    assert set(first) == {"code", "label_en", "label_zh", "label"}
    assert client.get(f"{url}{first['code']}/").data == first


def test_resolve_lists_resolved_and_unknown_names_with_suggestions(client):
    response = client.post("/api/v1/skills/resolve/",
                           {"names": ["速卖通", "amazon", "LOGISTICS.FBA", "英语", "Amazn seller"]}, format="json")
    assert response.status_code == 200
    assert [(r["name"], r["skill"]["code"]) for r in response.data["resolved"]] == [
        ("速卖通", "platform.aliexpress"), ("amazon", "platform.amazon_seller_central"),
        ("LOGISTICS.FBA", "logistics.fba"), ("英语", "lang.en")]
    [unknown] = response.data["unknown"]
    assert unknown["name"] == "Amazn seller"
    assert unknown["message"].startswith("Unknown skill 'Amazn seller'.")
    assert any("platform.amazon_seller_central" in s for s in unknown["suggestions"])


def test_resolve_can_be_limited_to_languages(client):
    response = client.post("/api/v1/skills/resolve/", {"names": ["English", "SEO"], "kind": "language"},
                           format="json")
    assert [r["skill"]["code"] for r in response.data["resolved"]] == ["lang.en"]
    assert [u["name"] for u in response.data["unknown"]] == ["SEO"]


def test_resolve_reports_ambiguous_names(client):
    shared = "zz shared name"
    for code in ("platform.ebay", "platform.wish"):
        skill = Skill.objects.get(code=code)
        SkillAlias.objects.create(skill=skill, alias=shared, language="en", normalized=shared)
    [unknown] = client.post("/api/v1/skills/resolve/", {"names": [shared]}, format="json").data["unknown"]
    assert "ambiguous" in unknown["message"]
    assert "platform.ebay" in unknown["message"] and "platform.wish" in unknown["message"]


@pytest.mark.parametrize("body", [{}, {"names": []}, {"names": "速卖通"}, {"names": ["x"] * 201},
                                  {"names": ["x"], "kind": "everything"}])
def test_resolve_bad_bodies_are_400(client, body):
    assert client.post("/api/v1/skills/resolve/", body, format="json").status_code == 400


def test_suggest_finds_skills_in_free_text(client):
    text = "负责亚马逊店铺运营，熟悉 FBA 和 SEO，英语六级优先。Amazon experience a plus."
    response = client.post("/api/v1/skills/suggest/", {"text": text}, format="json")
    assert response.status_code == 200
    found = {s["code"]: s for s in response.data["suggestions"]}
    assert {"platform.amazon_seller_central", "logistics.fba", "marketing.seo", "lang.en"} <= set(found)
    assert found["platform.amazon_seller_central"]["occurrences"] == 2
    assert found["logistics.fba"]["label_zh"]


def test_suggest_limit_and_validation(client):
    text = "Amazon, eBay, Wish, Shopee, Lazada, SEO, FBA"
    assert len(client.post("/api/v1/skills/suggest/", {"text": text, "limit": 2}, format="json")
               .data["suggestions"]) == 2
    assert client.post("/api/v1/skills/suggest/", {"text": "x" * 20001}, format="json").status_code == 400
    assert client.post("/api/v1/skills/suggest/", {"text": "ok", "limit": 0}, format="json").status_code == 400
    assert client.post("/api/v1/skills/suggest/", {"text": "nothing relevant"}, format="json") \
        .data["suggestions"] == []
