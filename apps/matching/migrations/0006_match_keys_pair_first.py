"""The match tables' primary keys list the pair first and the generation last.

Each partition holds one generation (``apps.matching.partitions``), so with the generation first every
comparison of the key's sort at the end of a full run started with a constant column: building the key of
5M rows took 4.1 s instead of 2.8 s (PostgreSQL 15, two parallel workers). Lookups by profile or vacancy
use the leading column either way. The model's CompositePrimaryKey names the same three columns; only the
index's column order changes. PostgreSQL only; attached partitions are re-keyed with their parent.
"""

from django.db import migrations

KEYS = {  # table: (old key, new key)
    "matching_candidatematch": ("generation, profile_id, vacancy_id", "profile_id, vacancy_id, generation"),
    "matching_vacancymatch": ("generation, vacancy_id, profile_id", "vacancy_id, profile_id, generation"),
}


def _rekey(schema_editor, position):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, keys in KEYS.items():
        schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_pkey")
        schema_editor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY ({keys[position]})")


def forwards(apps, schema_editor):
    _rekey(schema_editor, 1)


def backwards(apps, schema_editor):
    _rekey(schema_editor, 0)


class Migration(migrations.Migration):
    dependencies = [("matching", "0005_match_rows_partitioned_by_generation")]

    operations = [migrations.RunPython(forwards, backwards)]
