"""``manage.py evaluate_matching``: nDCG@10, recall@10 and MRR of the weights in force and a candidate."""

from django.core.management.base import BaseCommand, CommandError

from apps.matching import learning
from apps.matching.models import WeightSet

from ._weights_report import print_evaluation, print_weights


class Command(BaseCommand):
    help = (
        "Rank the held-out outcomes (the vacancies the candidate did not learn from, decided last) with the weights "
        "in force and with a candidate weight set, and report nDCG@k, recall@k and MRR of both and the change. "
        "With --promote the candidate is put in force only when its nDCG is higher."
    )

    def add_arguments(self, parser):
        parser.add_argument("--candidate", help="version of the candidate (default: the newest set not in force)")
        parser.add_argument("--k", type=int, default=None, help="cut-off of nDCG and recall (default: the "
                                                                 "candidate's, else 10)")
        parser.add_argument("--holdout", type=float, default=None,
                            help="use a fresh time-ordered split holding out this share instead of the candidate's")
        parser.add_argument("--promote", action="store_true", help="put the candidate in force if it is better")
        parser.add_argument("--no-rematch", action="store_true",
                            help="after a promotion, do not re-score everything now (the nightly run will)")

    def handle(self, *args, **options):
        if options["candidate"]:
            candidate = WeightSet.objects.filter(version=options["candidate"]).first()
            if candidate is None:
                raise CommandError(f"There is no weight set {options['candidate']!r} (see: manage.py weights list).")
        else:
            candidate = learning.latest_candidate()
            if candidate is None:
                raise CommandError("There is no candidate weight set: run manage.py learn_weights first.")
        if candidate.is_active:
            raise CommandError(f"{candidate.version} is already in force; name another candidate.")
        if options["holdout"] is not None and not 0 < options["holdout"] < 1:
            raise CommandError("--holdout must be between 0 and 1.")
        try:
            evaluation = learning.evaluate(candidate=candidate, k=options["k"], holdout=options["holdout"])
        except learning.LearningError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Hold-out: {evaluation.test_items} reviewed applications of {evaluation.test_vacancies} "
                          f"vacancies ({evaluation.current_metrics.groups} with a positive outcome); the candidate "
                          f"learned from {evaluation.train_items} earlier ones.")
        print_weights(self.stdout, evaluation.current, evaluation.candidate)
        print_evaluation(self.stdout, self.style, evaluation)
        if not options["promote"]:
            return
        if learning.promote(candidate=candidate, evaluation=evaluation):
            self.stdout.write(self.style.SUCCESS(f"Promoted {candidate.version}: it is now in force "
                                                 f"(roll back with: manage.py weights rollback)."))
            if not options["no_rematch"]:
                self.stdout.write("Re-match: " + learning.rematch_now("weights promoted"))
        else:
            self.stdout.write(self.style.WARNING(f"Not promoted: {candidate.version} does not beat the weights in "
                                                 "force on the hold-out."))
