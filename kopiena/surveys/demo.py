"""The demo's reference survey: the questionnaire the seed summary was made from, published,
with its 17 responses.

It belongs to Ķekavas novads: the published summary is Ķekava's (it sets Ķekava against
all respondents), so the Ķekava staff account manages the survey and its report.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from kopiena.core.extensions import DemoContext
from kopiena.places.models import Municipality

from .models import Survey
from .services.imports import response_import
from .services.questionnaires import survey_import_xlsform
from .services.surveys import survey_publish

REFERENCE = Path(__file__).resolve().parent / "reference"
FORM_FILE = REFERENCE / "kopienu-aptauja.xlsx"
RESPONSES_FILE = REFERENCE / "kopienu-aptauja-atbildes.csv"
SURVEY_SLUG = "kopienu-aptauja"
SURVEY_MUNICIPALITY = "kekavas_nov"


@transaction.atomic
def demo_load(context: DemoContext) -> None:
    survey = Survey.objects.filter(slug=SURVEY_SLUG).first()
    if survey is None:
        survey = survey_import_xlsform(
            source=FORM_FILE,
            filename=FORM_FILE.name,
            slug=SURVEY_SLUG,
            municipality=Municipality.objects.get(slug=SURVEY_MUNICIPALITY),
        )
        context.created.append(f"survey {SURVEY_SLUG}")
    else:
        context.existing.append(f"survey {SURVEY_SLUG}")
    if survey.status == Survey.Status.DRAFT:
        survey_publish(survey=survey)
    if survey.responses.exists():
        context.existing.append(f"responses of {SURVEY_SLUG}")
        return
    response_import(
        survey=survey,
        source=RESPONSES_FILE,
        filename=RESPONSES_FILE.name,
        format="xlsform-csv",
        actor=None,
    )
    context.created.append(f"{survey.responses.count()} responses of {SURVEY_SLUG}")
