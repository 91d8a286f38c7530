"""``manage.py rematch``: a full rematch through the workers (or in this process), with a summary."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.matching import services
from apps.matching.models import MatchRun, MatchShard, RunStatus


class Command(BaseCommand):
    help = "Score every matchable profile against every open vacancy and store the top-K lists."

    def add_arguments(self, parser):
        parser.add_argument("--wait", action="store_true", help="wait for the workers and print a summary")
        parser.add_argument("--in-process", action="store_true",
                            help="run the same shards in this process, with no broker")
        parser.add_argument("--shards", type=int, default=None, help="number of profile shards")
        parser.add_argument("--reason", default="manual")
        parser.add_argument("--timeout", type=float, default=3600, help="seconds --wait waits at most")

    def handle(self, *args, **opts):
        if opts["shards"] is not None and opts["shards"] < 1:
            raise CommandError("--shards must be at least 1")
        in_process = opts["in_process"] or settings.CELERY_TASK_ALWAYS_EAGER
        if in_process and not opts["in_process"]:
            self.stderr.write("No broker configured: running the shards in this process.")
        started = time.perf_counter()
        if in_process:
            run = services.full_rematch_in_process(reason=opts["reason"], shards=opts["shards"])
        else:
            from worker.tasks.matching import launch_shards

            run = services.full_rematch_start(reason=opts["reason"],
                                              shards=opts["shards"] or services.shards_for(10**9))
            launch_shards(run.pk, run.shards_total)
            self.stdout.write(f"Run #{run.pk}: {run.shards_total} shard(s) sent to the workers.")
            if not opts["wait"]:
                return
            run = self._wait(run, opts["timeout"])
        elapsed = time.perf_counter() - started
        self._summary(run, elapsed)
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(f"Run #{run.pk} {run.status}: {run.error}")

    def _wait(self, run: MatchRun, timeout: float) -> MatchRun:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            run.refresh_from_db()
            done = MatchShard.objects.filter(run=run, status=RunStatus.SUCCEEDED).count()
            if done != last:
                self.stdout.write(f"  shards done: {done}/{run.shards_total}")
                last = done
            if run.status in (RunStatus.SUCCEEDED, RunStatus.FAILED):
                return run
            time.sleep(0.2)
        raise CommandError(f"Run #{run.pk} did not finish within {timeout:.0f}s (is a worker running?)")

    def _summary(self, run: MatchRun, elapsed: float) -> None:
        t = run.timings
        self.stdout.write(self.style.SUCCESS(
            f"Run #{run.pk} {run.status}: generation {run.generation}, weights {run.weights_version}, "
            f"{run.profiles} profiles x {run.vacancies} vacancies in {run.shards_total} shard(s), "
            f"{run.candidate_rows} candidate rows + {run.vacancy_rows} vacancy rows, {elapsed:.2f}s wall"))
        self.stdout.write("  timings (s): " + ", ".join(f"{k}={v}" for k, v in t.items()))
        stats = run.stats or {}
        if stats:
            self.stdout.write(f"  vacancies without candidates: {stats.get('vacancies_without_candidates')}, "
                              f"mean top score: {stats.get('mean_top_score')}")
