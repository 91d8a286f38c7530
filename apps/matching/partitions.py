"""One partition per generation for the match tables (PostgreSQL; other databases use plain tables).

A full run writes its generation into *staging tables* (``<table>_g<generation>``, UNLOGGED, no index, a
CHECK that pins the generation), which readers never see. When every shard has written, ``attach`` builds
the primary key and the rank index once (a sort: several times cheaper than maintaining them during
millions of inserts) and attaches the tables as partitions of ``matching_candidatematch`` and
``matching_vacancymatch``, in the same transaction that makes the generation current. ``drop_except``
then drops the older generations' partitions instead of deleting their rows. Incremental updates write
through the parent table into the current generation's partition; generations without a partition of
their own (before the first full run) live in the DEFAULT partition.

The layout is created by migration 0005. Names are built only from model tables and integers.
"""

from __future__ import annotations

import re

from django.db import connection

from .models import CandidateMatch, VacancyMatch

MODELS = (CandidateMatch, VacancyMatch)
# the primary key and rank index of each parent table (see the models and migration 0005)
_KEYS = {
    CandidateMatch: ("generation, profile_id, vacancy_id", "vacancy_id, generation, score DESC, profile_id"),
    VacancyMatch: ("generation, vacancy_id, profile_id", "profile_id, generation, score DESC, vacancy_id"),
}


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


def attach(generation: int) -> None:
    """Index the staging tables and attach them as the generation's partitions (inside the caller's
    transaction, which also flips the current generation)."""
    # the sort of 5M keys fits in memory instead of spilling to disk (this transaction only)
    _execute("SET LOCAL maintenance_work_mem = '1GB'")
    for model in MODELS:
        parent, table = model._meta.db_table, staging_table(model, generation)
        key, rank = _KEYS[model]
        _execute(f"ALTER TABLE {table} ADD PRIMARY KEY ({key})")
        _execute(f"CREATE INDEX {table}_rank ON {table} ({rank})")
        _execute(f"ALTER TABLE {parent} ATTACH PARTITION {table} FOR VALUES IN ({int(generation)})")
        _execute(f"ANALYZE {table}")


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
