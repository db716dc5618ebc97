"""Open answers as the report reads them: every non-empty text, verbatim, in submission order."""

import datetime as dt
import io
import json
import threading

import pytest
from django.db import connection, transaction

from kopiena.reports import prefetch, selectors
from kopiena.reports.engine import build_report
from kopiena.reports.render.json import write_json
from kopiena.surveys.models import Answer, Response
from kopiena.surveys.selectors import survey_schema

from .reference import add_responses
from .reference import reference_survey as load_reference_survey

pytestmark = pytest.mark.django_db
SEGMENT = ("municipality", "kekavas_nov")


def _json_answers(blocks) -> list[dict]:
    return json.loads("[" + b"".join(blocks).decode() + "]")


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return " ".join(str(row[-1]) for row in cursor.fetchall())


def test_empty_texts_are_not_open_answers(reference_survey):
    question = survey_schema(reference_survey).by_name["long_term_factor"]
    first = Answer.objects.filter(question_id=question.id).order_by("response_id").first()
    Answer.objects.filter(pk=first.pk).update(text="")

    everyone = selectors.Respondents(reference_survey)
    answers = list(selectors.text_answers(everyone, question.id, None))

    assert len(answers) == 16
    assert all(text for text, _in_segment in answers)


def test_a_long_answer_is_listed_verbatim_in_its_place(reference_survey):
    """Texts over 2,000 bytes stay out of PostgreSQL's index of the texts (a B-tree entry
    holds about 2.7 kB) and are merged back in submission order."""
    schema = survey_schema(reference_survey)
    question = schema.by_name["long_term_factor"]
    rows = Answer.objects.filter(question_id=question.id).order_by("response_id")
    long_text = "Ilgtermiņā „kopiena” pastāv, ja… " * 150  # ~5,000 bytes of UTF-8
    Answer.objects.filter(pk=rows[4].pk).update(text=long_text)
    expected = list(rows.values_list("text", flat=True))
    segment = (
        schema.by_name["municipality"].id,
        schema.by_name["municipality"].choice_by_name["kekavas_nov"].id,
    )
    segment_members = set(
        Answer.objects.filter(question_id=segment[0], choice_id=segment[1]).values_list(
            "response_id", flat=True
        )
    )
    expected_marks = [
        response in segment_members for response in rows.values_list("response_id", flat=True)
    ]

    everyone = selectors.Respondents(reference_survey)
    answers = list(selectors.text_answers(everyone, question.id, segment))
    as_json = _json_answers(selectors.text_answers_json(everyone, question.id, segment, ", "))

    assert [text for text, _mark in answers] == expected
    assert [mark for _text, mark in answers] == expected_marks
    assert [answer["text"] for answer in as_json] == expected
    assert [answer["in_segment"] for answer in as_json] == expected_marks
    assert len(long_text.encode()) > 2000


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own index of the texts")
def test_sqlite_reads_open_answers_from_the_texts_index_alone(reference_survey):
    question = survey_schema(reference_survey).by_name["long_term_factor"]
    everyone = selectors.Respondents(reference_survey)
    sql, params = selectors._text_sql(everyone, question.id, None, as_json=True)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())

    assert "COVERING INDEX answer_text_idx" in plan
    assert len(_json_answers(selectors.text_answers_json(everyone, question.id, None, ","))) == 17


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's index of the texts")
def test_postgresql_reads_open_answers_from_the_texts_index_alone(reference_survey):
    schema = survey_schema(reference_survey)
    question = schema.by_name["long_term_factor"]
    municipality = schema.by_name["municipality"]
    segment = (municipality.id, municipality.choice_by_name["kekavas_nov"].id)
    everyone = selectors.Respondents(reference_survey)
    sql, params = selectors._text_sql(everyone, question.id, segment, as_json=True)
    with connection.cursor() as cursor:
        # As on a large survey: the planner would rather read 17 rows from the table.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan = _plan(sql, params)

    assert "Index Only Scan using answer_text_pg_idx" in plan
    assert "answer_long_text_pg_idx" in plan
    assert "Merge Append" in plan


def _json_report(survey, **options) -> dict:
    """The JSON report with a segment, as the report command writes it."""
    out = io.BytesIO()
    with selectors.reading_report():
        write_json(build_report(survey, segment=SEGMENT, json_answers=True, **options), out)
    data = json.loads(out.getvalue())
    data.pop("generated_at")
    return data


def _texts(data: dict, name: str) -> list[str]:
    question = next(item for item in data["questions"] if item["name"] == name)
    return [answer["text"] for answer in question["answers"]]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="answers read ahead on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_answers_read_ahead_are_the_report_s_own_and_in_its_snapshot(prefetches):
    """Inside its own transaction the report reads its open answers on other connections,
    in its snapshot: the JSON is the one read on its own connection, and a response
    submitted meanwhile is in none of its figures or lists."""
    survey = load_reference_survey(slug="read-ahead")
    question = survey_schema(survey).by_name["long_term_factor"]
    first, second = Answer.objects.filter(question_id=question.id).order_by("response_id")[:2]
    Answer.objects.filter(pk=first.pk).update(text="Ilgi „kopā” " * 400)
    # Read ahead as the database's bytes: what JSON escapes and what UTF-8 spells in 4.
    Answer.objects.filter(pk=second.pk).update(text='Ēka "Zīle"\\\n\t🌳')
    with transaction.atomic():  # a transaction already open: nothing to share
        read_alone = _json_report(survey)
    assert prefetches == [None]

    def submit_late():
        add_responses(survey, [{"long_term_factor": "Vēlā atbilde"}])
        connection.close()

    out = io.BytesIO()
    with selectors.reading_report():
        assert Response.objects.filter(survey=survey).count() == 17  # the snapshot is taken
        late = threading.Thread(target=submit_late)
        late.start()
        late.join()
        # The workers start now, after the late response was committed.
        write_json(build_report(survey, segment=SEGMENT, json_answers=True), out)
    read_ahead = json.loads(out.getvalue())
    read_ahead.pop("generated_at")

    assert prefetches[1] is not None
    assert read_ahead == read_alone
    assert _texts(read_ahead, "long_term_factor")[1] == 'Ēka "Zīle"\\\n\t🌳'
    assert "Vēlā atbilde" not in _texts(read_ahead, "long_term_factor")
    assert read_ahead["respondents"] == 17
    assert "Vēlā atbilde" in _texts(_json_report(survey), "long_term_factor")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="answers read ahead on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_answers_read_ahead_for_a_filtered_group(prefetches):
    """A filtered group's conditions (dates, chosen answers) reach the reading connections."""
    survey = load_reference_survey(slug="read-ahead-filtered")
    options = {
        "answer_filters": [("legal_status", "biedriba")],
        "submitted_from": dt.date(2000, 1, 1),
    }
    with transaction.atomic():  # nothing to share: read alone
        read_alone = _json_report(survey, **options)
    read_ahead = _json_report(survey, **options)

    assert prefetches[0] is None and prefetches[1] is not None
    assert read_ahead == read_alone
    assert read_ahead["respondents"] == 10
    everyone = _json_report(survey)
    assert (
        0 < len(_texts(read_ahead, "long_term_factor")) < len(_texts(everyone, "long_term_factor"))
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="answers read ahead on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_answers_no_worker_could_read_are_read_by_the_writer(monkeypatch, prefetches):
    survey = load_reference_survey(slug="read-ahead-fallback")
    expected = _json_report(survey)
    monkeypatch.setattr(prefetch, "WORKERS", 0)

    assert _json_report(survey) == expected
    assert prefetches[-1] is not None
    assert len(_texts(expected, "long_term_factor")) == 17
