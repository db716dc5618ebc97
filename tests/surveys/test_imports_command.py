"""kopiena import_responses SLUG FILE [--format ...] [--strict]"""

import pytest
from django.core.management import CommandError, call_command

from kopiena.surveys.models import Response
from tests.surveys.imports_helpers import DATA, REFERENCE_RESPONSES, reference_survey

pytestmark = pytest.mark.django_db


def test_imports_then_adds_nothing_the_second_time(capsys):
    survey = reference_survey()

    call_command("import_responses", survey.slug, str(REFERENCE_RESPONSES))
    call_command("import_responses", survey.slug, str(REFERENCE_RESPONSES), "--format", "auto")

    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Imported 17 responses (xlsform-csv); 0 already imported.",
        "Imported 0 responses (xlsform-csv); 17 already imported.",
    ]
    assert Response.objects.filter(survey=survey).count() == 17


def test_a_named_format(capsys):
    survey = reference_survey()
    call_command(
        "import_responses", survey.slug, str(DATA / "limesurvey.csv"), "--format", "limesurvey"
    )
    assert "Imported 17 responses (limesurvey)" in capsys.readouterr().out


def test_problems_are_printed_with_row_and_column_and_nothing_is_imported(tmp_path, capsys):
    survey = reference_survey()
    path = tmp_path / "bad.csv"
    path.write_text(
        "community_name,municipality,instruments_new\nA,riga,prakses info padome bonusi\n"
    )

    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_responses", survey.slug, str(path), "--strict")

    assert "rinda 2, kolonna C, „instruments_new”" in capsys.readouterr().err
    assert Response.objects.count() == 0


def test_an_unknown_survey():
    with pytest.raises(CommandError, match="No survey"):
        call_command("import_responses", "nav-tadas", str(REFERENCE_RESPONSES))
