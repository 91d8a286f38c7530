"""Match rows get a composite key (generation, pair) and, on PostgreSQL, one partition per generation.

A full rematch then loads its generation into a fresh table without indexes, builds the indexes once at
the end (a sort, several times cheaper than maintaining them row by row) and attaches the table as a
partition; dropping an old generation is a DROP TABLE instead of deleting millions of rows. Rows written
for a generation that has no partition of its own (incremental updates before the first full run) land in
the DEFAULT partition. See ``apps.matching.partitions``.

Django cannot turn a surrogate key into a composite one in place, so the tables are recreated. Their rows
are derived data, but they are kept: copied aside first and written back afterwards.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLES = {"candidatematch": "matching_candidatematch", "vacancymatch": "matching_vacancymatch"}
COLUMNS = ("generation, vacancy_id, profile_id, score, required, optional, similarity, language, preference, "
           "computed_at")
# (table, primary key columns, rank index name, rank index columns)
LAYOUT = {
    "matching_candidatematch": ("generation, profile_id, vacancy_id", "cand_vacancy_rank",
                                "vacancy_id, generation, score DESC, profile_id"),
    "matching_vacancymatch": ("generation, vacancy_id, profile_id", "vmatch_profile_rank",
                              "profile_id, generation, score DESC, vacancy_id"),
}


def stash_rows(apps, schema_editor):
    for table in TABLES.values():
        schema_editor.execute(f"CREATE TABLE {table}_keep AS SELECT {COLUMNS} FROM {table}")


def partition_tables(apps, schema_editor):
    """PostgreSQL: replace the plain tables just created by partitioned ones with the same columns and keys."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, (key, rank_name, rank_columns) in LAYOUT.items():
        # CreateModel deferred the plain table's index to the end of the migration: it is recreated below
        schema_editor.deferred_sql = [
            sql for sql in schema_editor.deferred_sql
            if not (hasattr(sql, "references_table") and sql.references_table(table))
        ]
        schema_editor.execute(f"DROP TABLE {table}")
        schema_editor.execute(
            f"CREATE TABLE {table} ("
            "generation integer NOT NULL CHECK (generation >= 0), "
            "score double precision NOT NULL, required double precision NOT NULL, "
            "optional double precision NOT NULL, similarity double precision NOT NULL, "
            "language double precision NOT NULL, preference double precision NOT NULL, "
            "computed_at timestamp with time zone NOT NULL, "
            "profile_id bigint NOT NULL, vacancy_id bigint NOT NULL, "
            f"PRIMARY KEY ({key})) PARTITION BY LIST (generation)"
        )
        schema_editor.execute(f"CREATE INDEX {rank_name} ON {table} ({rank_columns})")
        schema_editor.execute(f"CREATE UNLOGGED TABLE {table}_gdefault PARTITION OF {table} DEFAULT")


def restore_rows(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for table in TABLES.values():
        if postgres:
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(f"SELECT DISTINCT generation FROM {table}_keep")
                generations = [row[0] for row in cursor.fetchall()]
            for generation in generations:
                schema_editor.execute(
                    f"CREATE UNLOGGED TABLE {table}_g{int(generation)} PARTITION OF {table} "
                    f"FOR VALUES IN ({int(generation)})")
        schema_editor.execute(f"INSERT INTO {table} ({COLUMNS}) SELECT {COLUMNS} FROM {table}_keep")
        schema_editor.execute(f"DROP TABLE {table}_keep")


def _fields(profile_related, vacancy_related):
    return [
        ("generation", models.PositiveIntegerField()),
        ("score", models.FloatField()),
        ("required", models.FloatField()),
        ("optional", models.FloatField()),
        ("similarity", models.FloatField()),
        ("language", models.FloatField()),
        ("preference", models.FloatField()),
        ("computed_at", models.DateTimeField()),
        ("profile", models.ForeignKey(db_constraint=False, db_index=False,
                                      on_delete=django.db.models.deletion.CASCADE, related_name=profile_related,
                                      to="talent.studentprofile")),
        ("vacancy", models.ForeignKey(db_constraint=False, db_index=False,
                                      on_delete=django.db.models.deletion.CASCADE, related_name=vacancy_related,
                                      to="jobs.vacancy")),
    ]


class Migration(migrations.Migration):
    atomic = True

    dependencies = [
        ("jobs", "0004_vacancy_text_search_trigram"),
        ("matching", "0004_match_run_comment"),
        ("talent", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(stash_rows, migrations.RunPython.noop),
        migrations.DeleteModel(name="CandidateMatch"),
        migrations.DeleteModel(name="VacancyMatch"),
        migrations.CreateModel(
            name="CandidateMatch",
            fields=[
                ("pk", models.CompositePrimaryKey("generation", "profile_id", "vacancy_id", blank=True,
                                                  editable=False, primary_key=True, serialize=False)),
                *_fields("+", "candidate_matches"),
            ],
            options={
                "indexes": [models.Index(fields=["vacancy", "generation", "-score", "profile"],
                                         name="cand_vacancy_rank")],
            },
        ),
        migrations.CreateModel(
            name="VacancyMatch",
            fields=[
                ("pk", models.CompositePrimaryKey("generation", "vacancy_id", "profile_id", blank=True,
                                                  editable=False, primary_key=True, serialize=False)),
                *_fields("vacancy_matches", "+"),
            ],
            options={
                "indexes": [models.Index(fields=["profile", "generation", "-score", "vacancy"],
                                         name="vmatch_profile_rank")],
            },
        ),
        migrations.RunPython(partition_tables, migrations.RunPython.noop),
        migrations.RunPython(restore_rows, migrations.RunPython.noop),
    ]
