"""The table of production's default cache (kopiena.core.cache, config/settings.py).

Made by the migrations whatever the settings say, so that `kopiena migrate` is the one
step on every installation and a later switch to the database cache finds its table.
"""

from django.core.management import call_command
from django.db import migrations

CACHE_TABLE = "kopiena_cache"  # LOCATION of the default cache in config/settings.py


def create_cache_table(apps, schema_editor):
    # Django's own command with a table name makes that table even when no cache uses it.
    call_command(
        "createcachetable", CACHE_TABLE, database=schema_editor.connection.alias, verbosity=0
    )


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
