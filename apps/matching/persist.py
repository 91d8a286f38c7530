"""Fast writes of match rows: binary COPY on PostgreSQL, batched bulk_create elsewhere.

Rows arrive as numpy columns. On PostgreSQL every tuple has the same fixed-width layout, so the
binary COPY stream is one numpy structured array turned into bytes: no per-row Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db import connection

from . import partitions
from .models import CandidateMatch, VacancyMatch

COMPONENTS = ("required", "optional", "similarity", "language", "preference")
COLUMNS = ("generation", "vacancy_id", "profile_id", "score", *COMPONENTS, "computed_at")
BATCH = 5000
COPY_CHUNK = 250_000
_PG_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

_TUPLE = np.dtype(
    [("nfields", ">i2"),
     ("l_gen", ">i4"), ("generation", ">i4"),
     ("l_vac", ">i4"), ("vacancy_id", ">i8"),
     ("l_prof", ">i4"), ("profile_id", ">i8")]
    + [item for name in ("score", *COMPONENTS) for item in ((f"l_{name}", ">i4"), (name, ">f8"))]
    + [("l_at", ">i4"), ("computed_at", ">i8")]
)


@dataclass
class PairColumns:
    """Match rows as columns: one entry per (vacancy, profile) pair."""

    vacancy_id: np.ndarray
    profile_id: np.ndarray
    score: np.ndarray
    required: np.ndarray
    optional: np.ndarray
    similarity: np.ndarray
    language: np.ndarray
    preference: np.ndarray

    def __len__(self) -> int:
        return int(self.vacancy_id.shape[0])

    @classmethod
    def concat(cls, parts: list[PairColumns]) -> PairColumns:
        if not parts:
            return cls.empty()
        return cls(**{f: np.concatenate([getattr(p, f) for p in parts]) for f in cls.__dataclass_fields__})

    @classmethod
    def empty(cls) -> PairColumns:
        return cls(vacancy_id=np.empty(0, np.int64), profile_id=np.empty(0, np.int64),
                   **{f: np.empty(0, np.float64) for f in ("score", *COMPONENTS)})


def write_pairs(model: type[CandidateMatch] | type[VacancyMatch], *, generation: int, pairs: PairColumns,
                computed_at: dt.datetime, table: str | None = None) -> int:
    """Insert the pairs for ``generation``; the caller owns the transaction. Returns the row count.

    ``table`` (PostgreSQL only) names a staging table of the model's layout to COPY into instead of the
    model's own table (see ``apps.matching.partitions``)."""
    if len(pairs) == 0:
        return 0
    if connection.vendor == "postgresql":
        return _copy_binary(model, generation=generation, pairs=pairs, computed_at=computed_at, table=table)
    if table is not None:
        raise ValueError("staging tables exist only on PostgreSQL")
    objs = []
    count = 0
    fields = ("vacancy_id", "profile_id", "score", *COMPONENTS)
    columns = [getattr(pairs, f).tolist() for f in fields]
    for values in zip(*columns, strict=True):
        objs.append(model(generation=generation, computed_at=computed_at, **dict(zip(fields, values, strict=True))))
        if len(objs) >= BATCH:
            model.objects.bulk_create(objs)
            count += len(objs)
            objs = []
    if objs:
        model.objects.bulk_create(objs)
        count += len(objs)
    return count


def copy_in_parallel(model, *, generation: int, pairs: PairColumns, computed_at: dt.datetime, table: str,
                     streams: int) -> int:
    """PostgreSQL, outside a transaction: COPY contiguous slices of ``pairs`` into ``table`` over ``streams``
    connections at once (each slice commits on its own; meant for staging tables nobody reads). The server
    parses and stores each stream in its own backend, so two streams use two cores."""
    n = len(pairs)
    if n == 0:
        return 0
    cuts = np.linspace(0, n, max(1, streams) + 1).astype(np.int64)
    slices = [PairColumns(**{f: getattr(pairs, f)[a:b] for f in PairColumns.__dataclass_fields__})
              for a, b in zip(cuts[:-1], cuts[1:], strict=True) if b > a]
    partitions.in_parallel([
        (lambda part=part: _copy_binary(model, generation=generation, pairs=part, computed_at=computed_at,
                                        table=table))
        for part in slices])
    return n


def _copy_binary(model, *, generation: int, pairs: PairColumns, computed_at: dt.datetime,
                 table: str | None = None) -> int:
    table = table or model._meta.db_table
    columns = ", ".join(COLUMNS)
    micros = int((computed_at - _PG_EPOCH) / dt.timedelta(microseconds=1))
    n = len(pairs)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT BINARY)") as copy:  # noqa: S608
            copy.write(b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big"))
            for start in range(0, n, COPY_CHUNK):
                stop = min(n, start + COPY_CHUNK)
                block = np.empty(stop - start, dtype=_TUPLE)
                block["nfields"] = len(COLUMNS)
                block["l_gen"], block["generation"] = 4, generation
                block["l_vac"], block["vacancy_id"] = 8, pairs.vacancy_id[start:stop]
                block["l_prof"], block["profile_id"] = 8, pairs.profile_id[start:stop]
                for name in ("score", *COMPONENTS):
                    block[f"l_{name}"] = 8
                    block[name] = getattr(pairs, name)[start:stop]
                block["l_at"], block["computed_at"] = 8, micros
                copy.write(block.tobytes())
            copy.write((-1).to_bytes(2, "big", signed=True))
    return n
