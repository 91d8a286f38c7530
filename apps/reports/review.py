"""Match-run review for platform admins: what a run produced, what looks wrong, and the admins' verdict.

Reads (``run_overview``) and writes (``review_set_status``, ``review_add_comment``) for the pages under
``/reports/runs/``. The verdict is ``apps.reports.models.MatchRunReview`` (one per run); the discussion is
``apps.matching.models.MatchRunComment`` (many per run).

Anomalies (documented here because the page shows them as facts):

- **vacancies without a qualified candidate**: open vacancies (now) with no stored candidate in the run's
  generation scoring at least ``REPORTS["QUALIFIED_SCORE"]`` — the same "qualified" as the government report.
- **profiles matching nothing**: matchable profiles (visible to firms, opted in, active user — the matcher's own
  population, ``apps.matching.loaders.matchable_profiles_sql``) with no stored vacancy in the generation.

  Both read the stored rows, which exist only for the current generation (a full run deletes older ones once it
  becomes current); for an older run the page says so and shows the run's own ``stats`` instead.
- **sudden shift**: a full run compared with the previous successful full run. A metric has shifted when it
  changed by more than ``SHIFT_THRESHOLD`` (20 %) of the previous value *and* by at least its floor
  (``SHIFT_FLOORS``: 5 for counts, 0.02 for scores), so that 1 → 2 vacancies in a tiny data set is not an alarm.
  Metrics: profiles, vacancies, candidate rows, vacancy rows, vacancies without candidates, mean top score.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.jobs.models import Vacancy
from apps.matching.models import (
    CandidateMatch,
    MatchRun,
    MatchRunComment,
    MatchState,
    RunKind,
    RunStatus,
    VacancyMatch,
)
from apps.talent.models import StudentProfile

from .models import MatchRunReview, ReviewStatus
from .services.build import report_settings, score_buckets

SHIFT_THRESHOLD = 0.20
SHIFT_FLOORS = {"profiles": 5, "vacancies": 5, "candidate_rows": 5, "vacancy_rows": 5,
                "vacancies_without_candidates": 5, "mean_top_score": 0.02}
METRIC_LABELS = {
    "profiles": _("Profiles"),
    "vacancies": _("Vacancies"),
    "candidate_rows": _("Candidate rows"),
    "vacancy_rows": _("Vacancy rows"),
    "vacancies_without_candidates": _("Vacancies without candidates"),
    "mean_top_score": _("Mean top score"),
}
HISTOGRAM_BINS = 10
SAMPLE = 20


def qualified_score() -> float:
    return float(report_settings()["QUALIFIED_SCORE"])


@dataclass
class Shift:
    """One metric that moved between the previous full run and this one."""

    metric: str
    previous: float
    current: float

    @property
    def label(self) -> str:
        return str(METRIC_LABELS.get(self.metric, self.metric))

    @property
    def change(self) -> float:
        """Relative change (+0.25 = 25 % up); infinite from zero."""
        if self.previous == 0:
            return float("inf")
        return (self.current - self.previous) / abs(self.previous)


@dataclass
class RunOverview:
    """Everything the review page shows about one run."""

    run: MatchRun
    review: MatchRunReview
    previous: MatchRun | None
    histogram: list[int]
    histogram_source: str  # "rows" (stored matches of the generation) or "stats" (the run's own summary)
    rows_available: bool  # whether the generation's stored rows still exist
    vacancies_without_qualified: int | None = None
    vacancies_without_qualified_sample: list = field(default_factory=list)
    profiles_matching_nothing: int | None = None
    profiles_matching_nothing_sample: list = field(default_factory=list)
    shifts: list[Shift] = field(default_factory=list)
    metrics: dict = field(default_factory=dict)

    @property
    def has_anomalies(self) -> bool:
        return bool(self.vacancies_without_qualified or self.profiles_matching_nothing or self.shifts)


def run_metrics(run: MatchRun) -> dict[str, float]:
    """The comparable figures of a run (missing stats count as 0)."""
    stats = run.stats or {}
    return {
        "profiles": run.profiles,
        "vacancies": run.vacancies,
        "candidate_rows": run.candidate_rows,
        "vacancy_rows": run.vacancy_rows,
        "vacancies_without_candidates": int(stats.get("vacancies_without_candidates") or 0),
        "mean_top_score": float(stats.get("mean_top_score") or 0.0),
    }


def shifts_between(previous: dict[str, float], current: dict[str, float]) -> list[Shift]:
    """The metrics that moved by more than ``SHIFT_THRESHOLD`` and their floor (see the module docstring)."""
    found = []
    for metric, floor in SHIFT_FLOORS.items():
        old, new = float(previous.get(metric, 0)), float(current.get(metric, 0))
        delta = abs(new - old)
        if delta >= floor and delta > SHIFT_THRESHOLD * abs(old):
            found.append(Shift(metric=metric, previous=old, current=new))
    return found


def previous_full_run(run: MatchRun) -> MatchRun | None:
    """The last successful full run started before ``run`` (ids grow with time)."""
    return (MatchRun.objects.filter(kind=RunKind.FULL, status=RunStatus.SUCCEEDED, pk__lt=run.pk)
            .order_by("-pk").first())


def score_histogram(generation: int) -> list[int]:
    """Stored candidate scores of a generation in ``HISTOGRAM_BINS`` equal bins over [0, 1] (one grouped query)."""
    return score_buckets(CandidateMatch.objects.filter(generation=generation), HISTOGRAM_BINS)


def matchable_profiles():
    """The matcher's population (the same filter as ``apps.matching.loaders.matchable_profiles_sql``)."""
    return StudentProfile.objects.matchable()


def vacancies_without_qualified(generation: int):
    """Open vacancies with no stored candidate of ``generation`` at or above the qualified score."""
    qualified = CandidateMatch.objects.filter(vacancy=OuterRef("pk"), generation=generation,
                                              score__gte=qualified_score())
    return Vacancy.objects.open().filter(~Exists(qualified)).order_by("pk")


def profiles_matching_nothing(generation: int):
    """Matchable profiles with no stored vacancy in ``generation``."""
    listed = VacancyMatch.objects.filter(profile=OuterRef("pk"), generation=generation)
    return matchable_profiles().filter(~Exists(listed)).order_by("pk")


def review_for(run: MatchRun) -> MatchRunReview:
    """The run's review row (an unsaved "not reviewed" one when nobody has reviewed it yet)."""
    try:
        return run.review
    except MatchRunReview.DoesNotExist:
        return MatchRunReview(run=run)


def run_overview(run: MatchRun) -> RunOverview:
    """Counts, score distribution, anomalies and verdict of one run."""
    state = MatchState.objects.filter(pk=1).first()
    current = state.current_generation if state else 0
    rows_available = run.status == RunStatus.SUCCEEDED and run.generation == current and (
        CandidateMatch.objects.filter(generation=run.generation).exists())
    stats_hist = [int(x) for x in (run.stats or {}).get("score_histogram") or []]
    if rows_available:
        histogram, source = score_histogram(run.generation), "rows"
    else:
        histogram, source = (stats_hist if len(stats_hist) == HISTOGRAM_BINS else []), "stats"
    previous = previous_full_run(run) if run.kind == RunKind.FULL else None
    overview = RunOverview(run=run, review=review_for(run), previous=previous, histogram=histogram,
                           histogram_source=source, rows_available=rows_available, metrics=run_metrics(run))
    if rows_available:
        missing = vacancies_without_qualified(run.generation)
        overview.vacancies_without_qualified = missing.count()
        overview.vacancies_without_qualified_sample = list(missing.select_related("firm")[:SAMPLE])
        lonely = profiles_matching_nothing(run.generation)
        overview.profiles_matching_nothing = lonely.count()
        overview.profiles_matching_nothing_sample = list(lonely.select_related("user")[:SAMPLE])
    if previous is not None and run.status == RunStatus.SUCCEEDED:
        overview.shifts = shifts_between(run_metrics(previous), overview.metrics)
    return overview


def annotate_shifts(runs: list[MatchRun]) -> None:
    """Set ``run.shifts`` on each successful full run of a list (compared with the previous full run)."""
    for run in runs:
        run.shifts = []
        if run.kind == RunKind.FULL and run.status == RunStatus.SUCCEEDED:
            previous = previous_full_run(run)
            if previous is not None:
                run.shifts = shifts_between(run_metrics(previous), run_metrics(run))


def review_set_status(*, run: MatchRun, status: str, reviewer) -> MatchRunReview:
    """Record a platform admin's verdict on ``run`` (reviewed, flagged, or back to not reviewed)."""
    if status not in ReviewStatus.values:
        raise ValueError(f"unknown review status {status!r}")
    with transaction.atomic():
        review, _created = MatchRunReview.objects.select_for_update().get_or_create(run=run)
        review.status = status
        reviewed = status != ReviewStatus.UNREVIEWED
        review.reviewed_by = reviewer if reviewed else None
        review.reviewed_at = timezone.now() if reviewed else None
        review.full_clean()
        review.save()
    return review


def review_add_comment(*, run: MatchRun, author, text: str) -> MatchRunComment:
    """Add a platform admin's comment to ``run``."""
    comment = MatchRunComment(run=run, author=author, text=text.strip())
    comment.full_clean()
    comment.save()
    return comment
