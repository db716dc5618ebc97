"""Migration operations shared by the apps."""

from django.db import migrations


class PostgreSQLOnly(migrations.RunSQL):
    """SQL for a PostgreSQL feature SQLite lacks (an index type, planner statistics);
    on SQLite the operation does nothing and the database works without the feature."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
