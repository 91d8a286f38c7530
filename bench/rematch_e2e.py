"""End-to-end rematch benchmark on the configured database (PostgreSQL): load, score, persist.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python bench/rematch_e2e.py \
        --profiles 100000 --vacancies 20000 --skills 500 [--worker] [--incremental 20]

Fills the database with synthetic profiles and vacancies (the engine's generator, Zipf-like skill popularity,
~15 skills a profile, ~10 a vacancy) through COPY, then times from one run: a raw float32 ``A @ B.T`` GEMM of
the same dense shapes (the baseline), ``rematch --in-process`` (load + score + persist, top-50 both
directions), optionally the same rematch through a real Celery worker on Redis, and incremental recomputes
(one vacancy against all profiles, one profile against all vacancies, persisted; p50 over N runs).
Prints ratios against the GEMM; the last line reads ``e2e/gemm ratio: X.XX``.
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentmatch.settings.base")
os.environ.setdefault("TALENTMATCH_EAGER_NOTICE", "0")


def gemm_seconds(n_p: int, n_v: int, n_s: int, threads: int, block: int = 4096) -> float:
    """Time the dense float32 product (n_p x n_s) @ (n_s x n_v), in row blocks (each block discarded)."""
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(0)
    a = rng.random((n_p, n_s), dtype=np.float32)
    b = rng.random((n_v, n_s), dtype=np.float32)
    out = np.empty((block, n_v), dtype=np.float32)
    with threadpool_limits(threads):
        t0 = time.perf_counter()
        for start in range(0, n_p, block):
            stop = min(n_p, start + block)
            np.matmul(a[start:stop], b.T, out=out[: stop - start])
        return time.perf_counter() - t0


def _copy_text(cursor, table: str, columns: list[str], rows: io.StringIO) -> None:
    rows.seek(0)
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        while chunk := rows.read(1 << 20):
            copy.write(chunk)


def load_dataset(n_p: int, n_v: int, n_s: int, seed: int) -> None:
    """Replace all profiles, vacancies and match rows with a synthetic data set of this size."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from apps.accounts.models import Organisation
    from apps.matching.engine.synthetic import make_dataset
    from apps.skills.models import Location, Skill, SkillCategory

    call_command("migrate", verbosity=0)
    locations = list(Location.objects.order_by("pk").values_list("code", flat=True))
    languages = list(Skill.objects.filter(is_language=True).order_by("pk").values_list("pk", flat=True))
    category, _ = SkillCategory.objects.get_or_create(code="bench", defaults={"label_en": "Bench",
                                                                               "label_zh": "基准", "order": 999})
    i = 0
    while Skill.objects.filter(is_language=False).count() < n_s:
        Skill.objects.get_or_create(code=f"bench.skill_{i}", defaults={
            "category": category, "label_en": f"Bench skill {i}", "label_zh": f"基准技能{i}"})
        i += 1
    skill_pks = list(Skill.objects.filter(is_language=False).order_by("pk").values_list("pk", flat=True))[:n_s]
    profiles, vacancies = make_dataset(n_p, n_v, n_s, len(languages), len(locations), seed=seed)
    now = timezone.now().isoformat()
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        raw = cur.cursor
        for table in ("matching_candidatematch", "matching_vacancymatch", "matching_listcutoff",
                      "matching_matchshard", "matching_matchrun", "matching_matchstate", "jobs_vacancyskill",
                      "jobs_vacancylanguage", "jobs_vacancy", "talent_profileskill", "talent_profilelanguage",
                      "talent_studentprofile"):
            raw.execute(f"TRUNCATE {table} CASCADE")
        raw.execute("DELETE FROM accounts_user WHERE email LIKE 'bench-%%'")
        buf = io.StringIO()
        for i in range(n_p):
            buf.write(f"bench-{i}@bench.talentmatch.cn\t!\tBench {i}\t\tstudent\tzh-hans\tt\tf\tf\t{now}\n")
        _copy_text(raw, "accounts_user", ["email", "password", "full_name", "phone", "account_type",
                                          "preferred_language", "is_active", "is_staff", "is_superuser",
                                          "date_joined"], buf)
        raw.execute("SELECT id FROM accounts_user WHERE email LIKE 'bench-%%' ORDER BY id")
        user_ids = [r[0] for r in raw.fetchall()]
        import json

        buf = io.StringIO()
        job_types = ["full_time", "part_time", "internship"]
        for row in range(n_p):
            a, b = profiles.loc_indptr[row], profiles.loc_indptr[row + 1]
            locs = json.dumps([locations[i] for i in profiles.loc_idx[a:b]])
            jobs = json.dumps([job_types[j] for j in range(3) if (profiles.pref_job_types[row] >> j) & 1])
            buf.write(f"{user_ids[row]}\tbench-{row}\t\t\t\\N\t\t\t{locs}\t{'t' if profiles.remote_ok[row] else 'f'}"
                      f"\t{jobs}\t[]\tfirms\tt\tf\t{now}\t{now}\n")
        _copy_text(raw, "talent_studentprofile", [
            "user_id", "external_id", "school", "major", "graduation_year", "city", "bio", "pref_locations",
            "remote_ok", "pref_job_types", "pref_markets", "visibility", "matching_opt_in",
            "contact_visible_to_firms", "created_at", "updated_at"], buf)
        raw.execute("SELECT id FROM talent_studentprofile ORDER BY user_id")
        profile_ids = np.array([r[0] for r in raw.fetchall()], dtype=np.int64)
        rows_of = np.repeat(np.arange(n_p), np.diff(profiles.skill_indptr))
        sk = np.array(skill_pks, dtype=np.int64)[profiles.skill_idx]
        buf = io.StringIO("".join(f"{p}\t{s}\t{lv}\tself\t\t{now}\n" for p, s, lv in zip(
            profile_ids[rows_of].tolist(), sk.tolist(), profiles.skill_level.tolist(), strict=True)))
        _copy_text(raw, "talent_profileskill", ["profile_id", "skill_id", "level", "source", "evidence",
                                                "updated_at"], buf)
        rows_of = np.repeat(np.arange(n_p), np.diff(profiles.lang_indptr))
        lg = np.array(languages, dtype=np.int64)[profiles.lang_idx]
        buf = io.StringIO("".join(f"{p}\t{s}\t{lv}\tself\n" for p, s, lv in zip(
            profile_ids[rows_of].tolist(), lg.tolist(), profiles.lang_level.tolist(), strict=True)))
        _copy_text(raw, "talent_profilelanguage", ["profile_id", "language_id", "cefr", "source"], buf)
        firm, _ = Organisation.objects.get_or_create(name="Bench Firm", defaults={"kind": "firm",
                                                                                  "status": "approved"})
        buf = io.StringIO()
        for row in range(n_v):
            loc = locations[vacancies.location[row]] if vacancies.location[row] >= 0 else ""
            buf.write(f"{firm.pk}\tbench-v{row}\tBench vacancy {row}\t\t{loc}\t"
                      f"{'t' if vacancies.remote[row] else 'f'}\t{job_types[min(int(vacancies.job_type[row]), 2)]}"
                      f"\t1\t[]\topen\t{now}\t{now}\t{now}\n")
        _copy_text(raw, "jobs_vacancy", ["firm_id", "external_id", "title", "description", "location", "remote",
                                         "job_type", "openings", "markets", "status", "published_at", "created_at",
                                         "updated_at"], buf)
        raw.execute("SELECT id FROM jobs_vacancy ORDER BY id")
        vacancy_ids = np.array([r[0] for r in raw.fetchall()], dtype=np.int64)
        buf = io.StringIO()
        for kind, ptr, idx, lvl, w in (("t", vacancies.req_indptr, vacancies.req_idx, vacancies.req_min_level,
                                        vacancies.req_weight),
                                       ("f", vacancies.opt_indptr, vacancies.opt_idx, vacancies.opt_min_level,
                                        vacancies.opt_weight)):
            rows_of = np.repeat(np.arange(n_v), np.diff(ptr))
            buf.write("".join(f"{v}\t{s}\t{lv}\t{wt}\t{kind}\n" for v, s, lv, wt in zip(
                vacancy_ids[rows_of].tolist(), np.array(skill_pks)[idx].tolist(), lvl.tolist(), w.tolist(),
                strict=True)))
        # a skill both required and optional in one vacancy would break the unique constraint: keep the first
        text = buf.getvalue().splitlines()
        seen, kept = set(), []
        for line in text:
            key = tuple(line.split("\t")[:2])
            if key not in seen:
                seen.add(key)
                kept.append(line)
        _copy_text(raw, "jobs_vacancyskill", ["vacancy_id", "skill_id", "min_level", "weight", "required"],
                   io.StringIO("\n".join(kept) + "\n"))
        rows_of = np.repeat(np.arange(n_v), np.diff(vacancies.lang_indptr))
        buf = io.StringIO("".join(f"{v}\t{s}\t{lv}\n" for v, s, lv in zip(
            vacancy_ids[rows_of].tolist(), np.array(languages)[vacancies.lang_idx].tolist(),
            vacancies.lang_min_level.tolist(), strict=True)))
        _copy_text(raw, "jobs_vacancylanguage", ["vacancy_id", "language_id", "min_cefr"], buf)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"loaded {n_p} profiles, {n_v} vacancies, {n_s} skills in {time.perf_counter() - t0:.1f}s")


def run_worker_rematch(shards: int, concurrency: int) -> float:
    """Start a real worker on Redis, run the rematch through it, return the wall time of ``rematch --wait``."""
    env = {**os.environ, "CELERY_BROKER_URL": os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/13"),
           "MATCH_THREADS": str(max(1, 2 // concurrency))}
    env["CELERY_RESULT_BACKEND"] = env["CELERY_BROKER_URL"]
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "worker", "worker", "-Q", "matching,default",
                               "--concurrency", str(concurrency), "--loglevel", "WARNING", "-n", "bench@%h"],
                              cwd=ROOT, env=env, start_new_session=True)
    try:
        time.sleep(4)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "manage.py", "rematch", "--wait", "--shards", str(shards),
                        "--reason", "bench-worker"], cwd=ROOT, env=env, check=True)
        return time.perf_counter() - t0
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=20_000)
    parser.add_argument("--skills", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--shards", type=int, default=1)
    parser.add_argument("--worker", action="store_true", help="also time the rematch through a Celery worker")
    parser.add_argument("--worker-shards", type=int, default=2)
    parser.add_argument("--incremental", type=int, default=20, help="incremental runs for the p50 (0: skip)")
    parser.add_argument("--skip-load", action="store_true", help="reuse the data already in the database")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (this benchmark measures the production path).")
    os.environ["MATCH_THREADS"] = str(args.threads)
    if not args.skip_load:
        load_dataset(args.profiles, args.vacancies, args.skills, args.seed)
    import django

    django.setup()
    from apps.matching import services
    from apps.matching.models import MatchRun

    gemm = gemm_seconds(args.profiles, args.vacancies, args.skills, args.threads)
    print(f"raw float32 GEMM {args.profiles}x{args.skills} @ {args.skills}x{args.vacancies}: {gemm:.2f}s")
    t0 = time.perf_counter()
    run = services.full_rematch_in_process(reason="bench", shards=args.shards, threads=args.threads)
    e2e = time.perf_counter() - t0
    print(f"rematch --in-process: {e2e:.2f}s (timings {run.timings}); rows {run.candidate_rows} + "
          f"{run.vacancy_rows}; ratio {e2e / gemm:.2f}")
    if args.worker:
        wall = run_worker_rematch(args.worker_shards, concurrency=2)
        print(f"rematch --wait through a worker ({args.worker_shards} shards): {wall:.2f}s; ratio {wall / gemm:.2f}")
    if args.incremental:
        rng = np.random.default_rng(args.seed)
        from apps.jobs.models import Vacancy
        from apps.talent.models import StudentProfile

        vids = rng.choice(list(Vacancy.objects.values_list("pk", flat=True)), args.incremental + 1, replace=False)
        pids = rng.choice(list(StudentProfile.objects.values_list("pk", flat=True)), args.incremental + 1,
                          replace=False)
        services.match_vacancy_incremental(vacancy_id=int(vids[0]))  # warms the per-process matrices
        services.match_profile_incremental(profile_id=int(pids[0]))
        times_v, times_p = [], []
        for vid in vids[1:]:
            t0 = time.perf_counter()
            services.match_vacancy_incremental(vacancy_id=int(vid))
            times_v.append(time.perf_counter() - t0)
        for pid in pids[1:]:
            t0 = time.perf_counter()
            services.match_profile_incremental(profile_id=int(pid))
            times_p.append(time.perf_counter() - t0)
        print(f"incremental one vacancy vs {args.profiles} profiles, persisted: p50 "
              f"{statistics.median(times_v) * 1000:.0f} ms (max {max(times_v) * 1000:.0f} ms)")
        print(f"incremental one profile vs {args.vacancies} vacancies, persisted: p50 "
              f"{statistics.median(times_p) * 1000:.0f} ms (max {max(times_p) * 1000:.0f} ms)")
    print(f"runs recorded: {MatchRun.objects.count()}")
    print(f"e2e/gemm ratio: {e2e / gemm:.2f}")


if __name__ == "__main__":
    main()
