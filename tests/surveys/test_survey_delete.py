"""A survey with choice questions and answers can be deleted whole; a list in use cannot."""

from pathlib import Path

import pytest
from django.db.models import RestrictedError

from kopiena.surveys.models import Answer, ChoiceList, Question, Survey
from kopiena.surveys.services.imports import response_import
from kopiena.surveys.services.questionnaires import survey_import_xlsform

pytestmark = pytest.mark.django_db
REFERENCE = Path(__file__).resolve().parents[2] / "kopiena" / "surveys" / "reference"


def test_deleting_a_survey_deletes_its_questions_lists_and_answers():
    survey = survey_import_xlsform(
        source=REFERENCE / "kopienu-aptauja.xlsx", filename="kopienu-aptauja.xlsx"
    )
    response_import(
        survey=survey,
        source=REFERENCE / "kopienu-aptauja-atbildes.csv",
        filename="kopienu-aptauja-atbildes.csv",
    )
    assert Answer.objects.exists()
    survey.delete()
    assert not Survey.objects.exists()
    assert not Question.objects.exists() and not ChoiceList.objects.exists()
    assert not Answer.objects.exists()


def test_a_choice_list_in_use_cannot_be_deleted_on_its_own():
    survey = survey_import_xlsform(
        source=REFERENCE / "kopienu-aptauja.xlsx", filename="kopienu-aptauja.xlsx"
    )
    with pytest.raises(RestrictedError):
        survey.choice_lists.get(name="yes_no").delete()
