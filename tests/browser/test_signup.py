"""Signing up in a real browser: a student goes straight to the skill editor, a firm waits for approval."""

import pytest

from apps.accounts.models import AccountType, ApprovalStatus, Membership, Organisation, User
from apps.talent.models import StudentProfile
from tests.browser.conftest import LANGUAGES, assert_at, shot, url

PASSWORD = "a-long-enough-passphrase-42"


def fill_common(page, *, name: str, email: str, password: str = PASSWORD, again: str | None = None) -> None:
    page.fill("input[name=full_name]", name)
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", password)
    page.fill("input[name=password2]", again if again is not None else password)


def submit(page) -> None:
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_student_signs_up_and_lands_in_the_skill_editor(page, lang):
    page.goto(url("/accounts/signup/", lang))
    shot(page, "signup-choose")
    with page.expect_navigation():
        page.locator("main a[href$='/accounts/signup/student/']").click()
    email = f"lin.{lang}@student.example.cn"
    fill_common(page, name="林小雨", email=email)
    shot(page, "signup-student-form")
    submit(page)

    assert_at(page, url("/profile/skills/", lang))
    assert page.locator(".alert-success").count() == 1
    assert page.locator("header form[action$='/accounts/logout/']").count() == 1  # signed in
    shot(page, "signup-student-done")
    user = User.objects.get(email=email)
    assert user.account_type == AccountType.STUDENT
    assert user.full_name == "林小雨"
    assert StudentProfile.objects.filter(user=user).exists()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_firm_signs_up_and_sees_that_it_awaits_approval(page, lang):
    page.goto(url("/accounts/signup/firm/", lang))
    email = f"hr.{lang}@abrasives.example.cn"
    fill_common(page, name="Wang Fang", email=email)
    page.fill("input[name=organisation_name]", f"Jinhua Abrasive Belts Co. ({lang})")
    page.select_option("select[name=firm_category]", index=1)
    assert page.locator(".alert-info").count() == 1  # organisations are told about the approval step
    submit(page)

    assert_at(page, url("/accounts/pending/", lang))
    assert page.locator(".badge-pending").is_visible()
    if lang == "en":
        assert "awaits approval" in page.inner_text("main")
    shot(page, "signup-firm-pending")
    user = User.objects.get(email=email)
    organisation = Organisation.objects.get(name=f"Jinhua Abrasive Belts Co. ({lang})")
    assert user.account_type == AccountType.FIRM
    assert organisation.status == ApprovalStatus.PENDING
    assert Membership.objects.filter(user=user, organisation=organisation).exists()

    # The dashboard repeats it until an admin decides.
    page.goto(url("/dashboard/", lang))
    assert page.locator(".alert-warning a[href$='/accounts/pending/']").is_visible()


def test_sign_up_with_differing_passwords_keeps_the_form_and_stores_nothing(page):
    page.goto(url("/accounts/signup/student/", "en"))
    fill_common(page, name="Chen Hao", email="chen.hao@student.example.cn", again="another-long-passphrase-43")
    submit(page)

    assert page.url.endswith("/en/accounts/signup/student/")
    row = page.locator(".form-row.has-error", has=page.locator("input[name=password2]"))
    assert "differ" in row.inner_text()
    assert page.input_value("input[name=email]") == "chen.hao@student.example.cn"  # typed input is kept
    shot(page, "signup-error")
    assert not User.objects.filter(email="chen.hao@student.example.cn").exists()
