"""Surveys built the way staff build them (through the services), and responses to them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kopiena.surveys.models import Answer, Question, Response, Survey
from kopiena.surveys.questionnaire.answers import response_answer_values
from kopiena.surveys.selectors import survey_schema
from kopiena.surveys.services.questions import QuestionData, choice_add, question_add
from tests.factories import SurveyFactory

T = Question.Type


def add_question(
    survey: Survey, name: str, type: str = T.TEXT, label: str = "", **fields
) -> Question:
    data = QuestionData(
        type=type,
        name=name,
        label={"lv": label or f"Jautājums {name}", "en": f"Question {name}"},
        hint={},
        **fields,
    )
    return question_add(survey=survey, data=data)


def add_choices(question: Question, *names: str) -> None:
    for name in names:
        choice_add(
            choice_list=question.choice_list,
            name=name,
            label={"lv": f"Izvēle {name}", "en": f"Choice {name}"},
        )


def community_survey(**survey_fields) -> Survey:
    """A small questionnaire with every kind of answer the exports write."""
    survey = SurveyFactory(**survey_fields)
    section = add_question(survey, "about", T.GROUP, "Par kopienu")
    legal = add_question(
        survey, "legal", T.SELECT_ONE, "Juridiskais statuss", group=section, has_other=True
    )
    add_choices(legal, "association", "informal")
    help_ = add_question(survey, "help", T.SELECT_MULTIPLE, "Atbalsts", group=section)
    add_choices(help_, "grants", "premises", "officials")
    add_question(survey, "members", T.INTEGER, "Dalībnieku skaits")
    add_question(survey, "comment", T.TEXT, "Komentārs")
    return survey


def add_response(
    survey: Survey,
    values: dict,
    *,
    community=None,
    submitted_at: dt.datetime | None = None,
    status: str = Response.Status.COMPLETE,
) -> Response:
    rows, errors = response_answer_values(survey_schema(survey), values)
    assert not errors, errors
    response = Response.objects.create(
        survey=survey,
        status=status,
        community=community,
        submitted_at=(submitted_at or timezone.now())
        if status == Response.Status.COMPLETE
        else None,
    )
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question_id=row.question_id,
            choice_id=row.choice_id,
            text=row.text,
            number=row.number,
            date=row.date,
            is_other=row.is_other,
        )
        for row in rows
    )
    return response
