"""Browser tests: Playwright driving Debian's Chromium against Django's ``live_server``.

Fixtures and helpers (every test in tests/browser/ is marked ``browser``):

- ``browser`` (session): headless /usr/bin/chromium with the flags this closed network needs. A missing
  Chromium skips on a laptop and fails in CI (``require_service``).
- ``page`` (function): a fresh context (own cookies) on ``live_server``; ``page.goto("/en/...")`` takes
  paths relative to the live server. The database is transactional (committed, flushed after the test).
- ``url(path, lang)``: the path in a language — ``"zh-hans"`` (the default, no prefix) or ``"en"``.
- ``log_in(page, user, lang=...)``: signs in through the real login form.
- ``assert_at(page, path)``: fails with the page's text when the browser is somewhere else.
- ``login_as(role, lang=...)`` fixture: creates a user of that role (student, firm, pending_firm,
  university, government, admin) with the factories, logs in, returns the user.
- ``shot(page, name)``: saves a full-page screenshot to artifacts/screenshots/<name>-<lang>.png
  (the folder is gitignored; CI keeps it for people to look at).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests import factories
from tests.conftest import require_service

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parent.parent.parent
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
DEFAULT_TIMEOUT_MS = 15_000
LANGUAGES = ("zh-hans", "en")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def url(path: str, lang: str = "en") -> str:
    """``path`` (starting with /) in ``lang``: Chinese is the default language and has no prefix."""
    if lang in ("zh-hans", "zh", None):
        return path
    return f"/{lang}{path}"


@pytest.fixture(scope="session")
def browser():
    require_service("Chromium", os.path.exists(CHROMIUM), f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django would then refuse ORM calls as
    # "async unsafe" in the tests (and fixtures) that run while the browser is open.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    """A new page in its own browser context, with relative URLs resolved against the live server."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="en-US",
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    context.close()


def shot(page, name: str) -> Path:
    """Save a full-page screenshot named after the page's language; returns its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    lang = (page.get_attribute("html", "lang") or "unknown").lower()
    safe = re.sub(r"[^a-z0-9_-]+", "-", name.lower())
    path = SCREENSHOTS / f"{safe}-{lang}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_at(page, path: str) -> None:
    """Fail with what the page says (messages, form errors) when the browser is not at ``path``."""
    if not page.url.split("?")[0].endswith(path):
        main = page.inner_text("main") if page.locator("main").count() else page.content()
        pytest.fail(f"expected to be at {path}, but the browser is at {page.url}; the page says:\n{main[:1500]}")


def log_in(page, user, *, lang: str = "en", password: str = factories.PASSWORD) -> None:
    """Sign in through the login form and wait until the browser has left the login page."""
    page.goto(url("/accounts/login/", lang))
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/accounts/login/" not in page.url, f"login failed for {user.email}: {page.inner_text('main')[:500]}"


ROLE_FACTORIES = {
    "student": lambda: factories.StudentFactory(),
    "firm": lambda: factories.MemberFactory(organisation=factories.FirmFactory()),
    "pending_firm": lambda: factories.MemberFactory(organisation=factories.FirmFactory(status="pending")),
    "university": lambda: factories.MemberFactory(organisation=factories.UniversityFactory()),
    "government": lambda: factories.MemberFactory(organisation=factories.GovernmentFactory()),
    "admin": lambda: factories.AdminFactory(),
}


@pytest.fixture
def login_as(page):
    """``login_as("firm", lang="en")``: create a user of that role, sign in with ``page``, return the user."""

    def _login_as(role: str, *, lang: str = "en"):
        user = ROLE_FACTORIES[role]()
        log_in(page, user, lang=lang)
        return user

    return _login_as
