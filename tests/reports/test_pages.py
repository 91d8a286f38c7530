"""Report pages: who may open them, building with live progress, filters with clear errors, the sections and
their charts, exports, the printable page, both languages — and no small group or identity on any page."""

import json
import re

import pytest
from django.urls import reverse

from apps.reports.models import ReportSnapshot, SnapshotStatus, current_period
from apps.reports.selectors import report_for
from apps.reports.services.build import build_snapshot
from tests import factories

SMALL = re.compile(r"&lt;5")


def built(**filters) -> ReportSnapshot:
    snapshot = ReportSnapshot.objects.create(period=current_period(),
                                             **{f"filter_{k}": v for k, v in filters.items()})
    snapshot = build_snapshot(snapshot)
    assert snapshot.status == SnapshotStatus.DONE, snapshot.error
    return snapshot


@pytest.fixture
def snapshot(report_world):
    return built()


def page_urls(snapshot):
    return [reverse("reports:index"), reverse("reports:detail", args=[snapshot.pk]),
            reverse("reports:progress", args=[snapshot.pk]), reverse("reports:print", args=[snapshot.pk]),
            reverse("reports:export", args=[snapshot.pk, "skills", "csv"]),
            reverse("reports:find") + "?period=" + snapshot.period]


@pytest.mark.parametrize(("role", "expected"), [
    ("anonymous", 302), ("student", 403), ("firm", 403), ("university", 403), ("government", 200), ("admin", 200),
])
def test_report_pages_are_for_government_and_platform_admins(client, role_users, snapshot, role, expected):
    user = role_users[role]
    if user is not None:
        client.force_login(user)
    for url in page_urls(snapshot):
        response = client.get(url)
        if url.startswith(reverse("reports:find")) and expected == 200:
            assert response.status_code == 302  # redirects to the matching report
            continue
        assert response.status_code == expected, url
        if expected == 302:
            assert "/accounts/login/" in response["Location"]
    response = client.post(reverse("reports:build"), {"period": "2026-10"})
    assert response.status_code == (302 if role in ("government", "admin", "anonymous") else 403)
    if role in ("student", "firm", "university"):
        assert not ReportSnapshot.objects.filter(period="2026-10").exists()


def test_a_non_staff_admin_account_is_refused(client, snapshot):
    user = factories.UserFactory(account_type="admin", is_staff=False)
    client.force_login(user)
    assert client.get(reverse("reports:index")).status_code == 403


def test_building_from_the_page_shows_progress_then_the_report(client, government_user, report_world,
                                                                django_capture_on_commit_callbacks):
    client.force_login(government_user)
    district = report_world["location"].code
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("reports:build"), {"period": "2026-11", "district": district})
    snapshot = ReportSnapshot.objects.get(period="2026-11")
    assert response.status_code == 302 and response["Location"] == reverse("reports:detail", args=[snapshot.pk])
    assert (snapshot.filter_district, snapshot.created_by, snapshot.status) == (district, government_user, "pending")

    # before the worker runs: the progress page polls a small JSON endpoint
    page = client.get(response["Location"]).content.decode()
    progress_url = reverse("reports:progress", args=[snapshot.pk])
    assert f'data-progress-url="{progress_url}"' in page
    assert "<progress" in page and 'http-equiv="refresh"' in page
    info = client.get(progress_url).json()
    assert info == {"id": snapshot.pk, "status": "pending", "status_label": "Waiting", "progress": 0,
                    "message": "Waiting for a worker", "done": False, "failed": False,
                    "url": reverse("reports:detail", args=[snapshot.pk])}
    # the index lists it with a live progress bar too
    index = client.get(reverse("reports:index")).content.decode()
    assert f'data-progress-url="{progress_url}"' in index

    # a second request for the same scope while it runs is refused with a message, not a second build
    again = client.post(reverse("reports:build"), {"period": "2026-11", "district": district}, follow=True)
    assert ReportSnapshot.objects.filter(period="2026-11").count() == 1
    assert "already being built" in again.content.decode()

    for callback in callbacks:  # the worker (eager Celery) builds it
        callback()
    info = client.get(progress_url).json()
    assert info["done"] and info["progress"] == 100
    page = client.get(response["Location"]).content.decode()
    assert 'id="demand"' in page and "data-progress-url" not in page
    assert page.count("<svg") >= 8


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"period": "2026-13"}, "period", "Enter a period as a month"),
    ({"period": ""}, "period", "This field is required"),
    ({"period": "2026-11", "district": "atlantis"}, "district", "Select a valid choice"),
    ({"period": "2026-11", "market": "<script>"}, "market", "Select a valid choice"),
    ({"period": "2026-11", "programme": "99999"}, "programme", "Select a valid choice"),
    ({"period": "2026-11", "programme": "abc"}, "programme", "Select a valid choice"),
])
def test_bad_build_input_is_a_clear_form_error(client, government_user, report_world, data, field, message):
    client.force_login(government_user)
    response = client.post(reverse("reports:build"), data)
    assert response.status_code == 400
    form = response.context["build_form"]
    assert field in form.errors and message in " ".join(form.errors[field])
    assert message in response.content.decode()
    assert "<script>" not in response.content.decode().split('id="build"')[1].split("</section>")[0]
    assert not ReportSnapshot.objects.exists()


def test_filters_find_the_report_or_offer_to_build_it(client, government_user, report_world):
    city = built()
    district = report_world["location"].code
    by_district = built(district=district)
    client.force_login(government_user)
    find = reverse("reports:find")

    response = client.get(find, {"period": city.period})
    assert response["Location"] == reverse("reports:detail", args=[city.pk])
    response = client.get(find, {"period": city.period, "district": district})
    assert response["Location"] == reverse("reports:detail", args=[by_district.pk])

    market = report_world["market"].code
    response = client.get(find, {"period": city.period, "market": market})
    assert response.status_code == 200
    assert "No finished report matches these filters yet" in response.content.decode()
    build_form = response.context["build_form"]
    assert build_form.initial["market"] == market and build_form.initial["period"] == city.period

    for bad, field in (({"period": "last week"}, "period"), ({"district": "nowhere"}, "district"),
                       ({"programme": "1; DROP TABLE"}, "programme")):
        response = client.get(find, bad)
        assert response.status_code == 400
        assert field in response.context["scope_form"].errors
        assert "errorlist" in response.content.decode()


def test_detail_shows_every_section_with_charts_and_suppressed_figures(client, government_user, snapshot,
                                                                       report_world):
    client.force_login(government_user)
    response = client.get(reverse("reports:detail", args=[snapshot.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for section in ("demand", "trend", "funnel", "training", "untaught", "near-miss"):
        assert f'id="{section}"' in page
    assert page.count('role="img"') >= 10
    data = report_for(government_user, snapshot)
    assert response.context["data"] == data  # the page reads the suppressed data only

    # the first skill row of the table shows the suppressed figures, exactly
    first = data["demand_supply"]["skills"][0]
    table = page.split('data-section="skills"', 1)[1].split("</table>", 1)[0]
    row = table.split(f"<tr><td>{first['label_en']}</td>", 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
    shown = lambda v: "&lt;5" if v == "<5" else f"{v:,}"  # noqa: E731
    assert cells[:4] == [str(first["required_level"]), shown(first["vacancies"]), shown(first["demand"]),
                         shown(first["supply"])]
    # the small training group (3 people) is shown as <5 and its rate left out
    small = next(r for r in data["training"]["programme"] if r["label_en"] == "Small programme")
    assert small["completed"] == "<5" and small["placement_rate"] is None
    small_row = page.split("Small programme</td>", 1)[1].split("</tr>", 1)[0]
    assert "&lt;5" in small_row and "—" in small_row
    # export links for each section, and the whole workbook
    for section in ("skills", "categories", "markets", "funnel", "programme", "untaught", "near_miss", "trend"):
        assert reverse("reports:export", args=[snapshot.pk, section, "csv"]) in page
    assert reverse("reports:export", args=[snapshot.pk, "all", "xlsx"]) in page


def test_no_name_email_or_small_raw_count_reaches_the_pages(client, government_user, snapshot, report_world):
    client.force_login(government_user)
    for url in (reverse("reports:detail", args=[snapshot.pk]), reverse("reports:print", args=[snapshot.pk])):
        page = client.get(url).content.decode()
        assert "Student Name" not in page and "@example.com" not in page
        for profile in report_world["students"]:
            assert profile.user.email not in page
    # every people count in the suppressed data is either >= 5 or the "<5" marker, and the marker is on the page
    data = report_for(government_user, snapshot)
    people = {"students", "supply", "qualified_candidates", "candidates", "pairs", "applications", "interviews",
              "offers", "hires", "filled_vacancies", "trained", "completed", "placed"}

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in people and isinstance(value, int):
                    assert value >= 5, (key, value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    assert SMALL.search(client.get(reverse("reports:detail", args=[snapshot.pk])).content.decode())


def test_labels_from_the_data_are_escaped(client, government_user, snapshot):
    evil = '<script>alert("x")</script>'
    data = dict(snapshot.data)
    data["untaught"] = [{"code": "x", "label_zh": evil, "label_en": evil, "category": "c", "vacancies": 3,
                         "demand": 9}]
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(data=data)
    client.force_login(government_user)
    page = client.get(reverse("reports:detail", args=[snapshot.pk])).content.decode()
    assert evil not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page or "&lt;script&gt;alert(" in page


def test_chinese_page_uses_chinese_labels(client, government_user, snapshot):
    client.force_login(government_user)
    from django.utils import translation

    with translation.override("zh-hans"):
        url = reverse("reports:detail", args=[snapshot.pk])
    assert not url.startswith("/en/")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'lang="zh-Hans"' in page
    skill = snapshot.data["demand_supply"]["skills"][0]
    assert skill["label_zh"] in page
    en = client.get("/en" + url).content.decode()
    assert 'lang="en"' in en and skill["label_en"] in en


def test_printable_page_has_no_navigation_and_print_styles(client, government_user, snapshot):
    client.force_login(government_user)
    page = client.get(reverse("reports:print", args=[snapshot.pk])).content.decode()
    assert 'id="site-nav"' not in page and "site-header" not in page.split("<body>")[1]
    assert "@media print" in page and "@page" in page
    assert page.count("<svg") >= 8
    assert "/export/" not in page  # no download links on paper


def test_exports_come_from_the_suppressed_data(client, government_user, snapshot):
    client.force_login(government_user)
    response = client.get(reverse("reports:export", args=[snapshot.pk, "programme", "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert "Small programme" in body and "<5" in body
    xlsx = client.get(reverse("reports:export", args=[snapshot.pk, "all", "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    for section, fmt in (("nonsense", "csv"), ("skills", "pdf"), ("all", "csv")):
        assert client.get(reverse("reports:export", args=[snapshot.pk, section, fmt])).status_code == 404


def test_unfinished_or_missing_reports(client, government_user, report_world):
    client.force_login(government_user)
    pending = ReportSnapshot.objects.create(period="2026-10")
    assert client.get(reverse("reports:print", args=[pending.pk])).status_code == 404
    assert client.get(reverse("reports:export", args=[pending.pk, "skills", "csv"])).status_code == 404
    assert client.get(reverse("reports:detail", args=[pending.pk + 100])).status_code == 404
    failed = ReportSnapshot.objects.create(period="2026-09", status=SnapshotStatus.FAILED, error="Boom: secret")
    page = client.get(reverse("reports:detail", args=[failed.pk])).content.decode()
    assert "This build failed" in page and "Boom: secret" not in page  # the error is for admins
    progress = json.loads(client.get(reverse("reports:progress", args=[failed.pk])).content)
    assert progress["failed"] is True and progress["done"] is False


def test_index_lists_snapshots_with_scope_names(client, admin_user, report_world):
    programme = report_world["programmes"]["big"]
    snapshot = built(programme=str(programme.pk))
    client.force_login(admin_user)
    page = client.get(reverse("reports:index")).content.decode()
    assert f'data-snapshot="{snapshot.pk}"' in page
    assert "Big programme" in page
    assert reverse("reports:runs") in page  # admins get the match-run review link
