"""Open answers as the report reads them: every non-empty text, in submission order."""

import pytest
from django.db import connection

from kopiena.reports import selectors
from kopiena.surveys.models import Answer
from kopiena.surveys.schema import form_schema

pytestmark = pytest.mark.django_db


def test_empty_texts_are_not_open_answers(reference_survey):
    question = form_schema(reference_survey).by_name["long_term_factor"]
    first = Answer.objects.filter(question_id=question.id).order_by("response_id").first()
    Answer.objects.filter(pk=first.pk).update(text="")

    everyone = selectors.Respondents(reference_survey)
    answers = list(selectors.text_answers(everyone, question.id, None))

    assert len(answers) == 16
    assert all(text for text, _in_segment in answers)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own index of the texts")
def test_sqlite_reads_open_answers_from_the_texts_index_alone(reference_survey):
    question = form_schema(reference_survey).by_name["long_term_factor"]
    rows = selectors.text_answers_json(selectors.Respondents(reference_survey), question.id, None)
    sql, params = (
        selectors._text_rows(selectors.Respondents(reference_survey), question.id)
        .values_list("text")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())

    assert "COVERING INDEX answer_text_idx" in plan
    assert sum(len(batch) for batch in rows) == 17
