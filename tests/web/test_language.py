"""The language switch keeps the current page; Chinese has no prefix, English lives under /en/."""

import pytest
from django.conf import settings


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "language", "expected"), [
    ("/vacancies/?q=amazon&page=2", "en", "/en/vacancies/?q=amazon&page=2"),
    ("/en/vacancies/", "zh-hans", "/vacancies/"),
    ("/en/skills/platform.aliexpress/", "zh-hans", "/skills/platform.aliexpress/"),
    ("/", "en", "/en/"),
])
def test_switch_form_points_at_the_same_page(client, page, language, expected):
    body = client.get(page).content.decode()
    form = body[body.index('class="lang-switch'):]
    form = form[:form.index("</form>")]
    assert f'name="next" value="{expected.replace("&", "&amp;")}"' in form
    assert f'value="{language}"' in form
    response = client.post("/i18n/setlang/", {"language": language, "next": expected})
    assert response.status_code == 302 and response["Location"] == expected
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


@pytest.mark.django_db
def test_the_switched_page_is_in_the_other_language(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/en/vacancies/"}, follow=True)
    assert response.status_code == 200
    assert "Vacancies" in response.content.decode() and 'lang="en"' in response.content.decode()
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/vacancies/"}, follow=True)
    assert "浏览职位" in response.content.decode() and 'lang="zh-Hans"' in response.content.decode()


@pytest.mark.django_db
def test_chinese_is_the_default_without_a_prefix(client):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "为跨境电商找到合适的人才" in body
