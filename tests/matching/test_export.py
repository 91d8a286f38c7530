"""``manage.py export_matches``: columns, rank order equal to the selectors', both directions, skills met and
missing equal to the engine's explanation, neutralised cells, and bad arguments."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from apps.matching import selectors
from apps.matching.explain import explain_for_vacancy
from apps.talent.models import ProfileSkill

from .match_world import (
    AMAZON,
    COPY,
    LISTING,
    TIKTOK,
    build_world,
    fresh_incremental_cache,  # noqa: F401 (autouse)
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _export(tmp_path, *args):
    path = tmp_path / "matches.csv"
    out = io.StringIO()
    call_command("export_matches", str(path), *args, stdout=out)
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle)), out.getvalue()


def _ext(obj) -> str:
    """The exported id cell: external id (a leading = + - @ quoted) or id:<pk>."""
    value = obj.external_id or f"id:{obj.pk}"
    return "'" + value if value[0] in "=+-@" else value


def test_vacancy_direction_columns_order_and_cells(tmp_path, world):
    rows, summary = _export(tmp_path, "--top", "50")
    assert rows[0] == ["vacancy_external_id", "rank", "profile_external_id", "score", "matched_skills",
                       "missing_skills"]
    body = rows[1:]
    stored = list(selectors.vacancy_candidates(vacancy_id=world.vacancy.pk))
    mine = [r for r in body if r[0] == "V-100"]
    assert [r[1] for r in mine] == [str(i) for i in range(1, len(stored) + 1)]
    assert [r[2] for r in mine] == [_ext(row.profile) for row in stored]
    assert [float(r[3]) for r in mine] == pytest.approx([row.score for row in stored], abs=1e-6)
    by_profile = {r[2]: r for r in mine}
    assert by_profile["S-1"][4:] == [f"{AMAZON};{LISTING};{TIKTOK};{COPY}", ""]
    # Wang Gap: required first, then optional, each by code; the missing cell starts with "c" (no quote)
    assert by_profile["'+S-2"][4:] == [f"{AMAZON};{LISTING}", f"{TIKTOK}:1/3;{COPY}:0/2"]
    course = world.course
    assert by_profile[f"id:{course.pk}"][4:] == [f"{AMAZON};{LISTING}", f"{TIKTOK}:0/3;{COPY}:0/2"]
    n_lists = len({r[0] for r in body})
    assert f"Wrote {len(body)} rows of {n_lists} lists" in summary


def test_cells_agree_with_the_engines_explanation(tmp_path, world):
    rows, _ = _export(tmp_path)
    stored = list(selectors.vacancy_candidates(vacancy_id=world.vacancy.pk))
    exported = {r[2]: r for r in rows[1:] if r[0] == "V-100"}
    for row, why in zip(stored, explain_for_vacancy(world.vacancy, stored), strict=True):
        cells = exported[_ext(row.profile)]
        assert set(filter(None, cells[4].split(";"))) == {line.skill.code for line in why.matched}
        assert set(filter(None, cells[5].split(";"))) == {f"{line.skill.code}:{line.have}/{line.need}"
                                                          for line in why.missing}


def test_profile_direction(tmp_path, world):
    rows, _ = _export(tmp_path, "--direction", "profile")
    assert rows[0][:3] == ["profile_external_id", "rank", "vacancy_external_id"]
    stored = list(selectors.profile_vacancies(profile_id=world.gap.pk))
    mine = [r for r in rows[1:] if r[0] == "'+S-2"]
    assert [r[2] for r in mine] == [_ext(row.vacancy) for row in stored]
    assert [r[1] for r in mine] == [str(i) for i in range(1, len(stored) + 1)]
    tiktok_row = next(r for r in mine if r[2] == "V-100")
    assert tiktok_row[4:] == [f"{AMAZON};{LISTING}", f"{TIKTOK}:1/3;{COPY}:0/2"]
    # the other firm's vacancy id "=HYPERLINK(1)" is neutralised wherever it appears
    assert any(r[2] == "'=HYPERLINK(1)" for r in rows[1:])
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows[1:] for cell in r)


def test_top_limits_each_list(tmp_path, world):
    rows, _ = _export(tmp_path, "--top", "1")
    owners = [r[0] for r in rows[1:]]
    assert len(owners) == len(set(owners)) and all(r[1] == "1" for r in rows[1:])
    first = selectors.vacancy_candidates(vacancy_id=world.vacancy.pk).first()
    assert next(r for r in rows[1:] if r[0] == "V-100")[2] == _ext(first.profile)


def test_rank_order_follows_scores_after_a_change(tmp_path, world):
    from apps.matching import services

    ProfileSkill.objects.filter(profile=world.gap, skill__code=TIKTOK).update(level=5)
    services.match_profile_incremental(profile_id=world.gap.pk)
    rows, _ = _export(tmp_path)
    stored = [_ext(row.profile) for row in selectors.vacancy_candidates(vacancy_id=world.vacancy.pk)]
    assert [r[2] for r in rows[1:] if r[0] == "V-100"] == stored
    assert stored[:2] == ["S-1", "'+S-2"]


def test_bad_arguments_are_clear_and_keep_the_old_file(tmp_path, world):
    with pytest.raises(CommandError, match="--top must be at least 1"):
        call_command("export_matches", str(tmp_path / "x.csv"), "--top", "0")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_matches", str(tmp_path / "missing" / "x.csv"))
    with pytest.raises(CommandError, match="is a folder"):
        call_command("export_matches", str(tmp_path))
    with pytest.raises(CommandError):
        call_command("export_matches", str(tmp_path / "x.csv"), "--direction", "sideways")
    assert not (tmp_path / "x.csv").exists()


def test_failed_export_leaves_the_existing_file(tmp_path, world, monkeypatch):
    from apps.matching.management.commands import export_matches

    target = tmp_path / "matches.csv"
    target.write_text("previous export\n")

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(export_matches, "skill_cells", broken)
    with pytest.raises(RuntimeError):
        call_command("export_matches", str(target))
    assert target.read_text() == "previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["matches.csv"]


def test_empty_generation_writes_only_the_header(tmp_path, db):
    rows, summary = _export(tmp_path)
    assert rows == [["vacancy_external_id", "rank", "profile_external_id", "score", "matched_skills",
                     "missing_skills"]]
    assert "Wrote 0 rows of 0 lists" in summary


def test_standard_output(world, capsys):
    call_command("export_matches", "-", "--top", "1")
    out = capsys.readouterr().out
    assert out.startswith("vacancy_external_id,rank,")
