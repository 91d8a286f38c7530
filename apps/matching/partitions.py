"""One partition per generation for the match tables (PostgreSQL; other databases use plain tables).

A full run writes its generation into *staging tables* (``<table>_g<generation>``, UNLOGGED, no index, a
CHECK that pins the generation), which readers never see. When every shard has written, ``build_indexes``
builds the primary-key index and the rank index of both tables once (a sort: several times cheaper than
maintaining them during millions of inserts), the four builds spread over two connections when the caller
is not inside a transaction; ``attach`` then turns the key index into the primary key and attaches the
tables as partitions of ``matching_candidatematch`` and ``matching_vacancymatch``, in the same transaction
that makes the generation current.

The primary keys put the pair first and the generation last (migration 0006): every partition holds one
generation, so a leading generation column would only make the key's sort compare a constant first. ``drop_except``
then drops the older generations' partitions instead of deleting their rows. Incremental updates write
through the parent table into the current generation's partition; generations without a partition of
their own (before the first full run) live in the DEFAULT partition.

The layout is created by migration 0005. Names are built only from model tables and integers.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

from django.db import connection

from .models import CandidateMatch, VacancyMatch

MODELS = (CandidateMatch, VacancyMatch)
# the primary key and rank index of each parent table (see the models and migrations 0005, 0006)
_KEYS = {
    CandidateMatch: ("profile_id, vacancy_id, generation", "vacancy_id, generation, score DESC, profile_id"),
    VacancyMatch: ("vacancy_id, profile_id, generation", "profile_id, generation, score DESC, vacancy_id"),
}
BUILD_CONNECTIONS = 2  # index builds and COPY streams run on this many connections at once


def enabled() -> bool:
    return connection.vendor == "postgresql"


def staging_table(model, generation: int) -> str:
    return f"{model._meta.db_table}_g{int(generation)}"


def _execute(sql: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def _attached(model) -> dict[str, int]:
    """Partitions of the model's table that hold one generation: {table name: generation}."""
    parent = model._meta.db_table
    rows = _execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = %s::regclass", [parent])
    pattern = re.compile(rf"^{re.escape(parent)}_g(\d+)$")
    return {name: int(m.group(1)) for (name,) in rows if (m := pattern.match(name))}


def _staging_tables(model) -> dict[str, int]:
    """Tables named like a generation of the model that are not attached (staging, or left by a failed run)."""
    parent = model._meta.db_table
    rows = _execute("SELECT relname FROM pg_class WHERE relkind = 'r' AND relname LIKE %s",
                    [f"{parent}\\_g%"])
    pattern = re.compile(rf"^{re.escape(parent)}_g(\d+)$")
    attached = _attached(model)
    return {name: int(m.group(1)) for (name,) in rows if (m := pattern.match(name)) and name not in attached}


def prepare(generation: int) -> None:
    """Create empty staging tables for ``generation`` (replacing any left over with that number)."""
    for model in MODELS:
        parent, table = model._meta.db_table, staging_table(model, generation)
        _execute(f"DROP TABLE IF EXISTS {table}")
        _execute(f"CREATE UNLOGGED TABLE {table} (LIKE {parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
        _execute(f"ALTER TABLE {table} ADD CONSTRAINT {table}_generation CHECK (generation = {int(generation)})")


def delete_profile_range(generation: int, lo: int, hi: int) -> None:
    """A re-delivered shard replaces its own rows: remove its profile range from the staging table."""
    table = staging_table(VacancyMatch, generation)
    _execute(f"DELETE FROM {table} WHERE profile_id BETWEEN %s AND %s", [lo, hi])  # noqa: S608  # nosec B608


def truncate(model, generation: int) -> None:
    _execute(f"TRUNCATE {staging_table(model, generation)}")


def parallel_available() -> bool:
    """Staging work may go to other connections: PostgreSQL, and the caller is not inside a transaction
    (other connections could not see its uncommitted tables)."""
    return enabled() and not connection.in_atomic_block


def in_parallel(jobs) -> None:
    """Run callables on up to BUILD_CONNECTIONS threads, each with its own database connection (autocommit),
    closed afterwards. Only outside a transaction: other connections could not see its uncommitted tables."""
    if connection.in_atomic_block:
        raise RuntimeError("parallel work on other connections needs the caller outside a transaction")

    def run(job):
        try:
            return job()
        finally:
            connection.close()  # this thread's connection

    with ThreadPoolExecutor(max_workers=BUILD_CONNECTIONS) as pool:
        for future in [pool.submit(run, job) for job in jobs]:
            future.result()


def build_indexes(generation: int) -> None:
    """Build the key and rank indexes of the generation's staging tables (idempotent) and ANALYZE them.

    Outside a transaction the builds run on several connections at once, largest first; inside one (tests
    in a transaction, or a caller that did not build first) they run here, in order."""
    statements = []  # VacancyMatch (a profile's list: k rows per profile) is the large table
    for model in (VacancyMatch, CandidateMatch):
        table = staging_table(model, generation)
        key, rank = _KEYS[model]
        statements.append(f"CREATE UNIQUE INDEX IF NOT EXISTS {table}_pkey ON {table} ({key})")
        statements.append(f"CREATE INDEX IF NOT EXISTS {table}_rank ON {table} ({rank})")
    if not parallel_available():
        _execute("SET LOCAL maintenance_work_mem = '1GB'")  # the sort of 5M keys stays in memory
        for sql in statements:
            _execute(sql)
        for model in MODELS:
            _execute(f"ANALYZE {staging_table(model, generation)}")
        return

    def job(sql, helpers=0):
        def run():
            # sorts in memory; the connections are the parallelism, plus one PostgreSQL helper process for
            # the largest build, which works on alone once the others are done (5M rows on 2 cores: 4.1 s
            # instead of 5.1 s without it, 4.7 s with a helper for every build)
            _execute("SET maintenance_work_mem = '512MB'")
            _execute(f"SET max_parallel_maintenance_workers = {int(helpers)}")
            _execute(sql)
        return run

    in_parallel([job(sql, helpers=1 if i == 0 else 0) for i, sql in enumerate(statements)])
    in_parallel([job(f"ANALYZE {staging_table(model, generation)}") for model in MODELS])


def _indexes_built(generation: int) -> bool:
    names = [f"{staging_table(model, generation)}_{suffix}" for model in MODELS for suffix in ("pkey", "rank")]
    rows = _execute("SELECT count(*) FROM pg_class WHERE relkind = 'i' AND relname = ANY(%s)", [names])
    return rows[0][0] == len(names)


def attach(generation: int) -> None:
    """Make the indexed staging tables the generation's partitions (inside the caller's transaction, which
    also flips the current generation). Builds the indexes first if the caller has not."""
    if not _indexes_built(generation):
        build_indexes(generation)
    for model in MODELS:
        parent, table = model._meta.db_table, staging_table(model, generation)
        _execute(f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY USING INDEX {table}_pkey")
        _execute(f"ALTER TABLE {parent} ATTACH PARTITION {table} FOR VALUES IN ({int(generation)})")


def drop_except(keep: int) -> None:
    """Drop every other generation's partition, rows of other generations in the DEFAULT partition, and
    staging tables of older runs that never attached (a newer run's staging tables are left alone)."""
    for model in MODELS:
        parent = model._meta.db_table
        for table, generation in _attached(model).items():
            if generation != keep:
                _execute(f"ALTER TABLE {parent} DETACH PARTITION {table}")
                _execute(f"DROP TABLE {table}")
        _execute(f"DELETE FROM {parent}_gdefault WHERE generation <> %s", [keep])  # noqa: S608  # nosec B608
        for table, generation in _staging_tables(model).items():
            if generation < keep:
                _execute(f"DROP TABLE IF EXISTS {table}")


def discard(generation: int) -> None:
    """Drop a failed run's staging tables (never an attached partition)."""
    for model in MODELS:
        if staging_table(model, generation) in _staging_tables(model):
            _execute(f"DROP TABLE IF EXISTS {staging_table(model, generation)}")
