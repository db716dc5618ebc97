"""Each tool's export of the 17 reference responses imports as the same answers."""

import datetime as dt
import json

import pytest

from kopiena.surveys.models import Answer, Response
from kopiena.surveys.services.imports import import_preview, response_import
from tests.surveys.imports_helpers import (
    DATA,
    REFERENCE,
    REFERENCE_RESPONSES,
    choice_counts,
    reference_survey,
)

pytestmark = pytest.mark.django_db

EXPECTED = json.loads((REFERENCE / "expected-figures.json").read_text(encoding="utf-8"))
FILES = [
    (REFERENCE_RESPONSES, "xlsform-csv"),
    (DATA / "google-forms.csv", "google-forms"),
    (DATA / "google-forms.xlsx", "google-forms"),
    (DATA / "kobo.csv", "kobo"),
    (DATA / "kobo.xlsx", "kobo"),
    (DATA / "limesurvey.csv", "limesurvey"),
]


@pytest.fixture
def survey():
    return reference_survey()


def assert_reference_figures(survey):
    assert Response.objects.filter(survey=survey).count() == EXPECTED["respondents"]
    for kind in ("select_multiple_counts", "select_one_counts"):
        for question, counts in EXPECTED[kind].items():
            assert choice_counts(survey, question) == counts, question
    segment = EXPECTED["segment"]
    assert (
        Answer.objects.filter(
            question__survey=survey,
            question__name=segment["question"],
            choice__name=segment["choice"],
        ).count()
        == segment["respondents"]
    )
    for question, count in EXPECTED["text_answers"].items():
        assert (
            Answer.objects.filter(question__survey=survey, question__name=question).count() == count
        )


@pytest.mark.parametrize(("path", "format"), FILES, ids=[path.name for path, _ in FILES])
def test_each_export_of_the_reference_responses_gives_the_reference_figures(survey, path, format):
    result = response_import(survey=survey, source=path, filename=path.name)

    assert result.format == format  # detected from the headers
    assert (result.imported, result.duplicates, result.problems) == (17, 0, [])
    assert_reference_figures(survey)
    assert set(Response.objects.values_list("source", "status")) == {("import", "complete")}


@pytest.mark.parametrize(("path", "format"), FILES, ids=[path.name for path, _ in FILES])
def test_importing_the_same_file_twice_adds_nothing_the_second_time(survey, path, format):
    response_import(survey=survey, source=path, filename=path.name, format=format)

    again = response_import(survey=survey, source=path, filename=path.name, format=format)

    assert (again.imported, again.duplicates) == (0, 17)
    assert Response.objects.filter(survey=survey).count() == 17
    assert_reference_figures(survey)


def test_typed_other_answers_are_kept_verbatim(survey):
    response_import(survey=survey, source=DATA / "google-forms.csv", filename="gf.csv")

    texts = set(
        Answer.objects.filter(
            question__survey=survey,
            question__name__in=["support_received_other", "needed_involvement_other"],
        ).values_list("text", flat=True)
    )
    assert "Piešķirtas telpas sanāksmēm, sapulcēm" in texts  # a comma inside the typed text
    assert any(text.startswith("No pieredzes kopienā redzam") for text in texts)


def test_an_answer_matching_no_choice_is_an_other_answer_of_its_question(survey):
    csv = b"community_name,municipality,motivation\nKopiena X,Mana sala,lideris kaut_kas_cits\n"

    response_import(survey=survey, source=csv, filename="x.csv")

    others = Answer.objects.filter(question__survey=survey, is_other=True, choice=None)
    assert sorted(others.values_list("question__name", "text")) == [
        ("motivation", "kaut_kas_cits"),
        ("municipality", "Mana sala"),
    ]


def test_texts_with_backslashes_tabs_and_line_breaks_are_stored_verbatim(survey):
    # The bulk write escapes these itself (PostgreSQL's COPY text format).
    typed = "C:\\kopiena\\N\tdarbs\r\nrinda\\"
    csv = f'community_name,municipality\n"{typed}","{typed}"\n'.encode()

    response_import(survey=survey, source=csv, filename="x.csv")

    texts = Answer.objects.filter(question__survey=survey).values_list("text", flat=True)
    assert sorted(texts) == [typed, typed]


def test_a_row_with_only_a_timestamp_is_a_response_without_answers(survey):
    csv = (
        "Timestamp,Kopienas nosaukums\n"
        "24.11.2026 10:00:00,Pirmā\n"
        "24.11.2026 10:05:00,\n"
        "24.11.2026 10:10:00,Trešā\n"
    ).encode()

    response_import(survey=survey, source=csv, filename="gf.csv", format="google-forms")

    assert Response.objects.filter(survey=survey).count() == 3
    texts = Answer.objects.filter(question__survey=survey).values_list("text", flat=True)
    assert sorted(texts) == ["Pirmā", "Trešā"]


@pytest.mark.parametrize(
    "name", ["google-forms.csv", "google-forms.xlsx", "kobo.csv", "kobo.xlsx", "limesurvey.csv"]
)
def test_submission_times_come_from_the_tool(survey, name):
    response_import(survey=survey, source=DATA / name, filename=name)

    first = Response.objects.filter(survey=survey).order_by("submitted_at").first()
    # 09:00:05 in Riga: Google's and LimeSurvey's local time, Kobo's UTC time.
    assert first.submitted_at == dt.datetime(2026, 11, 2, 7, 0, 5, tzinfo=dt.UTC)


def test_external_ids_are_stored(survey):
    response_import(survey=survey, source=DATA / "limesurvey.csv", filename="ls.csv")
    assert sorted(Response.objects.values_list("external_id", flat=True), key=int) == [
        str(number) for number in range(1, 18)
    ]


def test_preview_maps_columns_and_writes_nothing(survey):
    preview = import_preview(survey=survey, source=DATA / "kobo.csv", filename="kobo.csv")

    assert preview.format == "kobo"
    assert (preview.total_rows, preview.imported, preview.problems) == (17, 17, [])
    roles = {column["header"]: (column["role"], column["question"]) for column in preview.columns}
    assert roles["support_received/nav"] == ("flag", "support_received")
    assert roles["support_received"] == ("summary", "support_received")
    assert roles["_uuid"] == ("external_id", "")
    assert roles["_submission_time"] == ("timestamp", "")
    assert roles["_id"] == ("system", "")
    assert Response.objects.count() == 0


def test_unknown_columns_are_reported_and_skipped(survey):
    csv = b"community_name,municipality,mystery column\nKopiena X,riga,42\n"

    result = response_import(survey=survey, source=csv, filename="x.csv")

    assert result.imported == 1
    assert [column["header"] for column in result.unknown_columns] == ["mystery column"]
