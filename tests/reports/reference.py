"""The reference survey and its 17 responses, written into the database for report tests.

Goes through the project's XLSForm import and response import, as staff would.
`add_responses` writes further rows as bare answers (no stored answer bitset, like
responses from before bitsets existed), for tests that need more respondents.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.utils import timezone

from kopiena.surveys.models import Answer, Response, Survey
from kopiena.surveys.questionnaire.answers import response_answer_values
from kopiena.surveys.selectors import survey_schema
from kopiena.surveys.services.imports import response_import
from kopiena.surveys.services.questionnaires import survey_import_xlsform

REFERENCE = Path(__file__).resolve().parents[2] / "kopiena" / "surveys" / "reference"
FORM = REFERENCE / "kopienu-aptauja.xlsx"
RESPONSES = REFERENCE / "kopienu-aptauja-atbildes.csv"
SLUG = "kopienu-aptauja"


def add_responses(survey: Survey, rows: list[dict], submitted_at: dt.datetime | None = None):
    """Write complete responses as bare answer rows, without a stored answer bitset."""
    schema = survey_schema(survey)
    when = submitted_at or timezone.now()
    for row in rows:
        values, errors = response_answer_values(schema, row)
        assert not errors, errors
        response = Response.objects.create(
            survey=survey,
            status=Response.Status.COMPLETE,
            source=Response.Source.IMPORT,
            submitted_at=when,
        )
        Answer.objects.bulk_create(
            Answer(
                response=response,
                question_id=value.question_id,
                choice_id=value.choice_id,
                text=value.text,
                number=value.number,
                date=value.date,
                is_other=value.is_other,
            )
            for value in values
        )


def reference_rows() -> list[dict]:
    with RESPONSES.open(encoding="utf-8") as source:
        return list(csv.DictReader(source))


def reference_survey(slug: str = SLUG, municipality=None) -> Survey:
    """The reference form and responses through the same imports staff use."""
    with FORM.open("rb") as source:
        survey = survey_import_xlsform(
            source=source, filename=FORM.name, slug=slug, municipality=municipality
        )
    result = response_import(survey=survey, source=RESPONSES, filename=RESPONSES.name)
    assert result.imported == 17, result
    return survey
