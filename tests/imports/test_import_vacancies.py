"""``import_vacancies``: firms created for the operator, idempotent on (firm, external_id), requirements replaced."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.accounts.models import Organisation
from apps.imports.csvio import CsvSource
from apps.jobs.imports import vacancies_import
from apps.jobs.models import Vacancy, VacancyLanguage, VacancySkill
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = ["external_id", "firm", "title", "description", "required_skills", "optional_skills", "languages",
          "location", "job_type", "openings"]


def vrow(external_id, firm="Ningbo Belt Co.", *, title="亚马逊运营", required="Amazon Seller Central:4:2",
         optional="TikTok Shop:2", languages="English:B2", location="", job_type="full_time", openings="2"):
    return [external_id, firm, title, "运营店铺", required, optional, languages, location, job_type, openings]


def requirements(vacancy):
    skills = {(s.skill.code, s.min_level, s.weight, s.required) for s in vacancy.skills.select_related("skill")}
    languages = {(lang.language.code, lang.min_cefr) for lang in vacancy.languages.select_related("language")}
    return skills, languages


def test_creates_missing_firm_approved_and_open_vacancies(write_csv, run_command):
    code, out = run_command("import_vacancies", write_csv([HEADER, vrow("J1"), vrow("J2", required="选品")]))
    assert code == 0, out
    assert "2 created, 0 updated, 0 unchanged, 0 rejected" in out
    firm = Organisation.objects.get(name="Ningbo Belt Co.")
    assert firm.kind == "firm" and firm.is_approved
    vacancy = Vacancy.objects.get(firm=firm, external_id="J1")
    assert vacancy.status == "open" and vacancy.published_at is not None and vacancy.openings == 2
    assert requirements(vacancy) == ({("platform.amazon_seller_central", 4, 2.0, True),
                                      ("platform.tiktok_shop", 2, 1.0, False)}, {("lang.en", 4)})
    assert Vacancy.objects.open().filter(firm=firm).count() == 2


def test_reimport_is_idempotent_and_replaces_requirements(write_csv, run_command):
    path = write_csv([HEADER, vrow("J1"), vrow("J2")])
    run_command("import_vacancies", path)
    code, out = run_command("import_vacancies", path)
    assert code == 0 and "0 created, 0 updated, 2 unchanged" in out
    assert Vacancy.objects.filter(external_id__in=["J1", "J2"]).count() == 2
    code, out = run_command("import_vacancies", write_csv([HEADER, vrow("J1", required="选品:5:3", optional="",
                                                                           languages="Japanese", openings="")]))
    assert code == 0 and "1 updated" in out
    vacancy = Vacancy.objects.get(external_id="J1")
    skills, languages = requirements(vacancy)
    assert len(skills) == 1 and next(iter(skills))[1:] == (5, 3.0, True)
    assert languages == {("lang.ja", 3)} and vacancy.openings == 1
    assert VacancySkill.objects.filter(vacancy__external_id="J1").count() == 1
    assert VacancyLanguage.objects.filter(vacancy__external_id="J1").count() == 1


def test_same_external_id_in_two_firms_are_two_vacancies(write_csv, run_command):
    code, out = run_command("import_vacancies", write_csv([HEADER, vrow("J1", "Firm A"), vrow("J1", "Firm B"),
                                                           vrow("J1", "firm a")]))
    assert code == 1 and "row 4, column external_id: external id J1 of this firm is already used on row 2" in out
    assert Vacancy.objects.filter(external_id="J1").count() == 2


def test_optional_columns_and_esco_uri_items(write_csv, run_command, edge_skills):
    header = HEADER + ["salary_min", "salary_max", "deadline", "markets", "remote", "status"]
    deadline = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    uri = edge_skills["uri"].esco_uri
    rows = [header,
            vrow("J1", required=f"{uri}:3:1.5; IFRS 16: leases:2", job_type="实习") + ["5000", "8000", deadline,
                                                                                   "", "yes", "draft"],
            vrow("J2") + ["9000", "8000", "2020-01-01", "", "maybe", "open"]]
    code, out = run_command("import_vacancies", write_csv(rows))
    assert code == 1
    vacancy = Vacancy.objects.get(external_id="J1")
    assert (vacancy.status, vacancy.job_type, vacancy.remote, vacancy.salary_min, str(vacancy.deadline)) == (
        "draft", "internship", True, 5000, deadline)
    assert vacancy.published_at is None
    assert requirements(vacancy)[0] >= {(edge_skills["uri"].code, 3, 1.5, True), ("imptest.ifrs16", 2, 1.0, True)}
    assert "row 3, column salary_max: salary_max is below salary_min" in out
    assert "row 3, column deadline: the deadline 2020-01-01 has passed" in out
    assert "row 3, column remote: maybe is not yes or no" in out


def test_row_errors(write_csv, run_command, university):
    rows = [HEADER,
            vrow("J1", required="Amazon Seller Central:4; platform.amazon_seller_central:2"),
            vrow("J2", required="Amazon Seller Central", optional="Amazon Seller Central:2"),
            vrow("J3", required="", optional=""),
            vrow("J4", firm=university.name),
            vrow("J5", job_type="sometimes", location="Atlantis"),
            vrow("J6", firm=""),
            vrow("J7")]
    code, out = run_command("import_vacancies", write_csv(rows))
    assert code == 1
    assert "1 created, 0 updated, 0 unchanged, 6 rejected" in out
    assert "row 2, column required_skills: Amazon Seller Central (platform.amazon_seller_central) is listed twice" \
        in out
    assert "row 3, column optional_skills:" in out and "both required and optional" in out
    assert "row 4, column required_skills: an open vacancy needs at least one skill" in out
    assert f"row 5, column firm: '{university.name}' is registered as a university, not a firm." in out
    assert "row 6, column job_type: sometimes is not a valid job_type" in out
    assert "row 6, column location: unknown location Atlantis" in out
    assert "row 7, column firm: firm is required" in out


def test_pending_firm_cannot_get_open_vacancies(write_csv, run_command):
    pending = factories.FirmFactory(status="pending")
    code, out = run_command("import_vacancies", write_csv([HEADER, vrow("J1", pending.name)]))
    assert code == 1 and "is not approved yet" in out
    assert not Vacancy.objects.filter(firm=pending).exists()


def test_firm_argument_overrides_the_column_and_sets_creator(write_csv, firm, firm_user):
    other = factories.FirmFactory()
    source = CsvSource.from_path(write_csv([HEADER, vrow("J1", other.name), vrow("J2", "Brand New Firm")]))
    report = vacancies_import(rows_source=source, firm=firm, actor=firm_user)
    assert report.created == 2
    assert set(Vacancy.objects.filter(external_id__in=["J1", "J2"]).values_list("firm_id", flat=True)) == {firm.pk}
    assert not Organisation.objects.filter(name="Brand New Firm").exists()
    assert Vacancy.objects.get(external_id="J1").created_by == firm_user


def test_strict_mode_rolls_back_created_firms(write_csv, run_command):
    code, out = run_command("import_vacancies", write_csv([HEADER, vrow("J1", "Strict Firm"), vrow("J2", title="")]),
                            "--strict")
    assert code == 1 and "nothing was written" in out
    assert not Organisation.objects.filter(name="Strict Firm").exists()
