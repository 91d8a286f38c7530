"""One journey per role, in a real browser, in both languages; each ends with a screenshot.

Assertions read the database and the page's structure (URLs, input names, CSS state classes), so the
same test holds in Chinese and English; English-only text checks are guarded by ``lang == "en"``.
"""

import pytest

from apps.accounts.models import ApprovalStatus
from apps.jobs.models import Vacancy, VacancyStatus
from apps.talent.models import ProfileSkill, StudentProfile
from tests import factories
from tests.browser.conftest import LANGUAGES, assert_at, shot, url


def click_and_wait(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_student_edits_profile_and_adds_a_skill(page, login_as, lang):
    student = login_as("student", lang=lang)
    assert_at(page, url("/dashboard/", lang))

    click_and_wait(page, f"main a[href$='{url('/profile/edit/', lang)}']")
    page.fill("input[name=full_name]", "Zhou Min")
    page.fill("input[name=school]", "Jinhua Polytechnic")
    page.fill("input[name=major]", "Cross-border e-commerce")
    page.fill("input[name=graduation_year]", "2027")
    page.fill("textarea[name=bio]", "Ran an AliExpress store for a textile firm; some customs paperwork.")
    page.check("input[name=pref_job_types][value=internship]")
    shot(page, "student-profile-edit")
    click_and_wait(page, "main form button[type=submit]")

    assert_at(page, url("/profile/", lang))
    assert page.locator(".alert-success").count() == 1
    profile = StudentProfile.objects.get(user=student)
    assert (profile.school, profile.major, profile.graduation_year) == (
        "Jinhua Polytechnic",
        "Cross-border e-commerce",
        2027,
    )
    assert profile.pref_job_types == ["internship"]
    student.refresh_from_db()
    assert student.full_name == "Zhou Min"

    page.goto(url("/profile/skills/", lang))
    add_form = page.locator("#add-skill form")
    add_form.locator("input[name=name]").fill("速卖通")  # an alias: resolved on the server to AliExpress
    add_form.locator("select[name=level]").select_option("4")
    with page.expect_navigation():
        add_form.locator("button[type=submit]:not([name=pick])").last.click()

    assert_at(page, url("/profile/skills/", lang))
    assert page.locator(".alert-success").count() == 1
    assert page.locator(".skill-line .skill-name").count() == 1
    held = ProfileSkill.objects.select_related("skill").get(profile=profile)
    assert (held.skill.code, held.level) == ("platform.aliexpress", 4)
    expected_label = held.skill.label_en if lang == "en" else held.skill.label_zh
    assert expected_label in page.inner_text(".skill-line .skill-name")
    shot(page, "student-skills")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_firm_creates_and_publishes_a_vacancy(page, login_as, lang):
    firm_user = login_as("firm", lang=lang)
    firm = firm_user.primary_organisation

    click_and_wait(page, f"header a[href$='{url('/vacancies/new/', lang)}']")
    page.fill("input[name=title]", "Amazon store operator (Germany)")
    page.fill("textarea[name=description]", "Run our abrasive-belt store on Amazon.de; listings, ads, FBA.")
    page.select_option("select[name=job_type]", "full_time")
    page.fill("input[name=openings]", "2")
    page.fill("input[name='skills-0-name']", "Amazon Seller Central")
    page.select_option("select[name='skills-0-min_level']", "3")
    shot(page, "firm-vacancy-form")
    click_and_wait(page, "main button[name=action][value=publish]")

    vacancy = Vacancy.objects.get(firm=firm)
    assert_at(page, url(f"/vacancies/{vacancy.pk}/", lang))
    assert page.locator(".alert-success").count() == 1
    assert vacancy.status == VacancyStatus.OPEN
    assert vacancy.title == "Amazon store operator (Germany)"
    assert vacancy.openings == 2
    assert list(vacancy.skills.values_list("skill__code", "min_level")) == [("platform.amazon_seller_central", 3)]
    assert "Amazon store operator (Germany)" in page.inner_text("main")
    shot(page, "firm-vacancy-published")

    # Published vacancies are public: an anonymous visitor finds it in the list.
    page.context.clear_cookies()
    page.goto(url("/vacancies/", lang))
    assert page.locator(f"main a[href$='/vacancies/{vacancy.pk}/']").count() >= 1


@pytest.mark.parametrize("lang", LANGUAGES)
def test_university_user_reaches_the_imports_page(page, login_as, lang):
    login_as("university", lang=lang)

    click_and_wait(page, f"header a[href$='{url('/imports/', lang)}']")
    assert_at(page, url("/imports/", lang))
    assert page.locator("main form input[type=file]").count() >= 1
    assert page.locator("main h1").is_visible()
    shot(page, "university-imports")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_government_user_logs_in_and_sees_the_dashboard(page, login_as, lang):
    user = login_as("government", lang=lang)

    assert_at(page, url("/dashboard/", lang))
    lead = page.inner_text("main .page-head")
    assert user.primary_organisation.name in lead
    assert user.get_short_name() in page.inner_text("main h1")
    assert page.locator(f"main a[href$='{url('/reports/', lang)}']").is_visible()
    if lang == "en":
        assert "Reports" in page.inner_text("main")
    shot(page, "government-dashboard")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_admin_approves_a_pending_firm_in_the_django_admin(page, login_as, lang):
    pending = factories.FirmFactory(status=ApprovalStatus.PENDING, approved_at=None, name=f"Yiwu Sourcing ({lang})")
    admin = login_as("admin", lang=lang)

    # The dashboard counts the pending organisations and links to them.
    click_and_wait(page, "main a[href*='/admin/accounts/organisation/']")
    assert "status__exact=pending" in page.url
    row = page.locator("#result_list tbody tr", has_text=pending.name)
    assert row.count() == 1
    row.locator("input[name=_selected_action]").check()
    page.select_option("select[name=action]", "approve")
    shot(page, "admin-approve")
    click_and_wait(page, "button[name=index]")

    assert page.locator(".messagelist .success").count() == 1
    pending.refresh_from_db()
    assert pending.status == ApprovalStatus.APPROVED
    assert pending.approved_by == admin
    assert pending.approved_at is not None
    shot(page, "admin-approved")
