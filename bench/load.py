"""Load bench: locust (headless) against gunicorn + PostgreSQL + Redis while full rematches run in a worker.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/demo100k .venv/bin/python bench/load.py \
        [--users 50] [--seconds 60] [--gunicorn-workers 3] [--gunicorn-threads 4] \
        [--redis redis://127.0.0.1:6379/13] [--out DIR]

What it does:

1. picks, in the database, the 10 firms owning the longest ranked-candidate lists, up to 4 of each firm's
   vacancies with a list, a member of each firm and a student; gives them API tokens (created if missing);
2. starts gunicorn (``talentmatch.wsgi``, gthread workers with keep-alive, as ``scripts/run`` serves) and one
   Celery worker on the same database, with the
   broker, result backend and cache in the given Redis database under the key prefix ``loadbench:``;
3. keeps a full rematch running in that worker for the whole measurement (a new one is sent whenever the
   previous run finishes) and checks afterwards that the runs succeeded;
4. runs three locust phases of ``--seconds`` each, ``--users`` concurrent users:
   - ``bare``: ``GET /healthz`` (a bare Django JSON view: one ``SELECT 1``), no think time (capacity);
   - ``api-capacity``: the two API endpoints below, no think time (capacity, for the throughput ratio);
   - ``api``: the same endpoints with 0.5-1.5 s think time per user (the latency bar: p95 < 300 ms, 0 errors);
   the endpoints are ``GET /api/v1/vacancies/<id>/candidates/?page=&page_size=`` (ranked candidates, as the
   owning firm's member; one of the firm's vacancies at random, mostly page 1, pages 2-3 and 50 a page
   sometimes) and ``GET /api/v1/vacancies/?status=open&...`` (vacancy browse, as a student; ~25
   filter/ordering/page variants); each simulated user keeps one language (7 in 10 Chinese, else English);
5. prints a table (p50/p95/p99 ms, requests, errors, req/s per endpoint and phase, share of response-cache
   hits from the ``X-Response-Cache`` header) and the throughput ratio
   api-capacity req/s ÷ bare req/s, and writes it all to ``OUT/summary.json``.

The same file is the locustfile (locust imports it as a module; the classes below exist only then).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# --- locustfile part --------------------------------------------------------------------------------------

if __name__ != "__main__":
    from collections import Counter

    from locust import FastHttpUser, between, constant, events, task

    _CFG = json.loads(os.environ.get("LOADBENCH_CONFIG", "{}"))
    _PHASE = os.environ.get("LOADBENCH_PHASE", "api")
    _OUTCOMES: Counter = Counter()  # (endpoint, X-Response-Cache value) -> requests

    @events.request.add_listener
    def _count_outcome(request_type, name, response=None, exception=None, **kwargs):
        if response is not None and exception is None:
            _OUTCOMES[(name, response.headers.get("X-Response-Cache") or "none")] += 1

    @events.quitting.add_listener
    def _write_outcomes(environment, **kwargs):
        path = os.environ.get("LOADBENCH_OUTCOMES")
        if path:
            Path(path).write_text(json.dumps([{"name": n, "outcome": o, "requests": c}
                                              for (n, o), c in sorted(_OUTCOMES.items())]))

    class _Base(FastHttpUser):
        abstract = True
        wait_time = between(0.5, 1.5) if _PHASE == "api" else constant(0)

    if _PHASE == "bare":

        class BareUser(_Base):
            @task
            def healthz(self):
                self.client.get("/healthz", name="healthz")

    else:

        class ApiUser(_Base):
            """A firm member paging through their firm's candidate lists, and a student browsing with filters.

            Each simulated user keeps one language (Chinese for most, English for some). Candidates: a random one
            of the firm's vacancies, mostly page 1 (pages that exist only), sometimes 50 a page; browse: ~25
            filter/ordering/page variants. The response cache must not turn the mix into one repeated URL."""

            def on_start(self):
                self.language = random.choices(("zh-hans", "en"), weights=(7, 3))[0]  # noqa: S311
                self.firm = random.choice(sorted({v["token"] for v in _CFG["vacancies"]}))  # noqa: S311

            @task(1)
            def ranked_candidates(self):
                vacancy = random.choice([v for v in _CFG["vacancies"] if v["token"] == self.firm])  # noqa: S311
                size = random.choices((20, 50), weights=(9, 1))[0]  # noqa: S311
                pages = max(1, min(3, vacancy["candidates"] // size))
                page = random.choices((1, 2, 3)[:pages], weights=(15, 4, 1)[:pages])[0]  # noqa: S311
                params = ([f"page={page}"] if page > 1 else []) + ([f"page_size={size}"] if size != 20 else [])
                query = "?" + "&".join(params) if params else ""
                self.client.get(f"/api/v1/vacancies/{vacancy['id']}/candidates/{query}", name="candidates",
                                headers={"Authorization": f"Token {vacancy['token']}",
                                         "Accept-Language": self.language})

            @task(1)
            def browse(self):
                query = random.choice(_CFG["browse"])  # noqa: S311
                self.client.get(f"/api/v1/vacancies/?{query}", name="browse",
                                headers={"Authorization": f"Token {_CFG['student_token']}",
                                         "Accept-Language": self.language})


# --- orchestration ----------------------------------------------------------------------------------------


def _wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 (local URL)
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {timeout} s")


class Rematcher(threading.Thread):
    """Keeps a full rematch running in the worker until stopped; remembers the runs it started."""

    def __init__(self, app):
        super().__init__(daemon=True)
        self.app, self.stop, self.runs = app, threading.Event(), []

    def run(self):
        from apps.matching.models import MatchRun, RunKind

        while not self.stop.is_set():
            before = MatchRun.objects.filter(kind=RunKind.FULL).order_by("-pk").values_list("pk", flat=True).first()
            self.app.send_task("matching.full_rematch", kwargs={"reason": "load bench", "shards": 2},
                               queue="matching")
            run = None
            while not self.stop.is_set():
                run = MatchRun.objects.filter(kind=RunKind.FULL, pk__gt=before or 0).order_by("pk").first()
                if run and run.status in ("succeeded", "failed"):
                    break
                time.sleep(1)
            if run:
                self.runs.append(run.pk)

    def running(self) -> bool:
        from apps.matching.models import MatchRun, RunKind

        return MatchRun.objects.filter(kind=RunKind.FULL, status="running").exists()


def _locust(phase: str, host: str, users: int, seconds: int, config: dict, out: Path) -> list[dict]:
    prefix = out / phase
    env = {**os.environ, "LOADBENCH_PHASE": phase, "LOADBENCH_CONFIG": json.dumps(config),
           "LOADBENCH_OUTCOMES": f"{prefix}_cache.json"}
    command = [sys.executable, "-m", "locust", "-f", str(Path(__file__).resolve()), "--headless", "--host", host,
               "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--csv", str(prefix), "--only-summary",
               "--loglevel", "WARNING", "--stop-timeout", "5"]
    subprocess.run(command, env=env, cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
    rows = []
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            rows.append({"phase": phase, "name": row["Name"], "requests": int(row["Request Count"]),
                         "errors": int(row["Failure Count"]), "rps": round(float(row["Requests/s"]), 1),
                         "p50": float(row["50%"]), "p95": float(row["95%"]), "p99": float(row["99%"]),
                         "max": float(row["Max Response Time"])})
    outcomes = json.loads(Path(f"{prefix}_cache.json").read_text()) if Path(f"{prefix}_cache.json").exists() else []
    for row in rows:  # share of cache look-ups answered from the response cache (X-Response-Cache)
        mine = [o for o in outcomes if o["name"] == row["name"] or row["name"] == "Aggregated"]
        hits = sum(o["requests"] for o in mine if o["outcome"] == "hit")
        looked_up = hits + sum(o["requests"] for o in mine if o["outcome"] == "miss")
        row["cache_hit_ratio"] = round(hits / looked_up, 3) if looked_up else None
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--gunicorn-workers", type=int, default=3)
    parser.add_argument("--gunicorn-threads", type=int, default=4,
                        help="threads per worker (gthread, as scripts/run serves; 1 = sync workers)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--no-rematch", action="store_true", help="measure without the background rematch")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/demo100k"
    from targets import fixtures, setup_django  # bench/ (this script's folder; not needed by locust)

    setup_django(database_url)
    out = args.out or Path(tempfile.mkdtemp(prefix="loadbench-"))
    out.mkdir(parents=True, exist_ok=True)
    config = fixtures()
    load_before = os.getloadavg()
    prefix = "loadbench:"
    service_env = {**os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": args.redis,
                   "CELERY_RESULT_BACKEND": args.redis, "CELERY_BROKER_KEY_PREFIX": prefix,
                   "CACHE_URL": args.redis.replace("redis://", "rediscache://", 1) + f"?key_prefix={prefix}cache",
                   "TALENTMATCH_EAGER_NOTICE": "0", "LOG_LEVEL": "WARNING", "DEBUG": "false"}
    host = f"http://127.0.0.1:{args.port}"
    logs = out / "services.log"
    procs = []
    with logs.open("ab") as log:
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "talentmatch.wsgi", "-b", f"127.0.0.1:{args.port}", "-w",
             str(args.gunicorn_workers), "--threads", str(args.gunicorn_threads),
             "--worker-class", "gthread" if args.gunicorn_threads > 1 else "sync",
             "--keep-alive", "5", "--log-level", "warning"],  # gthread keeps connections alive; sync closes them
            cwd=ROOT, env=service_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        if not args.no_rematch:
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "worker", "worker", "-Q", "default,matching", "-P", "solo",
                 "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", "loadbench@%h",
                 "--loglevel", "WARNING"],
                cwd=ROOT, env=service_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
    rematcher = None
    try:
        _wait_http(f"{host}/healthz")
        if not args.no_rematch:
            from celery import Celery

            client = Celery("loadbench", broker=args.redis, backend=args.redis, set_as_current=False)
            client.conf.broker_transport_options = {"global_keyprefix": prefix}
            rematcher = Rematcher(client)
            rematcher.start()
            deadline = time.monotonic() + 60
            while not rematcher.running():
                if time.monotonic() > deadline:
                    raise SystemExit(f"the background rematch did not start; see {logs}")
                time.sleep(0.5)
        rows = []
        for phase in ("bare", "api-capacity", "api"):
            rows += _locust(phase if phase != "api-capacity" else "api-capacity", host, args.users, args.seconds,
                            config, out)
    finally:
        if rematcher:
            rematcher.stop.set()
            rematcher.join(timeout=5)
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
    from apps.matching.models import MatchRun

    runs = list(MatchRun.objects.filter(pk__in=rematcher.runs if rematcher else []).values(
        "pk", "status", "started_at", "finished_at", "profiles", "vacancies"))
    bare = next((r for r in rows if r["phase"] == "bare" and r["name"] == "Aggregated"), None)
    capacity = next((r for r in rows if r["phase"] == "api-capacity" and r["name"] == "Aggregated"), None)
    ratio = round(capacity["rps"] / bare["rps"], 3) if bare and capacity and bare["rps"] else None
    print(f"{'phase':<13} {'endpoint':<11} {'reqs':>6} {'errors':>6} {'req/s':>7} {'p50':>6} {'p95':>6} "
          f"{'p99':>6} {'max':>7}  (ms) {'hits':>5}")
    for r in rows:
        print(f"{r['phase']:<13} {r['name']:<11} {r['requests']:>6} {r['errors']:>6} {r['rps']:>7} {r['p50']:>6.0f} "
              f"{r['p95']:>6.0f} {r['p99']:>6.0f} {r['max']:>7.0f}       {r.get('cache_hit_ratio')}")
    print(f"throughput ratio api-capacity / bare healthz: {ratio}")
    print(f"load average before {load_before[0]:.1f}, after {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
    finished = [(r["pk"], r["status"], str(r["finished_at"] - r["started_at"]) if r["finished_at"] else None)
                for r in runs]
    print(f"background full rematches during the bench (id, status, duration): {finished}")
    api = [r for r in rows if r["phase"] == "api" and r["name"] != "Aggregated"]
    met = bool(api) and all(r["p95"] < 300 and r["errors"] == 0 for r in api)
    print(f"bar (p95 < 300 ms and 0 errors on every endpoint at {args.users} users with think time): "
          f"{'met' if met else 'NOT met'}")
    summary = {"users": args.users, "seconds": args.seconds, "gunicorn_workers": args.gunicorn_workers,
               "gunicorn_threads": args.gunicorn_threads, "load_average_before": load_before,
               "cpus": os.cpu_count(), "load_average": os.getloadavg(), "rows": rows, "ratio": ratio,
               "rematch_runs": [{**r, "started_at": str(r["started_at"]), "finished_at": str(r["finished_at"])}
                                for r in runs],
               "vacancies": config["vacancies"][:3], "browse": config["browse"], "bar_met": met}
    (out / "summary.json").write_text(json.dumps(summary, indent=2, default=str))
    print(f"details: {out}/summary.json, locust CSVs and {logs}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
