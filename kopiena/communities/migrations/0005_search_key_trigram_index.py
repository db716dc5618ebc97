"""On PostgreSQL, a trigram index answers the directory search (search_key LIKE '%word%').

Without it every search counts its matches by reading all communities (3 ms of the
search page's time at 5,000, bench/RESULTS.md). SQLite has no such index; it keeps
the plain scan. pg_trgm is a trusted extension: a database owner may create it.
"""

from django.db import migrations

from kopiena.core.migration_operations import PostgreSQLOnly


class Migration(migrations.Migration):
    dependencies = [("communities", "0004_ordering_by_name")]

    operations = [
        PostgreSQLOnly(
            sql=[
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "CREATE INDEX IF NOT EXISTS community_search_trgm_idx "
                "ON communities_community USING gin (search_key gin_trgm_ops)",
            ],
            reverse_sql=["DROP INDEX IF EXISTS community_search_trgm_idx"],
        )
    ]
