"""`kopiena import_form` and `kopiena export_form` on the command line."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

import kopiena.surveys
from kopiena.surveys.models import Survey
from kopiena.surveys.services.questionnaires import survey_import_xlsform
from tests.surveys.xlsform_helpers import saved_counts, survey_structure, xlsform_bytes

pytestmark = pytest.mark.django_db

REFERENCE = Path(kopiena.surveys.__file__).parent / "reference" / "kopienu-aptauja.xlsx"
ROOT = Path(__file__).resolve().parents[2]


def geopoint_form(tmp_path: Path) -> Path:
    path = tmp_path / "with-gps.xlsx"
    path.write_bytes(
        xlsform_bytes(
            [["type", "name", "label"], ["text", "q1", "A"], ["geopoint", "where", "Where?"]]
        )
    )
    return path


def test_import_form_prints_the_slug_and_question_count():
    out = io.StringIO()
    call_command("import_form", str(REFERENCE), stdout=out)

    assert out.getvalue().strip() == "kopienu_aptauja: 19 questions"
    assert Survey.objects.get(slug="kopienu_aptauja").questions.count() == 19


def test_import_form_takes_a_slug():
    out = io.StringIO()
    call_command("import_form", str(REFERENCE), "--slug", "aptauja-2023", stdout=out)

    assert out.getvalue().startswith("aptauja-2023: 19 questions")


def test_import_form_lists_skipped_metadata_rows(tmp_path):
    path = tmp_path / "meta.xlsx"
    path.write_bytes(
        xlsform_bytes([["type", "name", "label"], ["start", "started", None], ["text", "q", "Q"]])
    )
    out = io.StringIO()
    call_command("import_form", str(path), stdout=out)

    assert out.getvalue().splitlines() == [
        "meta: 1 questions",
        "  skipped metadata row 2: start started",
    ]


def test_import_form_refusal_names_sheet_and_row_and_saves_nothing(tmp_path):
    before = saved_counts()
    with pytest.raises(CommandError) as raised:
        call_command("import_form", str(geopoint_form(tmp_path)))

    assert "with-gps.xlsx" in str(raised.value)
    assert "„survey”" in str(raised.value) and "3." in str(raised.value)
    assert "geopoint" in str(raised.value)
    assert saved_counts() == before


def test_import_form_refuses_a_taken_slug():
    survey_import_xlsform(source=REFERENCE, filename=REFERENCE.name)
    with pytest.raises(CommandError) as raised:
        call_command("import_form", str(REFERENCE))

    assert "kopienu_aptauja" in str(raised.value)
    assert Survey.objects.count() == 1


@pytest.mark.parametrize("slug", ["manage", None])
def test_import_form_refuses_the_slug_of_the_staff_pages(tmp_path, slug):
    """/surveys/manage/ is the staff's list: a survey there could never be answered, whether
    --slug names it or the form's form_id does."""
    path = tmp_path / "manage.xlsx"
    path.write_bytes(
        xlsform_bytes(
            [["type", "name", "label"], ["text", "q1", "A"]], settings=[["form_id"], ["manage"]]
        )
    )
    arguments = [str(path)] + (["--slug", slug] if slug else [])
    with pytest.raises(CommandError) as raised:
        call_command("import_form", *arguments)

    assert "„manage” ir rezervēts" in str(raised.value)
    assert not Survey.objects.exists()


def test_import_form_missing_file(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_form", str(tmp_path / "nav.xlsx"))


def test_import_form_exits_non_zero_without_traceback(tmp_path):
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(  # noqa: S603 -- our own interpreter and a path we made
        [sys.executable, "-m", "kopiena", "import_form", str(geopoint_form(tmp_path))],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "geopoint" in result.stderr and "„survey”" in result.stderr
    assert result.stdout == ""


def test_export_form_writes_an_xlsform_that_imports_the_same(tmp_path):
    survey = survey_import_xlsform(source=REFERENCE, filename=REFERENCE.name)
    output = tmp_path / "out.xlsx"
    out = io.StringIO()
    call_command("export_form", survey.slug, "--output", str(output), stdout=out)

    assert out.getvalue().strip() == str(output)
    again = survey_import_xlsform(source=output, filename=output.name, slug="again")
    assert survey_structure(again) == survey_structure(survey)


def test_export_form_unknown_survey():
    with pytest.raises(CommandError) as raised:
        call_command("export_form", "nav-tadas")

    assert "nav-tadas" in str(raised.value)
