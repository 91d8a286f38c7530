"""Every page answers the right roles in both languages, and turns the wrong ones away."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories

ROLES = ["anonymous", "student", "firm", "university", "government", "admin"]
SIGNED_IN = ROLES[1:]

# name, kwargs, roles allowed, a Chinese string and an English string the page must show.
PAGES = [
    ("web:home", {}, ROLES, "为跨境电商找到合适的人才", "The right people for cross-border e-commerce"),
    ("jobs:list", {}, ROLES, "个开放职位", "open vacanc"),
    ("skills:index", {}, ROLES, "技能分类体系", "Skills taxonomy"),
    ("skills:detail", {"code": "platform.aliexpress"}, ROLES, "其他名称", "Also known as"),
    ("accounts:login", {}, ["anonymous"], "忘记密码？", "Forgot your password?"),
    ("accounts:signup", {}, ["anonymous"], "您以什么身份注册？", "Who are you signing up as?"),
    ("accounts:signup_role", {"role": "firm"}, ["anonymous"], "企业名称", "Firm name"),
    ("accounts:signup_role", {"role": "student"}, ["anonymous"], "注册身份", "Sign up as"),
    ("accounts:password_reset", {}, ROLES, "发送链接", "Send the link"),
    ("accounts:password_change", {}, SIGNED_IN, "修改密码", "Change password"),
    ("talent:profile", {}, ["student"], "求职意向", "Preferences"),
    ("talent:edit", {}, ["student"], "关于您", "About you"),
    ("talent:privacy", {}, ["student"], "谁可以查看我的档案", "Who can see my profile"),
    ("talent:skills", {}, ["student"], "添加技能", "Add a skill"),
    ("talent:students", {}, ["university", "admin"], "与本机构关联的学生和学员", "Students and trainees linked"),
    ("jobs:mine", {}, ["firm"], "这里还没有职位", "No vacancies here yet"),
    ("jobs:create", {}, ["firm"], "职位信息", "The job"),
]

DASHBOARD_TEXT = {
    "student": ("找工作", "Find work"),
    "firm": ("通过表格一次上传多个职位", "Upload many vacancies at once"),
    "university": ("与本机构关联", "linked to your institution"),
    "government": ("全市技能供需情况", "City-wide skill demand and supply"),
    "admin": ("平台管理", "Platform administration"),
}


def _url(name, kwargs, lang):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs", "allowed", "zh", "en"), PAGES,
                         ids=[f"{p[0]}{'-' + '-'.join(map(str, p[1].values())) if p[1] else ''}" for p in PAGES])
def test_page_answers_allowed_roles_in_both_languages(client_for, role_users, name, kwargs, allowed, zh, en):
    for role in allowed:
        client = client_for(role_users[role])
        zh_url, en_url = _url(name, kwargs, "zh-hans"), _url(name, kwargs, "en")
        assert not zh_url.startswith("/en/") and en_url.startswith("/en/")
        response = client.get(zh_url)
        assert response.status_code == 200, (role, zh_url)
        assert zh in response.content.decode(), (role, zh_url)
        response = client.get(en_url)
        assert response.status_code == 200, (role, en_url)
        assert en in response.content.decode(), (role, en_url)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs", "allowed", "zh", "en"), PAGES,
                         ids=[f"{p[0]}{'-' + '-'.join(map(str, p[1].values())) if p[1] else ''}" for p in PAGES])
def test_page_turns_away_other_roles(client_for, role_users, name, kwargs, allowed, zh, en):
    for role in set(ROLES) - set(allowed):
        response = client_for(role_users[role]).get(_url(name, kwargs, "en"))
        if role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], role
        elif allowed == ["anonymous"]:
            # Login and sign-up pages send signed-in people to their dashboard.
            assert response.status_code == 302 and response["Location"].endswith("/dashboard/"), role
        else:
            assert response.status_code == 403, (role, name)
            assert "This page is not for your account" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", SIGNED_IN)
def test_dashboard_shows_what_each_role_does_next(client_for, role_users, role):
    zh, en = DASHBOARD_TEXT[role]
    client = client_for(role_users[role])
    assert zh in client.get("/dashboard/").content.decode()
    assert en in client.get("/en/dashboard/").content.decode()


@pytest.mark.django_db
def test_dashboard_needs_login(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_pending_organisation_sees_its_status(client_for, pending_firm_user):
    client = client_for(pending_firm_user)
    body = client.get("/en/dashboard/").content.decode()
    assert "awaits approval by a platform admin" in body
    body = client.get("/accounts/pending/").content.decode()
    assert "等待平台管理员审核" in body


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "links", "absent"), [
    ("anonymous", ["/en/vacancies/", "/en/accounts/login/", "/en/accounts/signup/"], ["/en/profile/"]),
    ("student", ["/en/profile/", "/en/matches/mine/", "/en/vacancies/"], ["/en/vacancies/new/", "/en/admin/"]),
    ("firm", ["/en/vacancies/mine/", "/en/vacancies/new/", "/en/imports/"], ["/en/profile/"]),
    ("university", ["/en/imports/", "/en/profile/students/"], ["/en/vacancies/new/"]),
    ("government", ["/en/reports/"], ["/en/vacancies/new/", "/en/imports/"]),
    ("admin", ["/en/admin/"], ["/en/vacancies/new/"]),
])
def test_navigation_depends_on_role(client_for, role_users, role, links, absent):
    body = client_for(role_users[role]).get("/en/").content.decode()
    nav = body[body.index('id="site-nav"'):body.index("</nav>")]
    for link in links:
        assert f'href="{link}"' in nav, link
    for link in absent:
        assert f'href="{link}"' not in nav, link


@pytest.mark.django_db
def test_home_counts_open_vacancies_students_and_skills(client):
    factories.VacancyFactory.create_batch(3)
    factories.VacancyFactory(status="draft")
    factories.StudentFactory.create_batch(2)
    response = client.get("/en/")
    assert response.context["counts"]["vacancies"] == 3
    assert response.context["counts"]["students"] == 2
    assert response.context["counts"]["skills"] > 200


@pytest.mark.django_db
def test_unknown_page_is_a_translated_404(client):
    response = client.get("/vacancies/999999/")
    assert response.status_code == 404
    assert "找不到此页面" in response.content.decode()
