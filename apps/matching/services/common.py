"""Pieces every matching service shares: weights, the current state, list writes and cutoffs."""

from __future__ import annotations

import numpy as np
from django.conf import settings
from django.db import connection, transaction

from apps.matching.engine import DEFAULT_WEIGHTS, MatchWeights
from apps.matching.loaders import fetch_columns
from apps.matching.models import CandidateMatch, ListCutoff, MatchState, VacancyMatch, WeightSet
from apps.matching.persist import COMPONENTS, PairColumns


def top_k_size() -> int:
    return int(settings.MATCHING["TOP_K"])


def active_weights() -> MatchWeights:
    """The weights in force: the active ``WeightSet``, or the engine's defaults."""
    row = WeightSet.objects.filter(is_active=True).first()
    if row is None:
        return DEFAULT_WEIGHTS
    return MatchWeights(version=row.version, required=row.required, optional=row.optional,
                        similarity=row.similarity, language=row.language, preference=row.preference)


def frozen_idf(vocab, state: MatchState) -> np.ndarray:
    """The idf the last full run froze, laid out on ``vocab``: incremental recomputes and explanations score
    with it so their numbers equal the stored ones.

    A skill added after that run has no frequency yet and counts as the rarest; with no full run yet every
    skill weighs 1.
    """
    frozen = state.idf if isinstance(state.idf, dict) else {}
    idf = np.ones(vocab.skill_ids.size, dtype=np.float64)
    if frozen.get("skill_ids") and vocab.skill_ids.size:
        known = np.asarray(frozen["skill_ids"], dtype=np.int64)
        values = np.asarray(frozen["idf"], dtype=np.float64)
        pos = np.minimum(np.searchsorted(known, vocab.skill_ids), known.size - 1)
        hit = known[pos] == vocab.skill_ids
        idf = np.where(hit, values[pos], values.max() if values.size else 1.0)
    return idf


def locked_state() -> MatchState:
    """The singleton state row, locked for the rest of the transaction (serialises generation flips)."""
    MatchState.objects.get_or_create(pk=1)
    return MatchState.objects.select_for_update().get(pk=1)


def exclusion_pairs(profile_ids: np.ndarray, vacancy_ids: np.ndarray) -> np.ndarray:
    """(profile_row, vacancy_row) pairs never listed: students who already applied are shown separately.

    Until an applications pipeline exists there are none.
    """
    from django.apps import apps

    if not apps.is_installed("apps.applications"):
        return np.empty((0, 2), dtype=np.int64)
    from apps.applications.selectors import applied_pairs
    pairs = np.asarray(applied_pairs(), dtype=np.int64).reshape(-1, 2)
    if pairs.size == 0:
        return np.empty((0, 2), dtype=np.int64)
    p_rows = np.searchsorted(profile_ids, pairs[:, 0])
    v_rows = np.searchsorted(vacancy_ids, pairs[:, 1])
    ok = (p_rows < profile_ids.size) & (v_rows < vacancy_ids.size)
    ok[ok] &= (profile_ids[p_rows[ok]] == pairs[ok, 0]) & (vacancy_ids[v_rows[ok]] == pairs[ok, 1])
    return np.stack([p_rows[ok], v_rows[ok]], axis=1)


def cutoffs_from_lists(owner_ids: np.ndarray, other_ids: np.ndarray, scores: np.ndarray,
                       counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(owner, size, last score, last other id) for lists given as padded ``n x k`` arrays."""
    has = counts > 0
    last = np.maximum(counts - 1, 0)
    rows = np.arange(owner_ids.shape[0])
    return (owner_ids[has], counts[has], scores[rows, last][has], other_ids[rows, last][has])


def write_cutoffs(*, generation: int, kind: str, owners, sizes, last_scores, last_ids,
                  replace_range: tuple[int, int] | None = None) -> None:
    """Replace the cutoffs of these owners (bulk). ``replace_range`` (lo, hi) clears a whole id range
    first (a shard's profiles, so a re-delivered shard leaves no stale row); else the owners listed."""
    owners = np.asarray(owners, dtype=np.int64)
    stale = ListCutoff.objects.filter(generation=generation, kind=kind)
    if replace_range is not None:
        stale.filter(owner_id__gte=replace_range[0], owner_id__lte=replace_range[1]).delete()
    elif owners.size:
        stale.filter(owner_id__in=owners.tolist()).delete()
    if owners.size == 0:
        return
    if connection.vendor == "postgresql" and owners.size > 1000:
        _copy_cutoffs(generation, kind, owners, sizes, last_scores, last_ids)
        return
    objs = [ListCutoff(generation=generation, kind=kind, owner_id=o, size=s, last_score=sc, last_id=li)
            for o, s, sc, li in zip(owners.tolist(), np.asarray(sizes).tolist(), np.asarray(last_scores).tolist(),
                                    np.asarray(last_ids).tolist(), strict=True)]
    ListCutoff.objects.bulk_create(objs, batch_size=5000)


def _copy_cutoffs(generation, kind, owners, sizes, last_scores, last_ids) -> None:
    """COPY many cutoffs at once (a full run writes one per profile)."""
    import io

    buf = io.StringIO()
    for owner, size, score, last in zip(owners.tolist(), np.asarray(sizes).tolist(),
                                         np.asarray(last_scores, dtype=np.float64).tolist(),
                                         np.asarray(last_ids).tolist(), strict=True):
        buf.write(f"{generation}\t{kind}\t{owner}\t{size}\t{score!r}\t{last}\n")
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {ListCutoff._meta.db_table} (generation, kind, owner_id, size, "  # noqa: S608
                                "last_score, last_id) FROM STDIN") as copy:
            copy.write(buf.getvalue())


def load_cutoffs(*, generation: int, kind: str) -> dict[str, np.ndarray]:
    table = ListCutoff._meta.db_table
    cast = "::smallint" if connection.vendor == "postgresql" else ""
    return fetch_columns(
        f"SELECT owner_id, size{cast}, last_score, last_id FROM {table} "  # noqa: S608  # nosec B608 # identifiers from models, values are params
        f"WHERE generation = %s AND kind = %s ORDER BY owner_id",
        [generation, kind], [("owner_id", "i8"), ("size", "i2"), ("last_score", "f8"), ("last_id", "i8")])


def pairs_from_rows(*, owner_ids: np.ndarray, top_ids: np.ndarray, scores: np.ndarray, counts: np.ndarray,
                    components, owner_is_vacancy: bool) -> PairColumns:
    """Flatten padded ``n x k`` lists into pair columns (valid entries only)."""
    k = top_ids.shape[1] if top_ids.ndim == 2 else 0
    valid = np.arange(k)[None, :] < counts[:, None] if k else np.zeros((owner_ids.shape[0], 0), bool)
    owners = np.repeat(owner_ids, counts.astype(np.int64))
    others = top_ids[valid]
    cols = {name: getattr(components, name)[valid].astype(np.float64) for name in COMPONENTS}
    if owner_is_vacancy:
        return PairColumns(vacancy_id=owners, profile_id=others, score=scores[valid].astype(np.float64), **cols)
    return PairColumns(vacancy_id=others, profile_id=owners, score=scores[valid].astype(np.float64), **cols)


def delete_generation_rows(*, keep: int) -> None:
    """Drop rows of every generation except ``keep`` (after a flip)."""
    from apps.matching import partitions

    with transaction.atomic():
        if partitions.enabled():  # match rows: drop whole partitions instead of deleting rows
            partitions.drop_except(keep)
        for model in (CandidateMatch, VacancyMatch, ListCutoff):
            if partitions.enabled() and model is not ListCutoff:
                continue
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE generation <> %s", [keep])  # noqa: S608  # nosec B608 # identifiers from models, values are params
            else:
                model.objects.exclude(generation=keep).delete()
