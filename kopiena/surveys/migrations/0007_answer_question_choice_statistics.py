"""On PostgreSQL, statistics on (question, choice) pairs of the answer table.

PostgreSQL estimates `question_id IN (…) AND choice_id IS NULL` as if the two were
unrelated; they are not (choice questions almost never have a row without a choice,
text questions never have one with). With a million responses the report's query for
"other" answers then read the whole table through the choice index (1 s) instead of
the few rows the (question, choice, response) index holds (9 ms; bench/RESULTS.md).
"""

from django.db import migrations

from kopiena.core.migration_operations import PostgreSQLOnly


class Migration(migrations.Migration):
    dependencies = [("surveys", "0006_answer_bits")]

    operations = [
        PostgreSQLOnly(
            sql=[
                "CREATE STATISTICS IF NOT EXISTS answer_question_choice_stats "
                "(mcv, dependencies) ON question_id, choice_id FROM surveys_answer"
            ],
            reverse_sql=["DROP STATISTICS IF EXISTS answer_question_choice_stats"],
        )
    ]
