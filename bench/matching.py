"""Matching engine benchmark.

    python bench/matching.py --profiles 100000 --vacancies 20000 --skills 500 [--k 50] [--threads 2] [--seed 1]

Generates synthetic data (Zipf-like skill popularity, ~15 skills per profile, ~6 required + ~4 optional per
vacancy, a few languages), then reports from one run:

* engine full rematch: build_profile_matrix + build_vacancy_matrix + top_k (top-k in both directions);
* a raw float32 GEMM ``A @ B.T`` of the same dense shapes (profiles x skills @ skills x vacancies), computed
  in row blocks whose results are discarded, with the same number of BLAS threads;
* their ratio (last line: ``engine/gemm ratio: X.XX``);
* the naive pure-Python per-pair scorer (reference.score_pair), extrapolated from a timed sample of pairs;
* incremental calls (p50 over ``--incremental-runs``): one vacancy vs all profiles, one profile vs all vacancies;
* peak memory: peak resident set (VmHWM; ru_maxrss as fallback) of a fresh process that loads the arrays and
  runs the full rematch.

``--repeat N`` times the engine and the GEMM N times each (interleaved) and keeps the best of each, which
helps on a shared machine. ``--mode e2e`` runs bench/rematch_e2e.py: load, score, persist on PostgreSQL, in-process and
through a worker.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

from apps.matching.engine import (  # noqa: E402
    DEFAULT_WEIGHTS,
    Profiles,
    Vacancies,
    build_profile_matrix,
    build_vacancy_matrix,
    score_profile,
    score_vacancy,
    top_k,
)
from apps.matching.engine.reference import profile_dict, reference_idf, score_pair, vacancy_dict  # noqa: E402
from apps.matching.engine.synthetic import make_dataset  # noqa: E402


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mode", choices=["engine", "e2e"], default="engine")
    ap.add_argument("--profiles", type=int, default=100_000)
    ap.add_argument("--vacancies", type=int, default=20_000)
    ap.add_argument("--skills", type=int, default=500)
    ap.add_argument("--languages", type=int, default=20)
    ap.add_argument("--locations", type=int, default=50)
    ap.add_argument("--k", type=int, default=50)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--zipf", type=float, default=1.0, help="skill popularity exponent")
    ap.add_argument("--repeat", type=int, default=1, help="best of N for the engine and the GEMM")
    ap.add_argument("--naive-pairs", type=int, default=3000)
    ap.add_argument("--incremental-runs", type=int, default=20)
    ap.add_argument("--gemm-block", type=int, default=2048, help="rows of A per GEMM block")
    ap.add_argument("--no-memory", action="store_true", help="skip the fresh-process memory measurement")
    ap.add_argument("--child-engine", help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def run_engine(profiles, vacancies, args):
    t0 = time.perf_counter()
    c0 = time.process_time()
    pm = build_profile_matrix(profiles, args.skills, args.languages)
    vm = build_vacancy_matrix(vacancies, pm)
    t1 = time.perf_counter()
    res = top_k(pm, vm, DEFAULT_WEIGHTS, k=args.k, threads=args.threads)
    t2 = time.perf_counter()
    res.stats["cpu_s"] = time.process_time() - c0
    return pm, vm, res, t1 - t0, t2 - t1


def dense(indptr, idx, values, n_rows, n_cols):
    out = np.zeros((n_rows, n_cols), dtype=np.float32)
    rows = np.repeat(np.arange(n_rows), np.diff(indptr))
    out[rows, idx] = values
    return out


def run_gemm(a, b, threads, block):
    out = np.empty((block, b.shape[0]), dtype=np.float32)
    bt = b.T
    with threadpool_limits(limits=threads, user_api="blas"):
        np.matmul(a[:block], bt, out=out[: min(block, a.shape[0])])  # warm-up (page faults, BLAS threads)
        t0 = time.perf_counter()
        c0 = time.process_time()
        for start in range(0, a.shape[0], block):
            stop = min(start + block, a.shape[0])
            np.matmul(a[start:stop], bt, out=out[: stop - start])
        return time.perf_counter() - t0, time.process_time() - c0


def naive_time(profiles, vacancies, n_pairs, seed):
    rng = np.random.default_rng(seed)
    idf = reference_idf(profiles)
    ps = rng.integers(0, profiles.n, n_pairs)
    vs = rng.integers(0, vacancies.n, n_pairs)
    pd = {int(p): profile_dict(profiles, int(p)) for p in np.unique(ps)}
    vd = {int(v): vacancy_dict(vacancies, int(v)) for v in np.unique(vs)}
    t0 = time.perf_counter()
    for p, v in zip(ps.tolist(), vs.tolist(), strict=True):
        score_pair(pd[p], vd[v], idf, DEFAULT_WEIGHTS)
    return (time.perf_counter() - t0) / n_pairs


def save_dataset(path, profiles, vacancies):
    arrays = {f"p_{k}": getattr(profiles, k) for k in Profiles.__dataclass_fields__}
    arrays.update({f"v_{k}": getattr(vacancies, k) for k in Vacancies.__dataclass_fields__})
    np.savez(path, **arrays)


def load_dataset(path):
    z = np.load(path)
    profiles = Profiles(**{k: z[f"p_{k}"] for k in Profiles.__dataclass_fields__})
    vacancies = Vacancies(**{k: z[f"v_{k}"] for k in Vacancies.__dataclass_fields__})
    return profiles, vacancies


def peak_rss_kb() -> int:
    """Peak resident set of this process (VmHWM). Unlike ru_maxrss it starts afresh at exec: on Linux
    ru_maxrss also counts the parent's resident set at fork/exec time, which here would be the benchmark's."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child_engine(args):
    profiles, vacancies = load_dataset(args.child_engine)
    before = peak_rss_kb()
    _pm, _vm, _res, t_build, t_topk = run_engine(profiles, vacancies, args)
    peak = peak_rss_kb()
    print(json.dumps({"build": t_build, "topk": t_topk, "peak_kb": peak, "peak_before_kb": before}))


def main(argv=None):
    args = parse_args(argv)
    if args.child_engine:
        child_engine(args)
        return 0
    if args.mode == "e2e":
        # The database path lives in rematch_e2e.py (it needs Django and DATABASE_URL); same sizes.

        e2e = [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "rematch_e2e.py"),
               "--profiles", str(args.profiles), "--vacancies", str(args.vacancies), "--skills", str(args.skills),
               "--seed", str(args.seed), "--threads", str(args.threads), "--worker"]
        return subprocess.call(e2e)
    blas = [(i["internal_api"], i.get("architecture"), i["num_threads"]) for i in threadpool_info()
            if i["user_api"] == "blas"]
    print(f"matching bench: {args.profiles} profiles x {args.vacancies} vacancies x {args.skills} skills, "
          f"k={args.k}, threads={args.threads}, seed={args.seed}, zipf={args.zipf}")
    print(f"machine: {os.cpu_count()} CPUs, BLAS {blas}, OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '')!r}"
          f", load average at start {os.getloadavg()[0]:.2f}")

    t0 = time.perf_counter()
    profiles, vacancies = make_dataset(args.profiles, args.vacancies, args.skills, args.languages, args.locations,
                                       seed=args.seed, zipf=args.zipf)
    print(f"data: generated in {time.perf_counter() - t0:.1f}s; skills/profile "
          f"{np.diff(profiles.skill_indptr).mean():.1f}, required/vacancy {np.diff(vacancies.req_indptr).mean():.1f}, "
          f"optional/vacancy {np.diff(vacancies.opt_indptr).mean():.1f}, "
          f"languages/profile {np.diff(profiles.lang_indptr).mean():.1f}")

    a = dense(profiles.skill_indptr, profiles.skill_idx, profiles.skill_level, profiles.n, args.skills)
    b = dense(vacancies.req_indptr, vacancies.req_idx, vacancies.req_weight, vacancies.n, args.skills)
    t0 = time.perf_counter()
    run_engine(profiles.take(np.arange(min(2000, profiles.n))), vacancies, args)  # warm-up: imports, threads
    print(f"warm-up (imports, threads, the compiled kernels: loaded from numba's on-disk cache, or compiled once "
          f"on a fresh checkout): {time.perf_counter() - t0:.1f}s, not counted below")

    engine_times, gemm_times = [], []
    res = pm = vm = None
    for _ in range(max(1, args.repeat)):
        pm, vm, res, t_build, t_topk = run_engine(profiles, vacancies, args)
        engine_times.append((t_build + t_topk, t_build, t_topk, res.stats["cpu_s"]))
        gemm_times.append(run_gemm(a, b, args.threads, args.gemm_block))
    engine_total, t_build, t_topk, engine_cpu = min(engine_times)
    gemm, gemm_cpu = min(gemm_times)
    del a, b
    listed = int(res.vacancy_counts.sum() + res.profile_counts.sum())
    print(f"engine full rematch: {engine_total:.2f}s (build matrices {t_build:.2f}s + top_k {t_topk:.2f}s), "
          f"{listed} listed pairs, {res.stats['exact_pairs']} pairs scored exactly"
          + (f"; all runs {[round(t[0], 2) for t in engine_times]}" if args.repeat > 1 else "")
          + f"; CPU time {engine_cpu:.2f}s")
    print(f"raw float32 GEMM {args.profiles}x{args.skills} @ {args.skills}x{args.vacancies} "
          f"(row blocks of {args.gemm_block}): {gemm:.2f}s"
          + (f"; all runs {[round(t[0], 2) for t in gemm_times]}" if args.repeat > 1 else "")
          + f"; CPU time {gemm_cpu:.2f}s")
    print(f"CPU-time ratio engine/gemm: {engine_cpu / gemm_cpu:.2f} (less sensitive to other load on the machine "
          f"than wall time; equals the wall ratio when both use {args.threads} cores fully)")

    per_pair = naive_time(profiles, vacancies, args.naive_pairs, args.seed)
    naive_total = per_pair * profiles.n * vacancies.n
    print(f"naive per-pair Python: {per_pair * 1e6:.1f} us/pair x {profiles.n * vacancies.n:,} pairs = "
          f"{naive_total:,.0f}s (~{naive_total / 3600:.1f} h), extrapolated from {args.naive_pairs} timed pairs")

    rng = np.random.default_rng(args.seed + 1)
    tv, tp = [], []
    for _ in range(args.incremental_runs):
        v = int(rng.integers(0, vacancies.n))
        t = time.perf_counter()
        score_vacancy(pm, vm, v, args.k)
        tv.append(time.perf_counter() - t)
        p = int(rng.integers(0, profiles.n))
        t = time.perf_counter()
        score_profile(pm, vm, p, args.k)
        tp.append(time.perf_counter() - t)
    print(f"incremental: one vacancy vs all profiles p50 {np.median(tv) * 1e3:.1f} ms (max {max(tv) * 1e3:.1f}); "
          f"one profile vs all vacancies p50 {np.median(tp) * 1e3:.2f} ms (max {max(tp) * 1e3:.2f}); "
          f"{args.incremental_runs} runs each")

    if not args.no_memory:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "data.npz")
            save_dataset(path, profiles, vacancies)
            cmd = [sys.executable, os.path.abspath(__file__), "--child-engine", path,
                   "--skills", str(args.skills), "--languages", str(args.languages), "--k", str(args.k),
                   "--threads", str(args.threads)]
            out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
            child = json.loads(out)
        print(f"peak memory: {child['peak_kb'] / 1024:.0f} MB peak resident set (VmHWM, i.e. maxrss of that process "
              f"alone) of a fresh process that loads the arrays and runs the full rematch "
              f"({child['peak_before_kb'] / 1024:.0f} MB after loading, before building; "
              f"that run took {child['build'] + child['topk']:.2f}s)")
    print(f"load average at end {os.getloadavg()[0]:.2f}")
    print(f"engine/gemm ratio: {engine_total / gemm:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
