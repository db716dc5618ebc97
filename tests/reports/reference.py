"""The reference survey and its 17 responses, written into the database for report tests.

Goes through the project's XLSForm import and response import, as staff would, so
every response is stored as production stores it, with its answer bitset.
`add_responses` imports further rows the same way, for tests that need more respondents;
`add_responses_without_bitsets` leaves them as responses stored before bitsets existed.
"""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path

from kopiena.surveys.models import Response, Survey
from kopiena.surveys.services.imports import response_import
from kopiena.surveys.services.questionnaires import survey_import_xlsform

REFERENCE = Path(__file__).resolve().parents[2] / "kopiena" / "surveys" / "reference"
FORM = REFERENCE / "kopienu-aptauja.xlsx"
RESPONSES = REFERENCE / "kopienu-aptauja-atbildes.csv"
SLUG = "kopienu-aptauja"


def add_responses(survey: Survey, rows: list[dict]) -> list[Response]:
    """Complete responses with these values by question name, imported as staff import
    responses collected elsewhere. Each row gets a key of its own, so a row repeating
    one already imported is a new respondent, not a duplicate."""
    keys = [uuid.uuid4().hex for _row in rows]
    headers = list(dict.fromkeys(header for row in rows for header in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["key", *headers])
    writer.writeheader()
    for key, row in zip(keys, rows, strict=True):
        writer.writerow({"key": key, **row})
    result = response_import(
        survey=survey, source=out.getvalue().encode(), filename="more.csv", format="xlsform-csv"
    )
    assert result.imported == len(rows), result.problems
    return list(Response.objects.filter(survey=survey, external_id__in=keys))


def add_responses_without_bitsets(survey: Survey, rows: list[dict]) -> list[Response]:
    """As `add_responses`, the responses then left as those stored before migration
    surveys.0006 added the answer bitsets: a report encodes them from their answers."""
    responses = add_responses(survey, rows)
    Response.objects.filter(pk__in=[response.pk for response in responses]).update(answer_bits=None)
    return responses


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
