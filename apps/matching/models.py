"""Match runs and their stored results.

Results are stored as one row per listed pair in each direction: a vacancy's top-K candidates
(``CandidateMatch``) and a profile's top-K vacancies (``VacancyMatch``). Rows carry the
``generation`` of the full run that produced them; readers only see the generation that
``MatchState`` names as current, so a new full run becomes visible all at once when it flips the
pointer, and a reader never sees half a run. Incremental recomputes rewrite rows inside the current
generation, one vacancy or one profile at a time, in a transaction.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RunKind(models.TextChoices):
    FULL = "full", _("Full rematch")
    PROFILE = "profile", _("One profile")
    VACANCY = "vacancy", _("One vacancy")


class RunStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class MatchRunQuerySet(models.QuerySet):
    def for_user(self, user):
        """Run records are operational data for platform admins only."""
        if getattr(user, "is_authenticated", False) and user.is_platform_admin:
            return self
        return self.none()


class MatchRun(models.Model):
    """One execution of the matcher: what it covered, how long each step took, the weights it used."""

    kind = models.CharField(max_length=16, choices=RunKind.choices)
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.PENDING, db_index=True)
    generation = models.PositiveIntegerField(default=0)
    weights_version = models.CharField(max_length=64)
    reason = models.CharField(max_length=64, blank=True)
    target_id = models.BigIntegerField(null=True, blank=True)
    top_k = models.PositiveSmallIntegerField(default=50)
    shards_total = models.PositiveSmallIntegerField(default=1)
    shards_done = models.PositiveSmallIntegerField(default=0)
    profiles = models.PositiveIntegerField(default=0)
    vacancies = models.PositiveIntegerField(default=0)
    candidate_rows = models.PositiveIntegerField(default=0)
    vacancy_rows = models.PositiveIntegerField(default=0)
    timings = models.JSONField(default=dict, blank=True)
    stats = models.JSONField(default=dict, blank=True)
    # What the shards of a full run must agree on: vocabulary, idf, vacancy ids, profile id bounds.
    snapshot = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = MatchRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("match run")
        verbose_name_plural = _("match runs")

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"

    @property
    def duration(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class MatchState(models.Model):
    """Singleton: which generation of stored results is current, and the state a full run froze."""

    current_generation = models.PositiveIntegerField(default=0)
    current_run = models.ForeignKey(MatchRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    computed_at = models.DateTimeField(null=True, blank=True)
    # The IDF vector of the population at the last full run (kept so incremental recomputes score the same way).
    idf = models.JSONField(default=list, blank=True)

    @classmethod
    def get(cls) -> "MatchState":
        state, _ = cls.objects.get_or_create(pk=1)
        return state


class _PairBase(models.Model):
    """Score and its components for one (vacancy, profile) pair."""

    generation = models.PositiveIntegerField()
    score = models.FloatField()
    required = models.FloatField()
    optional = models.FloatField()
    similarity = models.FloatField()
    language = models.FloatField()
    preference = models.FloatField()
    computed_at = models.DateTimeField()

    class Meta:
        abstract = True

    @property
    def components(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in ("required", "optional", "similarity", "language", "preference")}


class CandidateMatch(_PairBase):
    """A profile in one vacancy's top-K list."""

    # No database-level FK constraints on the match tables: PostgreSQL checks deferred FKs row by row at
    # commit, which cost more than scoring for millions of rows. Django still cascades deletes.
    vacancy = models.ForeignKey("jobs.Vacancy", on_delete=models.CASCADE, related_name="candidate_matches",
                                db_index=False, db_constraint=False)
    # Lookups by profile go through the unique (generation, profile, vacancy) index.
    profile = models.ForeignKey("talent.StudentProfile", on_delete=models.CASCADE, related_name="+",
                                db_index=False, db_constraint=False)

    # One row per pair and generation. The key also serves "which vacancy lists is this profile in?" for
    # incremental updates; there is no surrogate id (one index less to maintain on millions of rows).
    pk = models.CompositePrimaryKey("generation", "profile_id", "vacancy_id")

    class Meta:
        indexes = [models.Index(fields=["vacancy", "generation", "-score", "profile"], name="cand_vacancy_rank")]


class VacancyMatch(_PairBase):
    """A vacancy in one profile's top-K list."""

    profile = models.ForeignKey("talent.StudentProfile", on_delete=models.CASCADE, related_name="vacancy_matches",
                                db_index=False, db_constraint=False)
    # Lookups by vacancy go through the unique (generation, vacancy, profile) index.
    vacancy = models.ForeignKey("jobs.Vacancy", on_delete=models.CASCADE, related_name="+", db_index=False,
                                db_constraint=False)

    # The key also serves "which profile lists is this vacancy in?" for incremental updates.
    pk = models.CompositePrimaryKey("generation", "vacancy_id", "profile_id")

    class Meta:
        indexes = [models.Index(fields=["profile", "generation", "-score", "vacancy"], name="vmatch_profile_rank")]


class MatchShard(models.Model):
    """One shard of a full run: which profiles it covered and its partial per-vacancy top-K.

    The partial lists are kept in the database (an ``.npz`` blob) so shards can run on any machine that
    reaches the database, and a re-delivered shard simply overwrites its own row.
    """

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="shards")
    index = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.PENDING)
    profiles = models.PositiveIntegerField(default=0)
    vacancy_rows = models.PositiveIntegerField(default=0)
    partial = models.BinaryField(null=True, blank=True)
    timings = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "index"], name="uniq_run_shard")]
        ordering = ["run", "index"]


class ListCutoff(models.Model):
    """Size and last entry of one stored top-K list (a profile's or a vacancy's) in a generation.

    Lets an incremental recompute decide, for 100,000 lists at once, which lists a changed object enters,
    without aggregating millions of match rows: it enters when it beats the last entry or the list is short.
    """

    generation = models.PositiveIntegerField()
    kind = models.CharField(max_length=8, choices=[("profile", "profile"), ("vacancy", "vacancy")])
    owner_id = models.BigIntegerField()
    size = models.PositiveSmallIntegerField()
    last_score = models.FloatField()
    last_id = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["generation", "kind", "owner_id"], name="uniq_list_cutoff")]


class WeightSet(models.Model):
    """A versioned set of score weights; exactly one is active (none = the engine's defaults)."""

    version = models.CharField(max_length=64, unique=True)
    required = models.FloatField()
    optional = models.FloatField()
    similarity = models.FloatField()
    language = models.FloatField()
    preference = models.FloatField()
    is_active = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    metrics = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["is_active"], condition=models.Q(is_active=True),
                                               name="one_active_weight_set")]

    def __str__(self):
        return self.version


class MatchRunCommentQuerySet(models.QuerySet):
    def for_user(self, user):
        """Comments on runs are operational notes for platform admins only."""
        if getattr(user, "is_authenticated", False) and user.is_platform_admin:
            return self
        return self.none()


class MatchRunComment(models.Model):
    """A platform admin's note on a match run (the run's review status is ``reports.MatchRunReview``)."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    text = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = MatchRunCommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("match run comment")
        verbose_name_plural = _("match run comments")

    def __str__(self):
        return f"{self.run_id}: {self.text[:40]}"
