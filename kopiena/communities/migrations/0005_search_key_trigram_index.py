"""On PostgreSQL, a trigram index answers the directory search (search_key LIKE '%word%').

Without it every search counts its matches by reading all communities (3 ms of the
search page's time at 5,000, bench/RESULTS.md). SQLite has no such index; it keeps
the plain scan. pg_trgm is a trusted extension: a database owner may create it.
"""

from django.db import migrations

INDEX = "community_search_trgm_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON communities_community "
            "USING gin (search_key gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("communities", "0004_ordering_by_name")]

    operations = [migrations.RunPython(create, drop)]
