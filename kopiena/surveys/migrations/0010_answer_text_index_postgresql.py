"""On PostgreSQL, the open answers' texts in an index of their own, by question and response.

A report lists every open answer of a text question in submission order. Without this
index PostgreSQL reads them from the table, where a question's million answers lie
scattered over every page among 25 million rows: 2.7 s a question (bench/RESULTS.md).
From this index alone (an index-only scan) it is 0.3 s of reading.

A B-tree entry holds at most about 2.7 kB, so the index keeps texts of up to 2,000 bytes
(`text__indexed`, kopiena/surveys/lookups.py); the longer ones are found through a second,
small index (`text__long`), and the report merges the two in response order. Rows with a
choice are never open answers of a text question and stay out of both.
"""

from django.db import migrations

from kopiena.core.migration_operations import PostgreSQLOnly


class Migration(migrations.Migration):
    dependencies = [("surveys", "0009_answer_text_index_sqlite")]

    operations = [
        PostgreSQLOnly(
            sql=[
                "CREATE INDEX IF NOT EXISTS answer_text_pg_idx ON surveys_answer "
                "(question_id, response_id) INCLUDE (text) "
                "WHERE choice_id IS NULL AND text <> '' AND octet_length(text) <= 2000",
                "CREATE INDEX IF NOT EXISTS answer_long_text_pg_idx ON surveys_answer "
                "(question_id, response_id) WHERE choice_id IS NULL AND octet_length(text) > 2000",
            ],
            reverse_sql=[
                "DROP INDEX IF EXISTS answer_text_pg_idx",
                "DROP INDEX IF EXISTS answer_long_text_pg_idx",
            ],
        )
    ]
