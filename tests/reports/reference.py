"""The reference survey and its 17 responses, written into the database for report tests.

Goes through the project's XLSForm import and response import, as staff would; the
fallbacks (a minimal reader of the reference workbook, answers written through the
shared answer layer) only serve a checkout where those services are missing.
`add_responses` writes further rows for tests that need more respondents.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import openpyxl
from django.utils import timezone

from kopiena.surveys.answers import response_answer_values
from kopiena.surveys.models import Answer, Choice, ChoiceList, Question, Response, Survey
from kopiena.surveys.schema import form_schema

REFERENCE = Path(__file__).resolve().parents[2] / "kopiena" / "surveys" / "reference"
FORM = REFERENCE / "kopienu-aptauja.xlsx"
RESPONSES = REFERENCE / "kopienu-aptauja-atbildes.csv"
SLUG = "kopienu-aptauja"


def _labels(row: dict, prefix: str = "label") -> dict[str, str]:
    found = {}
    for key, value in row.items():
        match = re.fullmatch(rf"{prefix}::.*\((\w+)\)", key or "")
        if match and value:
            found[match.group(1)] = str(value)
    return found


def _sheet(workbook, name: str) -> list[dict]:
    rows = list(workbook[name].iter_rows(values_only=True))
    header = [str(cell) if cell else "" for cell in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:] if any(row)]


def _import_form(slug: str, municipality) -> Survey:
    try:
        from kopiena.surveys.services_forms import survey_import_xlsform
    except ImportError:
        pass
    else:
        with FORM.open("rb") as source:
            return survey_import_xlsform(
                source=source, filename=FORM.name, slug=slug, municipality=municipality
            )
    workbook = openpyxl.load_workbook(FORM, read_only=True)
    settings_row = _sheet(workbook, "settings")[0]
    survey = Survey.objects.create(
        slug=slug,
        title={"lv": settings_row["form_title"], "en": "Survey of communities"},
        form_id=settings_row["form_id"],
        default_language="lv",
        municipality=municipality,
        status=Survey.Status.PUBLISHED,
    )
    lists: dict[str, ChoiceList] = {}
    for position, row in enumerate(_sheet(workbook, "choices")):
        name = row["list_name"]
        if name not in lists:
            lists[name] = ChoiceList.objects.create(survey=survey, name=name)
        Choice.objects.create(
            choice_list=lists[name], position=position, name=str(row["name"]), label=_labels(row)
        )
    for position, row in enumerate(_sheet(workbook, "survey")):
        kind, _, list_name = str(row["type"]).partition(" ")
        Question.objects.create(
            survey=survey,
            position=position,
            name=row["name"],
            type=kind,
            label=_labels(row),
            required=row.get("required") == "yes",
            relevant=row.get("relevant") or "",
            choice_list=lists[list_name] if list_name else None,
        )
    return survey


def add_responses(survey: Survey, rows: list[dict], submitted_at: dt.datetime | None = None):
    """Write complete responses with their answers, as an import would."""
    schema = form_schema(survey)
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
    survey = _import_form(slug, municipality)
    try:
        from kopiena.surveys.services_imports import response_import
    except ImportError:
        add_responses(survey, reference_rows())
    else:
        result = response_import(survey=survey, source=RESPONSES, filename=RESPONSES.name)
        assert result.imported == 17, result
    return survey
