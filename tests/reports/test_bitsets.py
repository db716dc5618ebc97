"""Reports count choices from each response's answer bitset: they must agree with the answers.

Imports and the web form store a bitset with every submitted response; responses
written before bitsets existed (here: `add_responses_without_bitsets`) are encoded from
their answers when a report reads them. The questionnaire may grow
after responses came in: positions are append-only, so older, shorter bitsets keep
their meaning.
"""

import csv
import io
from collections import Counter

import pytest

from kopiena.reports.engine import build_report
from kopiena.surveys.answer_bits import answer_keys
from kopiena.surveys.models import Answer, ChoiceList, Response
from kopiena.surveys.selectors import survey_schema
from kopiena.surveys.services.imports import response_import
from kopiena.surveys.services.questions import choice_add

from .reference import add_responses_without_bitsets, reference_rows

pytestmark = pytest.mark.django_db


def counts_from_answers(survey, segment=None) -> dict[tuple[str, str], int]:
    """Respondents per (question, choice), counted straight from the answer rows."""
    answers = Answer.objects.filter(
        response__survey=survey, response__status=Response.Status.COMPLETE, choice__isnull=False
    )
    if segment:
        question, choice = segment
        answers = answers.filter(
            response__in=Answer.objects.filter(
                question__name=question, choice__name=choice, question__survey=survey
            ).values("response_id")
        )
    return dict(Counter(answers.values_list("question__name", "choice__name")))


def counts_in_report(report, segment=False) -> dict[tuple[str, str], int]:
    found = {}
    for question in report.questions:
        figures = question.segment if segment else question.everyone
        for option in figures.options:
            if option.count:
                found[(question.name, option.name)] = option.count
    return found


def test_imported_responses_store_a_bitset_each(reference_survey):
    bitsets = Response.objects.filter(survey=reference_survey).values_list("answer_bits", flat=True)
    assert len(bitsets) == 17
    assert all(bits for bits in bitsets)
    reference_survey.refresh_from_db()
    assert set(reference_survey.answer_layout) == set(answer_keys(survey_schema(reference_survey)))


def test_stored_and_computed_bitsets_give_the_answers_counts(reference_survey):
    # 17 imported (stored bitsets) + 17 stored without (encoded when read).
    add_responses_without_bitsets(reference_survey, reference_rows())
    assert Response.objects.filter(survey=reference_survey, answer_bits__isnull=True).count() == 17
    segment = ("municipality", "kekavas_nov")
    report = build_report(reference_survey, segment=segment)

    assert report.respondents == 34
    assert counts_in_report(report) == counts_from_answers(reference_survey)
    assert counts_in_report(report, segment=True) == counts_from_answers(reference_survey, segment)
    answered = {question.name: question.everyone.answered for question in report.questions}
    assert answered["support_received"] == 34  # select_multiple: respondents, not rows
    assert answered["community_name"] == 34


def test_a_choice_added_after_responses_keeps_older_bitsets_meaningful(reference_survey):
    reference_survey.refresh_from_db()
    before = dict(reference_survey.answer_layout)
    question = survey_schema(reference_survey).by_name["support_received"]
    support_list = ChoiceList.objects.get(survey=reference_survey, questions__id=question.id)
    choice_add(choice_list=support_list, name="telpas", label={"lv": "Telpas"})

    rows = reference_rows()[:6]
    for row in rows:
        row["support_received"] = "telpas"
    result = response_import(
        survey=reference_survey, source=_csv(rows), filename="more.csv", format="xlsform-csv"
    )
    assert result.imported == 6

    reference_survey.refresh_from_db()
    layout = reference_survey.answer_layout
    assert {key: layout[key] for key in before} == before  # nothing moved
    assert len(layout) == len(before) + 1

    report = build_report(reference_survey, segment=("support_received", "telpas"))
    support = report.question("support_received")
    assert support.everyone.option("telpas").count == 6
    assert support.everyone.answered == 23
    assert report.segment.respondents == 6
    assert counts_in_report(report) == counts_from_answers(reference_survey)


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()
