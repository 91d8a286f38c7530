"""Fixtures for import tests: CSV writers, a command runner, a few extra skills, a recorded re-match hook."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.skills.models import Skill, SkillAlias, SkillCategory, SkillSource


def csv_bytes(rows, *, encoding="utf-8", newline="\n") -> bytes:
    """Rows (lists; the first is the header) as CSV bytes in ``encoding`` (``utf-8-sig`` adds a BOM)."""
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerows(rows)
    return out.getvalue().encode(encoding)


@pytest.fixture
def write_csv(tmp_path):
    counter = {"n": 0}

    def write(rows, *, encoding="utf-8", name=None):
        counter["n"] += 1
        path = tmp_path / (name or f"import{counter['n']}.csv")
        path.write_bytes(csv_bytes(rows, encoding=encoding))
        return path

    return write


@pytest.fixture
def run_command():
    """``run_command("import_profiles", path, "--strict")`` -> (exit code, stdout)."""

    def run(name, *args, **options):
        out = io.StringIO()
        try:
            call_command(name, *[str(a) for a in args], stdout=out, stderr=io.StringIO(), **options)
        except CommandError as exc:
            return exc.returncode, out.getvalue() + str(exc)
        return 0, out.getvalue()

    return run


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Role fixtures hash a password per user; PBKDF2 would make these tests take minutes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def rematch_calls(monkeypatch):
    """Record calls of the matching app's post-import hook instead of running a full re-match."""
    from apps.matching import services

    calls = []
    monkeypatch.setattr(services, "full_rematch_after_import", lambda *a, **k: calls.append((a, k)), raising=False)
    return calls


def make_skill(code, label_en, *, label_zh="", aliases=(), esco_uri=None, is_language=False) -> Skill:
    """A skill outside the shipped taxonomy, with its label rows and aliases, for edge cases."""
    from apps.core.text import normalize

    category, _ = SkillCategory.objects.get_or_create(code="imptest", defaults={"label_en": "t", "label_zh": "t"})
    skill = Skill.objects.create(code=code, category=category, label_en=label_en, label_zh=label_zh,
                                 esco_uri=esco_uri, is_language=is_language,
                                 source=SkillSource.ESCO if esco_uri else SkillSource.NATIVE)
    names = [(label_en, "label"), (label_zh, "label")] + [(a, "alias") for a in aliases]
    for text, kind in names:
        if text:
            SkillAlias.objects.get_or_create(skill=skill, normalized=normalize(text),
                                             defaults={"alias": text, "language": "en", "kind": kind})
    return skill


@pytest.fixture
def edge_skills(db):
    """Skills that exercise parsing: an ESCO URI, colons in labels, a label ending in :number, a shared alias."""
    return {
        "uri": make_skill("esco:0b2c3d4e-aaaa-4bbb-8ccc-123456789abc", "manage imptest overseas warehouses",
                          esco_uri="http://data.europa.eu/esco/skill/0b2c3d4e-aaaa-4bbb-8ccc-123456789abc"),
        "colon": make_skill("imptest.ifrs16", "IFRS 16: leases"),
        "iso": make_skill("imptest.iso9001", "ISO 9001:2015"),
        "iso_short": make_skill("imptest.iso9001_short", "ISO 9001"),
        "shared_a": make_skill("imptest.shared_a", "Zebra listing audit", aliases=["zebra work"]),
        "shared_b": make_skill("imptest.shared_b", "Zebra pricing review", aliases=["zebra work"]),
    }
