"""Benchmark the bulk imports against the configured DATABASE_URL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/imports.py --esco 13000 \
        --profiles 100000 [--vacancies 5000]

Generates the CSV files in a temporary folder (a synthetic ESCO skills file, a student roster whose skills
mix codes, Chinese and English labels, aliases and ESCO URIs, and a vacancy file), runs the
``import_skills`` / ``import_profiles`` / ``import_vacancies`` commands (each twice: the first run creates,
the second is the idempotent re-import), checks that every imported ESCO label and alias resolves (or is
reported ambiguous) and prints rows/s and total seconds. Rows are left in the database; ``--cleanup``
removes the benchmark's students and firms afterwards.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentmatch.settings.base")
os.environ.setdefault("TALENTMATCH_EAGER_NOTICE", "0")

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
            "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国文浩宇轩子涵欣怡梓晨思雨嘉"
SCHOOLS = ["国际商学院", "外国语学院", "经济管理学院", "信息工程学院", "跨境电商学院", "物流学院"]
MAJORS = ["跨境电子商务", "国际经济与贸易", "商务英语", "物流管理", "市场营销", "电子商务", "日语", "西班牙语"]
CITIES = ["宁波", "义乌", "杭州", "温州", "金华", "台州", "绍兴"]
CEFR = ["A2", "B1", "B1", "B2", "B2", "C1"]
EXAMS = ["CET-4", "CET-6", "TEM-4", "TEM-8"]
PROFILE_HEADER = ["external_id", "full_name", "email", "school", "major", "graduation_year", "city", "skills",
                  "languages"]
VACANCY_HEADER = ["external_id", "firm", "title", "description", "required_skills", "optional_skills", "languages",
                  "location", "job_type", "openings", "salary_min", "salary_max", "remote", "status"]


def _skill_names(esco_uris: list[str]) -> tuple[list[list[str]], dict[str, list[str]]]:
    """Unambiguous ways people write each native skill (code, labels, aliases) plus ESCO URIs (one spelling
    list per skill); language spellings by language code."""
    from apps.skills.models import Skill
    from apps.skills.selectors import SkillResolutionError, SkillResolver

    resolver = SkillResolver()
    names: list[list[str]] = []
    languages: dict[str, list[str]] = {}
    for skill in Skill.objects.filter(source="native").prefetch_related("aliases"):
        spellings = [skill.code, skill.label_en, skill.label_zh] + [a.alias for a in skill.aliases.all()]
        usable = []
        for spelling in spellings:
            if not spelling or ";" in spelling:
                continue
            try:
                resolver.resolve(spelling, languages=skill.is_language)
            except SkillResolutionError:
                continue
            usable.append(spelling)
        if usable and skill.is_language:
            languages[skill.code] = usable
        elif usable:
            names.append(usable)
    return names + [[uri] for uri in esco_uris], languages


def write_profiles(path: Path, n: int, *, seed: int, bad_fraction: float, esco_uris: list[str]) -> None:
    rng = random.Random(seed)
    names, languages = _skill_names(esco_uris[:2000])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(PROFILE_HEADER)
        for i in range(n):
            chosen = [rng.choice(spellings) for spellings in rng.sample(names, rng.randint(3, 8))]
            skills = "; ".join(f"{name}:{rng.randint(1, 5)}" for name in chosen)
            if rng.random() < bad_fraction:
                skills += f"; {rng.choice(rng.choice(names))[:-2]}xq:3"  # a typo: reported with suggestions
            codes = rng.sample(sorted(languages), rng.randint(0, 2))
            if rng.random() < 0.3:
                codes = [code for code in codes if code != "lang.en"]  # the exam names English
                langs = [rng.choice(EXAMS)]
            else:
                langs = []
            langs += [f"{rng.choice(languages[code])}:{rng.choice(CEFR)}" for code in codes]
            writer.writerow([
                f"BENCH{i:07d}", rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.randint(1, 2))),
                f"bench{i}@bench.example.com", rng.choice(SCHOOLS), rng.choice(MAJORS), rng.randint(2024, 2029),
                rng.choice(CITIES), skills, "; ".join(langs),
            ])


def write_vacancies(path: Path, n: int, *, seed: int, esco_uris: list[str]) -> None:
    rng = random.Random(seed)
    names, languages = _skill_names(esco_uris[:500])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(VACANCY_HEADER)
        for i in range(n):
            chosen = [rng.choice(spellings) for spellings in rng.sample(names, rng.randint(3, 7))]
            required = "; ".join(f"{name}:{rng.randint(2, 5)}:{rng.choice([1, 1, 1.5, 2])}" for name in chosen[:3])
            optional = "; ".join(f"{name}:{rng.randint(1, 4)}" for name in chosen[3:])
            low = rng.randint(4, 12) * 1000
            writer.writerow([f"BJ{i:06d}", f"Bench Firm {i % 200:03d} 跨境贸易有限公司", "跨境电商运营专员",
                             "负责店铺运营与推广。", required, optional,
                             f"{rng.choice(rng.choice(list(languages.values())))}:{rng.choice(CEFR)}", "",
                             rng.choice(["full_time", "part_time", "internship"]), rng.randint(1, 5), low,
                             low + rng.randint(1, 6) * 1000, rng.choice(["yes", "no"]), "open"])


def run(command: str, *args: str) -> tuple[float, str]:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    started, cpu = time.perf_counter(), time.process_time()
    try:
        call_command(command, *args, stdout=out, stderr=io.StringIO(), verbosity=0)
    except CommandError as exc:
        if exc.returncode != 1:  # 1 = some rows rejected, which the benchmark's typos cause on purpose
            raise
    seconds = time.perf_counter() - started
    lines = [line for line in out.getvalue().strip().splitlines() if not line.startswith("Per-row report")]
    return seconds, f"{lines[-1]} [this process's CPU {time.process_time() - cpu:.1f} s]"


def report(label: str, rows: int, seconds: float, summary: str) -> None:
    print(f"{label:<28} {rows:>8} rows  {seconds:8.1f} s  {rows / seconds:9.0f} rows/s   {summary}", flush=True)


def check_esco_resolution(rows: list[dict]) -> None:
    from apps.core.text import normalize
    from apps.skills.models import Skill, SkillAlias
    from apps.skills.selectors import SkillResolutionError, SkillResolver
    from tests.imports.esco_fixture import expected_resolution

    started = time.perf_counter()
    resolver = SkillResolver()
    ids = dict(Skill.objects.filter(esco_uri__isnull=False).values_list("esco_uri", "pk"))
    in_file = {r["conceptUri"] for r in rows}
    # Names other skills (the native taxonomy, ESCO skills not in this file) also carry are not this file's to test.
    foreign = {norm for uri, norm in SkillAlias.objects.values_list("skill__esco_uri", "normalized")
               if uri not in in_file}
    resolved = ambiguous = wrong = 0
    for name, uri in expected_resolution(rows).items():
        if name in foreign:
            continue
        try:
            got = resolver.resolve(name)
        except SkillResolutionError as exc:
            ambiguous += uri is None and "ambiguous" in str(exc)
            wrong += uri is not None
            continue
        resolved += got == ids.get(uri)
        wrong += got != ids.get(uri)
    uris = sum(resolver.resolve(normalize(r["conceptUri"])) == ids[r["conceptUri"]] for r in rows)
    print(f"{'ESCO names resolved':<28} {resolved:>8} names, {ambiguous} reported ambiguous, {wrong} wrong, "
          f"{uris}/{len(rows)} URIs ({time.perf_counter() - started:.1f} s incl. building the resolver)")
    if wrong:
        raise SystemExit("some ESCO names resolved to the wrong skill")


def cleanup() -> None:
    from apps.accounts.models import Organisation, User

    User.objects.filter(email__endswith="@bench.example.com").delete()
    Organisation.objects.filter(name__startswith="Bench Firm ").delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--esco", type=int, default=0, help="ESCO skills to generate and import (e.g. 13000)")
    parser.add_argument("--profiles", type=int, default=0, help="student rows to generate and import (e.g. 100000)")
    parser.add_argument("--vacancies", type=int, default=0, help="vacancy rows to generate and import")
    parser.add_argument("--bad-fraction", type=float, default=0.005, help="share of profile rows with a typo")
    parser.add_argument("--with-rematch", action="store_true",
                        help="let the imports trigger the matching app's full re-match (off: imports alone)")
    parser.add_argument("--cleanup", action="store_true", help="delete the benchmark's students and firms after")
    parser.add_argument("--keep", metavar="DIR", help="write the CSV files here and keep them")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from tests.imports.esco_fixture import esco_rows, write_esco_csv

    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]} "
          f"{settings.DATABASES['default'].get('NAME')}", flush=True)
    call_command("migrate", verbosity=0)
    if not args.with_rematch:
        from apps.matching import services

        if hasattr(services, "full_rematch_after_import"):
            services.full_rematch_after_import = lambda *a, **k: None
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="tm-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    total = time.perf_counter()
    esco_uris: list[str] = []
    if args.esco:
        rows = esco_rows(args.esco)
        path = write_esco_csv(folder / "esco_skills_en.csv", rows)
        for label in ("import_skills (esco)", "import_skills (re-import)"):
            seconds, summary = run("import_skills", str(path), "--format", "esco")
            report(label, len(rows), seconds, summary)
        check_esco_resolution(rows)
        esco_uris = [r["conceptUri"] for r in rows]
    if args.profiles:
        path = folder / "profiles.csv"
        started = time.perf_counter()
        write_profiles(path, args.profiles, seed=5, bad_fraction=args.bad_fraction, esco_uris=esco_uris)
        print(f"{'generated profiles.csv':<28} {args.profiles:>8} rows  {time.perf_counter() - started:8.1f} s",
              flush=True)
        for label in ("import_profiles (create)", "import_profiles (re-import)"):
            seconds, summary = run("import_profiles", str(path), "--report", str(folder / "profiles-report.csv"))
            report(label, args.profiles, seconds, summary)
    if args.vacancies:
        path = folder / "vacancies.csv"
        write_vacancies(path, args.vacancies, seed=6, esco_uris=esco_uris)
        for label in ("import_vacancies (create)", "import_vacancies (re-import)"):
            seconds, summary = run("import_vacancies", str(path))
            report(label, args.vacancies, seconds, summary)
    print(f"total {time.perf_counter() - total:.1f} s; files in {folder}", flush=True)
    if args.cleanup:
        cleanup()


if __name__ == "__main__":
    main()
