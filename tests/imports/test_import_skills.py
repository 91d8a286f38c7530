"""``import_skills``: ESCO's CSV imports, re-imports without duplicates, and every name resolves or is ambiguous."""

import csv

import pytest

from apps.imports.csvio import CsvSource
from apps.skills.models import Skill, SkillAlias, TaxonomyVersion
from apps.skills.selectors import SkillResolutionError, SkillResolver, skill_resolve
from apps.skills.services import skills_import
from tests.imports.esco_fixture import COLUMNS, URI_PREFIX, esco_rows, expected_resolution, write_esco_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def esco(tmp_path):
    rows = esco_rows(400)
    return rows, write_esco_csv(tmp_path / "skills_en.csv", rows)


def test_esco_import_creates_skills_and_reimport_never_duplicates(esco, run_command):
    rows, path = esco
    code, out = run_command("import_skills", path, "--format", "esco")
    assert code == 0, out
    assert "400 created, 0 updated, 0 unchanged, 0 rejected" in out
    assert "aliases of more than one skill" in out  # the shared alt labels are announced
    skill = Skill.objects.get(esco_uri=rows[0]["conceptUri"])
    assert skill.code == "esco:" + rows[0]["conceptUri"].rsplit("/", 1)[1]
    assert skill.label_en == rows[0]["preferredLabel"] and skill.source == "esco"
    assert skill.description_en == rows[0]["description"]
    names = SkillAlias.objects.count()
    code, out = run_command("import_skills", path, "--format", "esco")
    assert code == 0 and "0 created, 0 updated, 400 unchanged" in out
    assert Skill.objects.filter(source="esco").count() == 400 and SkillAlias.objects.count() == names


def test_every_label_and_alias_resolves_or_is_reported_ambiguous(esco):
    rows, path = esco
    skills_import(path=path, fmt="esco")
    ids = dict(Skill.objects.filter(source="esco").values_list("esco_uri", "pk"))
    resolver = SkillResolver()
    expected = expected_resolution(rows)
    assert any(uri is None for uri in expected.values())
    native_names = set(SkillAlias.objects.filter(skill__source="native").values_list("normalized", flat=True))
    for name, uri in expected.items():
        if name in native_names:
            continue  # a name the shipped taxonomy also uses is checked in the ambiguity test below
        if uri is None:
            with pytest.raises(SkillResolutionError, match="ambiguous"):
                resolver.resolve(name)
            with pytest.raises(SkillResolutionError, match="ambiguous"):
                skill_resolve(name)
        else:
            assert resolver.resolve(name) == ids[uri], name
    for row in rows[:50]:
        assert resolver.resolve(row["conceptUri"]) == ids[row["conceptUri"]]
        assert skill_resolve(row["preferredLabel"].upper()).pk == ids[row["conceptUri"]]


def test_changed_labels_and_alt_labels_update_in_place(esco, tmp_path):
    rows, path = esco
    skills_import(path=path, fmt="esco")
    rows[0] = {**rows[0], "preferredLabel": "renamed skill", "altLabels": "fresh alias one\nfresh alias two"}
    report = skills_import(path=write_esco_csv(tmp_path / "v2.csv", rows), fmt="esco")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 399)
    skill = Skill.objects.get(esco_uri=rows[0]["conceptUri"])
    assert skill.label_en == "renamed skill"
    assert set(skill.aliases.values_list("normalized", flat=True)) == {"renamed skill", "fresh alias one",
                                                                       "fresh alias two"}
    resolver = SkillResolver()
    assert resolver.resolve("Fresh Alias Two") == skill.pk


def test_native_skill_with_the_same_uri_keeps_its_labels(tmp_path, skill):
    amazon = skill("platform.amazon_seller_central")
    amazon.esco_uri = URI_PREFIX + "11111111-2222-4333-8444-555555555555"
    amazon.save()
    rows = [dict.fromkeys(COLUMNS, "") | {"conceptUri": amazon.esco_uri, "preferredLabel": "use e-marketplace "
                                          "seller tools", "altLabels": "seller portal work"}]
    report = skills_import(path=write_esco_csv(tmp_path / "x.csv", rows), fmt="esco")
    assert report.created == 0 and report.rejected == 0
    amazon.refresh_from_db()
    assert amazon.label_en == "Amazon Seller Central" and amazon.source == "native"
    assert SkillResolver().resolve("seller portal work") == amazon.pk
    assert SkillResolver().resolve("Amazon") == amazon.pk  # its own aliases are kept


def test_bad_rows_reported_and_strict_writes_nothing(tmp_path, run_command):
    good = esco_rows(3)
    rows = [good[0], {**good[1], "preferredLabel": ""}, good[2], {**good[2], "preferredLabel": "dup"}]
    path = write_esco_csv(tmp_path / "bad.csv", rows)
    code, out = run_command("import_skills", path, "--format", "esco", "--strict")
    assert code == 1 and "nothing was written" in out
    assert not Skill.objects.filter(source="esco").exists()
    code, out = run_command("import_skills", path, "--format", "esco")
    assert code == 1
    assert "row 3, column preferredLabel: preferredLabel is required" in out
    assert "row 5, column conceptUri:" in out and "already on row 4" in out
    assert Skill.objects.filter(source="esco").count() == 2


def test_gbk_esco_file_and_missing_columns(tmp_path, run_command):
    rows = [dict.fromkeys(COLUMNS, "") | {"conceptUri": URI_PREFIX + "aaaaaaaa-2222-4333-8444-555555555555",
                                          "preferredLabel": "manage 海外仓 operations", "altLabels": "海外仓管理"}]
    path = write_esco_csv(tmp_path / "gbk.csv", rows, encoding="gbk")
    code, out = run_command("import_skills", path, "--format", "esco")
    assert code == 0, out
    assert SkillResolver().resolve("海外仓管理") == Skill.objects.get(esco_uri=rows[0]["conceptUri"]).pk
    bad = tmp_path / "cols.csv"
    bad.write_text("uri,label\nx,y\n")
    code, out = run_command("import_skills", bad, "--format", "esco")
    assert code == 2 and "missing required column(s): concepturi, preferredlabel" in out


def test_native_csv_import_keeps_the_shipped_taxonomy_version(tmp_path):
    version = TaxonomyVersion.objects.get(pk=1).version
    path = tmp_path / "native.csv"
    with path.open("w", encoding="gbk", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "category", "label_en", "label_zh", "aliases_en", "aliases_zh"])
        writer.writerow(["imptest.native_one", "platform", "Native One", "本地技能一", "N1; native 1", "本地一"])
        writer.writerow(["", "platform", "Missing Code", "", "", ""])
    report = skills_import(path=path, fmt="native")
    assert (report.created, report.rejected) == (1, 1)
    assert SkillResolver().resolve("本地一") == Skill.objects.get(code="imptest.native_one").pk
    assert TaxonomyVersion.objects.get(pk=1).version == version
    again = skills_import(rows_source=CsvSource.from_path(path), path=path, fmt="native")
    assert (again.created, again.unchanged) == (0, 1)
