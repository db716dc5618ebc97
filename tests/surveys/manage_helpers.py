"""Surveys built the way staff build them (through the services), and responses to them."""

from __future__ import annotations

import datetime as dt

from kopiena.surveys.models import Question, Response, Survey
from kopiena.surveys.selectors import survey_answer_rules
from kopiena.surveys.services.questions import QuestionData, choice_add, question_add
from kopiena.surveys.services.responses import response_save_page, response_start, response_submit
from kopiena.surveys.services.surveys import survey_publish
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
    """A response given through the web form's services, as a respondent gives it: submitted
    (stored with its answer bitset), or a draft saved page by page. A draft survey is
    published first, as it must be to take answers. `community` and `submitted_at` are
    what an invitation link and the clock would have given the response."""
    if survey.status == Survey.Status.DRAFT:
        survey_publish(survey=survey)
    survey.refresh_from_db()  # the questionnaire as it is now (the answer rules follow it)
    rules = survey_answer_rules(survey)
    values = {
        name: value.split()
        if isinstance(value, str) and rules.schema.by_name[name].type == T.SELECT_MULTIPLE
        else value
        for name, value in values.items()
    }
    if status == Response.Status.DRAFT:
        response = response_start(survey=survey)
        for page in rules.pages:
            response_save_page(
                response=response, rules=rules, page=page, values=values, complete=False
            )
    else:
        result = response_submit(survey=survey, rules=rules, page=rules.pages[-1], values=values)
        assert result.ok, result.errors
        response = result.response
    arrived = {"community": community, "submitted_at": submitted_at}
    arrived = {name: value for name, value in arrived.items() if value is not None}
    if arrived:
        Response.objects.filter(pk=response.pk).update(**arrived)
        response.refresh_from_db()
    return response
