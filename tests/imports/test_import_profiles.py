"""``import_profiles``: idempotent on external_id, per-row report, strict mode, confirmed skills kept."""

import csv

import pytest

from apps.accounts.models import User
from apps.imports.csvio import CsvSource
from apps.skills.models import Skill
from apps.talent.imports import profiles_import
from apps.talent.models import ProfileLanguage, ProfileSkill, SkillSourceKind, StudentProfile
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = ["external_id", "full_name", "email", "school", "major", "graduation_year", "city", "skills", "languages"]


def row(external_id, email=None, *, name="学生", skills="Amazon Seller Central:4", languages="English:B2",
        school="商学院", major="跨境电商", year="2026", city="宁波"):
    return [external_id, name, email or f"{external_id.lower()}@example.edu.cn", school, major, year, city, skills,
            languages]


def skills_of(external_id, source=None):
    qs = ProfileSkill.objects.filter(profile__external_id=external_id)
    if source:
        qs = qs.filter(source=source)
    return {s.skill.code: s.level for s in qs.select_related("skill")}


def test_creates_users_and_profiles_with_unusable_passwords(write_csv, run_command):
    path = write_csv([HEADER, row("S1", languages="English:CET-6; Japanese:A2"), row("S2", skills="")])
    code, out = run_command("import_profiles", path)
    assert code == 0, out
    assert "2 created, 0 updated, 0 unchanged, 0 rejected" in out
    profile = StudentProfile.objects.select_related("user").get(external_id="S1")
    assert profile.user.email == "s1@example.edu.cn" and profile.user.account_type == "student"
    assert not profile.user.has_usable_password()
    assert (profile.school, profile.major, profile.graduation_year, profile.city) == (
        "商学院", "跨境电商", 2026, "宁波")
    assert skills_of("S1") == {"platform.amazon_seller_central": 4}
    languages = {pl.language.code: pl.cefr for pl in ProfileLanguage.objects.filter(profile=profile)}
    assert languages == {"lang.en": 4, "lang.ja": 2}
    assert skills_of("S2") == {}


def test_reimport_is_idempotent_and_updates(write_csv, run_command):
    path = write_csv([HEADER, row("S1"), row("S2")])
    assert run_command("import_profiles", path)[0] == 0
    code, out = run_command("import_profiles", path)
    assert code == 0 and "0 created, 0 updated, 2 unchanged, 0 rejected" in out
    assert User.objects.filter(email__in=["s1@example.edu.cn", "s2@example.edu.cn"]).count() == 2
    changed = write_csv([HEADER, row("S1", "new.s1@example.edu.cn", name="新名字", skills="TikTok Shop:2",
                                     city="杭州"), row("S2")])
    code, out = run_command("import_profiles", changed)
    assert code == 0 and "0 created, 1 updated, 1 unchanged" in out
    profile = StudentProfile.objects.select_related("user").get(external_id="S1")
    assert (profile.user.email, profile.user.full_name, profile.city) == ("new.s1@example.edu.cn", "新名字", "杭州")
    assert skills_of("S1") == {"platform.tiktok_shop": 2}
    assert StudentProfile.objects.filter(external_id__in=["S1", "S2"]).count() == 2


def test_reimport_replaces_self_declared_but_never_lowers_confirmed(write_csv, run_command, skill):
    path = write_csv([HEADER, row("S1", skills="Amazon Seller Central:2; TikTok Shop:3; 选品:4")])
    run_command("import_profiles", path)
    profile = StudentProfile.objects.get(external_id="S1")
    ProfileSkill.objects.filter(profile=profile, skill=skill("platform.amazon_seller_central")).update(
        level=4, source=SkillSourceKind.COURSE)
    ProfileLanguage.objects.filter(profile=profile).update(source=SkillSourceKind.FIRM, cefr=5)
    again = write_csv([HEADER, row("S1", skills="Amazon Seller Central:1; 选品:2", languages="")])
    code, out = run_command("import_profiles", again)
    assert code == 0, out
    assert skills_of("S1", SkillSourceKind.COURSE) == {"platform.amazon_seller_central": 4}
    selfish = skills_of("S1", SkillSourceKind.SELF)
    assert "platform.tiktok_shop" not in selfish and list(selfish.values()) == [2]
    assert list(ProfileLanguage.objects.filter(profile=profile).values_list("cefr", "source")) == [(5, "firm")]


def test_bad_rows_are_reported_and_good_rows_still_import(write_csv, run_command, tmp_path):
    factories.StudentFactory(email="taken@example.com")
    path = write_csv([
        HEADER,
        row("S1"),
        row("S2", "not-an-email"),
        row("S3", skills="Amazn Seller Central:4"),
        [],
        row("S4", "taken@example.com"),
        row("S5", skills="Amazon Seller Central:9", languages="English:Q7", year="20x6"),
        row("S1", "again@example.com"),
        row("S7", "s1@example.edu.cn"),
        row("S8"),
    ])
    report_path = tmp_path / "report.csv"
    code, out = run_command("import_profiles", path, "--report", report_path)
    assert code == 1
    assert "2 created, 0 updated, 0 unchanged, 6 rejected" in out
    assert set(StudentProfile.objects.filter(external_id__startswith="S").values_list("external_id", flat=True)) \
        == {"S1", "S8"}
    assert "row 3, column email: not-an-email is not a valid email address" in out
    assert "row 4, column skills: Unknown skill 'Amazn Seller Central'. Did you mean: " in out
    assert "row 6, column email: taken@example.com is already used by another account" in out
    assert "row 8, column external_id: external id S1 is already used on row 2" in out
    assert "row 9, column email: s1@example.edu.cn is already used by external id S1 on row 2" in out
    with open(report_path, encoding="utf-8-sig") as handle:
        report = list(csv.DictReader(handle))
    by_row = {}
    for item in report:
        by_row.setdefault(int(item["row"]), set()).add(item["column"])
    assert by_row[7] == {"skills", "languages", "graduation_year"}
    assert set(by_row) == {3, 4, 6, 7, 8, 9}
    suggestion = next(r for r in report if r["row"] == "4")["suggestions"]
    assert "platform.amazon_seller_central" in suggestion


def test_strict_writes_nothing_when_any_row_is_bad(write_csv, run_command):
    path = write_csv([HEADER, row("S1"), row("S2", skills="No Such Skill At All"), row("S3")])
    code, out = run_command("import_profiles", path, "--strict")
    assert code == 1
    assert "Strict mode: 1 row was rejected, so nothing was written" in out
    assert not StudentProfile.objects.filter(external_id__in=["S1", "S3"]).exists()
    assert not User.objects.filter(email="s1@example.edu.cn").exists()
    code, out = run_command("import_profiles", write_csv([HEADER, row("S1"), row("S3")]), "--strict")
    assert code == 0 and StudentProfile.objects.filter(external_id__in=["S1", "S3"]).count() == 2


def test_strict_rolls_back_rows_written_before_a_database_side_rejection(write_csv, run_command):
    factories.StudentFactory(email="taken@example.com")
    path = write_csv([HEADER, row("S1"), row("S2", "taken@example.com")])
    code, out = run_command("import_profiles", path, "--strict", "--batch-size", "1")
    assert code == 1 and "nothing was written" in out
    assert not StudentProfile.objects.filter(external_id="S1").exists()


def test_university_option_links_students_and_protects_other_universities(write_csv, run_command, university):
    other = factories.UniversityFactory()
    path = write_csv([HEADER, row("S1"), row("S2")])
    code, out = run_command("import_profiles", path, "--university", university.name.upper())
    assert code == 0, out
    assert set(StudentProfile.objects.filter(university=university).values_list("external_id", flat=True)) == {
        "S1", "S2"}
    code, out = run_command("import_profiles", write_csv([HEADER, row("S1")]), "--university", other.name)
    assert code == 1 and "belongs to a student of another university" in out
    code, out = run_command("import_profiles", path, "--university", "No Such University")
    assert code == 2 and "No university named" in out


def test_esco_uris_with_colons_and_levels_in_skill_lists(write_csv, run_command, edge_skills):
    uri = edge_skills["uri"].esco_uri
    skills = f"{uri}:5; IFRS 16: leases:2; ISO 9001:2015; {edge_skills['iso_short'].code}"
    path = write_csv([HEADER, row("S1", skills=skills)])
    code, out = run_command("import_profiles", path)
    assert code == 0, out
    assert skills_of("S1") == {edge_skills["uri"].code: 5, "imptest.ifrs16": 2, "imptest.iso9001": 3,
                               "imptest.iso9001_short": 3}


def test_ambiguous_alias_is_a_row_error(write_csv, run_command, edge_skills):
    code, out = run_command("import_profiles", write_csv([HEADER, row("S1", skills="zebra work:3")]))
    assert code == 1
    assert "row 2, column skills: 'zebra work' is ambiguous" in out
    assert not StudentProfile.objects.filter(external_id="S1").exists()


def test_gbk_file_with_blank_lines_imports(write_csv, run_command):
    path = write_csv([HEADER, [], row("S1", name="张三", skills="亚马逊:3"), [""] * 9, row("S2", name="李四")],
                     encoding="gbk")
    code, out = run_command("import_profiles", path)
    assert code == 0, out
    assert User.objects.get(email="s1@example.edu.cn").full_name == "张三"
    assert skills_of("S1") == {"platform.amazon_seller_central": 3}


def test_file_errors_exit_2_with_a_clear_message(write_csv, run_command, tmp_path):
    code, out = run_command("import_profiles", write_csv([["external_id", "school"], ["S1", "x"]]))
    assert code == 2 and "missing required column(s): full_name, email" in out
    bad = tmp_path / "utf16.csv"
    bad.write_bytes(",".join(HEADER).encode("utf-16"))
    code, out = run_command("import_profiles", bad)
    assert code == 2 and "neither UTF-8 nor GBK" in out


def test_columns_left_out_are_left_untouched(write_csv, run_command):
    run_command("import_profiles", write_csv([HEADER, row("S1", skills="TikTok Shop:2")]))
    code, out = run_command("import_profiles", write_csv([["external_id", "full_name", "email"],
                                                          ["S1", "学生", "s1@example.edu.cn"]]))
    assert code == 0 and "1 unchanged" in out
    assert skills_of("S1") == {"platform.tiktok_shop": 2}
    assert StudentProfile.objects.get(external_id="S1").city == "宁波"


def test_match_triggers_are_suppressed_and_one_rematch_runs(write_csv, monkeypatch, rematch_calls):
    from apps.matching import triggers

    scheduled = []
    monkeypatch.setattr(triggers, "_schedule", lambda kind, pk: scheduled.append(pk) if not
                        triggers._SUPPRESSED["value"] else None)
    source = CsvSource.from_path(write_csv([HEADER, row("S1"), row("S2")]))
    report = profiles_import(rows_source=source)
    assert report.created == 2 and scheduled == [] and len(rematch_calls) == 1
    # Nothing written (all unchanged): no re-match either.
    profiles_import(rows_source=CsvSource.from_path(write_csv([HEADER, row("S1"), row("S2")])))
    assert len(rematch_calls) == 1


def test_missing_rematch_hook_is_skipped_silently(write_csv, monkeypatch):
    from apps.matching import services

    monkeypatch.delattr(services, "full_rematch_after_import", raising=False)
    report = profiles_import(rows_source=CsvSource.from_path(write_csv([HEADER, row("S1")])))
    assert report.created == 1 and report.notices == []


def test_batches_write_the_same_result(write_csv):
    rows = [HEADER] + [row(f"S{i}", skills=f"Amazon Seller Central:{1 + i % 5}") for i in range(25)]
    report = profiles_import(rows_source=CsvSource.from_path(write_csv(rows)), batch_size=4)
    assert (report.created, report.rejected) == (25, 0)
    assert ProfileSkill.objects.filter(profile__external_id__startswith="S", level=5).count() == 5
    assert Skill.objects.filter(code="platform.amazon_seller_central").exists()


def test_xlsx_roster_imports(tmp_path, run_command):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(row("S1", skills="Amazon Seller Central:5", year=2027))
    path = tmp_path / "roster.xlsx"
    workbook.save(path)
    code, out = run_command("import_profiles", path)
    assert code == 0, out
    assert StudentProfile.objects.get(external_id="S1").graduation_year == 2027
    assert skills_of("S1") == {"platform.amazon_seller_central": 5}


def test_row_with_more_cells_than_columns_is_rejected(write_csv, run_command):
    code, out = run_command("import_profiles", write_csv([HEADER, row("S1") + ["surprise"], row("S2")]))
    assert code == 1 and "row 2: this row has more cells than the header has columns" in out
    assert list(StudentProfile.objects.filter(external_id__in=["S1", "S2"]).values_list("external_id", flat=True)) \
        == ["S2"]
