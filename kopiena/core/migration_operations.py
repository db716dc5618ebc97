"""Migration operations shared by the apps."""

from django.db import migrations


class _OneDatabaseOnly(migrations.RunSQL):
    """SQL run on one database only; on the other the operation does nothing and the
    application works without what it adds."""

    vendor = ""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class PostgreSQLOnly(_OneDatabaseOnly):
    """A PostgreSQL feature SQLite lacks (an index type, planner statistics)."""

    vendor = "postgresql"


class SQLiteOnly(_OneDatabaseOnly):
    """What only SQLite can do, e.g. index long texts (PostgreSQL's B-tree entries are
    limited to about 2.7 kB)."""

    vendor = "sqlite"
