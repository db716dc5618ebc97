"""On SQLite, the answers' non-empty texts in an index of their own, in the order of the
(question, choice, response) index.

A report lists every open answer of a text question in submission order. Through the
(question, choice, response) index SQLite then looks up each answer's row in the table:
for a million answers among 25 million rows 1.9 s; from this index alone 1.1 s
(bench/RESULTS.md). PostgreSQL cannot hold long texts in a B-tree (entries are limited to
about 2.7 kB) and reads them with a bitmap scan instead.
"""

from django.db import migrations

from kopiena.core.migration_operations import SQLiteOnly


class Migration(migrations.Migration):
    dependencies = [("surveys", "0008_answer_question_choice_unchecked")]

    operations = [
        SQLiteOnly(
            sql=[
                "CREATE INDEX IF NOT EXISTS answer_text_idx "
                "ON surveys_answer (question_id, choice_id, response_id, text) WHERE text <> ''"
            ],
            reverse_sql=["DROP INDEX IF EXISTS answer_text_idx"],
        )
    ]
