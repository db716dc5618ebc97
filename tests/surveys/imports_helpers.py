"""Shared arrangements of the import tests: the reference survey and its files."""

from collections import Counter
from pathlib import Path

from kopiena.surveys.models import Answer
from kopiena.surveys.services.questionnaires import survey_import_xlsform
from tests.factories import municipality

REFERENCE = Path(__file__).resolve().parents[2] / "kopiena" / "surveys" / "reference"
DATA = Path(__file__).resolve().parent / "data"
REFERENCE_FORM = REFERENCE / "kopienu-aptauja.xlsx"
REFERENCE_RESPONSES = REFERENCE / "kopienu-aptauja-atbildes.csv"


def reference_survey(slug: str = "kopienu-aptauja"):
    return survey_import_xlsform(
        source=REFERENCE_FORM,
        filename=REFERENCE_FORM.name,
        slug=slug,
        municipality=municipality("kekavas_nov"),
    )


def choice_counts(survey, question: str) -> dict[str, int]:
    """How many responses chose each choice; typed answers counted under "other"."""
    counts: Counter[str] = Counter()
    for choice_name, is_other in Answer.objects.filter(
        question__survey=survey, question__name=question
    ).values_list("choice__name", "is_other"):
        counts[choice_name or ("other" if is_other else "")] += 1
    return dict(counts)
