"""Government reports and the match-run review in a real browser, in both languages, with screenshots.

The build runs in-process (eager Celery) after the form's transaction commits, so "waiting for it" is the
redirect to a finished report; the live progress poll is checked separately by advancing a pending snapshot
from the test while the page is open.
"""

import pytest

from apps.matching import services as matching_services
from apps.reports.models import ReportSnapshot, SnapshotStatus
from apps.reports.services.build import build_snapshot
from tests import factories
from tests.browser.conftest import LANGUAGES, SCREENSHOTS, assert_at, url
from tests.reports.conftest import report_world  # noqa: F401 - the seeded report data set, as a fixture

SHORT = {"zh-hans": "zh", "en": "en"}


def save(page, name: str) -> None:
    """A full-page screenshot under the exact name the issue lists (artifacts/screenshots/<name>.png)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def charts_rendered(page) -> int:
    """How many report charts have a real size on screen (an SVG that failed to lay out has none)."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('svg.chart'))
        .filter(svg => { const r = svg.getBoundingClientRect(); return r.width > 100 && r.height > 30; }).length""")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_government_user_builds_a_report_and_sees_the_charts(page, login_as, report_world, lang):  # noqa: F811
    login_as("government", lang=lang)
    page.goto(url("/reports/", lang))
    assert_at(page, url("/reports/", lang))
    assert page.locator("form.build-form").count() == 1

    build_form = page.locator("form.build-form")
    build_form.locator("input[name=period]").fill("2026-11")
    with page.expect_navigation():
        build_form.locator("button[type=submit]").click()
    snapshot = ReportSnapshot.objects.get(period="2026-11")
    assert_at(page, url(f"/reports/{snapshot.pk}/", lang))
    page.wait_for_selector("#demand")
    assert snapshot.status == SnapshotStatus.DONE
    assert charts_rendered(page) >= 10
    assert page.locator("text=<5").count() >= 1  # small groups shown suppressed
    assert page.locator(".site-nav").count() == 1
    assert page.js_errors == []
    page.evaluate("window.scrollTo(0, 0)")
    skill = snapshot.data["demand_supply"]["skills"][0]
    assert (skill["label_zh"] if lang == "zh-hans" else skill["label_en"]) in page.inner_text("#demand")
    save(page, f"report-detail-{SHORT[lang]}")

    # the printable page: same charts, no navigation
    page.goto(url(f"/reports/{snapshot.pk}/print/", lang))
    assert page.locator(".site-nav").count() == 0
    assert charts_rendered(page) >= 10

    # a build in progress: the page polls and shows the report by itself once the worker is done
    pending = ReportSnapshot.objects.create(period="2026-10", progress=5, progress_message="Counting demand")
    page.goto(url(f"/reports/{pending.pk}/", lang))
    page.wait_for_selector("[data-progress-url]")
    ReportSnapshot.objects.filter(pk=pending.pk).update(status=SnapshotStatus.RUNNING, progress=40)
    page.wait_for_function("() => document.querySelector('progress').value === 40")
    assert "40%" in page.inner_text("[data-progress-pct]")
    build_snapshot(ReportSnapshot.objects.get(pk=pending.pk))
    page.wait_for_selector("#demand", timeout=15_000)
    assert charts_rendered(page) >= 10

    page.goto(url("/reports/", lang))
    assert page.locator("table.snapshots tbody tr").count() == 2
    save(page, f"reports-{SHORT[lang]}")
    assert page.js_errors == []


def test_admin_reviews_a_match_run(page, login_as):
    firm = factories.FirmFactory()
    for index, (code, level) in enumerate([("platform.amazon_seller_central", 3), ("platform.tiktok_shop", 5)]):
        vacancy = factories.VacancyFactory(firm=firm, title=f"Operator {index}")
        factories.require_skills(vacancy, required={code: (level, 1.0)})
    for level in (3, 4, 5, 2):
        factories.give_skills(factories.StudentFactory().profile, **{"platform.amazon_seller_central": level})
    factories.StudentFactory()  # no skills: matches nothing
    matching_services.full_rematch_in_process(reason="first")
    for level in (3, 4, 5, 4, 3, 5, 4):
        factories.give_skills(factories.StudentFactory().profile, **{"platform.amazon_seller_central": level})
    run = matching_services.full_rematch_in_process(reason="nightly")

    login_as("admin", lang="en")
    page.goto(url("/reports/runs/", "en"))
    assert page.locator(f"tr[data-run='{run.pk}']").count() == 1
    with page.expect_navigation():
        page.locator(f"tr[data-run='{run.pk}'] a").first.click()
    assert_at(page, url(f"/reports/runs/{run.pk}/", "en"))
    assert "Operator 1" in page.inner_text("#anomalies")
    assert page.locator("table[data-anomaly=shifts] tbody tr").count() >= 1

    page.select_option("#review select[name=status]", "flagged")
    with page.expect_navigation():
        page.locator("#review button[type=submit]").click()
    page.fill("#comments textarea[name=text]", "Profiles jumped by 7 after the import; scores look fine.")
    with page.expect_navigation():
        page.locator("#comments button[type=submit]").click()
    assert page.locator("#review-badge.badge-flagged").count() == 1
    assert "Profiles jumped by 7" in page.inner_text("#comments")
    assert charts_rendered(page) >= 1
    page.evaluate("window.scrollTo(0, 0)")  # the redirect jumped to #comments; the sticky header would follow
    save(page, "run-review-en")
    assert page.js_errors == []
