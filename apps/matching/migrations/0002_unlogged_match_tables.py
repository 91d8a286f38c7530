"""Match rows are derived data that a rematch rebuilds, so on PostgreSQL their tables skip the WAL.

UNLOGGED tables write several times faster; after a server crash PostgreSQL empties them, and the next
full rematch (nightly, or ``manage.py rematch``) refills them. MatchRun/MatchState stay logged.
"""

from django.db import migrations

TABLES = ("matching_candidatematch", "matching_vacancymatch", "matching_listcutoff")


def set_unlogged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} SET UNLOGGED")


def set_logged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial")]

    operations = [migrations.RunPython(set_unlogged, set_logged)]
