"""``manage.py learn_weights``: fit score weights on hiring outcomes and store them as a candidate weight set."""

from django.core.management.base import BaseCommand, CommandError

from apps.matching import learning

from ._weights_report import print_evaluation, print_weights


class Command(BaseCommand):
    help = (
        "Fit a logistic regression on the outcomes of reviewed applications (shortlisted, interviewed, offered or "
        "hired = positive; rejected after review = negative) over the score's five parts, map it to valid weights "
        "(non-negative, summing to 1, required >= 0.5) and store them as an inactive candidate. The fit uses the "
        "earlier outcomes; the later ones (a time-ordered hold-out) compare it with the weights in force. With "
        "--promote the candidate is put in force only when it ranks the hold-out better."
    )

    def add_arguments(self, parser):
        parser.add_argument("--holdout", type=float, default=0.35,
                            help="share of outcomes (the most recently decided vacancies) held out (default 0.35)")
        parser.add_argument("--C", dest="C", type=float, default=10.0, help="inverse L2 strength (default 10)")
        parser.add_argument("--no-centre", action="store_true",
                            help="do not centre the score parts per vacancy before fitting")
        parser.add_argument("--min-outcomes", type=int, default=40, help="refuse with fewer outcomes (default 40)")
        parser.add_argument("--k", type=int, default=10, help="cut-off of nDCG and recall (default 10)")
        parser.add_argument("--promote", action="store_true", help="put the candidate in force if it is better")
        parser.add_argument("--no-rematch", action="store_true",
                            help="after a promotion, do not re-score everything now (the nightly run will)")

    def handle(self, *args, **options):
        if not 0 < options["holdout"] < 1:
            raise CommandError("--holdout must be between 0 and 1.")
        try:
            result = learning.learn_candidate(holdout=options["holdout"], C=options["C"],
                                              centred=not options["no_centre"], min_outcomes=options["min_outcomes"],
                                              k=options["k"])
        except learning.LearningError as error:
            raise CommandError(str(error)) from error
        fit = result.fit
        self.stdout.write(f"Outcomes: {result.outcomes} reviewed applications; fitted on {fit.n} "
                          f"({fit.positives} positive), held out {result.evaluation.test_items} from "
                          f"{result.evaluation.test_vacancies} vacancies.")
        self.stdout.write("Coefficients on the score terms (R, R*O, R*S, R*L, R*F): "
                          + ", ".join(f"{c:+.3f}" for c in fit.coef))
        print_weights(self.stdout, result.evaluation.current, result.evaluation.candidate)
        print_evaluation(self.stdout, self.style, result.evaluation)
        self.stdout.write(self.style.SUCCESS(f"Stored candidate weight set {result.candidate.version}."))
        if options["promote"]:
            self._promote(result.candidate, result.evaluation, options["no_rematch"])
        else:
            self.stdout.write(f"Promote it with: manage.py evaluate_matching --candidate {result.candidate.version} "
                              "--promote")

    def _promote(self, candidate, evaluation, no_rematch: bool) -> None:
        if learning.promote(candidate=candidate, evaluation=evaluation):
            self.stdout.write(self.style.SUCCESS(f"Promoted {candidate.version}: it is now in force."))
            if not no_rematch:
                self.stdout.write("Re-match: " + learning.rematch_now("weights promoted"))
        else:
            self.stdout.write(self.style.WARNING("Not promoted: it does not beat the weights in force."))
