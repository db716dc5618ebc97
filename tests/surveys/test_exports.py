"""Responses exported to CSV and XLSX read back as a user would read them."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from kopiena.surveys import export_files, exports
from kopiena.surveys.exports import ExportOptions
from kopiena.surveys.models import Choice
from kopiena.surveys.selectors import ResponseFilters, response_list, survey_schema
from kopiena.surveys.services.questions import choice_archive, question_archive
from tests.factories import CommunityFactory, UserFactory, municipality

from .manage_helpers import add_response, community_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    survey = community_survey()
    community = CommunityFactory(name="Kaldabruņa")
    add_response(
        survey,
        {
            "legal": "association",
            "help": "grants officials",
            "members": "12",
            "comment": "Labi, ļoti",
        },
        community=community,
        submitted_at=dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC),
    )
    add_response(
        survey,
        {"legal": "Nodibinājums", "help": ["premises", "kopienas māja"], "members": "3"},
        submitted_at=dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC),
    )
    return survey


def rows_of(survey, **options):
    table = exports.table(
        survey_schema(survey),
        response_list(survey=survey).order_by("submitted_at"),
        ExportOptions(**options),
    )
    header, *rows = list(table)
    return [dict(zip(header, row, strict=True)) for row in rows], header


def read_csv(content: bytes):
    text = content.decode("utf-8")
    assert text.startswith("\ufeff"), "a BOM so spreadsheet programs read Latvian letters"
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_names_in_one_cell_with_other_answers_in_their_own_column(survey):
    (first, second), header = rows_of(survey)
    assert header[:6] == ["_id", "_submitted_at", "_status", "_source", "_community", "_invitation"]
    assert [h for h in header if not h.startswith("_")] == [
        "legal",
        "legal_other",
        "help",
        "help_other",
        "members",
        "comment",
    ]
    assert first["legal"] == "association" and first["legal_other"] is None
    assert first["help"] == "grants officials"
    assert first["members"] == 12 and first["comment"] == "Labi, ļoti"
    assert first["_community"] == "Kaldabruņa"
    assert second["legal"] == "other" and second["legal_other"] == "Nodibinājums"
    assert second["help"] == "premises other" and second["help_other"] == "kopienas māja"
    assert second["members"] == 3


def test_labels_joined_with_semicolons_in_the_chosen_language(survey):
    (first, second), _header = rows_of(survey, labels=True, language="lv")
    assert first["legal"] == "Izvēle association"
    assert first["help"] == "Izvēle grants; Izvēle officials"
    assert second["legal"] == "cits"
    (first, _second), _header = rows_of(survey, labels=True, language="en")
    assert first["help"] == "Choice grants; Choice officials"


def test_one_column_per_choice_of_a_select_multiple(survey):
    (first, second), header = rows_of(survey, choice_columns=True)
    assert [h for h in header if h.startswith("help")] == [
        "help/grants",
        "help/premises",
        "help/officials",
        "help/other",
        "help_other",
    ]
    assert (first["help/grants"], first["help/premises"], first["help/officials"]) == (1, 0, 1)
    assert (second["help/premises"], second["help/other"], second["help_other"]) == (
        1,
        1,
        "kopienas māja",
    )
    assert "help" not in header


def test_unanswered_select_multiple_has_empty_choice_columns(survey):
    add_response(survey, {"comment": "tikai komentārs"})
    rows, _header = rows_of(survey, choice_columns=True)
    unanswered = next(row for row in rows if row["comment"] == "tikai komentārs")
    assert unanswered["help/grants"] is None and unanswered["legal"] is None


def test_archived_questions_and_choices_are_still_exported(survey):
    members = survey.questions.get(name="members")
    assert question_archive(question=members) == "archived"
    grants = Choice.objects.get(choice_list__survey=survey, name="grants")
    assert choice_archive(choice=grants) == "archived"
    (first, _second), header = rows_of(survey, choice_columns=True)
    assert first["members"] == 12
    assert first["help/grants"] == 1


def test_csv_download_reads_back(client, survey):
    client.force_login(UserFactory(staff_of=[municipality()]))
    url = reverse("surveys:manage_export", args=[survey.slug, "csv"])
    response = client.get(url, {"values": "labels", "multiple": "cell"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(b"".join(response.streaming_content))
    by_comment = {row["comment"]: row for row in rows}
    assert by_comment["Labi, ļoti"]["help"] == "Izvēle grants; Izvēle officials"
    assert by_comment[""]["help_other"] == "kopienas māja"
    assert by_comment[""]["members"] == "3"
    assert by_comment["Labi, ļoti"]["_submitted_at"] == "2026-03-01 14:00:00"  # Riga time


def test_xlsx_download_reads_back(client, survey):
    client.force_login(UserFactory(staff_of=[municipality()]))
    url = reverse("surveys:manage_export", args=[survey.slug, "xlsx"])
    response = client.get(url, {"multiple": "columns"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    rows = [dict(zip(header, row, strict=True)) for row in rows]
    by_members = {row["members"]: row for row in rows}
    assert by_members[12]["help/officials"] == 1 and by_members[12]["help/premises"] == 0
    assert by_members[3]["legal_other"] == "Nodibinājums"
    assert by_members[12]["_submitted_at"] == dt.datetime(2026, 3, 1, 14, 0)


def read_xlsx(content: bytes) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.fixture
def large(monkeypatch, settings, tmp_path):
    """Every survey counts as large: its XLSX export is written by the task worker
    (immediately, in tests) into a cache of the test's own."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(export_files, "IN_BACKGROUND", 0)


def test_a_large_surveys_xlsx_is_written_by_the_worker_then_downloaded(client, survey, large):
    client.force_login(UserFactory(staff_of=[municipality()]))
    url = reverse("surveys:manage_export", args=[survey.slug, "xlsx"])
    query = {"submitted_from": "02.03.2026", "values": "labels"}

    response = client.get(url, query)

    building = reverse("surveys:manage_export_building", args=[survey.slug])
    assert response.status_code == 302 and response["Location"].startswith(building)
    page = client.get(response["Location"]).content.decode()
    assert "Fails ir gatavs." in page
    download = client.get(url, query)
    assert "attachment" in download["Content-Disposition"]
    rows = read_xlsx(b"".join(download.streaming_content))
    assert [row["legal_other"] for row in rows] == ["Nodibinājums"]  # the filter kept


def test_the_building_page_shows_how_far_the_export_has_got(client, survey, large):
    client.force_login(UserFactory(staff_of=[municipality()]))
    filters, options = export_files.export_arguments(ResponseFilters(), ExportOptions())
    target = export_files.export_file(survey=survey, filters=filters, options=options)
    target.set_progress(1000, 4200)

    page = client.get(reverse("surveys:manage_export_building", args=[survey.slug]))

    text = page.content.decode()
    assert "Ierakstītas 1000 no 4200 atbildēm" in text
    assert 'hx-trigger="every 2s"' in text


def test_a_new_response_makes_a_new_export_file(client, survey, large):
    client.force_login(UserFactory(staff_of=[municipality()]))
    url = reverse("surveys:manage_export", args=[survey.slug, "xlsx"])
    client.get(url)
    before = read_xlsx(b"".join(client.get(url).streaming_content))

    add_response(survey, {"legal": "informal", "members": "40"})

    client.get(url)
    after = read_xlsx(b"".join(client.get(url).streaming_content))
    assert len(after) == len(before) + 1


def test_export_follows_the_list_filter(client, survey):
    client.force_login(UserFactory(staff_of=[municipality()]))
    url = reverse("surveys:manage_export", args=[survey.slug, "csv"])
    response = client.get(url, {"submitted_from": "02.03.2026"})
    rows = read_csv(b"".join(response.streaming_content))
    assert [row["legal_other"] for row in rows] == ["Nodibinājums"]


def test_unknown_export_format_is_not_found(client, survey):
    client.force_login(UserFactory(staff_of=[municipality()]))
    assert (
        client.get(reverse("surveys:manage_export", args=[survey.slug, "pdf"])).status_code == 404
    )


def test_export_reads_answers_in_chunks_with_a_fixed_number_of_queries(
    survey, django_assert_max_num_queries, monkeypatch
):
    for number in range(7):
        add_response(survey, {"members": str(number), "help": "grants"})
    monkeypatch.setattr(exports, "CHUNK", 3)
    # The schema (2), the questions with other answers (1), the ids (1), then 2 per chunk.
    with django_assert_max_num_queries(2 + 1 + 1 + 2 * 3):
        rows = list(
            exports.table(survey_schema(survey), response_list(survey=survey), ExportOptions())
        )
    assert len(rows) == 1 + 9


def test_a_formula_typed_as_an_answer_never_runs_in_a_spreadsheet(client, survey):
    add_response(survey, {"comment": '=HYPERLINK("http://evil.example","klik")', "members": "5"})
    client.force_login(UserFactory(staff_of=[municipality()]))
    csv_rows = read_csv(
        b"".join(
            client.get(
                reverse("surveys:manage_export", args=[survey.slug, "csv"])
            ).streaming_content
        )
    )
    assert '\'=HYPERLINK("http://evil.example","klik")' in [row["comment"] for row in csv_rows]
    xlsx = client.get(reverse("surveys:manage_export", args=[survey.slug, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    cells = [row[header.index("comment")] for row in sheet.iter_rows(min_row=2)]
    typed = next(cell for cell in cells if cell.value and cell.value.startswith("="))
    assert typed.data_type == "s", "stored as text, not as a formula"
