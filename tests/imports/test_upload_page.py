"""The /imports/ page: who may upload, where rows land, what the page shows, the CSV template."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.accounts.models import Organisation
from apps.imports.csvio import CsvSource
from apps.jobs.models import Vacancy
from apps.talent.models import StudentProfile
from tests import factories
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db

PROFILE_HEADER = ["external_id", "full_name", "email", "skills", "languages"]
VACANCY_HEADER = ["external_id", "firm", "title", "required_skills"]


def upload(client, kind, rows, *, encoding="utf-8", strict=False, name="upload.csv"):
    data = {"file": SimpleUploadedFile(name, csv_bytes(rows, encoding=encoding), content_type="text/csv")}
    if strict:
        data["strict"] = "on"
    return client.post(reverse("imports:upload", args=[kind]), data)


@pytest.mark.parametrize("who", ["student", "government", "pending_firm", "admin"])
def test_people_outside_approved_universities_and_firms_get_403(client, who, student, government_user,
                                                                pending_firm_user, admin_user):
    user = {"student": student, "government": government_user, "pending_firm": pending_firm_user,
            "admin": admin_user}[who]
    client.force_login(user)
    assert client.get(reverse("imports:index")).status_code == 403
    for kind in ("profiles", "vacancies"):
        assert upload(client, kind, [PROFILE_HEADER, ["S1", "A", "a@example.com", "", ""]]).status_code == 403
        assert client.get(reverse("imports:template", args=[kind])).status_code == 403
    assert not StudentProfile.objects.filter(external_id="S1").exists()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("imports:index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_each_role_may_only_use_its_own_kind(client, firm_user, university_user):
    client.force_login(firm_user)
    page = client.get(reverse("imports:index"))
    assert page.status_code == 200 and 'id="import-vacancies"' in page.content.decode()
    assert 'id="import-profiles"' not in page.content.decode()
    assert upload(client, "profiles", [PROFILE_HEADER, ["S1", "A", "a@example.com", "", ""]]).status_code == 403
    client.force_login(university_user)
    assert upload(client, "vacancies", [VACANCY_HEADER, ["J1", "", "T", "选品"]]).status_code == 403
    assert client.get(reverse("imports:upload", args=["nonsense"])).status_code == 404


def test_university_upload_links_students_and_shows_the_report(client, university_user, university):
    client.force_login(university_user)
    rows = [PROFILE_HEADER,
            ["S1", "王小明", "s1@example.edu.cn", "Amazon Seller Central:4", "English:CET-6"],
            ["S2", "李四", "bad-email", "Amazn Seller Central", ""],
            ["S3", "张三", "s3@example.edu.cn", "", ""]]
    response = upload(client, "profiles", rows, encoding="gbk")
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 created, 0 updated, 0 unchanged, 1 rejected" in html
    assert "bad-email is not a valid email address" in html
    assert "Did you mean: Amazon Seller Central (platform.amazon_seller_central)" in html
    assert 'class="table import-errors"' in html and "<td class=\"num\">3</td>" in html
    assert "data:text/csv" in html
    assert set(StudentProfile.objects.filter(university=university).values_list("external_id", flat=True)) == {
        "S1", "S3"}


def test_strict_upload_writes_nothing(client, university_user):
    client.force_login(university_user)
    rows = [PROFILE_HEADER, ["S1", "A", "s1@example.com", "", ""], ["S2", "B", "nope", "", ""]]
    response = upload(client, "profiles", rows, strict=True)
    assert "nothing was written" in response.content.decode()
    assert not StudentProfile.objects.filter(external_id="S1").exists()


def test_firm_upload_lands_in_its_own_firm_even_if_the_csv_names_another(client, firm_user, firm):
    other = factories.FirmFactory(name="Someone Else Ltd")
    client.force_login(firm_user)
    rows = [VACANCY_HEADER, ["J1", other.name, "运营", "选品:3"], ["J2", "A Firm Nobody Made", "运营", "选品"]]
    response = upload(client, "vacancies", rows)
    assert response.status_code == 200 and "2 created" in response.content.decode()
    assert set(Vacancy.objects.filter(external_id__in=["J1", "J2"]).values_list("firm_id", flat=True)) == {firm.pk}
    assert not Vacancy.objects.filter(firm=other).exists()
    assert not Organisation.objects.filter(name="A Firm Nobody Made").exists()
    assert Vacancy.objects.get(external_id="J1").created_by == firm_user


def test_file_problems_are_shown_on_the_form(client, firm_user, settings):
    client.force_login(firm_user)
    response = upload(client, "vacancies", [["external_id", "title"], ["J1", "T"]])
    assert response.status_code == 400 and "missing required column(s): required_skills" in response.content.decode()
    settings.UPLOAD_MAX_BYTES = 50
    response = upload(client, "vacancies", [VACANCY_HEADER] + [["J1", "", "T" * 40, "选品"]])
    assert response.status_code == 400 and "uploads are limited to" in response.content.decode()
    settings.UPLOAD_MAX_BYTES = 10_000_000
    settings.IMPORT_MAX_ROWS_IN_REQUEST = 2
    response = upload(client, "vacancies", [VACANCY_HEADER] + [[f"J{i}", "", "T", "选品"] for i in range(3)])
    assert response.status_code == 400 and "imports up to 2 at a time" in response.content.decode()
    assert not Vacancy.objects.filter(external_id="J1").exists()


@pytest.mark.parametrize("kind,user_fixture", [("profiles", "university_user"), ("vacancies", "firm_user")])
def test_template_downloads_and_its_example_row_imports_cleanly(client, request, kind, user_fixture):
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    response = client.get(reverse("imports:template", args=[kind]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    organisation = Organisation.objects.get(memberships__user=user)
    source = CsvSource.from_bytes(response.content)
    if kind == "profiles":
        from apps.talent.imports import profiles_import

        report = profiles_import(rows_source=source, university=organisation)
    else:
        from apps.jobs.imports import vacancies_import

        report = vacancies_import(rows_source=source, firm=organisation, actor=user)
    assert (report.created, report.errors) == (1, [])


def test_member_of_two_firms_chooses_one_and_cannot_pick_a_foreign_firm(client, firm_user, firm):
    second = factories.FirmFactory()
    foreign = factories.FirmFactory()
    from apps.accounts.models import Membership

    Membership.objects.create(user=firm_user, organisation=second)
    client.force_login(firm_user)
    page = client.get(reverse("imports:index")).content.decode()
    assert 'name="organisation"' in page and second.name in page and foreign.name not in page
    data = {"file": SimpleUploadedFile("v.csv", csv_bytes([VACANCY_HEADER, ["J1", "", "T", "选品"]])),
            "organisation": str(foreign.pk)}
    response = client.post(reverse("imports:upload", args=["vacancies"]), data)
    assert response.status_code == 400 and not Vacancy.objects.filter(external_id="J1").exists()
    data["file"] = SimpleUploadedFile("v.csv", csv_bytes([VACANCY_HEADER, ["J1", "", "T", "选品"]]))
    data["organisation"] = str(second.pk)
    assert client.post(reverse("imports:upload", args=["vacancies"]), data).status_code == 200
    assert Vacancy.objects.get(external_id="J1").firm == second


def test_unreadable_upload_is_a_form_error(client, university_user):
    client.force_login(university_user)
    data = {"file": SimpleUploadedFile("r.csv", "external_id,full_name,email\n".encode("utf-16"))}
    response = client.post(reverse("imports:upload", args=["profiles"]), data)
    assert response.status_code == 400 and "neither UTF-8 nor GBK" in response.content.decode()
