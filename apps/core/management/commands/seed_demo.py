"""``manage.py seed_demo``: build the deterministic bilingual demo data set and print the demo sign-ins."""

import time

from django.core.management.base import BaseCommand, CommandError

from apps.core.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from apps.core.demo.services import (
    DEFAULT_SEED,
    DEFAULT_STUDENTS,
    DEFAULT_VACANCIES,
    demo_seed,
    demo_training_only,
)
from apps.core.demo.taxonomy import DemoSeedError


class Command(BaseCommand):
    help = (
        "Build a realistic, deterministic demo data set (firms, universities, bureaus, vacancies, students, "
        "outcome histories, training programmes with cohorts, enrollments and placements) in Chinese and English, "
        "with one sign-in per role. The same --seed gives the same data. Runs once: when demo data exists it does "
        "nothing unless --reset is given; --training-only adds the training data to an existing demo set."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--students",
            type=int,
            default=DEFAULT_STUDENTS,
            help=f"students and trainees, the demo student included (default {DEFAULT_STUDENTS})",
        )
        parser.add_argument(
            "--vacancies",
            type=int,
            default=DEFAULT_VACANCIES,
            help=f"vacancies, the demo firm's four included (default {DEFAULT_VACANCIES})",
        )
        parser.add_argument(
            "--firms",
            type=int,
            default=None,
            help="approved firms (default 24, or one per six vacancies when that is more); "
            "one pending firm comes on top",
        )
        parser.add_argument(
            "--universities", type=int, default=None, help="universities and training providers (default 8)"
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
        parser.add_argument("--reset", action="store_true", help="delete the previous demo data first")
        parser.add_argument(
            "--training-only",
            action="store_true",
            help="add only the training data (programmes, courses, cohorts, enrollments, course credits, "
            "placements) to an existing demo set that has none; --students/--vacancies/--firms/--universities "
            "are ignored, --seed should be the one the set was built with",
        )
        parser.add_argument(
            "--no-rematch",
            action="store_true",
            help="skip the full re-match after seeding (run it later with the matching commands)",
        )

    def handle(self, *args, **options):
        started = time.monotonic()

        def progress(message: str) -> None:
            self.stdout.write(f"[{time.monotonic() - started:6.1f} s] {message}")

        try:
            if options["training_only"]:
                if options["reset"]:
                    raise CommandError("--training-only cannot be combined with --reset.")
                summary = demo_training_only(
                    seed=options["seed"], rematch=not options["no_rematch"], progress=progress
                )
            else:
                summary = demo_seed(
                    students=options["students"],
                    vacancies=options["vacancies"],
                    firms=options["firms"],
                    universities=options["universities"],
                    seed=options["seed"],
                    reset=options["reset"],
                    rematch=not options["no_rematch"],
                    progress=progress,
                )
        except DemoSeedError as exc:
            raise CommandError(str(exc)) from exc
        if summary.skipped:
            self.stdout.write(self.style.WARNING(summary.message))
        width = max(len(name) for name in summary.counts)
        for name, count in summary.counts.items():
            self.stdout.write(f"  {name:<{width}}  {count:>9,}")
        if summary.unknown_skills:
            self.stdout.write(
                self.style.WARNING(
                    "Skill codes not in the taxonomy were left out: " + ", ".join(summary.unknown_skills)
                )
            )
        if not summary.skipped:
            self.stdout.write(self.style.SUCCESS(f"Demo data built in {summary.seconds:.1f} s."))
        if summary.rematch:
            self.stdout.write(f"Re-match: {summary.rematch}")
        self.stdout.write(f"\nDemo sign-ins (password {DEMO_PASSWORD} for all):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.email:<34} {account.role:<11} {account.about}")
