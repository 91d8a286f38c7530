"""Single-request cost of the two load-bench endpoints, in process (Django test client, no HTTP server).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/demo100k .venv/bin/python bench/endpoints.py \
        [--requests 200] [--warmup 10] [--firms 10] [--json OUT.json]

For each of ``GET /healthz`` (the bare Django JSON view, baseline), ranked candidates
(``GET /api/v1/vacancies/<id>/candidates/`` with the token of a member of the owning firm, cycling over two
vacancies of each of the firms with the longest candidate lists) and vacancy browse
(``GET /api/v1/vacancies/?status=open&...`` as a student, cycling over the filter/ordering/page queries the
load bench uses), it prints:

* p50 / p95 wall time per request over ``--requests`` requests (after ``--warmup`` unmeasured ones),
* p50 CPU time of the Django thread per request (``time.thread_time``: Python only, not PostgreSQL's),
* the number of SQL queries and their summed time in one request of each variant (max over variants),
* the ratio of each endpoint's p50 to the healthz p50.

The fixtures (vacancies, tokens, browse queries) are ``bench/targets.py``'s, as in ``bench/load.py``. The
Django cache is whatever ``CACHE_URL`` says (local memory by default); ``--no-cache`` clears it before every
request so the numbers show the uncached cost.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from targets import fixtures, setup_django  # bench/, this script's folder


def _requests(config: dict) -> dict[str, list[tuple[str, dict]]]:
    """Per endpoint, the (path, headers) variants cycled through."""
    student = {"HTTP_AUTHORIZATION": f"Token {config['student_token']}"}
    return {
        "healthz": [("/healthz", {})],
        "candidates": [(f"/api/v1/vacancies/{v['id']}/candidates/", {"HTTP_AUTHORIZATION": f"Token {v['token']}"})
                       for v in config["vacancies"]],
        "browse": [(f"/api/v1/vacancies/?{q}", student) for q in config["browse"]],
    }


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(config: dict, *, requests: int, warmup: int, clear_cache: bool) -> list[dict]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    rows = []
    for name, variants in _requests(config).items():
        queries, sql_ms = 0, 0.0
        for path, headers in variants:  # query counts: one request per variant (after a warm-up one)
            client.get(path, **headers)
            if clear_cache:
                cache.clear()
            with CaptureQueriesContext(connection) as captured:
                answer = client.get(path, **headers)
            if answer.status_code != 200:
                raise SystemExit(f"{path}: HTTP {answer.status_code} {answer.content[:300]!r}")
            queries = max(queries, len(captured.captured_queries))
            sql_ms = max(sql_ms, 1000 * sum(float(q["time"]) for q in captured.captured_queries))
        times, cpu = [], []
        for i in range(warmup + requests):
            path, headers = variants[i % len(variants)]
            if clear_cache:
                cache.clear()
            start, start_cpu = time.perf_counter(), time.thread_time()
            answer = client.get(path, **headers)
            elapsed = 1000 * (time.perf_counter() - start)
            elapsed_cpu = 1000 * (time.thread_time() - start_cpu)
            if answer.status_code != 200:
                raise SystemExit(f"{path}: HTTP {answer.status_code}")
            if i >= warmup:
                times.append(elapsed)
                cpu.append(elapsed_cpu)
        rows.append({"endpoint": name, "requests": len(times), "p50_ms": round(statistics.median(times), 1),
                     "p95_ms": round(_percentile(times, 0.95), 1), "mean_ms": round(statistics.fmean(times), 1),
                     "cpu_p50_ms": round(statistics.median(cpu), 1),
                     "max_queries": queries, "max_sql_ms": round(sql_ms, 1)})
    base = next(r["p50_ms"] for r in rows if r["endpoint"] == "healthz")
    for r in rows:
        r["p50_vs_healthz"] = round(r["p50_ms"] / base, 1) if base else None
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--firms", type=int, default=10, help="firms whose vacancies are requested (2 each)")
    parser.add_argument("--no-cache", action="store_true", help="clear the Django cache before every request")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    setup_django(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/demo100k")
    from django.conf import settings

    config = fixtures(n_firms=args.firms, per_firm=2)
    rows = measure(config, requests=args.requests, warmup=args.warmup, clear_cache=args.no_cache)
    print(f"cache: {settings.CACHES['default']['BACKEND']}{' (cleared before every request)' if args.no_cache else ''}"
          f"; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'endpoint':<11} {'reqs':>5} {'p50 ms':>7} {'p95 ms':>7} {'mean ms':>8} {'CPU p50':>8} {'queries':>8} "
          f"{'SQL ms':>7} {'p50/healthz':>12}")
    for r in rows:
        print(f"{r['endpoint']:<11} {r['requests']:>5} {r['p50_ms']:>7} {r['p95_ms']:>7} {r['mean_ms']:>8} "
              f"{r['cpu_p50_ms']:>8} {r['max_queries']:>8} {r['max_sql_ms']:>7} {r['p50_vs_healthz']:>12}")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "load_average": os.getloadavg(),
                                         "no_cache": args.no_cache}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
