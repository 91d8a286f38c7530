"""The browser reaches the site: home page in both languages, and the language switch."""

import pytest

from tests.browser.conftest import shot, url


@pytest.mark.parametrize("lang, heading_lang", [("zh-hans", "zh-hans"), ("en", "en")])
def test_home_page_renders_in_both_languages(page, lang, heading_lang):
    response = page.goto(url("/", lang))
    assert response.status == 200
    assert page.get_attribute("html", "lang").lower() == heading_lang
    assert page.locator("header .brand").is_visible()
    shot(page, "home")
    assert page.js_errors == []
